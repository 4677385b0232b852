"""The server's libraries stay in the server: nothing outside ``maliquiz.server``
imports them, and a learner's side of sync works with the standard library alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "maliquiz"
EXTRAS = ("fastapi", "starlette", "uvicorn", "psycopg", "psycopg_pool")


def _imported(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_only_the_server_package_imports_the_server_extra() -> None:
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "server"):
            continue
        for name in _imported(path):
            assert name.split(".")[0] not in EXTRAS, (path, name)


def test_the_learner_side_of_sync_needs_no_extra() -> None:
    # The extras made impossible to import, as on a learner's machine without them.
    code = (
        "import sys\n"
        f"class Block:\n"
        f"    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {EXTRAS!r}:\n"
        f"            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import maliquiz.cli, maliquiz.commands.sync, maliquiz.commands._client\n"
        "import maliquiz.commands.report, maliquiz.core.progress.sync\n"
        "maliquiz.cli.build_parser()\n"
        "sys.exit(maliquiz.cli.main(['serve']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    # `maliquiz serve` says what to install, in one line, without a traceback.
    assert done.returncode == 1, done.stderr
    assert "pip install 'maliquiz[server]'" in done.stderr
    assert "Traceback" not in done.stderr
