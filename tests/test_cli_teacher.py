"""Teacher commands as teachers run them: `new`, `export`, `import`, in a subprocess with
MALIQUIZ_DATA_DIR pointing at the test's temporary folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import CliRunner

DATA = Path(__file__).resolve().parent / "data"
DECK = DATA / "interchange.yaml"


def test_new_writes_a_starter_deck_that_passes_check(run_cli: CliRunner, data_dir: Path) -> None:
    done = run_cli("new", "x")
    assert done.returncode == 0, done.stderr
    path = data_dir / "decks" / "x.yaml"
    text = path.read_text(encoding="utf-8")
    from maliquiz.core.paths import SCHEMA_FILE

    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE.resolve()}"
    assert SCHEMA_FILE.resolve().is_file()
    for kind in (
        "flashcard",
        "text",
        "number",
        "date",
        "choice",
        "truefalse",
        "order",
        "match",
        "cloze",
    ):
        assert f'type: "{kind}"' in text
    check = run_cli("check", str(path))
    assert check.returncode == 0, check.stdout
    assert "0 errors, 0 warnings" in check.stderr
    # The new deck is found by id at once.
    decks = json.loads(run_cli("decks", "--json").stdout)
    assert any(d["id"] == "x" for d in decks)


def test_new_refuses_to_overwrite_without_force(run_cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert run_cli("new", "mon-deck", "-o", str(target), "--title", "Mon deck").returncode == 0
    target.write_text("# edited by hand\n", encoding="utf-8")
    again = run_cli("new", "mon-deck", "-o", str(target))
    assert again.returncode == 1 and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == "# edited by hand\n"
    forced = run_cli("new", "mon-deck", "-o", str(target), "--force")
    assert forced.returncode == 0
    assert 'title: "Mon deck"' not in target.read_text(encoding="utf-8")  # title back to the id
    assert run_cli("check", str(target)).returncode == 0


def test_new_rejects_a_bad_id(run_cli: CliRunner) -> None:
    done = run_cli("new", "Mon Deck")
    assert done.returncode == 1
    assert "cannot be a deck id" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("fmt", ["apkg", "tsv", "gift", "json"])
def test_export_every_format(run_cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"deck.{fmt}"
    done = run_cli("export", str(DECK), "--format", fmt, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.exists()
    if fmt == "apkg":
        assert "collection.anki2" in zipfile.ZipFile(out).namelist()
    elif fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8"))["id"] == "test-interchange"
    elif fmt == "gift":
        # Warnings go to stderr and name the card.
        assert "card `trous-deux`" in done.stderr and "card `flash`" in done.stderr
    else:
        assert out.read_text(encoding="utf-8").startswith("#separator:tab\n#html:true\n")


def test_export_by_deck_id_from_the_catalog(
    run_cli: CliRunner, tmp_path: Path, data_dir: Path
) -> None:
    own = data_dir / "decks"
    own.mkdir(parents=True)
    (own / "mine.yaml").write_text(DECK.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.gift"
    done = run_cli("export", "test-interchange", "--format", "gift", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "::texte::" in out.read_text(encoding="utf-8")


def test_apkg_export_is_reproducible(run_cli: CliRunner, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("a.apkg", "b.apkg"):
        done = run_cli("export", str(DECK), "--format", "apkg", "-o", str(tmp_path / name), env=env)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


def test_export_unknown_deck_or_unwritable_output(run_cli: CliRunner, tmp_path: Path) -> None:
    done = run_cli("export", "no-such-deck", "--format", "gift", "-o", str(tmp_path / "x"))
    assert done.returncode == 1 and "unknown deck" in done.stderr
    assert "Traceback" not in done.stderr
    bad = run_cli("export", str(DECK), "--format", "tsv", "-o", str(tmp_path / "no" / "dir" / "x"))
    assert bad.returncode == 1 and "cannot write" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_gift_export_then_import_gives_the_same_deck(run_cli: CliRunner, tmp_path: Path) -> None:
    gift = tmp_path / "deck.gift"
    assert run_cli("export", str(DECK), "--format", "gift", "-o", str(gift)).returncode == 0
    out = tmp_path / "copy.yaml"
    done = run_cli("import", str(gift), "-o", str(out), "--id", "test-interchange")
    assert done.returncode == 0, done.stderr
    check = run_cli("check", str(out))
    # The deck keeps one choice's options in order on purpose (to carry `shuffle: false`
    # across), which check points out; nothing else.
    assert check.returncode == 0 and "0 errors, 1 warning" in check.stderr, check.stdout
    assert "`choix-plusieurs` are never shuffled" in check.stdout
    from maliquiz.core.deck.loader import load_deck

    assert load_deck(out) == load_deck(DECK)


def test_import_tsv_passes_check(run_cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "cartes.csv"
    source.write_text("Capitale du Mali ?;Bamako\nFleuve ?;Niger\n", encoding="utf-8")
    out = tmp_path / "geo.yaml"
    done = run_cli("import", str(source), "-o", str(out), "--title", "Géographie")
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert 'id: "geo"' in text and 'title: "Géographie"' in text
    check = run_cli("check", str(out))
    assert check.returncode == 0, check.stdout  # warnings (no sources) are allowed


def test_import_reports_unparseable_input_located(run_cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "broken.gift"
    source.write_text("::q1:: Une question ?{=oui}\n\n::q2:: Une autre ?{=non\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    done = run_cli("import", str(source), "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.startswith(f"{source}:3:19: error: "), done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_import_refuses_overwrite_and_missing_file(run_cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "deck.yaml"
    out.write_text("keep", encoding="utf-8")
    source = tmp_path / "a.tsv"
    source.write_text("a\tb\n", encoding="utf-8")
    done = run_cli("import", str(source), "-o", str(out))
    assert done.returncode == 1 and "--force" in done.stderr
    missing = run_cli("import", str(tmp_path / "nope.gift"), "-o", str(tmp_path / "n.yaml"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_claims_schema_matches_the_committed_copy(run_cli: CliRunner) -> None:
    done = run_cli("schema", "--claims")
    assert done.returncode == 0
    committed = (DATA.parents[1] / "schema" / "claims.schema.json").read_text(encoding="utf-8")
    assert done.stdout == committed, "run `maliquiz schema --claims -o schema/claims.schema.json`"


COVERAGE_DECK = """\
id: d
title: T
sources: [{id: a, title: A, file: a.txt}]
cards:
  - {id: c1, type: text, prompt: Q1, answer: A, source: {ref: a, paragraph: 1}}
"""


def test_check_coverage_is_a_report(run_cli: CliRunner, tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    (decks / "sources").mkdir(parents=True)
    (decks / "d.yaml").write_text(COVERAGE_DECK, encoding="utf-8")
    claims = decks / "sources" / "claims.yaml"
    claims.write_text(
        "articles:\n  - file: a.txt\n    paragraphs:\n"
        "      - {paragraph: 1, claims: [{text: Un fait, kind: fact, cards: [d/c1]}]}\n"
        "      - {paragraph: 2, claims: [{text: Un autre, kind: figure, cards: [d/c9]}]}\n",
        encoding="utf-8",
    )
    done = run_cli("check", str(decks), "--coverage", str(claims))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Claims no card teaches (1):",
        f"  {claims}:5:40: a.txt § 2 [figure] Un autre",
        "Card ids that do not exist (1):",
        f"  {claims}:5:72: d/c9",
        "Paragraphs no card cites (1 of 2):",
        "  a.txt: 2",
        f"{claims}: 2 claims, 1 taught by a card (50.0 %); 1 of 2 paragraphs cited.",
    ]
    # `--coverage DIR` reads DIR as decks; JSON for scripts; the articles' real length.
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Un.\n\nDeux.\nTrois.\n", encoding="utf-8")
    done = run_cli(
        "check",
        "--coverage",
        str(claims),
        str(decks),
        "--sources",
        str(articles),
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["claims"], report["covered"], report["coverage_percent"]) == (2, 1, 50.0)
    assert report["uncited_paragraphs"] == {"a.txt": [2, 3]}
    assert [f["message"] for f in report["findings"]] == ["paragraphs left out of the inventory: 3"]
    assert [u["card"] for u in report["unknown_cards"]] == ["d/c9"]
    # A claims file with errors: located, exit 1; no claims file: exit 2.
    claims.write_text("articles:\n  - paragraphs: []\n", encoding="utf-8")
    done = run_cli("check", str(decks), "--coverage", str(claims))
    assert done.returncode == 1
    assert f"{claims}:2:5: error: missing key `file`" in done.stdout
    done = run_cli("check", str(decks), "--coverage", str(tmp_path / "none.yaml"))
    assert done.returncode == 2 and "no claims file" in done.stderr


def test_check_coverage_of_the_tests_claims_file(run_cli: CliRunner) -> None:
    """The small inventory of tests/data against the bundled decks: two claims untaught,
    one card id that does not exist (the bundled decks change: only what the file itself
    decides is asserted)."""
    done = run_cli("check", "--coverage", str(DATA / "claims.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["claims"] == 8 and report["covered"] <= 6
    assert "minusma/renforts-inexistant" in [u["card"] for u in report["unknown_cards"]]
    assert {(1, "date"), (3, "opinion")} <= {
        (u["paragraph"], u["kind"]) for u in report["uncovered"]
    }
