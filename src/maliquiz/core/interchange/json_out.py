"""The validated deck as JSON: what the loader made of the YAML, every default filled."""

from __future__ import annotations

import json

from maliquiz.core.deck.models import Deck


def export_json(deck: Deck) -> str:
    """``deck.model_dump(mode="json")`` as indented UTF-8 JSON text."""
    return json.dumps(deck.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
