"""Talking to a class server with the standard library only (``urllib``), so that a
learner's ``maliquiz sync`` needs no extra package.

Requests that are safe to repeat (pushing answers: the server keeps each uid once;
reading) are retried with a growing pause when the server cannot be reached or
answers 502/503/504, for up to ``patience`` seconds, saying so once: a server
restarting loses nothing and doubles nothing.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any, Final
from urllib.parse import urlsplit

from maliquiz.i18n import _

RETRY_STATUSES: Final = (502, 503, 504)
USER_AGENT: Final = "maliquiz-sync"
CONNECT_TIMEOUT: Final = 5.0
"""Seconds to wait for the server to accept a connection (then the answer may take
the request's whole timeout)."""


class ServerError(Exception):
    """A request that failed: ``status`` (0 when the server was not reached) and the
    server's ``detail`` (for a known refusal, ``{"message": ..., "code": ...}``)."""

    def __init__(self, status: int, detail: Any, url: str) -> None:
        self.status = status
        self.detail = detail
        self.url = url
        super().__init__(f"{status}: {detail}")

    @property
    def code(self) -> str | None:
        """The server's name for a refusal it knows (see ``server/app.py``)."""
        code = self.detail.get("code") if isinstance(self.detail, dict) else None
        return code if isinstance(code, str) else None

    def words(self, *, teacher: bool = False) -> str:
        """What to tell the user, in the interface language (``teacher``: the request
        carried a teacher's token, not a learner's). A refusal the server names by its
        code is said in the user's language; only an unknown one shows the server's
        English words."""
        detail = self.detail
        message = detail.get("message") if isinstance(detail, dict) else detail
        if self.status == 0:
            return _("cannot reach the server {url}: {reason}").format(url=self.url, reason=message)
        if self.status == 401 and teacher:
            return _(
                "the server {url} does not know this teacher token: check --token (it was "
                "printed by `maliquiz server add-class`)"
            ).format(url=self.url)
        if self.status == 401:
            # Never "join again": that would make a second learner with the same answers.
            return _(
                "the server {url} does not know this learner's token: on another machine of "
                "yours run `maliquiz sync --link-code`, then here `maliquiz sync --link CODE`; "
                "or ask your teacher"
            ).format(url=self.url)
        known = _known_refusals().get(self.code or "")
        if known is not None:
            return known
        if self.status == 429:
            return _("too many wrong codes from this machine: wait a minute and try again")
        if self.status in (403, 422):
            return _("the server refused: {reason}").format(reason=message)
        return _("the server answered {status}: {reason}").format(
            status=self.status, reason=message
        )


def _known_refusals() -> dict[str, str]:
    return {
        "bad_join_code": _("no class has this join code: check it with your teacher"),
        "bad_link_code": _(
            "this link code is wrong, used or expired: print a new one with "
            "`maliquiz sync --link-code` on your other machine"
        ),
        "not_your_learner": _("the server refused: this token cannot reach that learner"),
        "not_your_class": _("the server refused: this token cannot reach that class"),
        "too_many_codes": _("too many wrong codes from this machine: wait a minute and try again"),
        "too_large": _("the server refused a request as too large (see its --max-body-mb)"),
        "database_down": _("the server's database is unavailable: try again later"),
        "bad_deck": _("the server found the deck not valid"),
        "bad_name": _("the server refused the learner name: use printable text"),
        "no_deck": _("the server no longer has this deck version: sync again"),
    }


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be a server address, or None."""
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
        return _("a server address starts with http:// or https:// (got {url})").format(url=url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port is only found when read
    except ValueError as error:
        return _("{url} is not a valid server address: {reason}").format(url=url, reason=error)
    if not parts.hostname:
        return _("{url} is not a valid server address: it names no host").format(url=url)
    return None


def reason_words(error: BaseException, timeout: float) -> str:
    """Why a server could not be reached, in words rather than ``[Errno 111]``."""
    reason = getattr(error, "reason", None)
    cause = reason if isinstance(reason, BaseException) else error
    if isinstance(cause, ConnectionRefusedError):
        return _("connection refused: is the server running?")
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return _("no answer within {seconds} s").format(seconds=int(timeout))
    if isinstance(cause, socket.gaierror):
        return _("unknown host name (check the address, and the network)")
    if isinstance(cause, ConnectionResetError | ConnectionAbortedError | HTTPException):
        return _("the connection was cut")
    if isinstance(cause, OSError) and cause.errno == errno.ENETUNREACH:
        return _("the network is unreachable: are you online?")
    if isinstance(cause, OSError) and cause.errno == errno.EHOSTUNREACH:
        return _("the host is unreachable")
    return str(reason or error)


class _QuickConnect:
    """Waits ``CONNECT_TIMEOUT`` seconds to connect (a server that is down is known at
    once), then the request's own timeout for the answer."""

    timeout: Any
    sock: Any

    def connect(self) -> None:
        answer_timeout = self.timeout
        self.timeout = min(CONNECT_TIMEOUT, answer_timeout or CONNECT_TIMEOUT)
        super().connect()  # type: ignore[misc]
        self.timeout = answer_timeout
        self.sock.settimeout(answer_timeout)


class _Connection(_QuickConnect, HTTPConnection):
    pass


class _SecureConnection(_QuickConnect, HTTPSConnection):
    pass


class _Handler(urllib.request.HTTPHandler):
    def http_open(self, req: Any) -> Any:
        return self.do_open(_Connection, req)


class _SecureHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: Any) -> Any:
        return self.do_open(_SecureConnection, req)


_opener = urllib.request.build_opener(_Handler, _SecureHandler)


def call(
    server: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    retry: bool = True,
    patience: float = 15.0,
    timeout: float = 60.0,
    say: Callable[[str], None] | None = None,
) -> Any:
    """The JSON answer of ``method path`` on ``server``, or :class:`ServerError`.
    While it retries, ``say`` (standard error by default) is told once what is
    happening."""
    url = server.rstrip("/") + path
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline = time.monotonic() + patience
    pause = 0.2
    told = False
    while True:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with _opener.open(request, timeout=timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = _detail(error)
            if not (retry and error.code in RETRY_STATUSES) or time.monotonic() > deadline:
                raise ServerError(error.code, detail, server) from None
            why = ServerError(error.code, detail, server).words()
        except (TimeoutError, urllib.error.URLError, HTTPException, OSError) as error:
            why = reason_words(error, timeout)
            if not retry or time.monotonic() > deadline:
                raise ServerError(0, why, server) from None
        if not told:
            told = True
            (say or _to_stderr)(
                _("{url}: {reason}; trying again for up to {seconds} s...").format(
                    url=server, reason=why, seconds=int(patience)
                )
            )
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _detail(error: urllib.error.HTTPError) -> Any:
    try:
        document = json.loads(error.read() or b"null")
    except ValueError:
        return error.reason
    return document.get("detail", document) if isinstance(document, dict) else document
