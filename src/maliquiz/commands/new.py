"""``maliquiz new``: a commented starter deck with one card of every type."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_output_argument
from maliquiz.i18n import _

# Deck content, in French like the bundled decks; the comments teach the format. Every
# string that YAML 1.1 could misread is quoted, and the file passes `maliquiz check`.
STARTER = """\
# yaml-language-server: $schema={schema}
# A maliquiz deck. Check it with `maliquiz check {file}`; study it with
# `maliquiz study {id}`. Every key is described in the schema named above: editors
# with YAML support (VS Code, Neovim) show completion and errors as you type.
#
# Write numbers and dates in quotes ("2 000", "2024-11-15"): some tools read an
# unquoted 2.000 as the number two and an unquoted `no` as false.

id: {id_yaml}            # stable: progress is saved under it, never change it
title: {title}
language: "fr"
description: "Ce que ce deck enseigne, en une phrase."
authors: ["Votre nom"]
tags: ["exemple"]         # tags every card carries too (no spaces: join with -)

# The documents the cards cite; `file` names the article's text for
# `maliquiz check --sources DIR`.
sources:
  - id: "article-1"
    title: "Titre de l'article"
    date: "2024-11-15"     # or "2024-11", or "2024"
    outlet: "Journal"

cards:
  # Each card: a stable `id`, a `type`, a `prompt`, then the fields of its type.
  # `explanation` is shown after the answer; `source` cites a paragraph.

  # flashcard: front and back; the learner rates their own recall.
  - id: "exemple-flashcard"
    type: "flashcard"
    prompt: "Que signifie MINUSMA ?"
    back: "Mission multidimensionnelle intégrée des Nations unies pour la stabilisation au Mali"
    source: {{ref: "article-1", paragraph: 1}}

  # text: a typed short answer; `accept` lists other forms, `confusables` close
  # names that are wrong, `kind` the class of the answer (person, organisation,
  # country, place, operation, group, event, other).
  - id: "exemple-texte"
    type: "text"
    prompt: "Qui dirige la transition au Mali depuis 2021 ?"
    answer: "Assimi Goïta"
    accept: ["Goïta", "le colonel Goïta"]
    kind: "person"
    explanation: "Une ou deux phrases de contexte."
    source: {{ref: "article-1", paragraph: 2}}

  # number: typed; `tolerance` ("500" or "10%") or a `min`/`max` range; `unit`
  # is shown after the answer box.
  - id: "exemple-nombre"
    type: "number"
    prompt: "Combien de casques bleus la MINUSMA comptait-elle ?"
    answer: "15 000"
    tolerance: "10%"
    unit: "casques bleus"
    source: {{ref: "article-1", paragraph: 3}}

  # date: typed, graded at the precision written: "2013", "2023-06" or "2023-12-31".
  - id: "exemple-date"
    type: "date"
    prompt: "Quand la MINUSMA a-t-elle achevé son retrait ?"
    answer: "2023-12-31"
    source: {{ref: "article-1", paragraph: 4}}

  # choice: 2 to 9 options; `answer` repeats one option word for word (or a list
  # of them when several are right).
  - id: "exemple-choix"
    type: "choice"
    prompt: "Quelle organisation a créé la MINUSMA ?"
    options: ["l'ONU", "l'Union africaine", "la CEDEAO", "l'Union européenne"]
    answer: "l'ONU"
    source: {{ref: "article-1", paragraph: 1}}

  # truefalse: a statement; `answer` is true or false.
  - id: "exemple-vrai-faux"
    type: "truefalse"
    prompt: "La MINUSMA a été créée en 2013."
    answer: true
    source: {{ref: "article-1", paragraph: 1}}

  # order: 3 to 7 items, written in the right order; they are shuffled when asked.
  - id: "exemple-ordre"
    type: "order"
    prompt: "Classez du plus ancien au plus récent."
    items: ["Création de la MINUSMA", "Coup d'État d'août 2020", "Départ de la MINUSMA"]
    source: {{ref: "article-1", paragraph: 5}}

  # match: 3 to 8 pairs to associate.
  - id: "exemple-association"
    type: "match"
    prompt: "Associez chaque sigle à ce qu'il désigne."
    pairs:
      - {{left: "MINUSMA", right: "mission de l'ONU au Mali"}}
      - {{left: "CEDEAO", right: "communauté ouest-africaine"}}
      - {{left: "UA", right: "Union africaine"}}
    source: {{ref: "article-1", paragraph: 6}}

  # cloze: gaps in the prompt, each written {{{{answer}}}} or {{{{answer|variant}}}}.
  - id: "exemple-texte-a-trous"
    type: "cloze"
    prompt: "La MINUSMA a été créée en {{{{2013}}}} par le {{{{Conseil de sécurité|Conseil}}}}."
    source: {{ref: "article-1", paragraph: 1}}
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help=_("write a commented starter deck"),
        description=_(
            "Write a starter deck with one example of every card type, comments on each "
            "key and the schema line editors use. It passes `maliquiz check` as written. "
            "Default output: DECK_ID.yaml in your decks folder."
        ),
    )
    parser.add_argument("deck_id", metavar="DECK_ID", help=_("the new deck's id"))
    add_output_argument(parser, _("file to write"), required=False)
    parser.add_argument("--title", help=_("the deck's title (default: the id)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing file"))


def starter_deck(deck_id: str, title: str, file_name: str) -> str:
    """The starter deck's text."""
    from maliquiz.core.paths import SCHEMA_FILE

    return STARTER.format(
        schema=SCHEMA_FILE.resolve(),
        file=file_name,
        id=deck_id,
        id_yaml=json.dumps(deck_id),
        title=json.dumps(title, ensure_ascii=False),
    )


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, write_file
    from maliquiz.core.deck.models import SLUG_PATTERN
    from maliquiz.core.paths import user_decks_dir

    if not re.match(SLUG_PATTERN, args.deck_id) or len(args.deck_id) > 80:
        return fail(
            ctx,
            _(
                "`{id}` cannot be a deck id: use lowercase letters, digits and single "
                "hyphens, like `minusma-depart`"
            ).format(id=args.deck_id),
        )
    output: Path = args.output or user_decks_dir(ctx.data_dir) / f"{args.deck_id}.yaml"
    if output.exists() and not args.force:
        return fail(ctx, _("{path} exists; add --force to overwrite it").format(path=output))
    text = starter_deck(args.deck_id, args.title or args.deck_id, str(output))
    failed = write_file(ctx, output, text)
    if failed is not None:
        return failed
    print(
        _("Wrote {path}. Edit it, then run `maliquiz check {path}`.").format(path=output),
        file=ctx.stderr,
    )
    return 0
