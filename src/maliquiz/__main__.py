"""`python -m maliquiz` runs the same entry point as the `maliquiz` command."""

from maliquiz.cli import main

raise SystemExit(main())
