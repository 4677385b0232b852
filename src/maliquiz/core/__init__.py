"""The domain of maliquiz: decks, answers, scheduling, progress. Never imports Textual."""
