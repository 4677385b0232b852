"""The JSON Schema of the deck format, derived from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from maliquiz.core.deck.models import Deck


def deck_schema() -> dict[str, Any]:
    """The schema as a dict: draft 2020-12, with a description on every field."""
    schema = Deck.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "maliquiz deck"
    return schema


def schema_text() -> str:
    """The schema as the text committed in ``schema/deck.schema.json``."""
    return json.dumps(deck_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
