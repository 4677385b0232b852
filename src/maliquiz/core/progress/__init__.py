"""Progress: the learner's SQLite store (connection and migrations, users, cards,
answers, exams), the statistics read from it and the class report.

Depends on :mod:`maliquiz.core.learning` and below."""
