"""How much of the articles `maliquiz draft` finds, and how fast.

    python scripts/draft_coverage.py [SOURCES_DIR]            # coverage and timing
    python scripts/draft_coverage.py --sample 40 --seed 1     # 40 random draft cards to rate

Drafts each article of SOURCES_DIR (default ../shared/sources) with the spaCy model
loaded once, then compares the drafts with two held-out lists written by hand:

* ``tests/data/fact_inventory.yaml``: every date, named actor and number of the five
  articles, each at its paragraph. A fact counts as drafted when a card citing that
  paragraph (strict) or that article has it as its answer (or an accepted variant, or
  the right option of a choice): the same value for a number, the same date at the
  precision written, the same name folded as answers are.
* ``decks/sources/claims.yaml``: the claims of kind figure, date and actor; such a claim
  counts as drafted when every number, date or name it states (of its kind) is the
  answer of a card citing its paragraph.

Timing is the time to parse and draft each article after the model is loaded.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import re  # noqa: E402

from maliquiz.core.deck.mentions import dates_in, mentions_in, numbers_in, used_as_names  # noqa: E402
from maliquiz.core.deck.models import ChoiceCard, DateCard, Deck, NumberCard, TextCard  # noqa: E402
from maliquiz.core.text.dates import parse_date  # noqa: E402
from maliquiz.core.text.normalize import loose  # noqa: E402
from maliquiz.core.text.numbers import parse_number  # noqa: E402
from maliquiz.draft.article import Article, read_article  # noqa: E402
from maliquiz.draft.cards import Drafted, build_deck, find_facts  # noqa: E402
from maliquiz.draft.pipeline import load_pipeline  # noqa: E402


def draft_all(folder: Path) -> tuple[dict[str, tuple[Article, Deck]], list[tuple[str, int, float]]]:
    started = time.perf_counter()
    nlp = load_pipeline()
    print(f"model loaded in {time.perf_counter() - started:.2f} s")
    decks: dict[str, tuple[Article, Deck]] = {}
    timings = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        article = read_article(path.name, text)
        docs = list(nlp.pipe(article.paragraphs))
        drafted = Drafted(article, "article", docs, find_facts(article, docs))
        deck = Deck.model_validate(build_deck([drafted], "draft", None))
        timings.append((path.name, article.words, time.perf_counter() - started))
        decks[path.name] = (article, deck)
    return decks, timings


def _answers(card: Any) -> list[str]:
    if isinstance(card, ChoiceCard):
        return card.answers
    if isinstance(card, TextCard):
        return [card.answer, *card.accept]
    if isinstance(card, NumberCard | DateCard):
        return [card.answer]
    return []


def _matches(kind: str, text: str, card: Any, year: int | None) -> bool:
    if kind in {"number", "figure"}:
        values = numbers_in(text)
        if not values:  # a round figure: "quelques milliers"
            return any(loose(a) and loose(a) in loose(text) for a in _answers(card))
        if isinstance(card, NumberCard):
            return card.value in values
        return any((p := parse_number(a)) is not None and p.value in values for a in _answers(card))
    if kind == "date":
        wanted = {d.iso() for d in dates_in(text, year)} or {text}
        if isinstance(card, DateCard):
            return card.date.iso() in wanted
        if isinstance(card, TextCard) and loose(card.answer) == loose(text):
            return True  # a day and month of an undated article, asked without a year
        return any((d := parse_date(a)) is not None and d.iso() in wanted for a in _answers(card))
    forms = [loose(a) for a in _answers(card) if not isinstance(card, NumberCard | DateCard)]
    name = loose(text)
    return any(
        f and (f == name or f" {f} " in f" {name} " or f" {name} " in f" {f} ") for f in forms
    )


def _cards_citing(deck: Deck, paragraph: int | None) -> list[Any]:
    return [
        c
        for c in deck.cards
        if paragraph is None or any(paragraph in s.paragraphs for s in c.sources)
    ]


def inventory_coverage(decks: dict[str, tuple[Article, Deck]]) -> None:
    facts = yaml.safe_load((REPO / "tests/data/fact_inventory.yaml").read_text(encoding="utf-8"))
    strict = loose_hits = 0
    by_kind: dict[str, list[int]] = {}
    missed = []
    for fact in facts:
        article, deck = decks[fact["file"]]
        year = article.year
        kind = fact["kind"]
        hit = any(
            _matches(kind, fact["text"], c, year) for c in _cards_citing(deck, fact["paragraph"])
        )
        anywhere = hit or any(_matches(kind, fact["text"], c, year) for c in deck.cards)
        strict += hit
        loose_hits += anywhere
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += hit
        by_kind[kind][1] += 1
        if not hit:
            missed.append(
                f"  {fact['file'][:3]} §{fact['paragraph']} [{kind}] {fact['text']}"
                + ("  (drafted from another paragraph)" if anywhere else "")
            )
    n = len(facts)
    print(
        f"\nfact inventory: {strict}/{n} drafted at their paragraph ({100 * strict / n:.1f} %), "
        f"{loose_hits}/{n} in their article ({100 * loose_hits / n:.1f} %)"
    )
    for kind, (hits, total) in sorted(by_kind.items()):
        print(f"  {kind:7} {hits}/{total} ({100 * hits / total:.1f} %)")
    print("not drafted at their paragraph:")
    print("\n".join(missed))


def claims_coverage(decks: dict[str, tuple[Article, Deck]]) -> None:
    data = yaml.safe_load((REPO / "decks/sources/claims.yaml").read_text(encoding="utf-8"))
    wanted = {"figure": "number", "date": "date", "actor": "name"}
    hits = total = 0
    missed = []
    for entry in data["articles"]:
        article, deck = decks[entry["file"]]
        year = article.year
        for paragraph in entry["paragraphs"]:
            cards = _cards_citing(deck, paragraph["paragraph"])
            for claim in paragraph["claims"]:
                kind = claim["kind"]
                if kind not in wanted:
                    continue
                # Our notes in brackets ("(2023)", "(fin 2022)") are not the claim's words.
                said = re.sub(r"\s*\([^)]*\)", "", claim["text"])
                names = used_as_names(article.paragraphs)
                mentions = [m for m in mentions_in(said, names) if m.kind == wanted[kind]]
                if not mentions:
                    continue
                total += 1
                # An actor claim is about one of its names; a figure or date claim
                # states each of its numbers or dates.
                found = [
                    any(
                        _matches("actor" if m.kind == "name" else m.kind, m.shown, c, year)
                        for c in cards
                    )
                    for m in mentions
                ]
                ok = any(found) if kind == "actor" else all(found)
                hits += ok
                if not ok:
                    missed.append(
                        f"  {entry['file'][:3]} §{paragraph['paragraph']} [{kind}] {claim['text']}"
                    )
    print(
        f"\nclaims inventory (figure, date, actor claims with a number, date or name): "
        f"{hits}/{total} ({100 * hits / max(total, 1):.1f} %)"
    )
    print("\n".join(missed))


def sample(decks: dict[str, tuple[Article, Deck]], count: int, seed: int) -> None:
    cards = [
        (name, article, deck, card)
        for name, (article, deck) in decks.items()
        for card in deck.cards
    ]
    for n, (name, article, _deck, card) in enumerate(
        random.Random(seed).sample(cards, count), start=1
    ):
        paragraph = card.sources[0].paragraphs[0]
        print(f"--- {n}. {name} § {card.sources[0].paragraphs} · {card.type} · {card.id}")
        print(f"Q: {card.prompt}")
        if isinstance(card, ChoiceCard):
            print(f"   options: {' | '.join(card.options)}")
        print(
            f"A: {' / '.join(_answers(card))}"
            + (f" {card.unit}" if isinstance(card, NumberCard) and card.unit else "")
        )
        print(f"§ {paragraph}: {article.paragraphs[paragraph - 1]}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="?", type=Path, default=REPO.parent / "shared" / "sources")
    parser.add_argument(
        "--sample", type=int, metavar="N", help="print N random draft cards to rate"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    decks, timings = draft_all(args.sources)
    if args.sample:
        sample(decks, args.sample, args.seed)
        return
    print("\narticle                      words  cards  seconds  s/1000 words")
    for name, words, seconds in timings:
        print(
            f"{name:28} {words:5}  {len(decks[name][1].cards):5}  {seconds:7.3f}  "
            f"{1000 * seconds / words:8.3f}"
        )
    inventory_coverage(decks)
    claims_coverage(decks)


if __name__ == "__main__":
    main()
