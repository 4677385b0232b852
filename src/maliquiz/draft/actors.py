"""Actors of an article: the people, organisations, countries, places and operations
that spaCy's named entities find, cleaned and merged.

The small French model is noisy: it calls a weekday a place, tags ``Casques`` or
``État`` alone, labels the same group a person in one sentence and an organisation in
the next, and cuts long names short. So entities are merged by their text, the kind is
decided by the words around them (``le groupe Wagner``, ``l'opération Barkhane``)
and a country only by Babel's list of French country names, short forms of a person's
name join the full name, and names the article is about (in its first paragraph and a
third of the others, such as Mali) are left out: they answer nothing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from maliquiz.core.text.normalize import is_acronym, normalize
from maliquiz.draft.facts import Fact

_NOT_NAMES = frozenset(
    "etat etats état états casques capitale lundi mardi mercredi jeudi vendredi samedi "  # noqa: SIM905
    "dimanche nord sud est ouest centre president président ministre gouvernement".split()
)
_ARTICLE = re.compile(r"^(?:la|le|les|l'|du|des|de|d')\s*", re.IGNORECASE)
_DEMONYM = re.compile(r"^[A-ZÉ][^\W\d_]+(?:ais|aises|ains|aines|iens|iennes|ois|oises)$")
_GROUP_BEFORE = re.compile(r"(?:groupes?|mouvements?|réseau)(?:\s+[\w']+){0,2}\s*$", re.IGNORECASE)
_SAID_BY = re.compile(
    r"\b(?:a|ont|avait|aurait)\s+(?:déclaré|dit|affirmé|ajouté|expliqué|estimé|indiqué|"
    r"souligné|précisé|assuré|averti)\s*$",
    re.IGNORECASE,
)
_OPERATION = re.compile(r"^(?:opération|op[ée]ration|task force)\s+", re.IGNORECASE)
# Used with .match(text, pos): no "^", which would only match at the string's start.
_EXTEND = re.compile(
    r"\s+(?:de la|de l'|des|du|de|d')\s*[a-zéè][\w-]+(?:\s+(?!de\b|des\b|du\b|d')[a-zéè][\w-]+)?"
)
_ACRONYM_LONG = re.compile(r"((?:[A-ZÉ][\w'-]*)(?:\s+[\w'-]+){2,14})\s+\(([A-ZÉ][A-Za-zÉ]{2,})\)")
_TITLE = re.compile(r"^(?:M\.|Mme|MM\.|Dr)\s+")
_EXTENDABLE = frozenset({"conseil", "reseau", "mission", "ministere", "departement"})
# "État" alone is a common noun; "État islamique" is a group.
_STATE_GROUP = re.compile(r"\b(?:É|E)tat islamique\b")
# Institutions the small model misses because they start in lower case.
_INSTITUTION = re.compile(
    r"\b(?:département|ministère|secrétariat|Conseil|conseil)\s+(?:d'|de l'|de la |des |du |de )"
    r"[A-ZÉ][\w'-]+"
)

_LABELS = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "organisation"}
# Other names of one body: an article that writes two gets one actor, whose card accepts
# the names the article writes (never two options for one body).
_ALIASES = (
    ("ONU", "Nations unies", "Organisation des Nations unies"),
    ("UE", "Union européenne"),
    ("OTAN", "Organisation du traité de l'Atlantique nord"),
    ("États-Unis", "Etats-Unis d'Amérique", "USA"),
)
# A name given away by the words around it: "Casques bleus de l'ONU", "Afrique de l'Ouest".
_GIVEAWAY_BEFORE = re.compile(
    r"(?:casques bleus|maintien de la paix) (?:de l'|des )\s*$", re.IGNORECASE
)
_GIVEAWAY_AFTER = re.compile(
    r"\s*(?:de l'(?:ouest|est)|du (?:nord|sud)|centrale|subsaharienne)\b", re.IGNORECASE
)
# A place written after a group's or body's name is part of that name (``État
# islamique dans le Grand Sahara``, ``Al-Qaïda au Maghreb islamique``): not a place to ask.
_NAMED_AFTER = r"[A-ZÉ][\w'-]*(?:[ -](?:[A-ZÉ][\w'-]*|islamique))*"
_ORG_PLACE = re.compile(r"\s+(?:dans (?:le|la|l')\s*|du |de la )" + _NAMED_AFTER)
_GROUP_PLACE = re.compile(
    r"\b(?:(?:É|E)tat islamique|Al-Qa[ïi]da)\s+(?:dans (?:le|la|l')\s*|au |aux |en |du |de la )"
    + _NAMED_AFTER
)
# A generic word alone is no name: "Conseil" cut from "Conseil des ministres".
_GENERIC = frozenset({"conseil", "reseau", "mission", "ministere", "departement", "force"})


@dataclass
class Mention:
    paragraph: int
    start: int
    end: int
    text: str
    label: str
    span: Any = None
    """spaCy's entity span, when spaCy found it."""
    giveaway: bool = False
    """The words around it give the name away (a set phrase, an acronym's long form)."""


@dataclass
class Actor:
    name: str
    mentions: list[Mention] = field(default_factory=list)
    kind: str = "organisation"
    accept: list[str] = field(default_factory=list)
    long_form: tuple[int, str] | None = None
    fixed_kind: bool = False
    cite: list[int] = field(default_factory=list)
    """Paragraphs of the other names it accepts."""


_PLACE_WORD = re.compile(
    r"^(?:(?:la|le|l')\s*)?(?:ville|région|province|capitale|commune|village|pays)\s+(?:de |d')",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    text = _TITLE.sub("", text.strip(' ,.;:«»"()'))
    text = _PLACE_WORD.sub("", text)
    return _ARTICLE.sub("", text) if not text.lower().startswith("l'amerique") else text[2:]


def _keep(name: str) -> bool:
    if len(name) < 2 or any(c.isdigit() for c in name) or name.endswith("-"):
        return False
    if not name[0].isupper() and not _OPERATION.match(name):  # "coup d'État militaire"
        return False
    if not any(c.isupper() for c in name) or normalize(name) in _NOT_NAMES:
        return False
    return _DEMONYM.match(name) is None


def _extended(paragraph: str, start: int, end: int, name: str) -> tuple[int, str]:
    """A generic organisation word cut short (``Conseil``, ``Réseau africain``) with the
    complement the text gives it (``Conseil des ministres``)."""
    if normalize(name.split()[0]) not in _EXTENDABLE:
        return end, name
    for _ in range(3):
        match = _EXTEND.match(paragraph, end)
        if not match:
            break
        end = match.end()
    return end, paragraph[start:end]


def find_actors(docs: list[Any], skip: int = 0) -> list[Actor]:
    """The actors of an article (one parsed doc per paragraph), in order of first
    mention; ``skip`` characters of paragraph 1 (the dateline) are not read."""
    texts = [doc.text for doc in docs]
    by_key: dict[str, Actor] = {}
    labels: dict[str, Counter[str]] = {}
    for n, doc in enumerate(docs, start=1):
        for ent in doc.ents:
            if n == 1 and ent.start_char < skip:
                continue
            lead = len(ent.text) - len(ent.text.lstrip())
            cleaned = _clean(ent.text)
            if not _keep(cleaned) or (ent.label_ == "PER" and re.search(r" (?:du|des) ", cleaned)):
                continue
            start = (
                ent.start_char + ent.text.find(cleaned)
                if cleaned in ent.text
                else ent.start_char + lead
            )
            end = start + len(cleaned)
            end, cleaned = _extended(doc.text, start, end, cleaned)
            operation = _OPERATION.match(cleaned)
            if operation:
                cleaned = cleaned[operation.end() :]
                start += operation.end()
            key = normalize(cleaned)
            actor = by_key.setdefault(key, Actor(cleaned))
            actor.mentions.append(Mention(n, start, end, cleaned, ent.label_, ent))
            labels.setdefault(key, Counter())[ent.label_] += 1
            if operation:
                actor.kind, actor.fixed_kind = "operation", True
                actor.accept.append(operation.group(0) + cleaned)
    long_spans: dict[int, list[tuple[int, int]]] = {}
    for n, text in enumerate(texts, start=1):
        start_at = skip if n == 1 else 0
        for match in [
            *_STATE_GROUP.finditer(text, start_at),
            *_INSTITUTION.finditer(text, start_at),
        ]:
            key = normalize(match.group(0))
            actor = by_key.setdefault(key, Actor(match.group(0)))
            if not any(m.paragraph == n and m.start == match.start() for m in actor.mentions):
                actor.mentions.append(Mention(n, match.start(), match.end(), match.group(0), "ORG"))
            labels.setdefault(key, Counter())["ORG"] += 1
            group = _STATE_GROUP.fullmatch(match.group(0)) is not None
            actor.kind, actor.fixed_kind = ("group" if group else "organisation"), True
        for match in _ACRONYM_LONG.finditer(text):
            long_name, acronym = _clean(match.group(1)), match.group(2)
            actor = by_key.setdefault(normalize(acronym), Actor(acronym))
            where = match.start(2)
            if not any(m.paragraph == n and m.start == where for m in actor.mentions):
                actor.mentions.append(Mention(n, where, match.end(2), acronym, "ORG"))
            actor.long_form = (n, long_name)
            long_spans.setdefault(n, []).append((match.start(1), match.end(1)))
            by_key.pop(normalize(long_name), None)
            for key in [
                k
                for k in by_key
                if k and normalize(long_name).startswith(k) and k != normalize(acronym)
            ]:
                if len(by_key[key].mentions) == 1 and by_key[key].mentions[0].paragraph == n:
                    by_key.pop(key)
    names, loose = _longer_names(docs, by_key)
    _acronyms_everywhere(by_key, texts, skip)
    _merge_aliases(by_key, labels)
    _merge_other_names(by_key, labels)
    _merge_people(by_key, labels)
    subjects = _subjects(by_key, len(texts))
    actors = []
    for key, actor in by_key.items():
        if key in subjects or key in _GENERIC:
            continue
        if not actor.fixed_kind:
            actor.kind = _kind(actor, labels.get(key, Counter()), texts)
        actor.mentions.sort(key=lambda m: (m.paragraph, m.start))
        for mention in actor.mentions:
            text = texts[mention.paragraph - 1]
            mention.giveaway = (
                any(a <= mention.start < b for a, b in long_spans.get(mention.paragraph, []))
                or any(
                    a <= mention.start and mention.end <= b and b - a > mention.end - mention.start
                    for a, b in [
                        *names.get(mention.paragraph, []),
                        *(loose.get(mention.paragraph, []) if mention.label == "LOC" else []),
                    ]
                )
                or _GIVEAWAY_BEFORE.search(text[max(0, mention.start - 30) : mention.start])
                is not None
                or _GIVEAWAY_AFTER.match(text, mention.end) is not None
            )
        actors.append(actor)
    return sorted(actors, key=lambda a: (a.mentions[0].paragraph, a.mentions[0].start))


def _longer_names(
    docs: list[Any], by_key: dict[str, Actor]
) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
    """Per paragraph, the spans of names that hold other names: an organisation followed
    by ``dans le``/``du``/``de la`` and a name, a group followed by its place (``État
    islamique dans le Grand Sahara``); then, apart, spaCy's organisations (``ORG``/``MISC``),
    which hold a place but whose cuts are too loose to hide the names of other bodies."""
    spans: dict[int, list[tuple[int, int]]] = {}
    loose: dict[int, list[tuple[int, int]]] = {}
    for n, doc in enumerate(docs, start=1):
        spans[n] = [(m.start(), m.end()) for m in _GROUP_PLACE.finditer(doc.text)]
        loose[n] = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in {"ORG", "MISC"}]
    for actor in by_key.values():
        for mention in actor.mentions:
            if mention.label in {"ORG", "MISC"}:
                text = docs[mention.paragraph - 1].text
                if match := _ORG_PLACE.match(text, mention.end):
                    spans[mention.paragraph].append((mention.start, match.end()))
    return spans, loose


def _acronyms_everywhere(by_key: dict[str, Actor], texts: list[str], skip: int) -> None:
    """An acronym is the same name wherever it is written, also where the model did not
    see an entity (``la mission de l'ONU au Mali``)."""
    for actor in by_key.values():
        if not is_acronym(actor.name):
            continue
        word = re.compile(rf"(?<![\w-]){re.escape(actor.name)}(?![\w-])")
        for n, text in enumerate(texts, start=1):
            for match in word.finditer(text, skip if n == 1 else 0):
                if not any(m.paragraph == n and m.start == match.start() for m in actor.mentions):
                    actor.mentions.append(Mention(n, match.start(), match.end(), actor.name, "ORG"))
        actor.mentions.sort(key=lambda m: (m.paragraph, m.start))


@functools.cache
def countries() -> frozenset[str]:
    """The French names of the world's countries and territories (Babel's CLDR data),
    folded: a name is called a country only when it is one (never "Occident", "Sahel")."""
    from babel import Locale

    regions = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"}
    names = Locale("fr").territories
    return frozenset(normalize(v) for k, v in names.items() if k.isalpha() and k not in regions)


def _merge_aliases(by_key: dict[str, Actor], labels: dict[str, Counter[str]]) -> None:
    """``ONU`` and ``Nations Unies`` in one article are one actor, which accepts every
    name of the body."""
    for names in _ALIASES:
        present = [normalize(n) for n in names if normalize(n) in by_key]
        if not present:
            continue
        owner = by_key[present[0]]
        for key in present[1:]:
            owner.mentions += by_key[key].mentions
            owner.accept.append(by_key[key].name)
            owner.cite.append(by_key[key].mentions[0].paragraph)  # the check wants it cited
            labels.setdefault(present[0], Counter()).update(labels.get(key, Counter()))
            del by_key[key]


_SMALL_WORDS = frozenset(
    {"de", "des", "du", "la", "le", "les", "l", "et", "pour", "of", "the", "and"}
)


def _initials(name: str) -> str:
    """``Human Rights Watch``: ``HRW`` (small words left out)."""
    words = re.findall(r"[\w-]+", name.replace("'", " "))
    return "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS).upper()


def _merge_other_names(by_key: dict[str, Actor], labels: dict[str, Counter[str]]) -> None:
    """The other names an article itself writes for one organisation are one actor,
    whose card accepts them: an acronym and the name whose initials it is (``HRW``,
    ``Human Rights Watch``), a shortened name (``le Conseil de sécurité`` of ``le
    Conseil de sécurité de l'ONU``)."""
    for key in list(by_key):
        if key not in by_key or labels.get(key, Counter())["PER"]:
            continue
        name = by_key[key].name
        for other in list(by_key):
            if other == key or labels.get(other, Counter())["PER"]:
                continue
            long_name = by_key[other].name
            if is_acronym(name) and len(long_name.split()) >= 2:
                if _initials(long_name) == name.upper():
                    _fold(by_key, labels, key, other)  # the acronym asked, the name accepted
                    break
            elif (
                len(key.split()) >= 2
                and key not in _GENERIC
                and re.match(re.escape(key) + r" (?:de|des|du|d)\b", other)
            ):
                _fold(by_key, labels, other, key)
                break


def _fold(
    by_key: dict[str, Actor], labels: dict[str, Counter[str]], owner_key: str, key: str
) -> None:
    """Actor ``key`` is another name of ``owner_key``."""
    owner, actor = by_key[owner_key], by_key.pop(key)
    owner.mentions += actor.mentions
    owner.accept += [actor.name, *actor.accept]
    owner.cite.append(actor.mentions[0].paragraph)
    labels.setdefault(owner_key, Counter()).update(labels.get(key, Counter()))


def _subjects(by_key: dict[str, Actor], paragraphs: int) -> set[str]:
    """What the article is about (Mali in every article on Mali): the name mentioned
    most, and any country, when it stands in the first paragraph and in half of them. A
    card asking it would answer itself."""
    if not by_key:
        return set()

    def spread(key: str) -> tuple[int, int, str]:
        mentions = by_key[key].mentions
        return len({m.paragraph for m in mentions}), len(mentions), key

    top = max(by_key, key=lambda k: (len(by_key[k].mentions), k))
    found = set()
    states = [k for k in by_key if k in countries()]
    for key in {top, max(states, key=spread)} if states else {top}:
        where = {m.paragraph for m in by_key[key].mentions}
        if 1 in where and len(where) * 2 >= paragraphs:
            found.add(key)
    return found


def _merge_people(by_key: dict[str, Actor], labels: dict[str, Counter[str]]) -> None:
    """``Heappey`` and ``M. Miller`` are the ``James Heappey`` and ``Matthew Miller`` of
    the same article."""
    full = [k for k in by_key if " " in k and labels.get(k, Counter())["PER"]]
    for key in list(by_key):
        if " " in key or key not in by_key:
            continue
        owner = next((f for f in full if f.endswith(" " + key)), None)
        if owner is None:
            continue
        by_key[owner].mentions += by_key[key].mentions
        by_key[owner].accept.append(by_key[key].name)
        labels[owner]["PER"] += labels[key]["PER"]
        del by_key[key]
    for key in full:
        if key in by_key:
            surname = by_key[key].name.split()[-1]
            if surname not in by_key[key].accept:
                by_key[key].accept.append(surname)


def _kind(actor: Actor, labels: Counter[str], texts: list[str]) -> str:
    before = [texts[m.paragraph - 1][max(0, m.start - 25) : m.start] for m in actor.mentions]
    if any(_GROUP_BEFORE.search(b) for b in before):
        return "group"
    label = labels.most_common(1)[0][0] if labels else "ORG"
    if normalize(actor.name) in countries():
        return "country"
    # "a déclaré Niagalé Bagayoko, président du ...": a speaker with a role is a person,
    # whatever label the small model gives the name.
    named = len(actor.name.split()) >= 2 and not is_acronym(actor.name)
    if named and any(
        _SAID_BY.search(b) or (m.span is not None and _role(m))
        for b, m in zip(before, actor.mentions, strict=True)
    ):
        return "person"
    if label == "PER" and (" " in actor.name or labels["PER"] * 2 > sum(labels.values())):
        if is_acronym(actor.name):
            return "organisation"
        # One word the small model calls a person ("Sahel") may be anything.
        return "person" if " " in actor.name else "other"
    if label == "LOC" or labels["LOC"] * 2 > sum(labels.values()):
        return "place"
    return _LABELS.get(label, "organisation") if label != "PER" else "organisation"


def actor_facts(actors: list[Actor]) -> list[Fact]:
    """One fact per actor, at its most telling mention: a person introduced with a role
    first, then a mention as the subject of a verb, else the first mention."""
    facts = []
    for actor in actors:
        mention = _best_mention(actor)
        if mention is None:
            continue  # every mention gives the name away
        full = next((m for m in actor.mentions if m.text == actor.name), actor.mentions[0])
        role = _role(mention) if actor.kind == "person" else None
        fact = Fact(
            "actor",
            mention.paragraph,
            mention.start,
            mention.end,
            actor.name,
            entity=actor.kind,
            accept=[
                a for a in dict.fromkeys(actor.accept) if normalize(a) != normalize(actor.name)
            ],
            cite=[full.paragraph, actor.mentions[0].paragraph, *actor.cite],
            role=role,
            elsewhere=[
                (m.paragraph, m.start, m.end)
                for m in actor.mentions
                if m is not mention and not m.giveaway
            ],
        )
        if actor.long_form:
            fact.long_form = actor.long_form[1]
            fact.cite.append(actor.long_form[0])
        facts.append(fact)
    return facts


def _best_mention(actor: Actor) -> Mention | None:
    mentions = [m for m in actor.mentions if not m.giveaway]
    for mention in mentions:
        if actor.kind == "person" and _role(mention):
            return mention
    for mention in mentions:
        if mention.span is not None and any(
            t.dep_ in {"nsubj", "nsubj:pass"} for t in mention.span
        ):
            return mention
    return mentions[0] if mentions else None


def _role(mention: Mention) -> str | None:
    """The role a person is given beside their name: ``Matthew Miller`` as the appositive
    of ``le porte-parole du département d'État``, or ``James Heappey, un ministre ...``."""
    if mention.span is None:
        return None
    role = None
    for token in mention.span:
        if token.dep_ == "appos" and token.head.pos_ == "NOUN" and token.head.i < token.i:
            head = token.head
            words = [t for t in head.subtree if t.i < mention.span.start]
            while words and words[-1].is_punct:
                words.pop()
            role = head.doc[words[0].i : words[-1].i + 1].text if words else None
            break
        child = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if child is not None:
            words = [
                t for t in child.subtree if t.i > mention.span.end - 1 or t.i < mention.span.start
            ]
            words = [t for t in words if t.i >= child.left_edge.i]
            role = child.doc[words[0].i : words[-1].i + 1].text
            break
    if not role:
        return None
    role = role.strip(" ,")
    first, _space, rest = role.partition(" ")
    if first in {"Le", "La", "Les", "Un", "Une"} or first.startswith("L'"):
        role = f"{first.lower()} {rest}" if rest else first.lower()
    # "le président" alone names no one in particular: a role needs its complement.
    if not 3 <= len(role.split()) <= 10 or not role[0].islower():
        return None
    return role
