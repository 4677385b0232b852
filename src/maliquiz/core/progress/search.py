"""Searching a learner's cards with Anki's search syntax.

A query is read once (:func:`parse_query`) into a tree of terms, then matched against
each card of the decks with the learner's record of it (:class:`CardEntry`):

* words are looked for in the card's prompt, answers and options, folded as answers are
  (:func:`~maliquiz.core.text.normalize.normalize`: case, accents, apostrophes...);
  ``*`` stands for any run of characters, ``"two words"`` for a phrase;
* ``deck:ID`` and ``card:ID`` (``*`` wildcards), ``tag:TAG`` (``tag:none``: no tag),
  ``type:choice`` (a card type), ``state:new|learn|review|due|suspended|buried|leech``
  (``is:`` too, as in Anki);
* ``prop:NAME<N`` with ``<``, ``<=``, ``>``, ``>=``, ``=``, ``!=`` on ``due`` (days from
  today), ``ivl`` (interval, days), ``lapses``, ``reps``, ``stability`` (days) or
  ``difficulty`` (1-10);
* ``rated:N`` the cards answered in the last N study days (1: today), ``rated:N:R``
  those rated R (1 Again to 4 Easy);
* terms side by side must all match; ``or`` between two takes either; ``-`` before a
  term (or a parenthesis) negates it; parentheses group; ``\\`` escapes a character.

An unknown field, value or operator raises :class:`SearchError`, whose message names
the term and lists what is valid. The states follow Anki's: ``learn`` takes learning
and relearning cards, ``review`` cards in review and relearning (a lapsed card is
both), ``due`` the learning and review cards due today and neither suspended nor
buried, as today's counts have them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final, NamedTuple

from maliquiz.core.deck.models import CARD_TYPES as DECK_CARD_TYPES
from maliquiz.core.learning.display import CARD_TYPE_LABELS
from maliquiz.core.progress.matching import (
    STATE_LABELS,
    AllOf,
    AnyOf,
    CardEntry,
    CardTerm,
    DeckTerm,
    Node,
    Not,
    PropTerm,
    Query,
    RatedTerm,
    SearchContext,
    SearchError,
    StateTerm,
    TagTerm,
    TextTerm,
    TypeTerm,
    searchable_text,
    unescape,
)
from maliquiz.core.text.normalize import normalize
from maliquiz.i18n import _

if TYPE_CHECKING:
    from maliquiz.core.deck.models import Deck
    from maliquiz.core.progress.store import Store

__all__ = [
    "CARD_TYPES",
    "FIELDS",
    "OPERATORS",
    "PROPERTIES",
    "STATES",
    "STATE_LABELS",
    "CardEntry",
    "Query",
    "SearchContext",
    "SearchError",
    "card_entries",
    "find_cards",
    "parse_query",
    "search_context",
    "searchable_text",
]

FIELDS: Final = ("deck", "card", "tag", "type", "state", "prop", "rated")
CARD_TYPES: Final = tuple(DECK_CARD_TYPES)  # the deck format's, in its order
STATES: Final = ("new", "learn", "review", "due", "suspended", "buried", "leech")
PROPERTIES: Final = ("due", "ivl", "lapses", "reps", "stability", "difficulty")
OPERATORS: Final = ("<=", ">=", "!=", "<", ">", "=")
_ALIASES: Final = {"is": "state", "id": "card", "cid": "card"}
_PROP_RE: Final = re.compile(r"([a-z]+)(<=|>=|!=|<|>|=)(.*)", re.IGNORECASE)
_FIELD_NAME_RE: Final = re.compile(r"[A-Za-z]+")


class _Token(NamedTuple):
    kind: str  # "(", ")", "-", "or", "and", "term"
    text: str  # the term's text, quotes taken out and escapes kept
    quoted: bool = False


def parse_query(text: str) -> Query:
    """Read a search line; :class:`SearchError` when it cannot be read."""
    tokens = _tokens(text)
    if not tokens:
        return Query(text, None)
    parser = _Parser(tokens)
    root = parser.either()
    if parser.position < len(tokens):  # either() stops only at a ")" it did not open
        raise SearchError(_("a closing parenthesis has no opening one"), ")")
    return Query(text, root)


class _Parser:
    """Recursive descent: ``either := both ("or" both)*``, ``both := one+`` (an
    ``and`` between two is allowed), ``one := "-" one | "(" either ")" | term``."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        """The kind of the next token, None at the end."""
        if self.position < len(self.tokens):
            return self.tokens[self.position].kind
        return None

    def either(self) -> Node:
        nodes = [self.both()]
        while self.peek() == "or":
            self.position += 1
            if self.peek() in (None, ")", "or", "and"):
                raise SearchError(_("`or` needs a search on each side"), "or")
            nodes.append(self.both())
        return nodes[0] if len(nodes) == 1 else AnyOf(nodes)

    def both(self) -> Node:
        nodes: list[Node] = []
        while self.peek() not in (None, ")", "or"):
            if self.peek() == "and":
                self.position += 1
                if not nodes or self.peek() in (None, ")", "or", "and"):
                    raise SearchError(_("`and` needs a search on each side"), "and")
                continue
            nodes.append(self.one())
        if not nodes:
            if self.peek() == "or":
                raise SearchError(_("`or` needs a search on each side"), "or")
            raise SearchError(_("empty parentheses"), "()")
        return nodes[0] if len(nodes) == 1 else AllOf(nodes)

    def one(self) -> Node:
        token = self.tokens[self.position]
        self.position += 1
        if token.kind == "-":
            if self.peek() in (None, ")", "or", "and"):
                raise SearchError(_("`-` needs a search right after it"), "-")
            return Not(self.one())
        if token.kind == "(":
            inner = self.either()
            if self.peek() is None:
                raise SearchError(_("a parenthesis is not closed"), "(")
            self.position += 1
            return inner
        return _term(token)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char))
            i += 1
        elif char == "-" and i + 1 < n and not text[i + 1].isspace():
            tokens.append(_Token("-", char))
            i += 1
        else:
            i = _read_term(text, i, tokens)
    return tokens


def _read_term(text: str, i: int, tokens: list[_Token]) -> int:
    """Read one term from ``text[i]`` into ``tokens``; return where it ends."""
    out: list[str] = []
    quoted = False
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
        elif char == '"':
            quoted = True
            end = i + 1
            while end < n and text[end] != '"':
                if text[end] == "\\" and end + 1 < n:
                    out.append(text[end : end + 2])
                    end += 2
                else:
                    out.append(text[end])
                    end += 1
            if end >= n:
                raise SearchError(_("a quote is not closed"), text[i:])
            i = end + 1
        elif char.isspace() or char in "()":
            break
        else:
            out.append(char)
            i += 1
    word = "".join(out)
    kind = word.casefold() if not quoted and word.casefold() in ("or", "and") else "term"
    if kind != "term" or word or quoted:
        tokens.append(_Token(kind, word, quoted))
    return i


def _term(token: _Token) -> Node:
    raw = token.text
    colon = _unescaped_colon(raw)
    if colon is None or not _FIELD_NAME_RE.fullmatch(raw[:colon]):
        return TextTerm(raw)
    name = raw[:colon].casefold()
    name = _ALIASES.get(name, name)
    value = raw[colon + 1 :]
    shown = unescape(raw)
    if name not in FIELDS:
        raise SearchError(
            _("unknown field `{field}:` in `{term}`; fields: {fields}").format(
                field=raw[:colon], term=shown, fields=", ".join(f"{f}:" for f in FIELDS)
            ),
            shown,
        )
    if not value:
        raise SearchError(
            _("`{field}:` needs a value, as in {example}").format(
                field=name, example=_EXAMPLES[name]
            ),
            shown,
        )
    if name == "deck":
        return DeckTerm(value)
    if name == "card":
        return CardTerm(value)
    if name == "tag":
        return TagTerm(value)
    if name == "type":
        return TypeTerm(_one_of(value, CARD_TYPES, shown, _("card types"), CARD_TYPE_LABELS))
    if name == "state":
        return StateTerm(_one_of(value, STATES, shown, _("states"), STATE_WORDS))
    if name == "prop":
        return _prop(unescape(value), shown)
    return _rated(unescape(value), shown)


_EXAMPLES: Final = {
    "deck": "deck:minusma",
    "card": "card:text-wagner",
    "tag": "tag:wagner",
    "type": "type:choice",
    "state": "state:due",
    "prop": "prop:ivl>=10",
    "rated": "rated:7",
}


STATE_WORDS: Final = {
    "new": STATE_LABELS["new"],
    "learn": STATE_LABELS["learning"],
    "review": STATE_LABELS["review"],
    "suspended": STATE_LABELS["suspended"],
    "buried": STATE_LABELS["buried"],
}
"""The states as the browser's State column writes them, also accepted in a search."""


def _one_of(raw: str, valid: Sequence[str], shown: str, what: str, words: Mapping[str, str]) -> str:
    """The value ``raw`` names: one of ``valid``, or the word the interface shows for
    one (``words``: value to English message id), in English or translated, with or
    without accents (``type:nom``, ``state:reportee``)."""
    value = unescape(raw).casefold()
    if value in valid:
        return value
    wanted = normalize(value)
    for key, word in words.items():
        if wanted in (normalize(word), normalize(_(word))):
            return key
    raise SearchError(
        _("unknown value `{value}` in `{term}`; {what}: {valid}").format(
            value=unescape(raw), term=shown, what=what, valid=", ".join(valid)
        ),
        shown,
    )


def _prop(value: str, shown: str) -> Node:
    found = _PROP_RE.fullmatch(value)
    if found is None:
        raise SearchError(
            _(
                "`{term}` is not a property search: write prop:NAME, an operator "
                "({operators}) and a number, as in prop:ivl>=10"
            ).format(term=shown, operators=" ".join(OPERATORS)),
            shown,
        )
    name, operator, number = found.groups()
    if name.casefold() not in PROPERTIES:
        raise SearchError(
            _("unknown property `{name}` in `{term}`; properties: {valid}").format(
                name=name, term=shown, valid=", ".join(PROPERTIES)
            ),
            shown,
        )
    try:
        amount = float(number)
    except ValueError:
        amount = float("nan")
    if amount != amount or amount in (float("inf"), float("-inf")):
        raise SearchError(
            _("`{value}` is not a number in `{term}`").format(value=number, term=shown), shown
        )
    return PropTerm(name.casefold(), operator, amount)


def _rated(value: str, shown: str) -> Node:
    days_text, _sep, rating_text = value.partition(":")
    if not days_text.isdigit() or int(days_text) < 1:
        raise SearchError(
            _("`{term}` needs a number of days of at least 1, as in rated:7").format(term=shown),
            shown,
        )
    rating: int | None = None
    if _sep:
        if rating_text not in ("1", "2", "3", "4"):
            raise SearchError(
                _("`{term}`: a rating is 1, 2, 3 or 4, as in rated:7:1").format(term=shown),
                shown,
            )
        rating = int(rating_text)
    return RatedTerm(min(int(days_text), 36500), rating)


def _unescaped_colon(raw: str) -> int | None:
    i = 0
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        if raw[i] == ":":
            return i
        i += 1
    return None


# --- searching the store --------------------------------------------------------------


def card_entries(store: Store, user: str, decks: Iterable[Deck]) -> list[CardEntry]:
    """Every card of ``decks`` with the learner's record of it, in the decks' order."""
    records = {(r.deck_id, r.card_id): r for r in store.cards(user)}
    return [
        CardEntry(deck.id, card, deck.card_tags(card), records.get((deck.id, card.id)))
        for deck in decks
        for card in deck.cards
    ]


def search_context(store: Store, user: str, query: Query) -> SearchContext:
    """The moment of the search, with the answered cards each ``rated:`` term needs
    (one indexed read of the log per term)."""
    ctx = SearchContext(store.clock.now(), store.calendar)
    rated = {
        (days, rating): store.answered_since(user, ctx.since(days), rating)
        for days, rating in query.rated_terms
    }
    return ctx._replace(rated=rated)


def find_cards(
    store: Store, user: str, decks: Sequence[Deck], query: str | Query
) -> list[CardEntry]:
    """The cards of ``decks`` that ``query`` matches, for ``user``; raises
    :class:`SearchError` for a query that cannot be read or names no known deck."""
    read = parse_query(query) if isinstance(query, str) else query
    read.check_decks([deck.id for deck in decks])
    entries = card_entries(store, user, decks)
    ctx = search_context(store, user, read)
    return [entry for entry in entries if read.matches(entry, ctx)]
