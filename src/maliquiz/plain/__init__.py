"""The plain line mode: study and exams on a text stream, for scripts, ssh sessions and
screen readers. It drives the same core session objects as the app."""
