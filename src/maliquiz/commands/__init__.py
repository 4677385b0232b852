"""One module per ``maliquiz`` subcommand: ``register(subparsers)`` and ``run(args, ctx)``."""
