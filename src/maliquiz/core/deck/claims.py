"""The claims inventory of the articles, and how much of it the decks teach.

A claims file (``decks/sources/claims.yaml`` for the bundled decks) lists, for every
article file and every paragraph of it, the checkable claims the paragraph makes: a
fact, a figure, a date, an actor, or an opinion (with who holds it), each with the
cards (``deck_id/card_id``) that teach it. ``maliquiz check --coverage`` compares it
with the decks: the claims no card teaches, the card ids that do not exist, and the
paragraphs of the articles that no card cites.

The file is read like a deck (:mod:`.yamltree`): every value stays the text written,
and every problem is reported at its line and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from maliquiz.core.deck.files import Finding, Severity
from maliquiz.core.deck.models import SLUG_PATTERN, Deck
from maliquiz.core.deck.yamltree import Located, parse_mapping, walk
from maliquiz.i18n import _

CARD_REF_PATTERN = SLUG_PATTERN.removesuffix("$") + "/" + SLUG_PATTERN.removeprefix("^")

CardRef = Annotated[
    str,
    StringConstraints(pattern=CARD_REF_PATTERN),
    Field(description="A card as `deck_id/card_id`, e.g. `minusma/fin-date`."),
]


class ClaimKind(StrEnum):
    """What a claim states."""

    FACT = "fact"
    FIGURE = "figure"
    DATE = "date"
    ACTOR = "actor"
    OPINION = "opinion"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Claim(_Strict):
    """One checkable claim of a paragraph."""

    text: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The claim in a sentence, close to the article's words."
    )
    kind: ClaimKind = Field(
        description="`fact`, `figure` (a number), `date`, `actor` (who is who) or `opinion` "
        "(a view or a one-sided claim: say whose in `who`)."
    )
    who: str | None = Field(
        default=None,
        description="Who makes the claim, when it is not the article's own voice "
        "(`département d'État américain`, `James Heappey`).",
    )
    cards: list[CardRef] = Field(
        default_factory=list,
        description="The cards that teach the claim, as `deck_id/card_id`; empty when none "
        "does yet.",
    )


class ParagraphClaims(_Strict):
    """The claims of one paragraph."""

    paragraph: int = Field(ge=1, description="The paragraph, counting non-empty lines from 1.")
    claims: list[Claim] = Field(
        default_factory=list,
        description="Its checkable claims; empty for a paragraph that makes none (a heading).",
    )


class ArticleClaims(_Strict):
    """The claims of one article, paragraph by paragraph."""

    file: Annotated[str, StringConstraints(min_length=1)] = Field(
        description="The article's file name, as in the `file` of the decks' sources."
    )
    paragraphs: list[ParagraphClaims] = Field(
        default_factory=list, description="Every paragraph of the article, in order."
    )


class ClaimsInventory(_Strict):
    """Every checkable claim of the articles the decks are built from."""

    articles: list[ArticleClaims] = Field(description="One entry per article file.")


# -- reading -------------------------------------------------------------------------


@dataclass
class ClaimsFile:
    """A claims file as read: the inventory when it has no error, and every finding."""

    path: str
    inventory: ClaimsInventory | None
    findings: list[Finding] = field(default_factory=list)
    data: Any = None
    located: Any = None

    def position(self, *loc: str | int) -> tuple[int, int]:
        """Line and column of the value at ``loc`` (or of the nearest one above it)."""
        if not isinstance(self.located, Located):
            return 1, 1
        pos = walk(tuple(loc), self.data, self.located)[0]
        return pos.line, pos.col


def parse_claims(text: str, path: str = "<claims>") -> ClaimsFile:
    """Validate a claims file given as text; ``path`` is only used in the findings."""
    findings: list[Finding] = []
    parsed = parse_mapping(
        text, path, findings, _("a claims file is a mapping with an `articles` list")
    )
    if parsed is None:
        return ClaimsFile(path, None, findings)
    data, located = parsed
    result = ClaimsFile(path, None, findings, data, located)
    try:
        result.inventory = ClaimsInventory.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            findings.append(_finding_for(result, tuple(error["loc"]), error))
        return result
    findings.extend(_repeats(result, result.inventory))
    if any(f.severity == "error" for f in findings):
        result.inventory = None
    return result


def _finding_for(result: ClaimsFile, loc: tuple[Any, ...], error: Any) -> Finding:
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    kind = error["type"]
    if kind == "missing":
        message = _("missing key `{key}`").format(key=key)
    elif kind == "extra_forbidden":
        message = _("unknown key `{key}`").format(key=key)
    elif kind == "string_pattern_mismatch":
        message = _("{value!r} is not a card, written `deck_id/card_id`").format(
            value=error.get("input")
        )
    else:
        message = f"`{key}`: {error['msg']}"
    line, col = result.position(*loc)
    if kind == "extra_forbidden":
        key_pos = walk(loc, result.data, result.located)[1]
        line, col = (key_pos.line, key_pos.col) if key_pos else (line, col)
    return Finding(result.path, line, col, "error", message)


def _repeats(result: ClaimsFile, inventory: ClaimsInventory) -> Iterable[Finding]:
    """An article or a paragraph listed twice; an opinion that says not whose it is."""

    def at(*loc: str | int, message: str, hint: str | None = None) -> Finding:
        severity: Severity = "warning" if hint else "error"
        return Finding(result.path, *result.position(*loc), severity, message, hint)

    files: set[str] = set()
    for a, article in enumerate(inventory.articles):
        if article.file in files:
            yield at(
                "articles",
                a,
                "file",
                message=_("the article {file} is listed twice").format(file=article.file),
            )
        files.add(article.file)
        numbers: set[int] = set()
        for p, paragraph in enumerate(article.paragraphs):
            where = ("articles", a, "paragraphs", p)
            if paragraph.paragraph in numbers:
                yield at(
                    *where,
                    "paragraph",
                    message=_("paragraph {n} is listed twice").format(n=paragraph.paragraph),
                )
            numbers.add(paragraph.paragraph)
            for c, claim in enumerate(paragraph.claims):
                if claim.kind == ClaimKind.OPINION and not claim.who:
                    yield at(
                        *where,
                        "claims",
                        c,
                        "text",
                        message=_("an opinion says whose it is"),
                        hint=_("add `who:`"),
                    )


# -- coverage ------------------------------------------------------------------------


@dataclass
class Uncovered:
    """A claim that no existing card teaches."""

    file: str
    paragraph: int
    text: str
    kind: str
    line: int
    col: int


@dataclass
class UnknownCard:
    """A card id cited by the inventory that no deck has."""

    card: str
    line: int
    col: int


@dataclass
class Coverage:
    """How much of the inventory the decks teach."""

    path: str
    claims: int = 0
    covered: int = 0
    uncovered: list[Uncovered] = field(default_factory=list)
    unknown_cards: list[UnknownCard] = field(default_factory=list)
    uncited_paragraphs: dict[str, list[int]] = field(default_factory=dict)
    paragraphs: int = 0
    """How many paragraphs the articles have in all."""

    @property
    def percent(self) -> float:
        """Claims taught by at least one existing card, in percent (100 with no claim)."""
        return round(100 * self.covered / self.claims, 1) if self.claims else 100.0

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data for ``--format json``."""
        return {
            "claims_file": self.path,
            "claims": self.claims,
            "covered": self.covered,
            "coverage_percent": self.percent,
            "uncovered": [vars(u) for u in self.uncovered],
            "unknown_cards": [vars(u) for u in self.unknown_cards],
            "paragraphs": self.paragraphs,
            "uncited_paragraphs": self.uncited_paragraphs,
        }


def cited_paragraphs(decks: Iterable[Deck]) -> dict[str, set[int] | None]:
    """By article file, the paragraphs the decks' cards cite (None: a card cites the
    whole article)."""
    cited: dict[str, set[int] | None] = {}
    for deck in decks:
        for card in deck.cards:
            for source, numbers in deck.citations(card):
                if source.file is None:
                    continue
                known = cited.setdefault(source.file, set())
                if known is None:
                    continue
                if numbers:
                    known.update(numbers)
                else:
                    cited[source.file] = None
    return cited


def coverage(
    claims: ClaimsFile, decks: Iterable[Deck], lengths: dict[str, int | None] | None = None
) -> Coverage:
    """Compare the inventory with ``decks``; ``lengths`` gives each article's number of
    paragraphs when the articles were read (else the paragraphs listed count)."""
    decks = list(decks)
    report = Coverage(claims.path)
    inventory = claims.inventory
    if inventory is None:
        return report
    existing = {f"{deck.id}/{card.id}" for deck in decks for card in deck.cards}
    cited = cited_paragraphs(decks)
    for a, article in enumerate(inventory.articles):
        for p, paragraph in enumerate(article.paragraphs):
            for c, claim in enumerate(paragraph.claims):
                report.claims += 1
                at = ("articles", a, "paragraphs", p, "claims", c)
                for i, card in enumerate(claim.cards):
                    if card not in existing:
                        report.unknown_cards.append(
                            UnknownCard(card, *claims.position(*at, "cards", i))
                        )
                if any(card in existing for card in claim.cards):
                    report.covered += 1
                else:
                    report.uncovered.append(
                        Uncovered(
                            article.file,
                            paragraph.paragraph,
                            claim.text,
                            str(claim.kind),
                            *claims.position(*at, "text"),
                        )
                    )
        listed = [p.paragraph for p in article.paragraphs]
        count = (lengths or {}).get(article.file) or max(listed, default=0)
        report.paragraphs += count
        known = cited.get(article.file, set())
        missing = [] if known is None else [n for n in range(1, count + 1) if n not in known]
        if missing:
            report.uncited_paragraphs[article.file] = missing
    return report


def check_against_articles(claims: ClaimsFile, lengths: dict[str, int | None]) -> list[Finding]:
    """Warnings where the inventory and the articles read (``lengths``: each article's
    number of paragraphs, None when it cannot be read) disagree: an article missing,
    a paragraph that does not exist, a paragraph left out of the inventory."""
    findings: list[Finding] = []
    if claims.inventory is None:
        return findings
    for a, article in enumerate(claims.inventory.articles):
        count = lengths.get(article.file)
        if count is None:
            findings.append(
                Finding(
                    claims.path,
                    *claims.position("articles", a, "file"),
                    "warning",
                    _("cannot read the article {file}").format(file=article.file),
                )
            )
            continue
        listed = set()
        for p, paragraph in enumerate(article.paragraphs):
            listed.add(paragraph.paragraph)
            if paragraph.paragraph > count:
                findings.append(
                    Finding(
                        claims.path,
                        *claims.position("articles", a, "paragraphs", p, "paragraph"),
                        "warning",
                        _("paragraph {n} does not exist: the article has {count}").format(
                            n=paragraph.paragraph, count=count
                        ),
                    )
                )
        left_out = [n for n in range(1, count + 1) if n not in listed]
        if left_out:
            findings.append(
                Finding(
                    claims.path,
                    *claims.position("articles", a, "file"),
                    "warning",
                    _("paragraphs left out of the inventory: {numbers}").format(
                        numbers=", ".join(map(str, left_out))
                    ),
                    _("list every paragraph, with `claims: []` when it makes none"),
                )
            )
    return findings
