"""The class server (``maliquiz serve``): learners' answers from every machine in one
database, a teacher's view of the class, decks published to it.

Needs the ``server`` extra (FastAPI, uvicorn, psycopg); nothing outside this package
imports it. :mod:`.db` holds the two databases (SQLite by default, PostgreSQL for a
school) and their migrations, :mod:`.classes` what the API does with them,
:mod:`.app` the HTTP API.
"""
