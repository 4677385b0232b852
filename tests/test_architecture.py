"""Rules of the layout, proven rather than hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "maliquiz"


def _loaded(modules: tuple[str, ...], *, every_module: bool) -> list[str]:
    """Which of ``modules`` (top-level names) a fresh interpreter has loaded once the
    command line's parser is built, every command registered; with ``every_module``,
    after importing every module of the core and of the commands as well."""
    code = (
        "import sys, importlib, pkgutil\n"
        "import maliquiz.cli\n"
        + (
            "import maliquiz.core, maliquiz.commands\n"
            "for pkg in (maliquiz.core, maliquiz.commands):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        importlib.import_module(m.name)\n"
            if every_module
            else ""
        )
        + "maliquiz.cli.build_parser()\n"
        f"print(sorted(m for m in {modules!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return ast.literal_eval(done.stdout.strip())


def test_core_and_cli_never_load_textual() -> None:
    assert _loaded(("textual",), every_module=True) == []


def test_the_command_line_loads_no_heavy_library_before_a_command_runs() -> None:
    """``maliquiz --help`` (every command registered) imports none of the libraries a
    command defers: each command imports what it needs when it runs."""
    heavy = (
        "textual", "pydantic", "fsrs", "yaml", "spacy", "fastapi", "uvicorn", "psycopg",
        "genanki", "rapidfuzz", "text2num", "babel", "sqlite3",
    )  # fmt: skip
    assert _loaded(heavy, every_module=False) == []


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


def _module_name(path: Path) -> str:
    """The dotted name of the module at ``path`` (a package is its ``__init__``)."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, with the line, at any depth of the code (imports
    inside functions and ``TYPE_CHECKING`` blocks count: a deferred import is still a
    dependency). Relative imports are made absolute, and a module named by a string in
    ``importlib.import_module("...")`` counts too."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return _read_imports(path.read_text(encoding="utf-8"), package)


def _read_imports(source: str, package: str) -> list[tuple[int, str]]:
    """:func:`_imports` of the code ``source`` of a module in ``package``."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module))
            # ``from maliquiz.core import store`` imports a submodule by name.
            found += [(node.lineno, f"{module}.{a.name}") for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def test_relative_and_dynamic_imports_are_seen() -> None:
    """The import reader sees the forms a rule could be broken with."""
    code = (
        "from ..progress import store\n"
        "from . import scheduling\n"
        "import importlib\n"
        "importlib.import_module('maliquiz.ui.app')\n"
    )
    found = {module for _line, module in _read_imports(code, "maliquiz.core.learning")}
    assert {
        "maliquiz.core.progress.store",
        "maliquiz.core.learning.scheduling",
        "maliquiz.ui.app",
    } <= found


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
    """Module -> the maliquiz modules it imports, from the sources (every depth).
    ``from package import name`` points at the submodule ``name`` when there is one,
    otherwise at the package itself (its ``__init__`` defines ``name``)."""
    modules = {_module_name(path): path for path in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = [module for _line, module in _imports(path)]
        # The bare ``from X import a`` entry stands for X only when no ``X.a`` is a
        # module: otherwise it is the submodule that is imported.
        named = {module.rpartition(".")[0] for module in found if module in modules}
        targets = set()
        for module in found:
            if module in named and _is_package(module):
                continue
            while module and module not in modules:
                module = module.rpartition(".")[0]
            if module and module != name and module.startswith("maliquiz."):
                targets.add(module)
        graph[name] = targets
    return graph


def test_no_import_circle() -> None:
    edges = _import_graph()
    # Tarjan's strongly connected components: any component of two or more modules is
    # a circle. A package counts when its own ``__init__`` is imported from (a name it
    # defines or re-exports), not when one of its submodules is.
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
    assert _loaded(("spacy",), every_module=True) == []
