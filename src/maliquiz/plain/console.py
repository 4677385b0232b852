"""The line console both plain modes share: one line in, lines out, and how a typed
line is read as the answer to a question (numbered options, letters, gaps)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import TextIO

from maliquiz.core.learning.questions import Mode, Question, Response
from maliquiz.core.text.visible import visible
from maliquiz.i18n import _

TRUE_WORDS = {"1", "v", "vrai", "t", "true", "o", "oui", "y", "yes"}
FALSE_WORDS = {"2", "f", "faux", "false", "n", "non", "no"}
LETTERS = string.ascii_lowercase


class BadAnswer(ValueError):
    """A line that cannot be read as an answer to this question (asked again)."""


def parse_response(question: Question, line: str) -> Response:
    """Read one line as the answer to ``question``."""
    text = line.strip()
    if question.mode == Mode.TYPED:
        return text
    if question.mode == Mode.TRUEFALSE:
        word = text.casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise BadAnswer(_("answer 1 (true) or 2 (false)"))
    if question.mode == Mode.CHOICE:
        return _pick_options(question, text)
    if question.mode == Mode.ORDER:
        numbers = _numbers(text, len(question.options))
        if sorted(numbers) != list(range(1, len(question.options) + 1)):
            raise BadAnswer(
                _("give each number from 1 to {n} once, in the right order").format(
                    n=len(question.options)
                )
            )
        return tuple(question.options[n - 1] for n in numbers)
    if question.mode == Mode.MATCH:
        letters = [c for c in text.casefold() if c.isalpha()]
        count = len(question.lefts)
        if len(letters) != count or any(c not in LETTERS[:count] for c in letters):
            raise BadAnswer(
                _("give one letter from a to {last} for each item, in order").format(
                    last=LETTERS[count - 1]
                )
            )
        return {
            left: question.options[LETTERS.index(c)]
            for left, c in zip(question.lefts, letters, strict=True)
        }
    if question.mode == Mode.CLOZE:
        parts = [p.strip() for p in text.split(";")]
        if len(parts) != question.gap_count:
            raise BadAnswer(_("fill the {n} gaps, separated by `;`").format(n=question.gap_count))
        return tuple(parts)
    raise BadAnswer(_("this card is not answered by typing"))


def _numbers(text: str, upper: int) -> list[int]:
    found = [int(n) for n in re.findall(r"\d+", text)]
    if not found or any(not 1 <= n <= upper for n in found):
        raise BadAnswer(_("give numbers from 1 to {n}").format(n=upper))
    return found


def _pick_options(question: Question, text: str) -> tuple[str, ...]:
    options = question.options
    if re.fullmatch(r"[\d\s,;]+", text):
        numbers = list(dict.fromkeys(_numbers(text, len(options))))
        if len(numbers) > 1 and not question.multiple:
            # One answer is right: two numbers are a slip, not an answer to grade.
            raise BadAnswer(
                _("type the number of one option, from 1 to {n}").format(n=len(options))
            )
        return tuple(options[n - 1] for n in numbers)
    folded = text.casefold()
    for option in options:
        if option.casefold() == folded:
            return (option,)
    raise BadAnswer(_("type the number of an option, from 1 to {n}").format(n=len(options)))


def show_options(say: Callable[[str], None], question: Question) -> None:
    """Print what the learner answers from: options, items, pairs, or a hint."""
    if question.mode == Mode.CHOICE:
        for n, option in enumerate(question.options, start=1):
            say(f"  {n}) {option}")
        if question.multiple:
            say("  " + _("(several answers: give their numbers, like `1 3`)"))
    elif question.mode == Mode.TRUEFALSE:
        say(f"  1) {_('True')}   2) {_('False')}")
    elif question.mode == Mode.ORDER:
        for n, item in enumerate(question.options, start=1):
            say(f"  {n}) {item}")
        say("  " + _("(give the numbers in the right order, like `2 3 1`)"))
    elif question.mode == Mode.MATCH:
        for n, left in enumerate(question.lefts, start=1):
            say(f"  {n}) {left}")
        for letter, right in zip(LETTERS, question.options, strict=False):
            say(f"  {letter}) {right}")
        say("  " + _("(give a letter for each numbered item, in order, like `b a c`)"))
    elif question.mode == Mode.CLOZE and question.gap_count > 1:
        say("  " + _("(fill the gaps in order, separated by `;`)"))
    elif question.mode == Mode.FLASHCARD:
        say("  " + _("(press Enter to see the answer)"))
    elif question.unit:
        say("  " + _("(answer in {unit})").format(unit=question.unit))


class LineConsole:
    """One line out, one line in, over text streams: what both plain modes share."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.out = stdout

    def say(self, text: str = "") -> None:
        """Print a line and flush it (a screen reader or a pipe sees it at once). Deck
        text and what the learner typed are in it: control characters are shown as
        signs (␛, ␇), never sent to the terminal."""
        self.out.write(visible(text) + "\n")
        self.out.flush()

    def read(self, prompt: str = "> ") -> str | None:
        """One line of input, or None at the end of input."""
        self.out.write(visible(prompt))
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        return line.rstrip("\r\n")
