"""Answers: how a typed, chosen or ordered answer is read and graded against a card
(normalising, text matching, verdicts) and how choices are drawn (distractors).

Depends on :mod:`maliquiz.core.deck` and :mod:`maliquiz.core.text`."""
