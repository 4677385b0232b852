"""Decks: the validated models, reading YAML files with located errors, the JSON
Schema, finding deck files, their cached outlines and the check against the articles.

Depends on :mod:`maliquiz.core.text` only."""
