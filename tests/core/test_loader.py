"""The deck loader: every bad input gives located findings and nothing else escapes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maliquiz.core.deck.loader import (
    MAX_DECK_BYTES,
    DeckLoadError,
    Finding,
    check_deck_file,
    load_deck,
    parse_deck,
)
from maliquiz.core.deck.models import ClozeCard, NumberCard, TextCard, TrueFalseCard

DATA = Path(__file__).resolve().parents[1] / "data"
EVERY_TYPE = (DATA / "every_type.yaml").read_text(encoding="utf-8")

HEADER = """\
id: d
title: T
sources:
  - id: s
    title: S
cards:
"""


def findings_of(text: str) -> list[Finding]:
    return parse_deck(text, "deck.yaml").findings


def only_error(text: str) -> Finding:
    errors = [f for f in findings_of(text) if f.severity == "error"]
    assert len(errors) == 1, [f.format() for f in errors]
    return errors[0]


def card(body: str) -> str:
    """A deck with one card, whose YAML body is indented under `- `."""
    lines = body.strip("\n").splitlines()
    return HEADER + "  - " + lines[0] + "\n" + "".join(f"    {line}\n" for line in lines[1:])


def test_every_type_loads_clean() -> None:
    result = parse_deck(EVERY_TYPE, "every_type.yaml")
    assert result.findings == []
    assert result.deck is not None
    types = {c.type for c in result.deck.cards}  # type: ignore[attr-defined]
    assert types == {
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


def test_yaml_11_surprises_keep_the_teachers_meaning() -> None:
    deck = parse_deck(EVERY_TYPE).deck
    assert deck is not None
    number = deck.card("number-renforts")
    assert isinstance(number, NumberCard)
    assert number.answer == "2.000" and number.value == Decimal(2000)
    assert deck.sources[0].date == "2021-12"
    text = parse_deck(
        card("""id: c
type: text
prompt: Réponse ?
answer: no
accept: [0123, 12:30, on]
source: {ref: s}""")
    ).deck
    assert text is not None
    answer_card = text.cards[0]
    assert isinstance(answer_card, TextCard)
    assert answer_card.answer == "no"
    assert answer_card.accept == ["0123", "12:30", "on"]


def test_truefalse_words() -> None:
    for word, value in (("true", True), ("faux", False), ("Vrai", True)):
        deck = parse_deck(
            card(f"id: c\ntype: truefalse\nprompt: P\nanswer: {word}\nsource: {{ref: s}}")
        ).deck
        assert deck is not None and isinstance(deck.cards[0], TrueFalseCard)
        assert deck.cards[0].answer is value
    f = only_error(card("id: c\ntype: truefalse\nprompt: P\nanswer: yes\nsource: {ref: s}"))
    assert "neither `true` nor `false`" in f.message
    assert (f.line, f.col) == (10, 13)


def test_malformed_yaml_is_located() -> None:
    f = only_error("id: d\ntitle: [unclosed\ncards: []\n")
    assert f.message.startswith("invalid YAML")
    assert f.line >= 2


def test_tab_indentation_gets_a_hint() -> None:
    f = only_error("id: d\ncards:\n\t- id: x\n")
    assert f.hint is not None and "tabs" in f.hint


def test_unknown_key_suggests_the_right_one() -> None:
    # The misspelt key is reported, and so is the `answer` it fails to give.
    findings = findings_of(card("id: c\ntype: text\nprompt: P\nanwser: Wagner\nsource: {ref: s}"))
    messages = [x.message for x in findings]
    assert "unknown key `anwser`" in messages
    unknown = next(x for x in findings if x.message == "unknown key `anwser`")
    assert unknown.hint == "did you mean `answer`?"
    assert (unknown.line, unknown.col) == (10, 5)
    assert any(m == "missing key `answer`" for m in messages)


def test_unknown_top_level_key() -> None:
    findings = findings_of(EVERY_TYPE.replace("description:", "descripton:"))
    assert [f.hint for f in findings] == ["did you mean `description`?"]


def test_wrong_type() -> None:
    f = only_error(card("id: c\ntype: order\nprompt: P\nitems: pas une liste\nsource: {ref: s}"))
    assert "`items` should be a list" in f.message
    assert f.line == 10


def test_missing_answer_points_at_the_card() -> None:
    f = only_error(card("id: c\ntype: number\nprompt: P\nsource: {ref: s}"))
    assert f.message == "missing key `answer`"
    assert f.line == 7


def test_unknown_card_type_suggests() -> None:
    f = only_error(card("id: c\ntype: txt\nprompt: P\nanswer: A\nsource: {ref: s}"))
    assert f.message == "unknown card type `txt`"
    assert f.hint == "did you mean `text`?"
    assert (f.line, f.col) == (8, 11)


def test_duplicate_keys() -> None:
    findings = findings_of(
        card("id: c\ntype: text\nprompt: P\nanswer: A\nanswer: B\nsource: {ref: s}")
    )
    f = next(f for f in findings if "duplicate key" in f.message)
    assert f.message == "duplicate key `answer` (first given at line 10)"
    assert f.line == 11


def test_duplicate_card_ids() -> None:
    text = HEADER + "".join(
        f"  - id: same\n    type: truefalse\n    prompt: P{i}\n    answer: true\n"
        f"    source: {{ref: s}}\n"
        for i in range(2)
    )
    f = only_error(text)
    assert f.message == "duplicate card id `same` (first at line 7)"
    assert f.line == 12


def test_source_reference_that_resolves_to_nothing() -> None:
    f = only_error(card("id: c\ntype: truefalse\nprompt: P\nanswer: true\nsource: {ref: t}"))
    assert f.message == "the source `t` is not in the deck's `sources`"
    assert f.hint == "declared sources: s"


def test_missing_source_is_a_warning() -> None:
    result = parse_deck(card("id: c\ntype: truefalse\nprompt: P\nanswer: true"))
    assert result.deck is not None
    assert [f.severity for f in result.findings] == ["warning"]


def test_choice_without_correct_option() -> None:
    f = only_error(
        card("id: c\ntype: choice\nprompt: P\noptions: [a, b, c]\nanswer: d\nsource: {ref: s}")
    )
    assert "'d' is not one of the options" in f.message
    assert f.line == 11


def test_choice_all_correct() -> None:
    f = only_error(
        card("id: c\ntype: choice\nprompt: P\noptions: [a, b]\nanswer: [a, b]\nsource: {ref: s}")
    )
    assert "every option is correct" in f.message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("type: order\nprompt: P\nitems: [a, b]", "`items` has 2 items; it needs 3 to 7"),
        (
            "type: order\nprompt: P\nitems: [a, b, c, d, e, f, g, h]",
            "`items` has 8 items; it needs 3 to 7",
        ),
        (
            "type: match\nprompt: P\npairs: [{left: a, right: b}]",
            "`pairs` has 1 items; it needs 3 to 8",
        ),
    ],
)
def test_wrong_sizes(body: str, expected: str) -> None:
    f = only_error(card("id: c\n" + body + "\nsource: {ref: s}"))
    assert f.message == expected


def test_cloze_without_gap() -> None:
    f = only_error(card("id: c\ntype: cloze\nprompt: Une phrase sans trou.\nsource: {ref: s}"))
    assert "at least one gap" in f.message


def test_cloze_gaps_and_display() -> None:
    deck = parse_deck(EVERY_TYPE).deck
    assert deck is not None
    cloze = deck.card("cloze-effectif")
    assert isinstance(cloze, ClozeCard)
    assert cloze.gaps == [["15 000", "15000"]]
    assert "____" in cloze.masked() and "15 000 casques" in cloze.filled()


def test_empty_prompt() -> None:
    f = only_error(card("id: c\ntype: truefalse\nprompt: '  '\nanswer: true\nsource: {ref: s}"))
    assert f.message == "`prompt` is empty"


def test_negative_tolerance() -> None:
    f = only_error(
        card("id: c\ntype: number\nprompt: P\nanswer: 10\ntolerance: -5\nsource: {ref: s}")
    )
    assert "cannot be negative" in f.message
    assert f.line == 11


def test_number_not_a_number() -> None:
    f = only_error(card("id: c\ntype: number\nprompt: P\nanswer: beaucoup\nsource: {ref: s}"))
    assert "is not a number" in f.message


def test_date_not_a_date() -> None:
    f = only_error(card("id: c\ntype: date\nprompt: P\nanswer: 2024-13\nsource: {ref: s}"))
    assert "is not a date" in f.message


def test_bad_slug() -> None:
    f = only_error(card("id: Carte 1\ntype: truefalse\nprompt: P\nanswer: true\nsource: {ref: s}"))
    assert "short identifier" in f.message


def test_tag_with_space() -> None:
    f = only_error(
        card(
            "id: c\ntype: truefalse\nprompt: P\nanswer: true\ntags: [retrait français]\nsource: {ref: s}"
        )
    )
    assert "contains a space" in f.message


@pytest.mark.parametrize("yaml_text", ["a: &x 1\nb: *x\n", "id: &a d\n"])
def test_anchors_and_aliases_are_rejected(yaml_text: str) -> None:
    f = only_error(yaml_text)
    assert "not allowed in decks" in f.message


def test_alias_bomb_is_cheap() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join('*' + chr(97 + i) for _ in range(9))}]\n"
        for i in range(8)
    )
    f = only_error(bomb)
    assert "not allowed" in f.message


def test_every_problem_of_a_file_in_one_run() -> None:
    text = HEADER + (
        "  - id: a\n    type: number\n    prompt: P\n    answer: x\n    source: {ref: s}\n"
        "  - id: b\n    type: choice\n    prompt: P\n    options: [a, b]\n    answer: c\n"
        "    source: {ref: s}\n"
        "  - id: a\n    type: text\n    prompt: ''\n    answer: A\n    source: {ref: nope}\n"
    )
    errors = [f for f in findings_of(text) if f.severity == "error"]
    assert len(errors) == 5, [f.format() for f in errors]
    assert [f.line for f in errors] == sorted(f.line for f in errors)


def test_not_a_mapping() -> None:
    assert "a deck is a mapping" in only_error("- a\n- b\n").message
    assert "a deck is a mapping" in only_error("").message


def test_second_document() -> None:
    f = only_error(EVERY_TYPE + "---\nid: other\n")
    assert "one document" in f.message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes(b"id: x\x00\x01\x02")
    [f] = check_deck_file(path).findings
    assert f.message == "this is a binary file, not a YAML deck"


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_bytes("id: d\ntitle: Côte\n".encode("latin-1"))
    [f] = check_deck_file(path).findings
    assert "not valid UTF-8" in f.message
    assert (f.line, f.col) == (2, 9)


def test_file_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    with path.open("wb") as out:
        out.truncate(MAX_DECK_BYTES + 1)
    [f] = check_deck_file(path).findings
    assert "limited to" in f.message


def test_load_deck_raises_our_error(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text("id: d\n", encoding="utf-8")
    with pytest.raises(DeckLoadError) as info:
        load_deck(path)
    assert "missing key `title`" in str(info.value)


def test_messages_follow_the_language() -> None:
    from maliquiz.i18n import set_language

    set_language("fr")
    f = only_error(card("id: c\ntype: txt\nprompt: P\nanswer: A\nsource: {ref: s}"))
    assert f.message == "type de carte inconnu `txt`"
    assert f.format().startswith("deck.yaml:8:11: erreur: ")


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(yaml_values)
def test_arbitrary_yaml_only_gives_findings(value: object) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    result = parse_deck(text)
    assert result.deck is None or not result.errors


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_only_gives_findings(text: str) -> None:
    result = parse_deck(text)
    assert all(isinstance(f, Finding) for f in result.findings)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(EVERY_TYPE.splitlines()), st.text(max_size=12))
def test_mutated_decks_only_give_findings(line: str, replacement: str) -> None:
    text = EVERY_TYPE.replace(line, line[: len(line) // 2] + replacement, 1)
    result = parse_deck(text)
    assert result.deck is not None or result.errors
