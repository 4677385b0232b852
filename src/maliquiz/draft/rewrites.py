"""Questions rewritten around a thin name or year gap, so that the card asks something a
learner can answer from the article:

* a name inside a person's job title (``le porte-parole du ____, Matthew Miller``) is
  asked as what the person is the role of; a name after ``X, de ____`` only when the
  article says what it is (``, une ONG``); any other name inside a person's description
  (``conseillère principale pour l'____``) is not asked;
* a place that is no country, written after ``dans la région du``, ``dans le`` or
  ``en``, is asked ``dans quelle région`` (the event stays in the words shown);
* names listed together (``en Irak et en Afghanistan``) are asked together: a blank on
  one of them is given away by the others;
* the bare year of a figure (``tué plus de 8 000 en ____``) is asked with the figure;
* a figure's wrong options are none its sentence shows or rules out (``20.000 soldats
  dont ____ casques bleus``: no option of 20 000 or more).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from maliquiz.core.text.normalize import normalize
from maliquiz.draft.facts import Fact

SKIP = "skip"
"""A name gap not worth a card."""

_ROLE_BEFORE = re.compile(
    r"(?:^|\s)(?i:le|la|l'|un|une)\s*((?:[a-zàâçéèêëîïôûù-]+\s+){0,3}?[a-zàâçéèêëîïôûù-]+)"
    r"\s+(?:du|de la|de l'|des|de|d')\s*$"
)
_ROLE_AFTER = re.compile(
    r",\s+((?:[a-zàâçéèêëîïôûù-]+\s+){0,3}?[a-zàâçéèêëîïôûù-]+)\s+(?:du|de la|de l'|des|de|d')\s*$"
)
_FROM = re.compile(r",\s+(?:de|du|de la|de l'|d')\s*$")
_IN_TITLE = re.compile(
    r",\s+(?:[a-zàâçéèêëîïôûù'-]+\s+){1,4}(?:pour|chargée? de|de|du|des|à)\s+(?:l'|la |le |les )?$"
)
_WHAT_IT_IS = re.compile(r"^\s*,\s+(?:une?|l[ae]|l')\s*([a-zàâçéèêëîïôûù]+|[A-Z]{2,})\b")
_REGION_BEFORE = re.compile(
    r"(?:\bdans\s+(?:toute\s+)?(?:la|les)\s+régions?\s+(?:du|de la|de l'|des)"
    r"|\bdans\s+(?:le|la|l')|(?:^|\s)en)\s*$",
    re.IGNORECASE,
)
_LIST_AROUND = re.compile(r"^\s*(?:,|et|ou)\s+(?:(?:en|au|aux|à|le|la|les|l')\s*)?$")
_FIGURE_YEAR = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?(?:en|au cours de l'année)\s*$")
"""Between a figure and its year: its unit at most (``4 000 personnes en 2021``)."""


def _sentence(doc: Any, start: int) -> Any:
    for sent in doc.sents:
        if sent.start_char <= start < sent.end_char:
            return sent
    return doc[:]


def _person_ending(text: str, end: int, people: set[str]) -> str | None:
    """The person named just before character ``end`` (``Binta Sidibe Gascon,``)."""
    before = text[:end].rstrip()
    return next((p for p in sorted(people) if before.endswith(p)), None)


def _person_starting(text: str, start: int, people: set[str]) -> str | None:
    """The person named right after ``, `` from character ``start``."""
    match = re.match(r"\s*,\s*", text[start:])
    if not match:
        return None
    after = text[start + match.end() :]
    return next((p for p in sorted(people) if after.startswith(p)), None)


_NOT_ROLES = {"a", "ont", "est", "sont", "avait", "était", "qui", "et", "selon"}


def title_question(fact: Fact, doc: Any, people: set[str]) -> str | None:
    """``Dans l'article, Matthew Miller est porte-parole de quelle institution ?``; SKIP
    for a name inside a person's description that the article does not say; None when
    the name is not inside a job title. ``people`` are the names of the article's persons."""
    text = doc.text
    sent = _sentence(doc, fact.start)
    left = text[sent.start_char : fact.start]
    right = text[fact.end : sent.end_char]
    role = _ROLE_BEFORE.search(left)
    if role and _NOT_ROLES.isdisjoint(role.group(1).split()):
        who = _person_starting(text, fact.end, people)
        if who:
            return f"Dans l'article, {who} est {role.group(1)} de quelle institution ?"
    person_end = left.rfind(",")
    who = _person_ending(left, person_end, people) if person_end >= 0 else None
    if who is None:
        return None
    role = _ROLE_AFTER.search(left)
    if role and _NOT_ROLES.isdisjoint(role.group(1).split()):
        if role.group(1).split()[-1] in {"pour", "à"}:
            return SKIP
        return f"Dans l'article, {who} est {role.group(1)} de quelle institution ?"
    if _FROM.search(left):
        if what := _WHAT_IT_IS.match(right):
            return f"Dans l'article, {who} est de quelle {what.group(1)} ?"
        return SKIP
    if _IN_TITLE.search(left):
        return SKIP
    return None


def is_region(fact: Fact, doc: Any, countries: frozenset[str]) -> bool:
    """A place that is no country, after ``dans la région du``, ``dans le`` or ``en``."""
    if fact.entity != "place" or normalize(fact.answer) in countries:
        return False
    left = doc.text[max(0, fact.start - 40) : fact.start]
    return _REGION_BEFORE.search(left) is not None


def merge_lists(facts: list[Fact], family: dict[str, str], texts: list[str]) -> list[Fact]:
    """Names listed together (``en Irak et en Afghanistan``, ``Ménaka et Gao``) become one
    fact asking them all: a blank over one name of a list is given away by the others.
    ``texts`` are the paragraphs."""
    actors = sorted(
        (f for f in facts if f.kind == "actor" and f.entity != "word"),
        key=lambda f: (f.paragraph, f.start),
    )
    lists: list[list[Fact]] = []
    for fact in actors:
        last = lists[-1][-1] if lists else None
        if (
            last is not None
            and last.paragraph == fact.paragraph
            and family.get(last.entity or "") == family.get(fact.entity or "")
            and last.end <= fact.start
            and _LIST_AROUND.match(texts[fact.paragraph - 1][last.end : fact.start])
        ):
            lists[-1].append(fact)
        else:
            lists.append([fact])
    merged: dict[int, Fact] = {}
    dropped: set[int] = set()
    for names in lists:
        if len(names) < 2:
            continue
        first, *rest = names
        written = [n.answer for n in names]
        joined = ", ".join(written[:-1]) + " et " + written[-1]
        answer = texts[first.paragraph - 1][first.start : rest[-1].end]  # as the article has it
        others = [joined, *([" et ".join(reversed(written))] if len(written) == 2 else [])]
        merged[id(first)] = replace(
            first,
            end=rest[-1].end,
            answer=answer,
            accept=[a for a in dict.fromkeys(others) if a != answer],
            members=written,
            elsewhere=[],
            role=None,
            long_form=None,
        )
        dropped |= {id(n) for n in rest}
    return [merged.get(id(f), f) for f in facts if id(f) not in dropped]


_COUNT = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq"}
_FAMILY_NOUN = {"place": "lieux", "org": "noms", "person": "personnes"}


def list_question(fact: Fact, family: dict[str, str]) -> str:
    """``quels deux pays``, ``quels deux lieux``."""
    count = _COUNT.get(len(fact.members), str(len(fact.members)))
    if fact.entity == "country":
        return f"quels {count} pays"
    if fact.entity == "group":
        return f"quels {count} groupes"
    noun = _FAMILY_NOUN.get(family.get(fact.entity or "", ""), "noms")
    return f"quelles {count} {noun}" if noun == "personnes" else f"quels {count} {noun}"


def counted_by(fact: Fact, facts: list[Fact], paragraph_text: str) -> Fact | None:
    """The figure a bare year belongs to: ``tué plus de 8 000 en 2022``."""
    if fact.kind != "date" or fact.date is None or fact.date.month is not None:
        return None
    if fact.qualifier:
        return None
    for other in facts:
        same = other.kind == "number" and other.paragraph == fact.paragraph
        before = same and other.end <= fact.start
        if before and _FIGURE_YEAR.match(paragraph_text[other.end : fact.start]):
            return other
    return None


def figure_year_question(figure: Fact) -> str:
    """``le chiffre de plus de 8 000 personnes vaut pour quelle année``."""
    counted = f"{figure.answer} {figure.unit}" if figure.unit else figure.answer
    return f"le chiffre de {counted} vaut pour quelle année"


_PART_OF = re.compile(r"^\s*(?:[\w'-]+\s+){0,3}?dont\s*$")
"""Between a total and a part of it: ``20.000 soldats dont environ 15.000``."""


def fits_sentence(fact: Fact, facts: list[Fact], doc: Any) -> Callable[[Fact], bool]:
    """Whether a figure may stand as a wrong option for ``fact``: not one its sentence
    shows, nor one the sentence rules out (a part above its total ``dont``)."""
    sent = _sentence(doc, fact.start)
    shown: set[Decimal] = set()
    low: Decimal | None = None
    high: Decimal | None = None
    for other in facts:
        if other is fact or other.kind != "number" or other.number is None:
            continue
        if other.paragraph != fact.paragraph:
            continue
        if not (sent.start_char <= other.start < sent.end_char):
            continue
        shown.add(other.number)
        if other.end <= fact.start and _PART_OF.match(doc.text[other.end : fact.start]):
            high = other.number
        if fact.end <= other.start and _PART_OF.match(doc.text[fact.end : other.start]):
            low = other.number

    def fits(option: Fact) -> bool:
        value = option.number
        if value is None:
            return True
        if value in shown:
            return False
        return (high is None or value < high) and (low is None or value > low)

    return fits
