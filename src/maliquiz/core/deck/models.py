"""The deck format: pydantic models for a YAML deck and its cards.

A deck is one YAML file. These models are the single definition of the format: the
loader validates against them, ``maliquiz schema`` derives the JSON Schema editors use
from them, and every later layer (sessions, export) reads them.

Every scalar in a deck reaches these models as the text the teacher wrote (the loader
never lets YAML 1.1 turn ``2.000`` into 2.0 or ``no`` into False), so fields that hold
numbers, dates or booleans parse that text with our own rules here.
"""

# No `from __future__ import annotations`: pydantic would then compile each field's
# annotation from its text when the classes are made (1-2 ms at every start).
import re
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic import Tag as UnionTag

from maliquiz.core.deck.cardindex import CardIndex
from maliquiz.core.text.dates import PartialDate, parse_iso
from maliquiz.core.text.numbers import ParsedNumber, parse_number
from maliquiz.i18n import _

SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
TAG_PATTERN = r"^[^\s,;]+$"
GAP_RE = re.compile(r"\{\{(.*?)\}\}")


def _no_items() -> list[Any]:
    """An empty list, as the default of every list field. Pydantic reads the signature
    of a default factory to know whether it takes the other fields; for the builtin
    ``list`` that means parsing its text signature with the tokenizer (compiling the
    tokenizer's regular expressions first): 4-8 ms of building the deck validator,
    against microseconds for a function of ours."""
    return []


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80),
    Field(description="Lowercase letters, digits and single hyphens, e.g. `minusma-depart`."),
]
Tag = Annotated[
    str,
    StringConstraints(pattern=TAG_PATTERN, min_length=1, max_length=60),
    Field(description="One word or hyphenated words, no spaces (Anki tags cannot hold them)."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# The loader hands every scalar over as text, but editors read YAML 1.2 and see `2000` as a
# number and `true` as a boolean: the schema must accept both spellings.
NumberText = Annotated[str, WithJsonSchema({"type": ["string", "number"]})]
DateText = Annotated[
    str,
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]
BoolWord = Annotated[
    bool, WithJsonSchema({"oneOf": [{"type": "boolean"}, {"enum": ["vrai", "faux"]}]})
]


class _Strict(BaseModel):
    """Base for every deck model: unknown keys are errors, not silently dropped."""

    # The validators are built when first used: a deck's validation builds the
    # cards' inside its own, and the card models alone are seldom validated.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Source(_Strict):
    """An article (or any document) that cards cite."""

    id: Slug = Field(description="Short name that cards use in `source.ref`.")
    title: NonEmpty = Field(description="Title of the document, in your own words if needed.")
    date: DateText | None = Field(
        default=None,
        description="Publication date at the precision known: `2022`, `2022-11` or `2022-11-16`.",
    )
    outlet: str | None = Field(default=None, description="Newspaper, agency or site.")
    file: str | None = Field(
        default=None,
        description="File name of the article's text, used by `maliquiz check --sources DIR`.",
    )
    url: str | None = Field(default=None, description="Where the document can be read.")
    note: str | None = Field(default=None, description="Anything a reader should know about it.")

    @field_validator("date")
    @classmethod
    def _date_is_iso(cls, value: str | None) -> str | None:
        if value is not None and parse_iso(value) is None:
            raise ValueError(
                _("{value!r} is not a date; write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`").format(
                    value=value
                )
            )
        return value

    @property
    def partial_date(self) -> PartialDate | None:
        """The publication date, at the precision written."""
        return parse_iso(self.date) if self.date else None


class SourceRef(_Strict):
    """Where on its source a card's fact stands."""

    ref: Slug = Field(description="The `id` of one of the deck's `sources`.")
    paragraph: int | list[int] | None = Field(
        default=None,
        description="Paragraph number(s) in the source, counting non-empty lines from 1.",
    )

    @field_validator("paragraph")
    @classmethod
    def _positive(cls, value: int | list[int] | None) -> int | list[int] | None:
        # One paragraph (most cards) is checked without building a list: this runs
        # for every card of a deck.
        if value is None or (value >= 1 if isinstance(value, int) else all(n >= 1 for n in value)):
            return value
        raise ValueError(_("paragraphs are counted from 1"))

    @property
    def paragraphs(self) -> list[int]:
        """The cited paragraphs as a list (empty when none is given)."""
        if self.paragraph is None:
            return []
        return self.paragraph if isinstance(self.paragraph, list) else [self.paragraph]


ONE_SOURCE, SOURCE_LIST = "one-source", "source-list"
CITATION_TAGS = frozenset((ONE_SOURCE, SOURCE_LIST))
"""The names pydantic puts in an error's location inside a card's ``source``: the
loader leaves them out of the places and keys it reports."""


def _citation_form(value: Any) -> str:
    return SOURCE_LIST if isinstance(value, list) else ONE_SOURCE


Citation = Annotated[
    Annotated[SourceRef, UnionTag(ONE_SOURCE)]
    | Annotated[list[SourceRef], UnionTag(SOURCE_LIST), Field(min_length=1)],
    Discriminator(_citation_form),
]
"""A card's ``source``: one ``{ref, paragraph}`` mapping, or a list of them for a card
that draws on several paragraphs or articles."""


class EntityKind(StrEnum):
    """What a typed answer names; multiple-choice distractors are drawn from the same kind."""

    PERSON = "person"
    ORGANISATION = "organisation"
    COUNTRY = "country"
    PLACE = "place"
    OPERATION = "operation"
    GROUP = "group"
    EVENT = "event"
    OTHER = "other"


class CardBase(_Strict):
    """Fields every card has, whatever its type."""

    id: Slug = Field(
        description="Stable identifier, unique in the deck. Progress is saved under it: "
        "never derive it from the text, never reuse it for another question."
    )
    prompt: NonEmpty = Field(description="The question as the learner sees it.")
    explanation: str | None = Field(
        default=None, description="One or two sentences of context shown after the answer."
    )
    source: Citation | None = Field(
        default=None,
        description="The source and paragraph(s) cited: `{ref: ..., paragraph: ...}`, or a "
        "list of them when the card draws on several articles or paragraphs.",
    )
    tags: list[Tag] = Field(
        default_factory=_no_items, description="Topics, for study and exam filters."
    )
    group: Slug | None = Field(
        default=None,
        description="Cards that test the same fact share a group (any name, e.g. "
        "`retrait-date`): only one of them is asked a day, the others wait for the next "
        "day, so one does not give away the answer of another.",
    )

    @property
    def sources(self) -> list[SourceRef]:
        """Every citation of the card, in the order written (empty when it cites none)."""
        if self.source is None:
            return []
        return list(self.source) if isinstance(self.source, list) else [self.source]

    @property
    def auto_graded(self) -> bool:
        """Whether maliquiz can grade the answer itself (all types but flashcards)."""
        return True


class FlashCard(CardBase):
    """Front and back; the learner reveals the back and rates their own recall."""

    type: Literal["flashcard"] = Field(description="Self-rated front/back card.")
    back: NonEmpty = Field(description="The answer side.")

    @property
    def auto_graded(self) -> bool:
        return False


class TextCard(CardBase):
    """A typed short answer: a person, place, organisation, operation..."""

    type: Literal["text"] = Field(description="Typed short answer.")
    answer: NonEmpty = Field(description="The answer in its display form, e.g. `Assimi Goïta`.")
    accept: list[NonEmpty] = Field(
        default_factory=_no_items,
        description="Other forms to accept: short forms, other spellings (`Goïta`, `Goita`).",
    )
    confusables: list[NonEmpty] = Field(
        default_factory=_no_items,
        description="Close answers that are wrong and must never pass as typos (`MINUSCA`).",
    )
    kind: EntityKind = Field(
        default=EntityKind.OTHER,
        description="What the answer names; distractors are drawn from the same kind.",
    )


_TOLERANCE_RE = re.compile(r"^\s*(?P<value>[^%]+?)\s*(?P<pct>%)?\s*$")


@lru_cache(maxsize=4096)
def _number(text: str) -> ParsedNumber | None:
    """:func:`parse_number` of a deck's text, remembered: a number card's key is read by
    its validators, then by every session and ``check`` that asks for its value."""
    return parse_number(text)


class NumberCard(CardBase):
    """A number, graded exactly, within a tolerance, or inside a range."""

    type: Literal["number"] = Field(description="Typed number.")
    answer: NumberText = Field(
        description="The value as written in French: `2 000`, `2000`, `17 557`, `1,5 million`."
    )
    unit: str | None = Field(default=None, description="Shown after the number: `soldats`.")
    tolerance: NumberText | None = Field(
        default=None,
        description="Accepted error, absolute (`500`) or relative (`10%`). Default: exact.",
    )
    min: NumberText | None = Field(default=None, description="Lowest accepted value (inclusive).")
    max: NumberText | None = Field(default=None, description="Highest accepted value (inclusive).")

    @field_validator("answer", "min", "max")
    @classmethod
    def _is_number(cls, value: str | None) -> str | None:
        if value is not None and _number(value) is None:
            raise ValueError(
                _("{value!r} is not a number; write it as `2000`, `2 000` or `1,5 million`").format(
                    value=value
                )
            )
        return value

    @field_validator("tolerance")
    @classmethod
    def _is_tolerance(cls, value: str | None) -> str | None:
        if value is None:
            return value
        match = _TOLERANCE_RE.match(value)
        parsed = _number(match.group("value")) if match else None
        if parsed is None:
            raise ValueError(
                _("{value!r} is not a tolerance; write `500` or `10%`").format(value=value)
            )
        if parsed.value < 0:
            raise ValueError(_("a tolerance cannot be negative"))
        return value

    @field_validator("max")
    @classmethod
    def _range_is_sane(cls, high: str | None, info: ValidationInfo) -> str | None:
        # Declared last, so the other keys are already in info.data when they are valid.
        low = info.data.get("min")
        if not low or not high:  # no range, or half of one: nothing to compare
            return high
        low_n, high_n = _number(low), _number(high)
        if low_n and high_n and low_n.value > high_n.value:
            raise ValueError(_("`min` is greater than `max`"))
        return high

    @model_validator(mode="after")
    def _answer_in_range(self) -> "NumberCard":
        if self.min is None and self.max is None:  # most cards: no range to check
            return self
        low, high, value = self.min_value, self.max_value, self.value
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(_("the answer lies outside its own `min`/`max` range"))
        if self.tolerance is not None and (low is not None or high is not None):
            raise ValueError(_("give either a `tolerance` or a `min`/`max` range, not both"))
        return self

    @property
    def value(self) -> Decimal:
        """The key as a number."""
        parsed = _number(self.answer)
        assert parsed is not None  # checked by the validator
        return parsed.value

    @property
    def min_value(self) -> Decimal | None:
        """Lowest accepted value, if a range is set."""
        parsed = _number(self.min) if self.min is not None else None
        return parsed.value if parsed else None

    @property
    def max_value(self) -> Decimal | None:
        """Highest accepted value, if a range is set."""
        parsed = _number(self.max) if self.max is not None else None
        return parsed.value if parsed else None

    @property
    def tolerance_value(self) -> tuple[Decimal, bool] | None:
        """The tolerance and whether it is a percentage, if one is set."""
        if self.tolerance is None:
            return None
        match = _TOLERANCE_RE.match(self.tolerance)
        assert match is not None
        parsed = _number(match.group("value"))
        assert parsed is not None
        return parsed.value, match.group("pct") is not None


class DateCard(CardBase):
    """A date, graded at the precision of the key."""

    type: Literal["date"] = Field(description="Typed date.")
    answer: DateText = Field(
        description="`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the learner is graded at this precision."
    )

    @field_validator("answer")
    @classmethod
    def _is_iso(cls, value: str) -> str:
        if parse_iso(value) is None:
            raise ValueError(
                _("{value!r} is not a date; write `2013`, `2024-11` or `2024-11-15`").format(
                    value=value
                )
            )
        return value

    @property
    def date(self) -> PartialDate:
        """The key as a partial date."""
        parsed = parse_iso(self.answer)
        assert parsed is not None
        return parsed


class ChoiceCard(CardBase):
    """Multiple choice, with one or more right options."""

    type: Literal["choice"] = Field(description="Multiple choice.")
    options: list[NonEmpty] = Field(
        min_length=2, max_length=9, description="Every option, right and wrong (2 to 9)."
    )
    answer: NonEmpty | list[NonEmpty] = Field(
        description="The right option, or a list of them; each must be one of `options`."
    )
    shuffle: bool = Field(default=True, description="Shuffle the options when asked.")

    @field_validator("options")
    @classmethod
    def _distinct_options(cls, options: list[str]) -> list[str]:
        if len(set(options)) != len(options):
            raise ValueError(_("two options are the same"))
        return options

    @field_validator("answer")
    @classmethod
    def _answer_in_options(cls, answer: str | list[str], info: ValidationInfo) -> str | list[str]:
        options = info.data.get("options")
        if options is None:  # the options themselves are invalid: reported there
            return answer
        answers = answer if isinstance(answer, list) else [answer]
        missing = [a for a in answers if a not in options]
        if missing:
            raise ValueError(
                _(
                    "{missing!r} is not one of the options; the answer must repeat an option "
                    "word for word"
                ).format(missing=missing[0])
            )
        if not answers:
            raise ValueError(_("a choice needs at least one correct option"))
        if len(set(answers)) == len(options):
            raise ValueError(_("every option is correct: add at least one wrong option"))
        return answer

    @property
    def answers(self) -> list[str]:
        """The right options as a list."""
        return self.answer if isinstance(self.answer, list) else [self.answer]


class TrueFalseCard(CardBase):
    """A statement the learner judges true or false."""

    type: Literal["truefalse"] = Field(description="True or false.")
    answer: BoolWord = Field(description="`true` or `false` (also `vrai` or `faux`).")

    @field_validator("answer", mode="before")
    @classmethod
    def _boolean_words(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("true", "vrai"):
                return True
            if word in ("false", "faux"):
                return False
            raise ValueError(_("{value!r} is neither `true` nor `false`").format(value=value))
        return value


class OrderCard(CardBase):
    """Items to put in order: a chronology, a ranking."""

    type: Literal["order"] = Field(description="Put items in order.")
    items: list[NonEmpty] = Field(
        min_length=3, max_length=7, description="3 to 7 items, written in the right order."
    )

    @field_validator("items")
    @classmethod
    def _distinct(cls, items: list[str]) -> list[str]:
        if len(set(items)) != len(items):
            raise ValueError(_("two items are the same: the order would be ambiguous"))
        return items


class Pair(_Strict):
    """One pair of a matching card."""

    left: NonEmpty = Field(description="The item shown on the left (an actor, an event).")
    right: NonEmpty = Field(description="What it matches (a role, a year).")


class MatchCard(CardBase):
    """Pairs to match: actor with role, event with year."""

    type: Literal["match"] = Field(description="Match pairs.")
    pairs: list[Pair] = Field(min_length=3, max_length=8, description="3 to 8 pairs.")

    @field_validator("pairs")
    @classmethod
    def _distinct(cls, pairs: list[Pair]) -> list[Pair]:
        lefts = [p.left for p in pairs]
        rights = [p.right for p in pairs]
        if len(set(lefts)) != len(lefts) or len(set(rights)) != len(rights):
            raise ValueError(_("two pairs share a side: the matching would be ambiguous"))
        return pairs


class ClozeCard(CardBase):
    """A sentence with gaps: `La MINUSMA a quitté le Mali en {{2024}}.`"""

    type: Literal["cloze"] = Field(description="Fill in the gaps of the prompt.")
    prompt: NonEmpty = Field(
        description="The sentence, each gap written `{{answer}}` or `{{answer|variant|...}}`."
    )

    @field_validator("prompt")
    @classmethod
    def _has_gaps(cls, value: str) -> str:
        gaps = GAP_RE.findall(value)
        if not gaps:
            raise ValueError(_("a cloze needs at least one gap, written `{{answer}}`"))
        if any(not g.strip() or any(not v.strip() for v in g.split("|")) for g in gaps):
            raise ValueError(_("a gap is empty: write the answer inside `{{...}}`"))
        return value

    @property
    def gaps(self) -> list[list[str]]:
        """Each gap's accepted answers, the first being the display form."""
        return [[v.strip() for v in g.split("|")] for g in GAP_RE.findall(self.prompt)]

    def masked(self, blank: str = "____") -> str:
        """The prompt with each gap replaced by ``blank`` (or a numbered blank)."""
        count = iter(range(1, 100))
        return GAP_RE.sub(lambda _m: blank.format(n=next(count)), self.prompt)

    def filled(self) -> str:
        """The prompt with each gap filled with its display answer."""
        return GAP_RE.sub(lambda m: m.group(1).split("|")[0].strip(), self.prompt)


Card = Annotated[
    FlashCard
    | TextCard
    | NumberCard
    | DateCard
    | ChoiceCard
    | TrueFalseCard
    | OrderCard
    | MatchCard
    | ClozeCard,
    Field(discriminator="type"),
]
CARD_TYPES: dict[str, type[CardBase]] = {
    "flashcard": FlashCard,
    "text": TextCard,
    "number": NumberCard,
    "date": DateCard,
    "choice": ChoiceCard,
    "truefalse": TrueFalseCard,
    "order": OrderCard,
    "match": MatchCard,
    "cloze": ClozeCard,
}


class DeckHeader(_Strict):
    """A deck without its cards: what lists and menus need."""

    id: Slug = Field(description="Stable identifier of the deck; progress is saved under it.")
    title: NonEmpty = Field(description="Title shown to learners.")
    language: str = Field(default="fr", description="Language of the deck's text (`fr`, `en`).")
    description: str | None = Field(default=None, description="What the deck teaches.")
    authors: list[NonEmpty] = Field(default_factory=_no_items, description="Who wrote the deck.")
    tags: list[Tag] = Field(
        default_factory=_no_items, description="Tags every card of the deck carries too."
    )
    sources: list[Source] = Field(
        default_factory=_no_items, description="The documents the cards cite."
    )


class Deck(DeckHeader):
    """A whole deck: header, sources and cards."""

    cards: list[Card] = Field(min_length=1, description="The questions, in a stable order.")

    def source(self, source_id: str) -> Source | None:
        """The source with this id, if any."""
        return next((s for s in self.sources if s.id == source_id), None)

    def citations(self, card: CardBase) -> list[tuple[Source, list[int]]]:
        """Each source ``card`` cites, resolved against the deck, with the paragraphs
        cited in it (empty for the whole document); unknown refs are left out."""
        found = [(self.source(ref.ref), ref.paragraphs) for ref in card.sources]
        return [(source, numbers) for source, numbers in found if source is not None]

    @cached_property
    def cards_by_id(self) -> CardIndex[CardBase]:
        """The cards by id, in the deck's order. Built on first use: a session looks up
        every card it asks. Pydantic compares models on their fields only, so the cache
        never makes two decks differ."""
        return CardIndex((c.id, c) for c in self.cards)

    def card(self, card_id: str) -> CardBase | None:
        """The card with this id, if any."""
        return self.cards_by_id.get(card_id)

    def card_tags(self, card: CardBase) -> list[str]:
        """The card's own tags followed by the deck's."""
        return list(dict.fromkeys([*card.tags, *self.tags]))

    def tagged_card_ids(self) -> Iterator[tuple[str, list[str]]]:
        """Each card's id with its tags (:meth:`card_tags`), in the deck's order."""
        for card in self.cards:
            yield card.id, self.card_tags(card)
