"""Deck loading speed (issue 2).

- Loading and validating a generated 10,000-card deck, against a bare
  ``yaml.load(..., CSafeLoader)`` of the same text. Target: ≤ 1.5×.
- ``maliquiz check`` on the bundled decks as a whole process, against
  ``python -c "import pydantic, yaml"``. Target: ≤ 2×. Measured twice: checking every
  file (``--no-cache``), and the usual run on unchanged decks, answered from the cache.
  Beside them, the floor of any such process: a script defining and using one pydantic
  model with one constrained field (about 2x alone on our machine).

Then where the 10,000 cards' time goes (issue 14), each stage alone: libyaml's events
(the floor of any reader built on PyYAML), our located tree over them, pydantic's
validation, and the cross-card checks (giveaways).
"""

from __future__ import annotations

import gc
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, process_time, python, report
from gen import big_deck_yaml
from maliquiz.core.deck.giveaways import deck_giveaways
from maliquiz.core.deck.loader import parse_deck
from maliquiz.core.deck.models import Deck
from maliquiz.core.deck.yamltree import parse_mapping

ONE_MODEL = """
import os, yaml
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")  # as the maliquiz command sets it
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field
class One(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Annotated[str, Field(min_length=1, pattern="^[a-z]")] = "a"
One.model_validate({"id": "deck"})
"""


def main() -> None:
    text = big_deck_yaml(10_000)
    result = parse_deck(text, "bench.yaml")
    assert result.deck is not None and len(result.deck.cards) == 10_000, result.errors[:3]
    bare = best_of(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    ours = best_of(lambda: parse_deck(text, "bench.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        env_dir = Path(tmp)
        command = python("-m", "maliquiz", "--data-dir", str(env_dir), "check")
        cold = process_time([*command, "--no-cache"], repeat=5)
        warm = process_time(command, repeat=5)  # the first run fills the cache
    imports = process_time(python("-c", "import pydantic, yaml"), repeat=5)
    # The least a process that validates with pydantic pays: one model with one
    # constrained field, defined and used. Building any model imports what a bare
    # ``import pydantic`` defers (its types, JSON schema, annotated_types, and its plugin
    # loader's importlib.metadata), so this floor alone is near the 2x target.
    one_model = process_time(python("-c", ONE_MODEL), repeat=5)
    report(
        "Deck loading (10,000 cards of every type)",
        [
            ("load + validate 10,000 cards", ours, "bare yaml.load CSafeLoader", bare, 1.5),
            (
                "`maliquiz check --no-cache` (bundled), process",
                cold,
                "python -c 'import pydantic, yaml'",
                imports,
                2.0,
            ),
            (
                "floor: one pydantic model, process",
                one_model,
                "python -c 'import pydantic, yaml'",
                imports,
                2.0,
            ),
            (
                "`maliquiz check` unchanged decks, process",
                warm,
                "python -c 'import pydantic, yaml'",
                imports,
                2.0,
            ),
        ],
    )


def stages(text: str) -> None:
    """Each stage of loading ``text`` alone, best of 5, the cycle collector held as
    ``parse_deck`` holds it."""

    def events() -> None:
        parser = yaml.CSafeLoader(text)
        while parser.get_event() is not None:
            pass
        parser.dispose()

    parsed = parse_mapping(text, "bench.yaml", [], "")
    assert parsed is not None
    deck = Deck.model_validate(parsed[0])
    rows = [
        ("libyaml events only (PyYAML's C parser)", events),
        ("located tree (yamltree.parse_mapping)", lambda: parse_mapping(text, "b", [], "")),
        ("pydantic Deck.model_validate", lambda: Deck.model_validate(parsed[0])),
        ("giveaways (cross-card check)", lambda: deck_giveaways(deck)),
        ("whole parse_deck", lambda: parse_deck(text, "bench.yaml")),
    ]
    print("\nWhere loading 10,000 cards goes (each stage alone)")
    gc.disable()
    try:
        for name, action in rows:
            print(f"{name:<44} {best_of(action) * 1000:>7.1f}ms")
    finally:
        gc.enable()


if __name__ == "__main__":
    main()
    stages(big_deck_yaml(10_000))
