"""The per-part results of a verdict: each pair of a match, item of an order, gap of a
cloze, as plain data for the feedback to mark."""

from __future__ import annotations

from maliquiz.core.answers.checking import check_cloze, check_match, check_order
from maliquiz.core.answers.verdict import Outcome, PartKind, PartResult


def test_match_marks_each_pair() -> None:
    pairs = [("Diop", "ministre"), ("Miller", "porte-parole"), ("Wane", "ONU")]
    verdict = check_match(pairs, {"Diop": "porte-parole", "Miller": "ministre", "Wane": "ONU"})
    assert verdict.parts == (
        PartResult(PartKind.PAIR, "Diop", "porte-parole", "ministre", False),
        PartResult(PartKind.PAIR, "Miller", "ministre", "porte-parole", False),
        PartResult(PartKind.PAIR, "Wane", "ONU", "ONU", True),
    )


def test_an_unpaired_item_has_an_empty_given() -> None:
    verdict = check_match([("Diop", "ministre"), ("Wane", "ONU")], {"Wane": "ONU"})
    assert verdict.parts[0] == PartResult(PartKind.PAIR, "Diop", "", "ministre", False)
    assert verdict.outcome == Outcome.PARTIAL


def test_order_gives_each_item_its_place_and_its_right_place() -> None:
    verdict = check_order(["a", "b", "c"], ["b", "a", "c"])
    # One longest run in the right order (a then c) is right; b is told where it goes.
    assert verdict.parts == (
        PartResult(PartKind.ITEM, "a", "2", "1", True),
        PartResult(PartKind.ITEM, "b", "1", "2", False),
        PartResult(PartKind.ITEM, "c", "3", "3", True),
    )


def test_the_order_marks_add_up_to_the_score() -> None:
    import itertools

    items = ["a", "b", "c", "d", "e"]
    for given in itertools.permutations(items):
        verdict = check_order(items, list(given))
        right = sum(part.right for part in verdict.parts)
        assert right / len(items) == verdict.score


def test_cloze_marks_each_gap() -> None:
    verdict = check_cloze([["MINUSMA"], ["2024"]], ["MINUSCA", " 2024 "], "...")
    assert verdict.parts == (
        PartResult(PartKind.GAP, "1", "MINUSCA", "MINUSMA", False),
        PartResult(PartKind.GAP, "2", "2024", "2024", True),
    )


def test_parts_survive_an_override() -> None:
    verdict = check_order(["a", "b"], ["b", "a"])
    assert verdict.with_outcome(Outcome.CORRECT).parts == verdict.parts


def test_right_answers_have_every_part_right() -> None:
    for verdict in (
        check_order(["a", "b"], ["a", "b"]),
        check_match([("x", "y")], {"x": "y"}),
        check_cloze([["Wagner"]], ["Wagnr"], "..."),
    ):
        assert verdict.right and all(part.right for part in verdict.parts)


def test_right_percent_counts_partial_credit() -> None:
    from maliquiz.core.learning.exam import Score, right_percent

    assert right_percent(2.67, 4) == 67
    assert right_percent(0, 0) == 0
    assert Score(1.5, 2).percent == 75
