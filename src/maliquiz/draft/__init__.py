"""Drafting a deck from a news article (``maliquiz draft``).

Needs the optional ``[draft]`` extra (spaCy and its small French model); nothing else in
maliquiz imports this package or spaCy. The pipeline: :mod:`.article` reads the article
into paragraphs, :mod:`.pipeline` parses them with spaCy, :mod:`.figures`, :mod:`.dates`
and :mod:`.actors` find the facts, :mod:`.context` words the question around each fact
and :mod:`.cards` turns the facts into a deck.
"""
