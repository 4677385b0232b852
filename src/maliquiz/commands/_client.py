"""Talking to a class server with the standard library only (``urllib``), so that a
learner's ``maliquiz sync`` needs no extra package.

Requests that are safe to repeat (pushing answers: the server keeps each uid once;
reading) are retried with a growing pause when the server cannot be reached or
answers 502/503/504, for up to ``patience`` seconds: a server restarting loses
nothing and doubles nothing.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from http.client import HTTPException
from typing import Any, Final

from maliquiz.i18n import _

RETRY_STATUSES: Final = (502, 503, 504)
USER_AGENT: Final = "maliquiz-sync"


class ServerError(Exception):
    """A request that failed: ``status`` (0 when the server was not reached) and the
    server's ``detail``."""

    def __init__(self, status: int, detail: Any, url: str) -> None:
        self.status = status
        self.detail = detail
        self.url = url
        super().__init__(f"{status}: {detail}")

    def words(self, *, teacher: bool = False) -> str:
        """What to tell the user, in the interface language (``teacher``: the request
        carried a teacher's token, not a learner's)."""
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
        if self.status == 403:
            return _("the server refused: {reason}").format(reason=message)
        if self.status == 429:
            return _("too many wrong codes from this machine: wait a minute and try again")
        if self.status == 413:
            return _("the server refused a request as too large: {reason}").format(reason=message)
        return _("the server answered {status}: {reason}").format(
            status=self.status, reason=message
        )


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be a server address, or None."""
    if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
        return _("a server address starts with http:// or https:// (got {url})").format(url=url)
    return None


def call(
    server: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    retry: bool = True,
    patience: float = 30.0,
    timeout: float = 60.0,
) -> Any:
    """The JSON answer of ``method path`` on ``server``, or :class:`ServerError`."""
    url = server.rstrip("/") + path
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline = time.monotonic() + patience
    pause = 0.2
    while True:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            detail = _detail(error)
            if not (retry and error.code in RETRY_STATUSES) or time.monotonic() > deadline:
                raise ServerError(error.code, detail, server) from None
        except (TimeoutError, urllib.error.URLError, HTTPException, OSError) as error:
            reason = getattr(error, "reason", None) or error
            if not retry or time.monotonic() > deadline:
                raise ServerError(0, str(reason), server) from None
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


def _detail(error: urllib.error.HTTPError) -> Any:
    try:
        document = json.loads(error.read() or b"null")
    except ValueError:
        return error.reason
    return document.get("detail", document) if isinstance(document, dict) else document
