"""``maliquiz sync``: send this learner's new answers to the class server, take in the
ones made on their other machines, and receive the decks the teacher published."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maliquiz.i18n import _, count, ngettext

if TYPE_CHECKING:
    from maliquiz.core.progress.store import Store
    from maliquiz.core.progress.sync import SyncState

BATCH = 500


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sync",
        help=_("sync your answers with a class server"),
        description=_(
            "Send your new answers to the class server and take in those you gave on your "
            "other machines; decks your teacher published arrive in your decks folder. The "
            "first time, join the class with the code your teacher gave: "
            "`maliquiz sync --server URL --join CODE`. Study never needs the network: sync "
            "whenever you are online."
        ),
    )
    parser.add_argument("--server", metavar="URL", help=_("the class server's address"))
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--join", metavar="CODE", help=_("join a class with its code (first time)"))
    how.add_argument(
        "--link",
        metavar="CODE",
        help=_("attach this machine to your learner on the server, with a code from --link-code"),
    )
    how.add_argument(
        "--link-code",
        action="store_true",
        help=_("print a one-time code to attach another machine (valid 15 minutes)"),
    )
    how.add_argument(
        "--leave",
        action="store_true",
        help=_(
            "forget this learner's class on this machine (the server keeps their answers); "
            "only then can --join make a new learner"
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON for tools"))


def run(args: argparse.Namespace, ctx: Any) -> int:
    from maliquiz.commands._client import ServerError, check_url
    from maliquiz.commands._common import fail, open_store_for_user, report_store_error
    from maliquiz.core.progress.connection import StoreError
    from maliquiz.core.progress.sync import SyncError, load_state

    if args.server and (problem := check_url(args.server)):
        return fail(ctx, problem)
    try:
        state = load_state(ctx.data_dir, ctx.user)
    except StoreError as error:
        return fail(ctx, str(error))
    if args.leave:
        return _leave(ctx, state)
    if args.join and state is not None:
        return fail(ctx, _already_joined(ctx.user, state))
    try:
        if args.link_code:
            if state is None:
                return fail(ctx, _not_joined())
            return _print_link_code(ctx, state, args.json)
        if args.join or args.link:
            server = args.server or (state.server if state else None)
            if not server:
                return fail(ctx, _("give the server's address with --server URL"))
            if args.link and state is not None and state.server != server.rstrip("/"):
                return fail(ctx, _already_joined(ctx.user, state))
            attached = _attach(ctx, server, join=args.join, link=args.link, state=state)
            if isinstance(attached, str):
                return fail(ctx, attached)
            state = attached
            if not args.json:
                _say_attached(ctx, state, joined=bool(args.join))
        elif state is None:
            return fail(ctx, _not_joined())
        elif args.server and args.server.rstrip("/") != state.server.rstrip("/"):
            return fail(
                ctx,
                _(
                    "{user} syncs with {server}; to move to another server, join a class "
                    "there with --join CODE"
                ).format(user=ctx.user, server=state.server),
            )
        store = open_store_for_user(ctx)
        if store is None:
            return 1
        try:
            with store:
                done = _sync(ctx, store, state)
        except StoreError as error:
            if isinstance(error, SyncError):
                return fail(
                    ctx,
                    _("the server sent answers that cannot be stored: {reason}").format(
                        reason=error
                    ),
                )
            return report_store_error(ctx, error)
    except ServerError as error:
        return fail(ctx, error.words())
    _print(ctx, done, args.json)
    return 0


def _not_joined() -> str:
    return _(
        "this learner has not joined a class yet: run "
        "`maliquiz sync --server URL --join CODE` with the code your teacher gave"
    )


def _already_joined(user: str, state: SyncState) -> str:
    return _(
        "{user} is already in class {klass} as {learner} ({server}); joining again would "
        "make a second learner with the same answers. To sync, run `maliquiz sync`; to "
        "attach another machine, `maliquiz sync --link-code`; to leave the class on this "
        "machine first, `maliquiz sync --leave`"
    ).format(user=user, klass=state.class_name, learner=state.learner, server=state.server)


def _leave(ctx: Any, state: SyncState | None) -> int:
    from maliquiz.commands._common import fail
    from maliquiz.core.progress.sync import forget_state

    if state is None:
        return fail(ctx, _not_joined())
    forget_state(ctx.data_dir, ctx.user)
    print(
        _(
            "{user} left class {klass} on this machine: the server keeps the answers of "
            "{learner}. To come back as the same learner, use --link with a code from "
            "another machine of yours; --join makes a new learner."
        ).format(user=ctx.user, klass=state.class_name, learner=state.learner),
        file=ctx.stdout,
    )
    return 0


def _say_attached(ctx: Any, state: SyncState, *, joined: bool) -> None:
    if joined:
        print(
            _("Joined class {klass} as {learner}.").format(
                klass=state.class_name, learner=state.learner
            ),
            file=ctx.stdout,
        )
        if state.learner.casefold() != ctx.user.casefold():
            print(
                _(
                    "A learner named {user} was already in this class, so you are {learner}: "
                    "to attach another machine of yours, use --link-code and --link, never "
                    "--join."
                ).format(user=ctx.user, learner=state.learner),
                file=ctx.stderr,
            )
    else:
        print(
            _("This machine is now linked to {learner} in class {klass}.").format(
                klass=state.class_name, learner=state.learner
            ),
            file=ctx.stdout,
        )


def _local_answers(ctx: Any) -> int:
    """How many answers the current learner has on this machine (0 when there is no
    progress file or no such learner yet)."""
    from maliquiz.core.progress.connection import progress_path
    from maliquiz.core.progress.store import Store

    path = progress_path(ctx.data_dir)
    if not path.exists():
        return 0
    with Store.open(path) as store:
        if not any(u.name.casefold() == ctx.user.casefold() for u in store.users()):
            return 0
        return store.review_count(ctx.user)


def _attach(
    ctx: Any, server: str, *, join: str | None, link: str | None, state: SyncState | None
) -> SyncState | str:
    """Join or link, and keep the new token; or why this machine's learner cannot be
    attached (a message), nothing kept."""
    from maliquiz.commands._client import call
    from maliquiz.core.progress.sync import SyncState, save_state

    if join:
        found = call(
            server, "POST", "/api/v1/join", body={"join_code": join, "name": ctx.user}, retry=False
        )
    else:
        from maliquiz.commands._client import ServerError

        answered = _local_answers(ctx) if state is None else 0
        body = {"link_code": link}
        # Whose the code is, asked before spending it: a link refused here must leave
        # the code good for the command the refusal suggests.
        try:
            owner = call(server, "POST", "/api/v1/link/owner", body=body, retry=False)
        except ServerError as error:
            if error.status != 404:
                raise
            owner = None  # an older server: the code is spent to learn whose it is
        if owner is not None and (refused := _link_refused(ctx, state, owner, answered)):
            return refused
        found = call(server, "POST", "/api/v1/link", body=body, retry=False)
        if owner is None and (refused := _link_refused(ctx, state, found, answered)):
            return refused
    if state is not None:  # the same learner, a new token (the old one was lost)
        from dataclasses import replace

        kept = replace(state, token=str(found["token"]))
        save_state(ctx.data_dir, ctx.user, kept)
        return kept
    state = SyncState(
        server=server.rstrip("/"),
        token=str(found["token"]),
        learner_id=int(found["learner_id"]),
        class_id=int(found["class_id"]),
        learner=str(found["learner"]),
        class_name=str(found["class_name"]),
    )
    save_state(ctx.data_dir, ctx.user, state)  # the token is kept before anything else
    return state


def _link_refused(
    ctx: Any, state: SyncState | None, owner: dict[str, Any], answered: int
) -> str | None:
    """Why this machine's learner cannot take the link code of ``owner`` (the learner
    the server says it belongs to), or None."""
    if state is not None and int(owner["learner_id"]) != state.learner_id:
        return _(
            "this link code belongs to {other}, but {user} is already {learner} in class "
            "{klass}: two learners are never merged. Link another local learner "
            "(`--user NAME`), or leave first with `maliquiz sync --leave`"
        ).format(
            other=owner["learner"],
            user=ctx.user,
            learner=state.learner,
            klass=state.class_name,
        )
    if answered and str(owner["learner"]).casefold() != ctx.user.casefold():
        return ngettext(
            "this link code belongs to {other}, but {user} already has {n} answer on this "
            "machine: they would become {other}'s. Link with `--user {other}` (a new "
            "local learner), or join as yourself with --join",
            "this link code belongs to {other}, but {user} already has {n} answers on this "
            "machine: they would become {other}'s. Link with `--user {other}` (a new "
            "local learner), or join as yourself with --join",
            answered,
        ).format(other=owner["learner"], user=ctx.user, n=count(answered))
    return None


def _print_link_code(ctx: Any, state: SyncState, as_json: bool) -> int:
    from maliquiz.commands._client import call

    found = call(
        state.server, "POST", f"/api/v1/learners/{state.learner_id}/link-codes", token=state.token
    )
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2), file=ctx.stdout)
        return 0
    print(found["link_code"], file=ctx.stdout)
    print(
        _(
            "On the other machine: maliquiz sync --server {server} --link {code} "
            "(valid 15 minutes, once)"
        ).format(server=state.server, code=found["link_code"]),
        file=ctx.stderr,
    )
    return 0


class _Exchange:
    """One sync's answers going out and coming in, each step kept as it is done: the
    answers sent and the cursor received are saved after every request, so a crash
    resends (the server keeps each uid once) and never loses."""

    def __init__(self, ctx: Any, store: Store, state: SyncState) -> None:
        self.ctx, self.store, self.state = ctx, store, state
        self.learner = f"/api/v1/learners/{state.learner_id}"
        self.pushed = self.exams_pushed = self.pulled = self.exams_pulled = 0
        self.touched: set[tuple[str, str]] = set()
        self._decks: dict[str, Any] = {}

    def both(self) -> list[Any] | None:
        """Send and receive through the sync endpoint, one request per batch of
        answers to send (each also brings a page of answers to receive and the class's
        decks) and then one per further page; the class's decks as the last answer
        listed them. None when the server has no such endpoint (an older server)."""
        from dataclasses import replace

        from maliquiz.commands._client import ServerError, call
        from maliquiz.core.progress.sync import save_state, unsent

        answer: Any = None
        while True:
            out = unsent(self.store, self.ctx.user, self.state, limit=BATCH)
            if answer is not None and not answer["more"] and not out.reviews and not out.exams:
                return list(answer["decks"])
            try:
                answer = call(
                    self.state.server,
                    "POST",
                    f"{self.learner}/sync",
                    token=self.state.token,
                    body={**_push_body(out.reviews, out.exams), "since": self.state.cursor},
                )
            except ServerError as error:
                if error.status == 404:
                    return None
                raise
            self._sent(out.reviews, answer)
            self._take(answer)
            # Sent and received together: both kept at once.
            self.state = replace(out.state, cursor=int(answer["cursor"]))
            save_state(self.ctx.data_dir, self.ctx.user, self.state)

    def apart(self) -> list[Any]:
        """What :meth:`both` does, with the older server's endpoints: every batch
        pushed, then every page pulled, then the class's decks listed."""
        from dataclasses import replace

        from maliquiz.commands._client import call
        from maliquiz.core.progress.sync import save_state, unsent

        base = f"{self.learner}/answers"
        while True:
            out = unsent(self.store, self.ctx.user, self.state, limit=BATCH)
            if not out.reviews and not out.exams:
                break
            answer = call(
                self.state.server,
                "POST",
                base,
                token=self.state.token,
                body=_push_body(out.reviews, out.exams),
            )
            self._sent(out.reviews, answer)
            self.state = out.state
            save_state(self.ctx.data_dir, self.ctx.user, self.state)
        while True:
            answer = call(
                self.state.server,
                "GET",
                f"{base}?since={self.state.cursor}",
                token=self.state.token,
            )
            self._take(answer)
            self.state = replace(self.state, cursor=int(answer["cursor"]))
            save_state(self.ctx.data_dir, self.ctx.user, self.state)
            if not answer["more"]:
                break
        listed = call(
            self.state.server,
            "GET",
            f"/api/v1/classes/{self.state.class_id}/decks",
            token=self.state.token,
        )
        return list(listed["decks"])

    def _sent(self, reviews: list[list[Any]], answer: Any) -> None:
        self.pushed += int(answer["stored"])
        self.exams_pushed += int(answer["exams_stored"])
        self.touched |= {(row[1], row[2]) for row in reviews}

    def _take(self, answer: Any) -> None:
        from maliquiz.core.progress.sync import receive

        reviews, exams = answer["reviews"]["rows"], answer["exams"]["rows"]
        if reviews or exams:
            got = receive(self.store, self.ctx.user, reviews, exams, self._deck_of)
            self.pulled += got.reviews_added
            self.exams_pulled += got.exams_added

    def _deck_of(self, deck_id: str) -> Any:
        # The catalog is read only when a received answer of today needs its deck.
        if not self._decks:
            from maliquiz.core.deck.catalog import load_catalog

            catalog = load_catalog(self.ctx.data_dir).entries
            self._decks.update((k, e.deck) for k, e in catalog.items())
        return self._decks.get(deck_id)


def _sync(ctx: Any, store: Store, state: SyncState) -> dict[str, Any]:
    from dataclasses import replace

    from maliquiz.core.progress.sync import rebuild_cards, save_state

    exchange = _Exchange(ctx, store, state)
    listed = exchange.both()
    if listed is None:  # a server older than the sync endpoint
        listed = exchange.apart()
    rebuild_cards(store, ctx.user, exchange.touched)
    decks, updated, state = _receive_decks(ctx, exchange.state, listed)
    state = replace(state, last_sync=datetime.now(UTC).isoformat(timespec="seconds"))
    save_state(ctx.data_dir, ctx.user, state)
    return {
        "server": state.server,
        "class": state.class_name,
        "learner": state.learner,
        "pushed": exchange.pushed,
        "pulled": exchange.pulled,
        "exams_pushed": exchange.exams_pushed,
        "exams_pulled": exchange.exams_pulled,
        "decks": decks,
        "decks_updated": updated,
    }


def _push_body(reviews: list[list[Any]], exams: list[list[Any]]) -> dict[str, Any]:
    return {
        "reviews": {"columns": _columns("reviews"), "rows": reviews},
        "exams": {"columns": _columns("exams"), "rows": exams},
    }


def _columns(table: str) -> list[str]:
    from maliquiz.core.progress.connection import EXAM_COLUMNS, REVIEW_COLUMNS

    return list(REVIEW_COLUMNS if table == "reviews" else EXAM_COLUMNS)


def _receive_decks(
    ctx: Any, state: SyncState, listed: list[Any]
) -> tuple[list[str], list[str], SyncState]:
    """Fetch the decks of ``listed`` (the class's latest versions, as the server gave
    them) that are new to this machine into the learner's decks folder, each checked
    as a deck before it is written (whole, then moved in place)."""
    from dataclasses import replace

    from maliquiz.commands._client import call
    from maliquiz.core.deck.loader import parse_deck
    from maliquiz.core.paths import user_decks_dir

    folder = user_decks_dir(ctx.data_dir)
    received: list[str] = []
    updated: set[str] = set()
    known = dict(state.decks)
    for entry in listed:
        deck_id, sha = str(entry["deck_id"]), str(entry["sha256"])
        target = folder / f"{deck_id}.yaml"
        if known.get(deck_id) == sha and target.exists():
            continue
        found = call(
            state.server,
            "GET",
            f"/api/v1/classes/{state.class_id}/decks/{deck_id}/{sha}",
            token=state.token,
        )
        content = str(found["content"])
        result = parse_deck(content, str(target))
        if (
            result.deck is None
            or result.deck.id != deck_id
            or hashlib.sha256(content.encode()).hexdigest() != sha
        ):
            print(
                _("the published deck {deck} could not be read; it was left out").format(
                    deck=deck_id
                ),
                file=ctx.stderr,
            )
            continue
        _keep_local_edit(ctx, target, known.get(deck_id))
        _write(target, content)
        if deck_id in known:
            updated.add(deck_id)
        known[deck_id] = sha
        received.append(deck_id)
    return received, sorted(updated), replace(state, decks=known)


def _keep_local_edit(ctx: Any, target: Path, received_sha: str | None) -> None:
    """Before a received deck replaces ``target``: when the file there is not the
    version last received (the learner edited it, or had a deck of that name), copy
    it next to it under a name that is not loaded as a deck, and say so."""
    try:
        mine = target.read_bytes()
    except FileNotFoundError:
        return
    if hashlib.sha256(mine).hexdigest() == received_sha:
        return
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    backup = target.with_name(f"{target.name}.mine-{stamp}")
    _write(backup, mine.decode("utf-8", errors="replace"))
    print(
        _(
            "{path} was changed on this machine: your version is kept as {backup} "
            "before the teacher's new version replaces it"
        ).format(path=target, backup=backup),
        file=ctx.stderr,
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _print(ctx: Any, done: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(done, ensure_ascii=False, indent=2), file=ctx.stdout)
        return
    sent = ngettext("Sent {n} answer", "Sent {n} answers", done["pushed"])
    received = ngettext("received {n}", "received {n}", done["pulled"])
    print(
        _("{sent}, {received} ({server}, class {klass}).").format(
            sent=sent.format(n=count(done["pushed"])),
            received=received.format(n=count(done["pulled"])),
            server=done["server"],
            klass=done["class"],
        ),
        file=ctx.stdout,
    )
    for deck_id in done["decks"]:
        if deck_id in done["decks_updated"]:
            line = _("Deck updated by your teacher: {deck}")
        else:
            line = _("New deck from your teacher: {deck}")
        print(line.format(deck=deck_id), file=ctx.stdout)
