"""French text as people write it: folding accents and spaces, numbers and dates; and
text from outside handled safely: shown without its control characters (``visible``),
read from files within bounds (``untrusted``).

The lowest layer of the domain: deck validation and answer checking both read numbers
and dates with these rules, so they live below both. Imports nothing of maliquiz
(``untrusted`` its messages' translations only)."""
