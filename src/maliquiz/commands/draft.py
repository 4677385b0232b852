"""``maliquiz draft``: a draft deck from French news articles, for a teacher to review.

Needs the ``[draft]`` extra (spaCy and its small French model), imported only here,
inside ``run``, through :mod:`maliquiz.draft`; without it the command says how to
install it and exits 1.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from maliquiz.commands._args import add_output_argument
from maliquiz.i18n import _, count, ngettext

_ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "draft",
        help=_("draft a deck from French news articles (needs the [draft] extra)"),
        description=_(
            "Read French articles (UTF-8 text or Markdown; paragraphs are the non-empty "
            "lines; a first line `date YYYY-MM ...` gives the article's date), find their "
            "figures, dates and actors with spaCy, and write a draft deck that passes "
            "`maliquiz check`: a number, date or name card per fact, a multiple choice on "
            "the same fact when the article has enough of its kind, each citing its "
            "paragraph. Review it before use. Without -o, the deck is printed."
        ),
    )
    parser.add_argument(
        "articles",
        nargs="+",
        type=Path,
        metavar="ARTICLE",
        help=_("article files, or folders of .txt/.md articles"),
    )
    add_output_argument(parser, _("deck to write (default: print it)"), required=False,
                        metavar=_("DECK.yaml"))  # fmt: skip
    parser.add_argument("--id", dest="deck_id", help=_("deck id (default: from the file name)"))
    parser.add_argument("--title", help=_("deck title (default: from the first article)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite the output file"))


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in _ARTICLE_SUFFIXES
                and p.is_file()
                and not p.name.upper().startswith("README")  # the folder's own notes
            )
        else:
            found.append(path)
    return found


def _slug(text: str) -> str:
    from maliquiz.draft.cards import slug

    return slug(text, 60)


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._common import fail, write_checked_deck
    from maliquiz.core.deck.models import SLUG_PATTERN
    from maliquiz.core.text.untrusted import UntrustedFileError, read_text

    files = _files(args.articles)
    if not files:
        return fail(ctx, _("no article (.txt or .md file) in {paths}").format(
            paths=", ".join(str(p) for p in args.articles)))  # fmt: skip
    deck_id = args.deck_id or _slug(args.output.stem if args.output else files[0].stem)
    if not re.match(SLUG_PATTERN, deck_id):
        return fail(
            ctx,
            _("`{id}` cannot be a deck id: use lowercase letters, digits and hyphens").format(
                id=deck_id
            ),
        )
    if args.output and args.output.exists() and not args.force:
        return fail(ctx, _("{path} exists; add --force to overwrite it").format(path=args.output))
    texts: list[tuple[Path, str]] = []
    for file in files:
        try:
            text = read_text(file)
        except OSError as error:
            return fail(
                ctx, _("cannot read {path}: {reason}").format(path=file, reason=error.strerror)
            )
        except UntrustedFileError as error:  # too large, binary, not UTF-8
            return fail(ctx, _("cannot read {path}: {reason}").format(path=file, reason=error))
        if not text.strip():
            return fail(ctx, _("{path} is empty: there is no article to draft from").format(
                path=file))  # fmt: skip
        texts.append((file, text))

    from maliquiz.draft.pipeline import INSTALL_HINT, MissingExtra, load_pipeline

    try:
        nlp = load_pipeline()
    except MissingExtra:
        return fail(
            ctx,
            _("drafting needs spaCy and its French model: {command}").format(command=INSTALL_HINT),
        )
    from maliquiz.draft.article import read_article
    from maliquiz.draft.cards import Drafted, build_deck, find_facts

    drafts: list[Drafted] = []
    source_ids: set[str] = set()
    for file, text in texts:
        article = read_article(file.name, text)
        source_id = _slug(file.stem)
        while source_id in source_ids:
            source_id += "-bis"
        source_ids.add(source_id)
        docs = list(nlp.pipe(article.paragraphs))
        drafts.append(Drafted(article, source_id, docs, find_facts(article, docs)))
    if not any(d.facts for d in drafts):
        return fail(ctx, _("no figure, date or actor found in {path}: no card to draft").format(
            path=", ".join(str(f) for f, _t in texts)))  # fmt: skip
    deck = build_deck(drafts, deck_id, args.title)

    from maliquiz.core.interchange.yaml_out import dump_deck
    from maliquiz.core.paths import SCHEMA_FILE

    yaml_text = dump_deck(
        deck,
        [
            f"yaml-language-server: $schema={SCHEMA_FILE}",
            _("DRAFT written by `maliquiz draft` from {names}: review it before use.").format(
                names=", ".join(f.name for f, _t in texts)
            ),
            _("Check each prompt, answer and source against the article, reword what reads"),
            _("badly, and delete the cards not worth asking."),
        ],
    )
    failed = write_checked_deck(
        ctx, yaml_text, args.output, _("the draft deck does not validate; nothing was written")
    )
    if failed is not None:
        return failed
    cards = len(deck["cards"])
    print(
        ngettext(
            "Drafted deck `{id}`: {n} card from {articles}; review it before use.",
            "Drafted deck `{id}`: {n} cards from {articles}; review it before use.",
            cards,
        ).format(id=deck_id, n=count(cards), articles=", ".join(f.name for f, _t in texts)),
        file=ctx.stderr,
    )
    return 0
