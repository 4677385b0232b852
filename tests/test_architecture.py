"""Rules of the layout, proven rather than hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "maliquiz"


def test_core_and_cli_never_load_textual() -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        "import maliquiz.core, maliquiz.cli, maliquiz.commands\n"
        "for pkg in (maliquiz.core, maliquiz.commands):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "maliquiz.cli.build_parser()\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_core_sources_do_not_import_the_ui() -> None:
    for path in (SRC / "core").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("textual", "rich", "maliquiz.ui")), (path, name)


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(SRC.parent).parts) for p in SRC.rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"


# The domain's layers, lowest first: each may import only the layers before it (and
# the flat modules of ``core``). ``interchange`` reads them all. Nothing in core imports
# the app, the plain mode or the commands.
LAYERS = ("text", "deck", "answers", "learning", "progress", "interchange")
OUTSIDE_CORE_ALLOWED = ("maliquiz.i18n", "maliquiz.__version__")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, with the line, at any depth of the code (imports
    inside functions and ``TYPE_CHECKING`` blocks count: a deferred import is still a
    dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # ``from maliquiz.core import store`` imports a submodule by name.
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def _core_module_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["maliquiz", "core"] or len(parts) < 3:
        return None
    return parts[2] if parts[2] in LAYERS else "flat"


def test_core_layers_depend_one_way() -> None:
    core = SRC / "core"
    wrong: list[str] = []
    for path in sorted(core.rglob("*.py")):
        rel = path.relative_to(core)
        own = rel.parts[0] if len(rel.parts) > 1 else "flat"
        allowed = set(LAYERS[: LAYERS.index(own) + 1]) if own in LAYERS else set()
        allowed.add("flat")
        for line, module in _imports(path):
            if module.startswith("maliquiz.") and not module.startswith("maliquiz.core"):
                if not any(module == a or module.startswith(a + ".") for a in OUTSIDE_CORE_ALLOWED):
                    wrong.append(f"{rel}:{line} imports {module} (outside the domain)")
                continue
            layer = _core_module_layer(module)
            if layer is not None and layer not in allowed:
                wrong.append(f"{rel}:{line} ({own}) imports {module} ({layer})")
    assert not wrong, "\n".join(wrong)


def test_core_has_few_flat_modules() -> None:
    flat = sorted(p.name for p in (SRC / "core").glob("*.py"))
    packages = sorted(p.parent.name for p in (SRC / "core").glob("*/__init__.py"))
    assert len(flat) <= 2, flat
    assert set(LAYERS) <= set(packages), packages


def test_no_source_file_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long


def _import_graph() -> dict[str, set[str]]:
    """Module -> the maliquiz modules it imports, from the sources (every depth)."""
    modules: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _line, module in _imports(path):
            while module and module not in modules:
                module = module.rpartition(".")[0]
            if module and module != name and module.startswith("maliquiz."):
                targets.add(module)
        graph[name] = targets
    return graph


def test_no_import_circle() -> None:
    graph = _import_graph()
    # Tarjan's strongly connected components: any component of two or more modules is
    # a circle. Package ``__init__`` modules are left out (importing a submodule runs
    # its package, which is not a dependency of ours).
    edges = {m: {t for t in ts if not _is_package(t)} for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not circles, circles


def _is_package(module: str) -> bool:
    return (SRC.parent / module.replace(".", "/") / "__init__.py").exists()


def test_screens_never_import_the_app() -> None:
    for path in (SRC / "ui" / "screens").rglob("*.py"):
        for line, module in _imports(path):
            assert module != "maliquiz.ui.app", f"{path.name}:{line} imports the app"


def test_only_the_draft_package_imports_spacy() -> None:
    """spaCy is the optional [draft] extra: only ``maliquiz.draft`` may import it, and the
    command line, every command and the core load without it."""
    importers = [
        f"{path.relative_to(SRC)}:{line}"
        for path in sorted(SRC.rglob("*.py"))
        if "draft" not in path.relative_to(SRC).parts[:1]
        for line, module in _imports(path)
        if module == "spacy" or module.startswith(("spacy.", "fr_core_news"))
    ]
    assert importers == []
    code = (
        "import sys, importlib, pkgutil\n"
        "import maliquiz.core, maliquiz.cli, maliquiz.commands\n"
        "for pkg in (maliquiz.core, maliquiz.commands):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "maliquiz.cli.build_parser()\n"
        "sys.exit(1 if 'spacy' in sys.modules else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
