"""Learning: the clock and calendar, FSRS scheduling, today's queue, the study session
and the exam. The storage they need is described by a protocol
(:mod:`.records`) that :mod:`maliquiz.core.progress` implements.

Depends on :mod:`maliquiz.core.answers` and below."""
