"""Count the answers given away in a first study session, as a new learner meets them.

Runs the real ``maliquiz study --plain`` in a fresh data folder over the bundled decks,
answering every card "don't know", and counts the cards whose answer (as the feedback
prints it) was already on screen in an earlier question: in its prompt, or among its
options for a question asked typed (an option among four does not tell which one a
later choice question's answer is). Comparison is on folded text (no accents, no case,
digit groups joined), whole words.

    python scripts/giveaways.py [--limit 60]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

_TRIVIAL = {"true", "false", "vrai", "faux"}


def fold(text: str) -> str:
    """Lower case, no accents, one kind of space, digit groups joined (2 000 → 2000)."""
    text = unicodedata.normalize("NFKD", text.replace("\u202f", " ").replace("\u00a0", " "))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", text)
    return re.sub(r"\s+", " ", text)


def session_output(limit: int) -> str:
    """What a first plain session prints, answering every card with an empty line."""
    with tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, MALIQUIZ_DATA_DIR=data, MALIQUIZ_LANG="en")
        done = subprocess.run(
            [sys.executable, "-m", "maliquiz", "study", "--plain", "--limit", str(limit)],
            input="\n" * (limit * 4),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    return done.stdout


_OPTION = re.compile(r"^\s*\d+\) ")


def given_away(output: str) -> tuple[list[str], int]:
    """The answers already shown in an earlier question, and the number of questions.

    As the session judges it: a question's prompt gives away any answer it names; its
    options give away the answer of a typed question, not that of a question asked as a
    choice (an option among four does not tell which one another question's answer is).
    """
    statements: list[str] = []
    options: list[str] = []
    found: list[str] = []
    blocks = [b for b in re.split(r"\n(?=\[\d+/\d+\])", output) if b.startswith("[")]
    for number, block in enumerate(blocks, start=1):
        lines = block.split("\n")
        question: list[str] = []
        for line in lines[1:]:
            if line.startswith(">"):
                break
            question.append(line)
        offered = [line for line in question if _OPTION.match(line)]
        said = [line for line in question if not _OPTION.match(line)]
        seen = statements if offered else [*statements, *options]
        answers = [ln.split(":", 1)[1].strip() for ln in lines if ln.strip().startswith("Answer:")]
        for answer in answers:
            folded = fold(answer)
            if len(folded) < 3 or folded in _TRIVIAL:
                continue
            pattern = r"(?<!\w)" + re.escape(folded) + r"(?!\w)"
            if any(re.search(pattern, text) for text in seen):
                earlier = next(
                    i
                    for i, pair in enumerate(zip(statements, options, strict=True), start=1)
                    if any(re.search(pattern, t) for t in (pair if not offered else pair[:1]))
                )
                found.append(f"#{number} {answer!r}, shown in question #{earlier}")
                break
        statements.append(fold("\n".join(said)))
        options.append(fold("\n".join(offered)))
    return found, len(blocks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=60, help="cards in the session")
    args = parser.parse_args()
    found, asked = given_away(session_output(args.limit))
    for line in found:
        print("given away:", line)
    print(f"{len(found)} answers given away in {asked} cards")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
