"""The shipped decks: valid, sourced, faithful to the articles, stable, without repeats."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from maliquiz.core.deck.loader import check_deck_file
from maliquiz.core.deck.models import CardBase, ChoiceCard, ClozeCard, Deck
from maliquiz.core.deck.sources import check_sources, dates_in, names_in, numbers_in, paragraphs
from maliquiz.core.text.normalize import normalize
from maliquiz.core.text.numbers import parse_number

REPO = Path(__file__).resolve().parents[1]
DECKS = REPO / "decks"
SOURCES = REPO.parent / "shared" / "sources"
DATA = Path(__file__).resolve().parent / "data"
FILES = sorted(DECKS.glob("*.yaml"))
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is absent")


def load_all() -> list[Deck]:
    decks = []
    for path in FILES:
        result = check_deck_file(path)
        assert result.deck is not None, [f.format() for f in result.findings]
        decks.append(result.deck)
    return decks


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_deck_loads_without_any_finding(path: Path) -> None:
    assert [f.format() for f in check_deck_file(path).findings] == []


def test_there_are_enough_cards_of_every_type() -> None:
    cards = [card for deck in load_all() for card in deck.cards]
    assert len(cards) >= 150
    types = Counter(card.type for card in cards)
    assert set(types) == {
        "flashcard",
        "text",
        "number",
        "date",
        "choice",
        "truefalse",
        "order",
        "match",
        "cloze",
    }


def test_every_card_cites_a_declared_source() -> None:
    for deck in load_all():
        for card in deck.cards:
            assert card.sources, (deck.id, card.id)
            for citation in card.sources:
                assert deck.source(citation.ref) is not None, (deck.id, card.id)
                assert citation.paragraphs, (deck.id, card.id)


@needs_sources
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_answers_are_found_in_the_cited_paragraphs(path: Path) -> None:
    result = check_deck_file(path)
    assert [f.format() for f in check_sources(result, SOURCES)] == []


def test_shipped_card_ids_are_stable() -> None:
    """Progress is keyed on these ids: removing or renaming one is a visible decision
    (update tests/data/shipped_card_ids.txt in the same commit, and say why)."""
    current = sorted(f"{deck.id}/{card.id}" for deck in load_all() for card in deck.cards)
    committed = (DATA / "shipped_card_ids.txt").read_text(encoding="utf-8").split()
    assert current == sorted(committed)


def test_no_two_cards_ask_the_same_thing_the_same_way() -> None:
    seen: dict[str, str] = {}
    for deck in load_all():
        for card in deck.cards:
            key = normalize(card.prompt)
            assert key not in seen, f"{deck.id}/{card.id} repeats {seen[key]}"
            seen[key] = f"{deck.id}/{card.id}"


_LEADING = re.compile(r"^(?:(?:l'|d'|le |la |les |de |du |des |à |au |aux )\s*)+", re.IGNORECASE)


def _kind(option: str) -> str:
    """year, number, name (a capitalised name after any article: `l'ONU`, `Burkina Faso
    et Niger`) or phrase (`une société de sécurité russe`)."""
    text = option.strip().replace("’", "'")
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if parse_number(text) is not None and re.fullmatch(r"[\d\s.,]+", text):
        return "number"
    return "name" if _LEADING.sub("", text)[:1].isupper() else "phrase"


def test_choices_have_plausible_options_of_one_kind() -> None:
    for deck in load_all():
        for card in deck.cards:
            if not isinstance(card, ChoiceCard):
                continue
            assert 3 <= len(card.options) <= 5, (deck.id, card.id)
            kinds = {_kind(o) for o in card.options}
            assert len(kinds) == 1, (deck.id, card.id, card.options)
            # No giveaway: the right option is not twice as long as every other one.
            right = min(len(a) for a in card.answers)
            wrong = [len(o) for o in card.options if o not in card.answers]
            assert right <= 2.5 * max(wrong), (deck.id, card.id)
            assert not any("toutes les réponses" in normalize(o) for o in card.options)


def test_claims_are_attributed() -> None:
    """Cards about opinions say whose they are (tag `opinions`): their prompt names a
    speaker or says "selon", "d'après", "pour"."""
    markers = (
        "selon",
        "d'apres",
        "pour ",
        "affirme",
        "estim",
        "qualifi",
        "article",
        "auteur",
        "analyst",
    )
    for deck in load_all():
        for card in deck.cards:
            if "opinions" in card.tags:
                prompt = normalize(card.prompt)
                assert any(m in prompt for m in markers), (deck.id, card.id)


# Card types where the learner brings the answer back from memory rather than picking it.
TYPED_RECALL = {"text", "number", "date", "cloze", "flashcard"}


@needs_sources
def test_fact_inventory_is_covered() -> None:
    """Every date, actor and number of the articles is asked; the important ones by two
    cards of different types; each fact stands in the paragraph the inventory names."""
    facts = yaml.safe_load((DATA / "fact_inventory.yaml").read_text(encoding="utf-8"))
    cards = {f"{deck.id}/{card.id}": (deck, card) for deck in load_all() for card in deck.cards}
    articles = {p.name: paragraphs(p.read_text(encoding="utf-8")) for p in SOURCES.glob("*.txt")}
    keys = [(f["file"], f["paragraph"], f["text"]) for f in facts]
    assert len(keys) == len(set(keys)), "a fact is listed twice"
    for fact in facts:
        assert fact["kind"] in {"date", "actor", "number"}, fact
        text = articles[fact["file"]][fact["paragraph"] - 1]
        assert normalize(fact["text"]) in normalize(text), fact
        asked = [cards[key] for key in fact["cards"]]  # KeyError: a card was renamed
        assert asked, fact
        if fact.get("important"):
            types = {card.type for _, card in asked}
            assert len(types) >= 2, fact
            assert types & TYPED_RECALL, f"no typed recall of {fact}"
    assert len(facts) >= 100
    # Every article is inventoried.
    assert {f["file"] for f in facts} == set(articles)


# Capitalised words of the articles that name no actor of their own: the country every
# article is about, demonyms, common nouns written with a capital, and titles.
NOT_ACTORS = {"mali", "maliens", "francais", "casques", "capitale", "etat", "etats", "ong", "m"}
NOT_ACTORS |= {"defense", "c", "l"}
# Weekdays name no actor, and the decks do not ask them (trivia the articles only mention).
NOT_ACTORS |= {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
_SENTENCE_START = re.compile(r"(?:^|[.!?«»\"“”:…])\s*$")
_DATELINE = re.compile(r"^\s*date \S+")


@needs_sources
def test_inventory_lists_every_figure_and_name_of_the_articles() -> None:
    """Each figure written in digits stands in the inventory of its paragraph, and each
    capitalised name (not a sentence's first word) in the inventory of some paragraph."""
    facts = yaml.safe_load((DATA / "fact_inventory.yaml").read_text(encoding="utf-8"))
    listed: dict[tuple[str, int], set[Decimal]] = {}
    for fact in facts:
        values = numbers_in(fact["text"]) | {Decimal(d.year) for d in dates_in(fact["text"], None)}
        listed.setdefault((fact["file"], fact["paragraph"]), set()).update(values)
    every_name = " | ".join(normalize(f["text"]) for f in facts)
    missing = []
    for path in sorted(SOURCES.glob("*.txt")):
        for n, paragraph in enumerate(paragraphs(path.read_text(encoding="utf-8")), start=1):
            body = _DATELINE.sub("", paragraph)
            for match in re.finditer(r"\d[\d .,]*\d|\d", body):
                value = parse_number(match.group(0).strip())
                if value is not None and value.value not in listed.get((path.name, n), set()):
                    missing.append((path.name, n, match.group(0)))
            for word in names_in(body):
                starts = [m.start() for m in re.finditer(re.escape(word), body)]
                if all(_SENTENCE_START.search(body[:s]) for s in starts):
                    continue  # only ever the first word of a sentence
                folded = normalize(word)
                if folded in NOT_ACTORS or re.search(rf"\b{re.escape(folded)}\b", every_name):
                    continue
                missing.append((path.name, n, word))
    assert missing == []


COPIED_RUN = 12


def _words(text: str) -> list[str]:
    """Lower case, accents folded, words as `\\w+`."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}


def _card_texts(card: CardBase) -> list[tuple[str, str]]:
    """Every string of a card with where it is (a cloze with its gaps filled)."""
    found: list[tuple[str, str]] = []

    def walk(where: str, value: object) -> None:
        if isinstance(value, str):
            found.append((where, value))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(f"{where}[{i}]", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(f"{where}.{key}" if where else key, item)

    walk("", card.model_dump(exclude={"id", "type", "tags", "group", "source", "kind"}))
    if isinstance(card, ClozeCard):
        found = [("prompt", card.filled()) if w == "prompt" else (w, t) for w, t in found]
    return found


@needs_sources
def test_no_card_copies_twelve_words_of_an_article() -> None:
    """Decks state the facts in their own words: no string of a card repeats 12 or more
    consecutive words of an article."""
    copied: set[tuple[str, ...]] = set()
    for path in SOURCES.glob("*.txt"):
        for paragraph in paragraphs(path.read_text(encoding="utf-8")):
            copied |= _runs(_words(paragraph))
    found = []
    for deck in load_all():
        for card in deck.cards:
            for where, text in _card_texts(card):
                runs = _runs(_words(text)) & copied
                if runs:
                    found.append((f"{deck.id}/{card.id}", where, " ".join(min(runs))))
    assert found == []


def test_claims_inventory_names_existing_cards() -> None:
    """decks/sources/claims.yaml (when present) is valid and every card it names exists."""
    from maliquiz.core.deck.claims import coverage, parse_claims

    path = DECKS / "sources" / "claims.yaml"
    if not path.is_file():
        pytest.skip("no claims inventory yet")
    claims = parse_claims(path.read_text(encoding="utf-8"), str(path))
    assert [f.format() for f in claims.findings] == []
    report = coverage(claims, load_all())
    assert [(u.card, u.line) for u in report.unknown_cards] == []
