"""Words that exported cards show to learners, in the deck's language.

These are deck content, not interface messages: a French deck exported by a teacher
whose terminal speaks English still shows "Vrai ou faux ?" in Anki and Moodle, so they
follow ``deck.language`` rather than :func:`maliquiz.i18n._`.
"""

from __future__ import annotations

from maliquiz.core.deck.models import CardBase, Deck
from maliquiz.core.text.dates import format_date

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "true": "Vrai",
        "false": "Faux",
        "truefalse": "Vrai ou faux ?",
        "accepted": "Aussi accepté : {items}",
        "tolerance": "à {tolerance} près",
        "range": "entre {low} et {high}",
        "source": "Source : {text}",
        "sources": "Sources : {text}",
        "between sources": " ; ",
        "paragraph": "§ {n}",
    },
    "en": {
        "true": "True",
        "false": "False",
        "truefalse": "True or false?",
        "accepted": "Also accepted: {items}",
        "tolerance": "within {tolerance}",
        "range": "between {low} and {high}",
        "source": "Source: {text}",
        "sources": "Sources: {text}",
        "between sources": "; ",
        "paragraph": "para. {n}",
    },
}


def label(deck: Deck, key: str) -> str:
    """The word ``key`` in the deck's language (English for languages not listed)."""
    return _LABELS.get(deck.language, _LABELS["en"])[key]


def source_line(deck: Deck, card: CardBase) -> str | None:
    """``Source : title (date, outlet), § 3``, or None when the card cites nothing; a
    card citing several sources gets ``Sources : title, § 3 ; other title, § 1``."""
    citations = deck.citations(card)
    if not citations:
        return None
    lang = "fr" if deck.language == "fr" else "en"
    texts = []
    for source, paragraphs in citations:
        details = [format_date(d, lang) for d in [source.partial_date] if d is not None]
        if source.outlet:
            details.append(source.outlet)
        text = source.title + (f" ({', '.join(details)})" if details else "")
        if paragraphs:
            text += ", " + label(deck, "paragraph").format(n=", ".join(map(str, paragraphs)))
        texts.append(text)
    if len(texts) == 1:
        return label(deck, "source").format(text=texts[0])
    return label(deck, "sources").format(text=label(deck, "between sources").join(texts))
