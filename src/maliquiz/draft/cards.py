"""From an article's facts to draft cards: a typed card per fact (number, date or name)
and, when the article holds enough of the same kind, a multiple choice on the same fact
in the same ``group``. Ids come from the fact (``chiffre-2000-soldats``,
``date-2024-11-15``, ``acteur-james-heappey``), so the same article gives the same deck.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from maliquiz.core.text.dates import PartialDate, format_date
from maliquiz.core.text.normalize import is_acronym, normalize
from maliquiz.core.text.numbers import format_number
from maliquiz.draft.actors import actor_facts, countries, find_actors
from maliquiz.draft.article import Article
from maliquiz.draft.attribution import UNKNOWN, Attribution, quoted_words
from maliquiz.draft.context import BLANK, clause_subject, window
from maliquiz.draft.dates import dates_in
from maliquiz.draft.facts import Fact
from maliquiz.draft.figures import MAGNITUDES, figures_in
from maliquiz.draft.rewrites import (
    SKIP,
    counted_by,
    figure_year_question,
    fits_sentence,
    is_region,
    list_question,
    merge_lists,
    title_question,
)

COPIED_RUN = 12
"""No string of a card repeats this many consecutive words of the article."""
_ENTITY_KIND = {
    "person": "person", "organisation": "organisation", "group": "group",
    "operation": "operation", "country": "country", "place": "place",
}  # fmt: skip
_ACTOR_QUESTION = {
    "person": "Qui", "organisation": "Quelle organisation", "group": "Quel groupe",
    "operation": "Quelle opération", "country": "Quel pays",
}  # fmt: skip
"""Kinds the drafter is sure of; any other name is asked "Qui ou quoi" (a city can stand
for its government, spaCy calls a newspaper or a region an organisation)."""
_ORG_WORDS = re.compile(
    r"^(?:organisation|conseil|mission|minist[èe]re|d[ée]partement|r[ée]seau|union|"
    r"force|forces|comit[ée]|agence|fonds|programme|cour|assembl[ée]e|parlement)\b",
    re.IGNORECASE,
)

_KIND_FAMILY = {
    "person": "person", "organisation": "org", "group": "org", "operation": "org",
    "country": "place", "place": "place",
}  # fmt: skip
_DATE_QUESTION = {
    "depuis": "Depuis quelle année", "fin": "À la fin de quelle année",
    "début": "Au début de quelle année", "dès": "Dès quelle année",
    "jusqu'en": "Jusqu'en quelle année", "avant": "Avant quelle année",
    "après": "Après quelle année",
}  # fmt: skip


@dataclass
class Drafted:
    """An article with the facts found in it and its parsed paragraphs."""

    article: Article
    source_id: str
    docs: list[Any]
    facts: list[Fact] = field(default_factory=list)


def slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens (a deck or card id)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", folded)
    out = "-".join(words)[:limit].strip("-")
    return out or "x"


def find_facts(article: Article, docs: list[Any]) -> list[Fact]:
    """Every figure, date and actor of a parsed article, one fact each: the first place
    a figure or a date is written, an actor's most telling mention."""
    year = article.year
    dated = article.date is not None
    facts: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for n, doc in enumerate(docs, start=1):
        skip = article.body_start if n == 1 else 0
        found = figures_in(doc, n, skip) + dates_in(doc.text, n, year, skip, dated)
        for fact in sorted(found, key=lambda f: f.start):
            key = (fact.kind, normalize(f"{fact.number or fact.answer} {fact.unit or ''}"))
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    facts += actor_facts(find_actors(docs, article.body_start))
    facts += quoted_words(docs, article.body_start)
    return sorted(facts, key=lambda f: (f.paragraph, f.start))


def _runs(text: str) -> set[tuple[str, ...]]:
    folded = unicodedata.normalize("NFKD", text.lower())
    words = re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))
    return {tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}


def _article_runs(article: Article) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for paragraph in article.paragraphs:
        runs |= _runs(paragraph)
    return runs


def _elide(word: str, rest: str) -> str:
    """``de`` + ``années`` is ``d'années``."""
    return f"{word[:-1]}'{rest}" if rest[:1].lower() in "aeiouyéèêh" else f"{word} {rest}"


def _question(fact: Fact) -> str:
    if fact.kind == "actor" and fact.entity == "organisation":
        sure = is_acronym(fact.answer) or _ORG_WORDS.match(fact.answer) is not None
        return "quelle organisation" if sure else "qui ou quoi"
    if fact.kind == "number":
        unit = re.sub(r"^(?:ans?|année)\b", "années", fact.unit) if fact.unit else None
        return _elide("combien de", unit) if unit else "quel chiffre"
    if fact.kind == "date":
        if fact.date is None:
            return "quel jour (jour et mois)"  # a day of an undated article: no year guessed
        if fact.date.day is not None:
            return "quel jour"
        if fact.date.month is not None:
            return "en quel mois"
        return _DATE_QUESTION.get(fact.qualifier or "", "En quelle année").lower()
    return _ACTOR_QUESTION.get(fact.entity or "", "Qui ou quoi").lower()


def _prompt(
    fact: Fact,
    said: Attribution,
    sizes: tuple[int, int],
    skip: int = 0,
    when: str | None = None,
    facts: tuple[Fact, ...] = (),
) -> str | None:
    """The question: ``[Selon X, ]question ? « words ____ words »``, or for a person the
    article introduces with a role, ``Dans l'article (2022), qui est présenté comme « un
    ministre ... » ?`` (the article's own determiner, no tense of ours). A figure says
    whose and when (the article's date), since articles give other figures; None when the
    words around the blank give nothing to answer from."""
    if fact.kind == "actor" and fact.role:
        dated = f" ({when})" if when else ""
        return f"Dans l'article{dated}, qui est présenté comme « {fact.role} » ?"
    # A name is no claim: "selon X" in its sentence is about the figures, not the name.
    said_by = said.who(fact.paragraph, fact.start, fact.end, according=fact.kind != "actor")
    if said_by == UNKNOWN:
        return None  # a claim whose owner is unknown would read as a fact
    question = _question(fact)
    doc = said.docs[fact.paragraph - 1]
    if fact.kind == "actor":
        people = {f.answer for f in facts if f.entity == "person"}
        titled = title_question(fact, doc, people)
        if titled is not None:
            return None if titled == SKIP else titled
        if fact.members:
            question = list_question(fact, _KIND_FAMILY)
        elif is_region(fact, doc, countries()):
            question = "dans quelle région"
    sentence = next((s for s in doc.sents if s.start_char <= fact.start < s.end_char), doc[:])
    if _answers_itself(fact, sentence.text):
        return None
    if fact.kind == "date" and (figure := counted_by(fact, list(facts), doc.text)):
        lo = max(doc.text.rfind(c, 0, figure.start) for c in ",;(")
        his = [i for i in (doc.text.find(c, fact.end) for c in ",;.)") if i >= 0]
        clause = doc.text[lo + 1 : min(his, default=len(doc.text))]
        if len(set(_YEAR.findall(clause))) != 1:
            return None  # "deux coups d'État en 2020 et 2021": no one year to ask
        question = figure_year_question(figure)
    shown = window(doc, fact.start, fact.end, *sizes, skip=skip)
    if shown.thin:
        return None
    if fact.kind == "actor" and _SAYS.match(shown.left):
        return None  # "a déclaré le ____ lundi": who speaks, but not what is said
    if said_by and normalize(f"selon {said_by}") in normalize(shown.left):
        said_by = None  # the words shown say it already
    # Whose clause it is: a window without its subject ("quittera le territoire le ____")
    # reads as anyone's; the subject is named before the quote, else no card.
    subject = clause_subject(
        doc, fact.start, fact.end, skip, lambda t: said.resolve(fact.paragraph, t)
    )
    named = ""
    if subject is not None and subject[0] < shown.first and not subject[2]:
        return None
    if subject is not None and subject[0] < shown.first:
        # The window starts after the subject, so that it is not shown twice.
        shown = window(doc, fact.start, fact.end, *sizes, skip=max(skip, subject[1]))
        if shown.thin:
            return None
        named = subject[2][:1].upper() + subject[2][1:] + " "
    if fact.entity == "word":
        if not said_by:
            return None
        return f"Quel mot, employé par {said_by}, manque ? {named}{shown.quoted(BLANK)}"
    if fact.kind == "number" and (scope := _scope(doc, fact.start)):
        shown_text = normalize(f"{shown.left} {shown.right}")
        question += "" if normalize(scope) in shown_text else f" ({scope})"
    if fact.kind == "number" or (fact.kind == "date" and not said_by):
        # A figure or a date is the article's claim: it says whose and when.
        lead = f"Selon {said_by}" if said_by else "D'après l'article"
        lead += f" ({when}), {question}" if when else f", {question}"
    else:
        lead = f"Selon {said_by}, {question}" if said_by else question[:1].upper() + question[1:]
    return f"{lead} ? {named}{shown.quoted(BLANK)}"


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_YEAR_LIST = re.compile(r"\b(?:(?:1[89]|20)\d\d, )*(?:1[89]|20)\d\d et (?:1[89]|20)\d\d\b")


def _answers_itself(fact: Fact, sentence: str) -> bool:
    """The sentence gives the blank away: a year in a list of years (``en 2020 et
    ____``)."""
    for match in _YEAR_LIST.finditer(sentence):
        years = _YEAR.findall(match.group(0))
        if fact.kind == "date" and fact.answer[:4] in years:
            return True
    return False


_SAYS = re.compile(r"^(?:a|ont)\s+(?:\w+\s+)?\w+[ée]s?(?:\s+(?:le|la|les|l'))?\s*$")
_REGION = re.compile(r"\bdans (?:toute )?la région (?:du |de la |des |de l')?[A-ZÉ][\w'-]*")
_LOCATIVE = re.compile(r"\bau ([A-ZÉ][\w'-]*(?: [A-ZÉ][\w'-]*)*)")


def _scope(doc: Any, start: int) -> str | None:
    """Where a figure counts when its sentence says a region (``dans la région du
    Sahel``, ``au Sahel``): a figure for a region is not one for the article's country."""
    sent = next((s for s in doc.sents if s.start_char <= start < s.end_char), doc[:])
    if match := _REGION.search(sent.text):
        return match.group(0)
    places = {e.text for e in sent.ents if e.label_ == "LOC"}
    for match in _LOCATIVE.finditer(sent.text):
        name = match.group(1)
        if name in places and normalize(name) not in countries():
            return match.group(0)
    return None


def _fitting_prompt(
    fact: Fact,
    said: Attribution,
    copied: set[tuple[str, ...]],
    skip: int,
    when: str | None,
    facts: tuple[Fact, ...] = (),
) -> str | None:
    """The prompt with the widest window that copies no run of the article, or None
    (the fact is not drafted) when no window both fits and says enough."""
    for sizes in ((11, 10), (9, 7), (7, 5), (5, 4)):
        prompt = _prompt(fact, said, sizes, skip, when, facts)
        if prompt is None:
            return None
        if not _runs(prompt.replace(BLANK, " ")) & copied:
            return prompt
    return None


def _shown(fact: Fact) -> str:
    """The fact as a choice option."""
    if fact.kind == "number":
        if fact.number is None:  # a round figure
            return fact.answer
        return format_number(fact.number).replace("\u202f", " ")
    if fact.kind == "date" and fact.date is not None:
        return format_date(fact.date)
    return fact.answer


def _distractors(fact: Fact, facts: list[Fact], doc: Any = None) -> list[str]:
    """Up to three other facts of the same article and kind, the closest first; for a
    figure, none that the sentence of ``doc`` shows or rules out."""
    if fact.kind == "number" and fact.number is None:
        return _round_neighbours(fact.answer)
    same = [
        f
        for f in facts
        if f.kind == fact.kind and _shown(f) != _shown(fact) and (f.number or f.date or f.entity)
    ]
    if fact.kind == "number" and doc is not None:
        fits = fits_sentence(fact, facts, doc)
        same = [f for f in same if fits(f)]
    if fact.kind == "number":
        assert fact.number is not None
        key = fact.number

        def distance(f: Fact) -> tuple[Decimal, str]:
            assert f.number is not None
            ratio = f.number / key if f.number > key else key / f.number
            return ratio, _shown(f)

        same.sort(key=distance)
    elif fact.kind == "date":
        precision = fact.date.precision if fact.date else None
        same = [f for f in same if f.date and f.date.precision == precision]
    else:
        exact = [f for f in same if f.entity == fact.entity]
        family = [
            f
            for f in same
            if f not in exact
            and _KIND_FAMILY.get(f.entity or "") == _KIND_FAMILY.get(fact.entity or "")
        ]
        same = exact + family
    shown = list(dict.fromkeys(_shown(f) for f in same))
    return shown[:3]


def _round_neighbours(answer: str) -> list[str]:
    """``quelques milliers``: the three nearest other magnitudes, said the same way."""
    word, _space, magnitude = answer.partition(" ")
    at = MAGNITUDES.index(magnitude)
    nearest = sorted(
        (m for m in MAGNITUDES if m != magnitude), key=lambda m: abs(MAGNITUDES.index(m) - at)
    )
    return [f"{word} {m}" for m in nearest[:3]]


def _sorted_options(fact: Fact, options: list[str], facts: list[Fact]) -> list[str]:
    if fact.kind == "number" and fact.number is None:
        word = fact.answer.partition(" ")[0]
        return sorted(options, key=lambda o: MAGNITUDES.index(o.removeprefix(word + " ")))
    if fact.kind in {"number", "date"}:
        by_shown = {_shown(f): f for f in facts}

        def order(option: str) -> tuple[Any, ...]:
            f = by_shown[option]
            if f.number is not None:
                return (f.number,)
            d = f.date or PartialDate(0)
            return (d.year, d.month or 0, d.day or 0)

        return sorted(options, key=order)
    return sorted(options, key=normalize)


def _citation(drafted: Drafted, fact: Fact) -> dict[str, Any]:
    paragraphs = fact.paragraphs
    return {
        "ref": drafted.source_id,
        "paragraph": paragraphs[0] if len(paragraphs) == 1 else paragraphs,
    }


def _base_id(fact: Fact) -> str:
    if fact.kind == "number":
        unit = slug(fact.unit or "", 24)
        return f"chiffre-{slug(str(fact.number or fact.answer))}" + (
            f"-{unit}" if fact.unit else ""
        )
    if fact.kind == "date":
        return f"date-{fact.answer if fact.date else slug(fact.answer)}"
    return f"{'mot' if fact.entity == 'word' else 'acteur'}-{slug(fact.answer)}"


def _typed(fact: Fact, prompt: str) -> dict[str, Any]:
    card: dict[str, Any] = {"type": {"number": "number", "date": "date"}.get(fact.kind, "text")}
    card["prompt"] = prompt
    card["answer"] = fact.answer
    if fact.kind == "date" and fact.date is None:  # "29 juin" in an undated article
        card["type"] = "text"
        card["accept"] = [f"le {fact.answer}"]
    if fact.kind == "number" and fact.unit:
        card["unit"] = fact.unit
    if fact.kind == "actor":
        if fact.accept:
            card["accept"] = fact.accept
        card["kind"] = "other" if fact.members else _ENTITY_KIND.get(fact.entity or "", "other")
    return card


def article_cards(drafted: Drafted, taken: set[str]) -> list[dict[str, Any]]:
    """The draft cards of one article; ``taken`` holds the ids already used in the deck
    (several articles in one deck) and gets this article's."""
    copied = _article_runs(drafted.article)
    cards: list[dict[str, Any]] = []
    tags = {"number": "chiffres", "date": "dates", "actor": "acteurs"}
    article = drafted.article
    when = format_date(article.date) if article.date else None
    if when is None and article.year:  # the year an undated article cites last: a guess
        when = f"article non daté, vers {article.year}"
    said = Attribution(drafted.docs)
    facts = tuple(drafted.facts)
    listed = merge_lists(drafted.facts, _KIND_FAMILY, drafted.article.paragraphs)
    for fact in listed:
        skip = drafted.article.body_start if fact.paragraph == 1 else 0
        prompt = _fitting_prompt(fact, said, copied, skip, when, facts)
        for paragraph, start, end in fact.elsewhere if prompt is None else ():
            # Another mention of the name may be asked well where the first is not.
            moved = replace(fact, paragraph=paragraph, start=start, end=end)
            skip = drafted.article.body_start if paragraph == 1 else 0
            prompt = _fitting_prompt(moved, said, copied, skip, when, facts)
            if prompt is not None:
                fact = moved
                break
        if prompt is None and not fact.long_form:
            continue  # a card not drafted is better than one that cannot be answered
        if prompt is not None:
            fact = _cite_speaker(fact, said, drafted.article)
        base = _base_id(fact)
        if base in taken:
            base = f"{base}-p{fact.paragraph}"
        if base in taken:
            base = f"{base}-{slug(drafted.source_id, 20)}"
        taken.add(base)
        source = _citation(drafted, fact)
        meta = {"source": source, "tags": [tags[fact.kind]], "group": base}
        if prompt is not None and (fact.kind != "number" or fact.number is not None):
            cards.append({"id": base, **_typed(fact, prompt), **meta})
        if fact.long_form:
            cards.append(
                {
                    "id": f"{base}-sens",
                    "type": "text",
                    "prompt": f"Que signifie le sigle {fact.answer} ?",
                    "answer": fact.long_form,
                    "kind": "organisation",
                    **meta,
                }
            )
        # A name card is asked as a choice first by the study screen (options of its
        # kind from the whole deck): a drafted copy would only add options that give the
        # answer away (a lone plural, a lone newspaper, two names of one body).
        doc = drafted.docs[fact.paragraph - 1]
        others = _distractors(fact, drafted.facts, doc) if fact.kind != "actor" else []
        if prompt is not None and len(others) >= 2:
            options = _sorted_options(fact, [_shown(fact), *others], drafted.facts)
            round_figure = fact.kind == "number" and fact.number is None
            cards.append(
                {
                    "id": base if round_figure else f"{base}-choix",
                    "type": "choice",
                    "prompt": prompt,
                    "options": options,
                    "answer": _shown(fact),
                    **meta,
                }
            )
    return cards


def _cite_speaker(fact: Fact, said: Attribution, article: Article) -> Fact:
    """A speaker named in an earlier paragraph (« ... [paragraph] ... », a-t-il dit) is
    cited too: the card's words must all be in the paragraphs it cites."""
    who = said.who(fact.paragraph, fact.start, fact.end, according=fact.kind != "actor")
    if not who or any(
        normalize(who) in normalize(article.paragraphs[k - 1]) for k in fact.paragraphs
    ):
        return fact
    for k in range(fact.paragraph - 1, 0, -1):
        if normalize(who) in normalize(article.paragraphs[k - 1]):
            return replace(fact, cite=[*fact.cite, k])
    return fact


def _opening(article: Article, words: int) -> str:
    text = article.paragraphs[0][article.body_start :] if article.paragraphs else ""
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:") + ("…" if len(parts) > words else "")


def build_deck(drafts: list[Drafted], deck_id: str, title: str | None) -> dict[str, Any]:
    """The draft deck of one or more articles, as the dict a deck file holds."""
    sources = []
    for drafted in drafts:
        source: dict[str, Any] = {"id": drafted.source_id, "title": _opening(drafted.article, 9)}
        if drafted.article.date:
            source["date"] = drafted.article.date.iso()
        elif drafted.article.year:
            source["date"] = str(drafted.article.year)
        source["file"] = drafted.article.name
        if drafted.article.date is None and drafted.article.year:
            source["note"] = (
                f"Article non daté : année {drafted.article.year} déduite de la dernière "
                "année qu'il cite, à vérifier."
            )
        sources.append(source)
    taken: set[str] = set()
    cards = [card for drafted in drafts for card in article_cards(drafted, taken)]
    deck = {
        "id": deck_id,
        "title": title or f"Brouillon : {_opening(drafts[0].article, 7)}",
        "language": "fr",
        "tags": ["brouillon"],
        "sources": sources,
        "cards": cards,
    }
    _group_giveaways(deck)
    return deck


def _group_giveaways(deck: dict[str, Any]) -> None:
    """Cards that show each other's answer (two actors in one sentence) join one group,
    as ``maliquiz check`` asks, so that only one of them is asked a day; a group of one
    card is dropped."""
    from maliquiz.core.deck.giveaways import deck_giveaways
    from maliquiz.core.deck.models import Deck

    cards = deck["cards"]
    while True:
        model = Deck.model_validate(deck)
        pairs = {(a.id, b.id) for a, b in deck_giveaways(model)}
        mutual = sorted((a, b) for a, b in pairs if a < b and (b, a) in pairs)
        if not mutual:
            break
        by_id = {card["id"]: card for card in cards}
        for a, b in mutual:
            keep, drop = sorted((by_id[a]["group"], by_id[b]["group"]))
            for card in cards:
                if card["group"] == drop:
                    card["group"] = keep
    sizes: dict[str, int] = {}
    for card in cards:
        sizes[card["group"]] = sizes.get(card["group"], 0) + 1
    for card in cards:
        if sizes[card["group"]] == 1:
            del card["group"]
