"""What maliquiz promises when things go wrong: one file a promise (see conftest)."""
