"""Keep the French catalog in step with the source.

    python scripts/i18n.py extract   # add new messages to the .po, drop unused ones
    python scripts/i18n.py compile   # write the .mo that ships in the wheel
    python scripts/i18n.py check     # exit 1 when a message is untranslated or the .mo is stale

Messages are found by reading the source with ``ast``: every ``_("...")``, ``N_("...")`` and
``ngettext("...", "...", n)`` call with literal strings; and in ``ui/keys.toml``, every
screen's ``help`` and every key's ``text``. The .po reader and .mo writer
cover the subset of the gettext formats this project uses (no contexts).
"""

from __future__ import annotations

import ast
import struct
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "maliquiz"
PO = SOURCE / "locale" / "fr" / "LC_MESSAGES" / "maliquiz.po"
MO = PO.with_suffix(".mo")
PO_HEADER = (
    "Project-Id-Version: maliquiz\n"
    "Language: fr\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\n"
)


@dataclass
class Entry:
    msgid: str
    plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    where: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return all(self.msgstr) if self.msgid else True


def extract() -> dict[str, Entry]:
    """Every translatable message of the source, with where it is used."""
    found: dict[str, Entry] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = node.args
            literal = [isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if node.func.id in ("_", "N_") and args and literal[0]:
                msgid = args[0].value  # type: ignore[attr-defined]
                found.setdefault(msgid, Entry(msgid)).where.append(where)
            elif node.func.id == "ngettext" and len(args) >= 2 and all(literal[:2]):
                msgid = args[0].value  # type: ignore[attr-defined]
                entry = found.setdefault(
                    msgid,
                    Entry(msgid, args[1].value, ["", ""]),  # type: ignore[attr-defined]
                )
                entry.where.append(where)
    _extract_keys(found)
    return found


def _extract_keys(found: dict[str, Entry]) -> None:
    """The texts of ``ui/keys.toml``: each place's help and each key's words."""
    path = SOURCE / "ui" / "keys.toml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()

    def line_of(place: str, needle: str) -> int:
        start = lines.index(f"[{place}]")
        return next((n for n in range(start, len(lines)) if needle in lines[n]), start) + 1

    for place, content in tomllib.loads(text).items():
        messages = [(content["help"], "help =")] if "help" in content else []
        messages += [(key["text"], f'id = "{key["id"]}"') for key in content.get("keys", [])]
        for msgid, needle in messages:
            where = f"{path.relative_to(ROOT)}:{line_of(place, needle)}"
            found.setdefault(msgid, Entry(msgid)).where.append(where)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # .po strings are C-like double-quoted literals


def read_po(path: Path = PO) -> dict[str, Entry]:
    """The entries of a .po file (header excluded)."""
    entries: dict[str, Entry] = {}
    if not path.exists():
        return entries
    current: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        if current is not None and current.msgid:
            entries[current.msgid] = current

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            finish()
            current = Entry(_unquote(line[6:]))
            target = ("msgid", 0)
        elif line.startswith("msgid_plural ") and current is not None:
            current.plural = _unquote(line[13:])
            current.msgstr = ["", ""]
            target = ("plural", 0)
        elif line.startswith("msgstr[") and current is not None:
            index = int(line[7 : line.index("]")])
            current.msgstr[index] = _unquote(line[line.index("]") + 2 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr ") and current is not None:
            current.msgstr = [_unquote(line[7:])]
            target = ("msgstr", 0)
        elif line.startswith('"') and current is not None:
            more = _unquote(line)
            if target[0] == "msgid":
                current.msgid += more
            elif target[0] == "plural":
                current.plural = (current.plural or "") + more
            else:
                current.msgstr[target[1]] += more
    finish()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def write_po(entries: dict[str, Entry], path: Path = PO) -> None:
    """Write the catalog, sorted by message, with where each one is used."""
    lines = ['msgid ""', "msgstr " + _quote(PO_HEADER), ""]
    for msgid in sorted(entries):
        entry = entries[msgid]
        lines.extend(f"#: {w}" for w in entry.where[:3])
        lines.append("msgid " + _quote(entry.msgid))
        if entry.plural is not None:
            lines.append("msgid_plural " + _quote(entry.plural))
            lines.extend(f"msgstr[{i}] " + _quote(s) for i, s in enumerate(entry.msgstr))
        else:
            lines.append("msgstr " + _quote(entry.msgstr[0]))
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def mo_bytes(entries: dict[str, Entry]) -> bytes:
    """The GNU .mo file for these entries (translated ones only, plus the header)."""
    pairs: list[tuple[bytes, bytes]] = [(b"", PO_HEADER.encode())]
    for entry in entries.values():
        if not entry.translated:
            continue
        key = entry.msgid if entry.plural is None else entry.msgid + "\0" + entry.plural
        pairs.append((key.encode(), "\0".join(entry.msgstr).encode()))
    pairs.sort()
    count = len(pairs)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    table_o, table_t, blob = [], [], b""
    for original, _translation in pairs:
        table_o.append((len(original), data_at + len(blob)))
        blob += original + b"\0"
    for _original, translation in pairs:
        table_t.append((len(translation), data_at + len(blob)))
        blob += translation + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, count, originals_at, translations_at, 0, 0)
    tables = b"".join(struct.pack("<2I", *t) for t in table_o + table_t)
    return header + tables + blob


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    source = extract()
    existing = read_po()
    if command == "extract":
        merged = {}
        for msgid, entry in source.items():
            old = existing.get(msgid)
            if old is not None and (old.plural is None) == (entry.plural is None):
                entry.msgstr = old.msgstr
            merged[msgid] = entry
        write_po(merged)
        missing = [m for m, e in merged.items() if not e.translated]
        print(f"{len(merged)} messages, {len(missing)} to translate")
        for msgid in missing[:50]:
            print(f"  {msgid!r}")
        return 0
    if command == "compile":
        MO.write_bytes(mo_bytes(existing))
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    if command == "check":
        problems = [
            f"untranslated: {m!r}" for m in source if not existing.get(m, Entry(m)).translated
        ]
        problems += [f"not in the catalog: {m!r}" for m in source if m not in existing]
        if not MO.exists() or MO.read_bytes() != mo_bytes(existing):
            problems.append("the .mo is stale: run `python scripts/i18n.py compile`")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
