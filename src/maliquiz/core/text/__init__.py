"""French text as people write it: folding accents and spaces, numbers and dates.

The lowest layer of the domain: deck validation and answer checking both read numbers
and dates with these rules, so they live below both. Imports nothing of maliquiz."""
