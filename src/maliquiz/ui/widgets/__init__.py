"""Reusable widgets: one answer widget per way of answering, charts, feedback."""
