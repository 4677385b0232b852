"""Writing a deck dict as a YAML deck file a teacher can read and edit.

Every string is double-quoted (JSON string syntax, which YAML reads the same), so that
no YAML 1.1 rule can turn ``2.000``, ``no``, ``12:30`` or ``2024-11-15`` into something
else in an editor or another tool. Lists of plain values are written on one line; cards
and sources as blocks, a blank line between cards. Keys keep the dict's order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def scalar(value: Any) -> str:
    """One YAML scalar: strings double-quoted, numbers and booleans plain."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(str(value), ensure_ascii=False)


def _is_flat(value: list[Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in value)


def _lines(value: Any, indent: int) -> list[str]:
    """``value`` (a mapping) as block lines at ``indent`` spaces."""
    pad = " " * indent
    out: list[str] = []
    for key, item in value.items():
        if isinstance(item, dict):
            if all(not isinstance(v, dict | list) for v in item.values()) and len(item) <= 3:
                inner = ", ".join(f"{k}: {scalar(v)}" for k, v in item.items())
                out.append(f"{pad}{key}: {{{inner}}}")
            else:
                out.append(f"{pad}{key}:")
                out += _lines(item, indent + 2)
        elif isinstance(item, list):
            if _is_flat(item):
                out.append(f"{pad}{key}: [{', '.join(scalar(v) for v in item)}]")
            else:
                out.append(f"{pad}{key}:")
                for n, element in enumerate(item):
                    if key == "cards" and n:
                        out.append("")
                    out += _item(element, indent + 2)
        else:
            out.append(f"{pad}{key}: {scalar(item)}")
    return out


def _item(element: Any, indent: int) -> list[str]:
    pad = " " * indent
    if not isinstance(element, dict):
        return [f"{pad}- {scalar(element)}"]
    block = _lines(element, indent + 2)
    return [f"{pad}- {block[0].lstrip()}", *block[1:]] if block else [f"{pad}- {{}}"]


def dump_deck(deck: dict[str, Any], comments: Sequence[str] = ()) -> str:
    """The YAML text of ``deck``, after ``comments`` (one ``# ...`` line each)."""
    head = [f"# {line}".rstrip() for line in comments]
    return "\n".join([*head, *_lines(deck, 0)]) + "\n"
