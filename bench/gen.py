"""A generated deck of many cards of every type, for benchmarks and stress tests."""

from __future__ import annotations

import random


def big_deck_yaml(n_cards: int = 10_000, seed: int = 7) -> str:
    """YAML text of a valid deck with ``n_cards`` cards cycling through every type."""
    rng = random.Random(seed)
    out = [
        "# yaml-language-server: $schema=../schema/deck.schema.json",
        "id: bench-deck",
        "title: Deck de mesure",
        "sources:",
        "  - id: src",
        "    title: Source de mesure",
        "    date: 2022-02",
        "cards:",
    ]
    for i in range(n_cards):
        kind = i % 9
        head = f"  - id: card-{i}\n    source: {{ref: src, paragraph: {1 + i % 20}}}\n    tags: [t{i % 13}]"
        if kind == 0:
            body = f"    type: flashcard\n    prompt: Question {i} ?\n    back: Réponse {i}"
        elif kind == 1:
            body = (
                f"    type: text\n    prompt: Qui est l'acteur {i} ?\n    answer: Acteur {i}\n"
                f"    accept: [A{i}, acteur numéro {i}]\n    kind: person"
            )
        elif kind == 2:
            body = (
                f"    type: number\n    prompt: Combien ({i}) ?\n    answer: {rng.randint(1, 90)}.000\n"
                f"    unit: soldats\n    tolerance: 10%"
            )
        elif kind == 3:
            body = f"    type: date\n    prompt: Quand ({i}) ?\n    answer: {rng.randint(2012, 2024)}-{rng.randint(1, 12):02d}"
        elif kind == 4:
            body = (
                f"    type: choice\n    prompt: Lequel ({i}) ?\n    options: [Alpha, Bravo, Charlie, Delta]\n"
                f"    answer: Bravo"
            )
        elif kind == 5:
            body = f"    type: truefalse\n    prompt: Vrai ({i}) ?\n    answer: {rng.choice(['true', 'false'])}"
        elif kind == 6:
            body = f"    type: order\n    prompt: Ordre ({i})\n    items: [un, deux, trois, quatre]"
        elif kind == 7:
            body = (
                f"    type: match\n    prompt: Associez ({i})\n    pairs:\n"
                "      - {left: a, right: '1'}\n      - {left: b, right: '2'}\n"
                "      - {left: c, right: '3'}"
            )
        else:
            body = f"    type: cloze\n    prompt: La mission {i} a duré {{{{dix|10}}}} ans."
        out.append(head.replace("  - ", "  - ", 1) + "\n" + body)
    return "\n".join(out) + "\n"
