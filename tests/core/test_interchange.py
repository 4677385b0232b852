"""Exports to Anki, Moodle and JSON, imports from GIFT and TSV, and the YAML writer.

Golden files live in tests/golden/; regenerate them with MALIQUIZ_UPDATE_GOLDEN=1 after
a deliberate change, and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import genanki
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maliquiz.core.deck.loader import load_deck, parse_deck
from maliquiz.core.deck.models import Deck, TextCard
from maliquiz.core.interchange import InterchangeError, keep_valid_cards
from maliquiz.core.interchange.anki import (
    BASIC_MODEL_ID,
    CLOZE_MODEL_ID,
    TYPED_MODEL_ID,
    anki_deck_id,
    export_apkg,
    export_tsv,
)
from maliquiz.core.interchange.gift_export import MOODLE_WEIGHTS, export_gift, moodle_weight
from maliquiz.core.interchange.gift_import import import_gift
from maliquiz.core.interchange.gift_syntax import escape
from maliquiz.core.interchange.json_out import export_json
from maliquiz.core.interchange.tsv import import_tsv
from maliquiz.core.interchange.yaml_out import dump_deck

TESTS = Path(__file__).resolve().parents[1]
DECK_FILE = TESTS / "data" / "interchange.yaml"
GOLDEN = TESTS / "golden"


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck(DECK_FILE)


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MALIQUIZ_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with MALIQUIZ_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def apkg_notes(path: Path) -> dict[str, Any]:
    """What an Anki package holds, read with SQLite as Anki would."""
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        data = archive.read("collection.anki2")
    db_path = path.with_suffix(".anki2")
    db_path.write_bytes(data)
    connection = sqlite3.connect(db_path)
    try:
        models = json.loads(connection.execute("SELECT models FROM col").fetchone()[0])
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        notes = [
            {
                "guid": guid,
                "model": models[str(mid)]["name"],
                "fields": flds.split("\x1f"),
                "tags": tags.split(),
            }
            for guid, mid, flds, tags in connection.execute(
                "SELECT guid, mid, flds, tags FROM notes ORDER BY id"
            )
        ]
        cards = connection.execute("SELECT count(*) FROM cards").fetchone()[0]
    finally:
        connection.close()
    return {
        "decks": sorted((d["id"], d["name"]) for d in decks.values() if d["id"] != 1),
        "models": sorted(
            (int(k), m["name"], [f["name"] for f in m["flds"]]) for k, m in models.items()
        ),
        "notes": notes,
        "cards": cards,
    }


# -- golden files -------------------------------------------------------------------


def test_golden_tsv(deck: Deck) -> None:
    golden("interchange.tsv", export_tsv(deck))


def test_golden_gift(deck: Deck) -> None:
    text, warnings = export_gift(deck)
    golden("interchange.gift", text)
    golden("interchange.gift-warnings.txt", "\n".join(w.format() for w in warnings) + "\n")


def test_golden_json(deck: Deck) -> None:
    golden("interchange.json", export_json(deck))


def test_golden_apkg(deck: Deck, tmp_path: Path) -> None:
    export_apkg(deck, tmp_path / "deck.apkg")
    summary = apkg_notes(tmp_path / "deck.apkg")
    golden("interchange.apkg.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")


# -- Anki ---------------------------------------------------------------------------


def test_apkg_notes_fields_tags_and_guids(deck: Deck, tmp_path: Path) -> None:
    export_apkg(deck, tmp_path / "deck.apkg")
    summary = apkg_notes(tmp_path / "deck.apkg")
    notes = summary["notes"]
    assert len(notes) == len(deck.cards)
    assert [n["guid"] for n in notes] == [genanki.guid_for(deck.id, c.id) for c in deck.cards]
    assert summary["decks"] == [(anki_deck_id(deck.id), deck.title)]
    by_id = dict(zip((c.id for c in deck.cards), notes, strict=True))
    assert by_id["texte"]["model"] == "maliquiz typed"
    assert by_id["texte"]["fields"][1] == "Assimi Goïta"
    assert by_id["texte"]["tags"] == ["acteurs", "export"]
    assert by_id["flash"]["model"] == "maliquiz basic"
    assert "Créée en 2013" in by_id["flash"]["fields"][2]
    assert "La MINUSMA quitte le Mali (décembre 2023, Agence), § 1" in by_id["flash"]["fields"][2]
    assert by_id["nombre-exact"]["fields"][1] == "2000"
    assert by_id["date-jour"]["fields"][1] == "31 décembre 2023"
    cloze = by_id["trous-deux"]
    assert cloze["model"] == "maliquiz cloze"
    assert cloze["fields"][0] == (
        "La MINUSMA a été créée en {{c1::2013}} par le {{c1::Conseil de sécurité}}."
    )
    choice = by_id["choix-un"]["fields"][0]
    assert "<li>l'Union africaine</li>" in choice and "<li>la CEDEAO</li>" in choice
    # Deck text is escaped, never markup.
    assert "&amp; &lt; &gt;" in by_id["symboles"]["fields"][0]
    # One Anki card per note: all gaps of a cloze are c1.
    assert summary["cards"] == len(deck.cards)


def test_apkg_is_reproducible_and_reexport_keeps_guids(deck: Deck, tmp_path: Path) -> None:
    export_apkg(deck, tmp_path / "a.apkg")
    export_apkg(deck, tmp_path / "b.apkg")
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()
    fixed_card = deck.cards[1].model_copy(update={"prompt": "Qui préside la transition ?"})
    fixed = deck.model_copy(update={"cards": [deck.cards[0], fixed_card, *deck.cards[2:]]})
    export_apkg(fixed, tmp_path / "c.apkg", timestamp=1_800_000_000)
    before = apkg_notes(tmp_path / "a.apkg")["notes"]
    after = apkg_notes(tmp_path / "c.apkg")["notes"]
    assert [n["guid"] for n in before] == [n["guid"] for n in after]
    assert after[1]["fields"][0] == "Qui préside la transition ?"


def test_model_and_deck_ids_are_fixed() -> None:
    assert len({BASIC_MODEL_ID, TYPED_MODEL_ID, CLOZE_MODEL_ID}) == 3
    assert anki_deck_id("minusma") == anki_deck_id("minusma")
    assert anki_deck_id("minusma") != anki_deck_id("acteurs")
    assert all(1 << 30 <= anki_deck_id(x) < 1 << 31 for x in ("a", "minusma", "x-y-z"))


def test_tsv_headers_and_rows(deck: Deck) -> None:
    text = export_tsv(deck)
    lines = text.splitlines()
    headers = [line for line in lines if line.startswith("#")]
    assert headers[:6] == [
        "#separator:tab",
        "#html:true",
        "#notetype column:1",
        "#deck column:2",
        "#tags column:6",
        "#guid column:7",
    ]
    rows = [line.split("\t") for line in lines[len(headers) :]]
    assert len(rows) == len(deck.cards)
    assert all(len(row) == 7 for row in rows), "a tab or newline leaked out of a field"
    assert [r[6] for r in rows] == [genanki.guid_for(deck.id, c.id) for c in deck.cards]
    assert {r[0] for r in rows} == {"maliquiz basic", "maliquiz typed", "maliquiz cloze"}
    assert all(r[1] == deck.title for r in rows)
    symbols = rows[2]
    assert "&amp; &lt; &gt;" in symbols[2]


def test_tsv_escapes_tabs_and_newlines() -> None:
    deck = Deck.model_validate(
        {
            "id": "t",
            "title": "T",
            "cards": [
                {"id": "a", "type": "flashcard", "prompt": "un\ttab", "back": "deux\nlignes"}
            ],
        }
    )
    row = export_tsv(deck).splitlines()[-1].split("\t")
    assert row[2] == "un&#9;tab" and row[3] == "deux<br>lignes"


# -- GIFT: Moodle's rules -----------------------------------------------------------

_QUESTION = re.compile(r"^::(?P<title>[^:]+)::\[html\](?P<rest>.*)$")


def _unescaped(text: str, chars: str) -> list[int]:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in chars:
            out.append(i)
        i += 1
    return out


def _questions(gift: str) -> list[tuple[dict[str, Any], str]]:
    hint: dict[str, Any] = {}
    out = []
    for line in gift.splitlines():
        if line.startswith("// maliquiz: "):
            hint = json.loads(line[len("// maliquiz: ") :])
        elif line.startswith("::"):
            out.append((hint, line))
    return out


def test_gift_follows_moodle_rules(deck: Deck) -> None:
    gift, _warnings = export_gift(deck)
    questions = _questions(gift)
    assert len(questions) == len(deck.cards) + 1  # the two-gap cloze gives two questions
    for hint, line in questions:
        match = _QUESTION.match(line)
        assert match, line
        rest = match.group("rest")
        # Exactly one answer block: every other brace, colon, =, ~ and # is escaped.
        opens, closes = _unescaped(rest, "{"), _unescaped(rest, "}")
        assert len(opens) == 1 and len(closes) == 1 and opens[0] < closes[0], line
        outside = rest[: opens[0]] + rest[closes[0] + 1 :]
        assert not _unescaped(outside, "~=#{}:"), line
        block = rest[opens[0] + 1 : closes[0]]
        body = block.split("####")[0]
        if body.startswith("#"):  # numerical: plain digits only
            assert re.fullmatch(r"#-?\d+(\.\d+)?(:\d+(\.\d+)?|\.\.-?\d+(\.\d+)?)?", body), line
        for weight in re.findall(r"%(-?[\d.]+)%", body):
            assert weight.lstrip("-") in (*MOODLE_WEIGHTS, "0"), line
        if hint["type"] in ("text", "cloze") or (hint["type"] == "date" and "=" in body):
            assert not _unescaped(body, "~"), f"a stray ~ makes a multiple choice: {line}"
    assert "\\" in gift and "\\{e\\}" in gift


def test_gift_numbers_are_plain(deck: Deck) -> None:
    gift, _ = export_gift(deck)
    assert "{#15000:1500####" in gift  # 15 000 at 10 %
    assert "{#2000####" in gift  # "2.000" is two thousand
    assert "{#1.2:0.1####" in gift  # French decimal comma
    assert "{#300..320####" in gift
    assert "{#2013####" in gift  # a year-only date is numerical
    assert "15 000" not in gift.split("trou-un")[0].split("nombre-tolerance")[1]


def test_gift_short_answers_have_accent_free_and_written_variants(deck: Deck) -> None:
    gift, _ = export_gift(deck)
    assert "=Assimi Goïta =Goïta =colonel Goïta =Assimi Goita =Goita =colonel Goita" in gift
    assert "=%0%Assimi Koïta" in gift
    for form in ("=31 décembre 2023", "=31/12/2023", "=2023-12-31", "=31 decembre 2023"):
        assert form in gift
    assert "=juin 2023 =2023-06 =06/2023" in gift


def test_gift_multi_answer_weights_match_maliquiz_grading(deck: Deck) -> None:
    gift, _ = export_gift(deck)
    assert "~%33.33333%Mali ~%33.33333%Burkina Faso ~%33.33333%Niger ~%-33.33333%Tchad" in gift
    assert moodle_weight(Decimal(100) / 3) == ("33.33333", True)
    assert moodle_weight(Decimal(-100) / 7) == ("-14.28571", True)
    assert moodle_weight(Decimal(45)) == ("40", False) or moodle_weight(Decimal(45))[1] is False


def test_gift_warnings_name_the_cards(deck: Deck) -> None:
    _text, warnings = export_gift(deck)
    assert {w.card_id for w in warnings} == {"flash", "nombre-tolerance", "trous-deux"}
    assert all(w.format().startswith(f"card `{w.card_id}`: ") for w in warnings)


def test_gift_escape() -> None:
    assert escape("a ~ b = c # d { e } f : g \\ h") == (
        "a \\~ b \\= c \\# d \\{ e \\} f \\: g \\\\ h"
    )
    assert escape("deux\nlignes") == "deux\\nlignes"


# -- GIFT round trip and import -----------------------------------------------------


def test_gift_round_trip_is_lossless(deck: Deck) -> None:
    gift, _ = export_gift(deck)
    imported = import_gift(gift, "copie")
    assert imported.warnings == []
    copy = Deck.model_validate(imported.deck)
    assert copy.model_dump(exclude={"id"}) == deck.model_dump(exclude={"id"})


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parents[2] / "decks").glob("*.yaml")), ids=lambda p: p.stem
)
def test_gift_round_trip_of_the_bundled_decks_is_lossless(path: Path) -> None:
    """Groups (which keep two cards of one fact off the same day) and variants written
    without accents on purpose come back too (both were lost: trial finding)."""
    deck = load_deck(path)
    gift, _ = export_gift(deck)
    imported = import_gift(gift, deck.id)
    assert imported.warnings == []
    assert Deck.model_validate(imported.deck).model_dump() == deck.model_dump()


def test_gift_variants_edited_in_moodle_win_over_our_comment() -> None:
    """A variant written without accents on purpose travels in our comment, which is
    used only while the question still offers each variant: one removed in Moodle stays
    removed."""
    ibk = {"id": "ibk", "type": "text", "prompt": "?", "answer": "Ibrahim Boubacar Keïta",
           "accept": ["IBK", "Ibrahim Boubacar Keita"]}  # fmt: skip
    gift, got = _gift_round_trip(ibk)
    assert got["accept"] == ["IBK", "Ibrahim Boubacar Keita"]
    edited = gift.replace(" =IBK", "")
    assert edited != gift
    (card,) = import_gift(edited, "d").deck["cards"]
    assert "IBK" not in card.get("accept", [])


def test_gift_round_trip_without_our_comments_keeps_questions_and_answers(deck: Deck) -> None:
    """A GIFT file whose `// maliquiz:` lines were lost (edited in Moodle, re-exported)
    still gives the same questions and answers, types inferred from GIFT itself."""
    gift, _ = export_gift(deck)
    bare = "\n".join(line for line in gift.splitlines() if not line.startswith("// maliquiz"))
    copy = import_gift(bare, "copie").deck
    cards = {c["id"]: c for c in copy["cards"]}
    assert cards["texte"]["answer"] == "Assimi Goïta"
    assert cards["texte"]["accept"] == ["Goïta", "colonel Goïta"]
    assert cards["texte"]["confusables"] == ["Assimi Koïta"]
    assert cards["nombre-tolerance"] == {
        "id": "nombre-tolerance",
        "type": "number",
        "prompt": "Combien de casques bleus au plus fort ?",
        "answer": "15000",
        "tolerance": "1500",
        # Without the deck comment the source cannot be a reference: kept as text.
        "explanation": "Source : La MINUSMA quitte le Mali (décembre 2023, Agence), § 3",
        "tags": ["export"],
    }
    assert cards["nombre-intervalle"]["min"] == "300"
    assert cards["choix-plusieurs"]["answer"] == ["Mali", "Burkina Faso", "Niger"]
    assert cards["vrai-faux"]["answer"] == "true"
    assert cards["ordre"]["type"] == "order"
    assert cards["ordre"]["items"] == deck.cards[13].items  # type: ignore[attr-defined]
    assert cards["association"]["type"] == "match"
    assert (
        cards["trou-un"]["prompt"] == "La MINUSMA comptait environ {{15 000|15000}} casques bleus."
    )
    assert cards["flash"]["back"].startswith("Mission multidimensionnelle")
    assert cards["symboles"]["answer"] == "a~b=c#d{e}f:g\\h*i"
    kept, dropped = keep_valid_cards(copy)
    assert dropped == [] and Deck.model_validate(kept)


FOREIGN_GIFT = """\
// A file written by hand, as Moodle's documentation shows it.
$CATEGORY: $course$/Histoire

::Tombe::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one#Right!}

Grant is {~buried =entombed ~living} in Grant's tomb.

Grant is buried in Grant's tomb.{FALSE}

::Q4:: Who's buried in Grant's tomb?{=no one =nobody =%50%nobody at all}

When was Ulysses S. Grant born?{#1822:5}

Match the following countries with their capitals.{
  =Canada -> Ottawa
  =Italy -> Rome
  =Japan -> Tokyo
}

Just a description, no answer.

Write an essay about Grant.{}
"""


def test_import_foreign_gift() -> None:
    result = import_gift(FOREIGN_GIFT, "grant")
    deck = result.deck
    assert deck["title"] == "Histoire"
    cards = deck["cards"]
    assert [c["type"] for c in cards] == [
        "choice",
        "choice",
        "truefalse",
        "text",
        "number",
        "match",
    ]
    assert cards[0]["id"] == "tombe" and cards[0]["answer"] == "no one"
    assert cards[1]["prompt"] == "Grant is ____ in Grant's tomb."
    assert cards[2]["answer"] == "false"
    assert cards[3]["answer"] == "no one" and cards[3]["accept"] == ["nobody"]
    assert cards[4]["answer"] == "1822" and cards[4]["tolerance"] == "5"
    assert cards[5]["pairs"][1] == {"left": "Italy", "right": "Rome"}
    messages = [w.format() for w in result.warnings]
    assert any("q4" in m and "nobody at all" in m for m in messages)  # partial credit
    assert any("description" in m for m in messages)
    assert any("essay" in m for m in messages)
    kept, dropped = keep_valid_cards(deck)
    assert dropped == []
    Deck.model_validate(kept)


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("Q1{=a}\n\nQuestion two {=b =c\n", 3, 14, "never closed"),
        ("::Title Question{=a}\n", 1, 1, "not closed"),
        ("\n\nHow many?{#12 000}\n", 3, 12, "plain"),
        ("What?{a =b}\n", 1, 7, "must start with"),
    ],
)
def test_gift_errors_are_located(text: str, line: int, col: int, words: str) -> None:
    with pytest.raises(InterchangeError) as caught:
        import_gift(text, "x")
    assert (caught.value.line, caught.value.col) == (line, col), caught.value
    assert words in caught.value.message


_texts = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1)
    .map(str.strip)
    .filter(lambda s: bool(s) and "{{" not in s)
)


@settings(max_examples=150, deadline=None)
@given(prompt=_texts, answer=_texts)
def test_any_text_survives_the_gift_round_trip(prompt: str, answer: str) -> None:
    card = TextCard(id="c", type="text", prompt=prompt, answer=answer)
    deck = Deck(id="d", title="D", cards=[card])
    gift, _ = export_gift(deck)
    back = Deck.model_validate(import_gift(gift, "d").deck)
    got = back.cards[0]
    assert isinstance(got, TextCard)
    assert (got.prompt, got.answer) == (prompt, answer)


def _gift_round_trip(card: dict[str, Any], hints: bool = True) -> tuple[str, dict[str, Any]]:
    """``card`` exported to GIFT and read back (without our comments if not ``hints``)."""
    gift, _ = export_gift(Deck.model_validate({"id": "d", "title": "D", "cards": [card]}))
    if not hints:
        gift = "\n".join(line for line in gift.splitlines() if not line.startswith("// maliquiz"))
    cards = import_gift(gift, "d").deck["cards"]
    assert len(cards) == 1, gift
    return gift, cards[0]


def _blocks(gift: str) -> list[str]:
    """The answer block of each question in ``gift``, without its feedback."""
    blocks = []
    for _hint, line in _questions(gift):
        rest = _QUESTION.match(line).group("rest")  # type: ignore[union-attr]
        opens, closes = _unescaped(rest, "{"), _unescaped(rest, "}")
        blocks.append(rest[opens[0] + 1 : closes[0]].split("####")[0])
    return blocks


def test_gift_arrow_in_a_short_answer_is_not_a_matching_pair() -> None:
    """Moodle reads a block with `=` and `->` as matching pairs and GIFT has no escape for
    `->`: a short answer writes it `-*>` (Moodle's wildcard), read back as `->`."""
    card = {
        "id": "c",
        "type": "text",
        "prompt": "Which arrow?",
        "answer": "->",
        "accept": ["a -> b", "-->"],
        "confusables": ["<-"],
    }
    gift, got = _gift_round_trip(card)
    assert _blocks(gift) == ["=-*> =a -*> b =--*> =%0%<-"]  # no `->`: not matching pairs
    assert got == {**card, "kind": "other"}
    # Without our comments (a file re-exported by Moodle) the answers are the same.
    _gift, bare = _gift_round_trip(card, hints=False)
    assert (bare["type"], bare["answer"], bare["accept"]) == ("text", "->", ["a -> b", "-->"])


def test_gift_arrow_in_cloze_gaps_survives_the_round_trip() -> None:
    card = {"id": "c", "type": "cloze", "prompt": "Write {{->|=>}} then {{a->b}} and {{*}}."}
    gift, got = _gift_round_trip(card)
    assert _blocks(gift) == ["=-*> =\\=>", "=a-*>b", "=\\\\*"]
    assert got["prompt"] == card["prompt"]


@pytest.mark.parametrize(
    "answer",
    ["->", "-", "-5", ">", "=>", "<=>", "- >", "a->b->c", "-*>", "\\->", "%5%", "%0%x", "%", "T"],
)
def test_gift_short_answer_edge_cases_survive_the_round_trip(answer: str) -> None:
    card = {"id": "c", "type": "text", "prompt": "?", "answer": answer}
    for hints in (True, False):
        gift, got = _gift_round_trip(card, hints)
        assert (got["type"], got["answer"]) == ("text", answer), gift
        assert "accept" not in got and "confusables" not in got, gift


def test_gift_choice_option_starting_with_a_weight_survives_the_round_trip() -> None:
    card = {"id": "c", "type": "choice", "prompt": "?", "options": ["%5%", "%0%", "x"]}
    gift, got = _gift_round_trip({**card, "answer": "%5%"})
    assert _blocks(gift) == ["=%100%%5% ~%0%%0% ~x"]
    assert (got["options"], got["answer"]) == (card["options"], "%5%")


def test_gift_import_reads_the_arrow_answers_of_older_exports() -> None:
    """Before `-*>`, maliquiz wrote `{=->}`: our hint says it is a short answer, and a
    block whose answers are not all pairs with both sides is not a matching question."""
    hint = '// maliquiz: {"type": "text"}\n'
    for text in (hint + "::c::Which arrow?{=->}\n", "::c::Which arrow?{=->}\n"):
        (card,) = import_gift(text, "d").deck["cards"]
        assert (card["type"], card["answer"]) == ("text", "->")
    (card,) = import_gift(hint + "::c::Which?{=a->b =c->d}\n", "d").deck["cards"]
    assert (card["type"], card["answer"], card["accept"]) == ("text", "a->b", ["c->d"])
    # Without a hint, pairs with both sides written are a matching question, as in Moodle.
    (card,) = import_gift("::c::Which?{=a->b =c->d =e->f}\n", "d").deck["cards"]
    assert card["type"] == "match" and card["pairs"][2] == {"left": "e", "right": "f"}


# -- TSV import ---------------------------------------------------------------------


def test_tsv_import_reads_our_export(deck: Deck) -> None:
    result = import_tsv(export_tsv(deck), "copie")
    cards = result.deck["cards"]
    assert result.deck["title"] == deck.title
    assert len(cards) == len(deck.cards)
    assert cards[1]["type"] == "text" and cards[1]["answer"] == "Assimi Goïta"
    assert cards[1]["tags"] == ["acteurs", "export"]
    assert cards[15]["type"] == "cloze"
    assert cards[15]["prompt"] == "La MINUSMA comptait environ {{15 000}} casques bleus."
    # Ids come from the GUIDs: importing a newer export keeps them.
    again = import_tsv(export_tsv(deck), "copie").deck["cards"]
    assert [c["id"] for c in cards] == [c["id"] for c in again]
    Deck.model_validate(result.deck)


def test_tsv_import_without_headers_csv() -> None:
    text = 'Capitale du Mali ?,Bamako\n"Fleuve, le plus long ?",Niger\n\n'
    deck = import_tsv(text, "geo").deck
    assert [c["prompt"] for c in deck["cards"]] == ["Capitale du Mali ?", "Fleuve, le plus long ?"]
    assert deck["cards"][0] == {
        "id": "card-001",
        "type": "flashcard",
        "prompt": "Capitale du Mali ?",
        "back": "Bamako",
    }
    Deck.model_validate(deck)


def test_tsv_import_typed_and_cloze_notetypes() -> None:
    text = (
        "#separator:tab\n#html:true\n#notetype column:1\n#tags column:4\n"
        "Basic (type in the answer)\tCapitale ?\tBamako\tgeo\n"
        "Cloze\tLe {{c1::Niger::fleuve}} traverse &amp; irrigue.\t\tgeo bad,tag\n"
    )
    result = import_tsv(text, "geo")
    cards = result.deck["cards"]
    assert cards[0]["type"] == "text" and cards[0]["answer"] == "Bamako"
    assert cards[1] == {
        "id": "card-002",
        "type": "cloze",
        "prompt": "Le {{Niger}} traverse & irrigue.",
        "tags": ["geo"],
    }
    assert any("bad,tag" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("#separator:tab\nQuestion seule\n", 2),
        ('a\tb\n"jamais fermé\tc\n', 2),
        ("#separator:tab\n#tags column:x\na\tb\n", 2),
        ("", 1),
    ],
)
def test_tsv_errors_are_located(text: str, line: int) -> None:
    with pytest.raises(InterchangeError) as caught:
        import_tsv(text, "x")
    assert caught.value.line == line, caught.value


# -- YAML writer --------------------------------------------------------------------


def test_yaml_writer_quotes_what_yaml_would_misread() -> None:
    tricky = [
        "no",
        "on",
        "2.000",
        "12:30",
        "0123",
        "2024-11-15",
        'say "hi"',
        "a\\b",
        "l'ONU",
        "deux\nlignes",
        "# pas un commentaire",
        "- pas une liste",
        "{{x}}",
    ]
    deck = {
        "id": "tricky",
        "title": "Pièges : YAML",
        "cards": [
            {"id": f"c{n}", "type": "text", "prompt": f"Q{n} ?", "answer": value}
            for n, value in enumerate(tricky)
        ],
    }
    text = dump_deck(deck, ["yaml-language-server: $schema=/x/deck.schema.json", "note"])
    assert text.startswith("# yaml-language-server: $schema=/x/deck.schema.json\n# note\n")
    loaded = parse_deck(text)
    assert loaded.deck is not None, [f.format() for f in loaded.findings]
    assert [c.answer for c in loaded.deck.cards] == tricky  # type: ignore[attr-defined]


def test_keep_valid_cards_names_what_it_leaves_out() -> None:
    deck = {
        "id": "d",
        "title": "D",
        "cards": [
            {"id": "ok", "type": "truefalse", "prompt": "P", "answer": "true"},
            {
                "id": "two",
                "type": "match",
                "prompt": "P",
                "pairs": [{"left": "a", "right": "b"}] * 2,
            },
        ],
    }
    kept, dropped = keep_valid_cards(deck)
    assert [c["id"] for c in kept["cards"]] == ["ok"]
    assert [w.card_id for w in dropped] == ["two"]


def test_json_export_is_the_validated_deck(deck: Deck) -> None:
    data = json.loads(export_json(deck))
    assert Deck.model_validate(data) == deck
    assert data["cards"][1]["kind"] == "person"
