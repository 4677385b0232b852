"""The JSON Schemas of the deck format and of the claims inventory, derived from the
pydantic models."""

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


def claims_schema() -> dict[str, Any]:
    """The schema of a claims inventory (``decks/sources/claims.yaml``)."""
    from maliquiz.core.deck.claims import ClaimsInventory

    schema = ClaimsInventory.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "maliquiz claims inventory"
    return schema


def schema_text(claims: bool = False) -> str:
    """The schema as the text committed in ``schema/deck.schema.json`` (or, with
    ``claims``, ``schema/claims.schema.json``)."""
    schema = claims_schema() if claims else deck_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
