"""Wording a question around a fact: the words of its sentence on either side of a
blank, and whose claim it is.

The window stops at the clause's edges (quotes, colons, semicolons, and on the right a
comma) and at a few words each side, so that a prompt stays short and never copies a
long run of the article; a fact reported by someone (a speech verb, a quotation,
``selon X``) is attributed: the prompt starts with ``Selon X``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BLANK = "____"
_LEFT_STOPS = frozenset(["«", "»", '"', "“", "”", ";", ":", "(", ")", "—", "!", "?", "."])
SPEECH = frozenset(
    "déclarer dire affirmer indiquer estimer expliquer ajouter qualifier accuser marteler "  # noqa: SIM905
    "regretter déplorer souligner assurer juger considérer suggérer nier alerter redouter "
    "critiquer exprimer évoquer avertir dénoncer prévenir exposer prétendre reconnaître "
    "insister rappeler craindre penser déplorer".split()
)
"""Verbs that report someone's words or opinion."""
_SPEECH = SPEECH
_STEMS = tuple(sorted(v[:-2] for v in SPEECH if len(v) > 5))


def is_speech(token: Any) -> bool:
    """A verb of saying, also when the model missed its lemma (``indique``)."""
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    return token.lemma_ in SPEECH or token.lower_.startswith(_STEMS)


_ACCORDING = frozenset({"selon", "d'après"})
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_OPENING = frozenset({"«", "“", '"'})
_CLOSING = frozenset({"»", "”", '"'})


def _only_attribution(tokens: list[Any]) -> bool:
    """``, a déclaré``: punctuation, auxiliaries and a speech verb, nothing else."""
    words = [t for t in tokens if not t.is_punct]
    return bool(words) and all(t.pos_ == "AUX" or t.lemma_ in _SPEECH for t in words)


@dataclass
class Window:
    """The words around a fact: ``left`` and ``right`` of the blank, each with an
    ellipsis where the window cut the sentence rather than a clause edge."""

    left: str
    right: str
    content: int = 0
    """Content words shown (nouns, verbs, adjectives, names, numbers)."""
    verb: bool = False
    """Whether a verb is shown."""
    cut_head: bool = False
    """The noun the blank completes is cut off: ``de l'____, ...``."""
    first: int = -1
    """Character offset of the first word shown (-1: none on the left)."""

    @property
    def thin(self) -> bool:
        """Too little shown to answer from."""
        return self.cut_head or self.content < 3 or (not self.verb and self.content < 4)

    def quoted(self, blank: str = BLANK) -> str:
        left = self.left + ("" if self.left.endswith("'") or not self.left else " ")
        right = ("" if not self.right or self.right[0] in ",.;" else " ") + self.right
        return f"« {left}{blank}{right} »"


def _sentence(doc: Any, start: int) -> Any:
    for sent in doc.sents:
        if sent.start_char <= start < sent.end_char:
            return sent
    return doc[:]


def window(
    doc: Any, start: int, end: int, left_words: int = 6, right_words: int = 4, skip: int = 0
) -> Window:
    """The words of the fact's sentence around ``start``..``end`` (character offsets),
    none of the first ``skip`` characters (a dateline)."""
    sent = _sentence(doc, start)
    before = [t for t in sent if skip <= t.idx and t.idx + len(t.text) <= start]
    after = [t for t in sent if t.idx >= end]
    left: list[Any] = []
    cut_left = False
    inside = False
    for token in reversed(before):
        if inside and token.text in _OPENING:
            break
        if token.text in _CLOSING and not inside and _only_attribution(left):
            inside = True  # "« ... », a déclaré ____": show the end of what was said
        elif token.text in _LEFT_STOPS and not inside:
            break
        if sum(1 for t in left if not t.is_punct) >= left_words:
            cut_left = True
            break
        left.insert(0, token)
    while left and left[0].is_punct:
        left.pop(0)
    right: list[Any] = []
    cut_right = False
    for token in after:
        words = sum(1 for t in right if not t.is_punct)
        if token.text in _LEFT_STOPS or (token.text == "," and words >= 6):
            break
        if sum(1 for t in right if not t.is_punct) >= right_words:
            cut_right = True
            break
        right.append(token)
    while right and right[-1].text.endswith("'") and len(right) < len(after):
        right.append(after[len(right)])  # never end on an elided word: "s'", "l'"
    text = doc.text
    left_text = text[left[0].idx : start].strip() if left else ""
    right_text = text[end : right[-1].idx + len(right[-1].text)].strip() if right else ""
    if cut_left and left_text:
        left_text = "… " + left_text
    if cut_right and right_text:
        right_text += " …"
    shown = [t for t in left + right if not t.is_punct]
    content = sum(1 for t in shown if t.pos_ in _CONTENT and not t.is_stop)
    if _only_attribution(left):
        content -= 1  # "a déclaré ____, de Kisal": who said what is not shown
    verb = any(t.pos_ in {"VERB", "AUX"} or t.tag_ == "VERB" for t in shown)
    lead = [t for t in left if not t.is_punct]
    cut_head = bool(lead) and lead[0].lower_ in {"de", "d'", "du", "des"}
    cut_head = cut_head and all(t.is_stop for t in lead)
    first = left[0].idx if left else start
    return Window(left_text, right_text, content, verb, cut_head, first)


def _phrase(doc: Any, head: Any, depth: int) -> Any:
    """``head`` with its determiner and complements ``depth`` links down, contiguous."""
    words = [head]
    level = [head]
    for _ in range(depth):
        level = [
            c
            for t in level
            for c in t.children
            if c.dep_ in _REFERS and not c.is_punct and not (t is head and c.dep_ == "case")
        ]
        words += level
    words.sort(key=lambda t: t.i)
    indices = {t.i for t in words}
    first = head.i
    while first - 1 in indices:
        first -= 1
    last = head.i
    while last + 1 in indices:
        last += 1
    return doc[first : last + 1]


_QUOTES = _OPENING | _CLOSING
_REFERS = frozenset({"det", "amod", "nmod", "case", "fixed", "flat:name", "flat", "compound"})


def clause_subject(
    doc: Any,
    start: int,
    end: int,
    skip: int = 0,
    resolve: Callable[[Any], str | None] | None = None,
) -> tuple[int, int, str] | None:
    """The subject of the clause holding ``start``..``end`` (the ``nsubj`` of the
    gap's governing word, with its determiner and complements, no relative clause):
    ``(start, end, words)``; ``(start, end, "")`` when it is a pronoun that cannot be named;
    None when the gap has no subject of its own or is in it."""
    gap = [t for t in doc if start <= t.idx < end]
    if not gap:
        return None
    node = gap[0]
    while True:
        subject = next((c for c in node.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
        if subject is not None or node.head.i == node.i:
            break
        node = node.head
    verb = _finite_verb_before(doc, gap[0], skip)
    if verb is not None and (
        subject is None or subject.i > verb.i or subject.i < skip_i(doc, skip)
    ):
        opener = _opening_subject(doc, verb, skip)  # "La mission ..., approuvée par ..., quittera"
        if opener is not None:
            return _named_subject(doc, opener, skip, opener[1])
    if subject is None or any(t.i in {g.i for g in gap} for t in subject.subtree):
        return None
    if subject.pos_ == "PRON" and subject.lower_ in {"qui", "lequel", "laquelle"}:
        antecedent = node.head if node.dep_.startswith("acl") else None
        if antecedent is None or antecedent.pos_ not in {"NOUN", "PROPN"}:
            return (subject.idx, subject.idx + 1, "")
        phrase = _whole_names(doc, _phrase(doc, antecedent, 6))
        between = doc.text[phrase.end_char : subject.idx]
        if between.strip(" ,"):
            # "dans le cadre d'une flambée de violence plus large ..., qui": the parse's
            # antecedent does not stand next to "qui"; the window shows what comes before
            return None
        subject = antecedent
    elif subject.pos_ == "PRON":  # "il", "elle": the actor named before, else not asked
        named = resolve(subject) if resolve is not None else None
        return (subject.idx, subject.idx + len(subject.text), named or "")
    return _named_subject(doc, _phrase(doc, subject, 6), skip, subject)


def skip_i(doc: Any, skip: int) -> int:
    """The index of the first token at or after character ``skip``."""
    return next((t.i for t in doc if t.idx >= skip), len(doc))


def _finite_verb_before(doc: Any, gap: Any, skip: int) -> Any | None:
    """The finite verb of the gap's clause, left of it (``quittera ... le ____``)."""
    sent = _sentence(doc, gap.idx)
    found = None
    for token in reversed(doc[max(sent.start, skip_i(doc, skip)) : gap.i]):
        if token.text in {",", ";", ":", "«", "»"}:
            break
        if token.pos_ in {"VERB", "AUX"} and "Fin" in token.morph.get("VerbForm"):
            found = token  # the leftmost: "quittera le territoire togolais" (a mis-tag)
    return found


def _opening_subject(doc: Any, verb: Any, skip: int) -> Any | None:
    """``Le X ..., participle/relative ..., verb``: the noun phrase that opens the
    sentence, when only an incise stands between it and the verb."""
    sent = _sentence(doc, verb.idx)
    first = max(sent.start, skip_i(doc, skip))
    before = [t for t in doc[first : verb.i] if t.pos_ != "ADV"]
    if len(before) < 3 or before[0].pos_ != "DET" or before[-1].text != ",":
        return None
    if before[1].pos_ not in {"NOUN", "PROPN"} or any(t.text in _QUOTES for t in before):
        return None
    comma = next(t for t in before if t.text == ",")
    if comma.i == before[-1].i:
        return None  # no incise: "Le X, quittera" is no subject-incise pattern
    after = doc[comma.i + 1]
    if after.pos_ not in {"VERB", "PRON"} and after.lower_ not in {"qui", "dont", "que"}:
        return None
    return doc[first : comma.i]


def _named_subject(doc: Any, span: Any, skip: int, head: Any | None = None) -> tuple[int, int, str]:
    """The subject's words, never cut inside a name: the whole phrase when short, else
    the short name the article gives it (``la Minusma``), else a shorter phrase that
    ends outside any name, else "" (not named)."""
    if span.start_char < skip:
        return (span.start_char, span.end_char, "")
    full = _whole_names(doc, span)
    short, short_end = _acronym_after(doc, full)  # "La Mission ... (Minusma)": "La Minusma"
    if short:
        return (full.start_char, short_end, short)
    if len([t for t in full if not t.is_punct]) <= 11:
        return (full.start_char, full.end_char, str(full.text).strip(" ,"))
    if head is not None:
        for depth in (4, 2, 1):  # shorter when long: "la mission de maintien de la paix"
            part = _phrase(doc, head, depth)
            whole = _whole_names(doc, part)
            if whole.end == part.end and len([t for t in part if not t.is_punct]) <= 11:
                return (part.start_char, part.end_char, str(part.text).strip(" ,"))
    return (full.start_char, full.end_char, "")


def _whole_names(doc: Any, span: Any) -> Any:
    """``span`` stretched to the end of a name it cuts (``des Nations`` -> ``des
    Nations Unies pour ...``)."""
    end = span.end
    for ent in doc.ents:
        if ent.start < end < ent.end:
            end = ent.end
    return doc[span.start : end]


def _acronym_after(doc: Any, span: Any) -> tuple[str, int]:
    """``La Mission ... (Minusma)``: ``La Minusma`` and where the parenthesis ends."""
    rest = doc.text[span.end_char : span.end_char + 90]
    match = re.match(r"[^,;:«»()]*?\(([A-ZÉ][\w-]{1,14})\)", rest)
    if match is None:
        return ("", span.end_char)
    end = span.end_char + match.end()
    det = span[0] if span[0].pos_ == "DET" else None
    if det is None:
        return (match.group(1), end)
    glue = "" if det.text.endswith("'") else " "
    return (f"{det.text}{glue}{match.group(1)}", end)


def _span_text(doc: Any, token: Any) -> str:
    """A speaker's words: the named entity the token belongs to, else a person or
    organisation named in its phrase, else the phrase (at most six words)."""
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            before = doc[ent.start - 1] if ent.start else None
            if before is not None and before.pos_ == "DET" and not ent.text[0].islower():
                return (
                    f"{before.text.lower()}{'' if before.text.endswith(chr(39)) else ' '}{ent.text}"
                )
            return str(ent.text)
    inside = [
        e for e in doc.ents if token.left_edge.i <= e.start and e.end <= token.right_edge.i + 1
    ]
    for label in ("PER", "ORG"):
        named = [e for e in inside if e.label_ == label]
        if named:
            return str(named[0].text)
    words = list(token.subtree)
    words = [t for t in words if t.dep_ not in {"punct", "case"} or t.i > words[0].i]
    if not words:
        return str(token.text)
    phrase = doc[words[0].i : words[-1].i + 1]
    tokens = [t for t in phrase if not t.is_punct]
    if len(tokens) > 6:
        return str(doc[words[0].i : tokens[5].i + 1].text)
    return str(phrase.text).strip(" ,")


def _quoted(text: str, start: int) -> bool:
    before = text[:start]
    french = before.count("«") > before.count("»")
    straight = before.count('"') % 2 == 1
    return french or straight


def _speaker_of(verb: Any, doc: Any) -> Any | None:
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    if subject is None:
        subject = next(
            (c for c in verb.children if c.dep_ == "obj" and c.pos_ == "PROPN" and c.i > verb.i),
            None,
        )
    if subject is None and verb.dep_ == "conj":
        return _speaker_of(verb.head, doc) if verb.head.lemma_ in _SPEECH else None
    return subject


def in_quote(doc: Any, start: int) -> bool:
    """Whether ``start`` stands inside quotation marks."""
    return _quoted(doc.text, start)


def quote_speaker(doc: Any, start: int) -> str | None:
    """Who speaks a quotation holding ``start`` when the sentence that opens it names
    them: ``Selon un communiqué de X, ... : « ... »``."""
    opened = doc.text.rfind("«", 0, start)
    return speaker(doc, opened - 1, opened) if opened > 0 else None


def speaker(
    doc: Any,
    start: int,
    end: int,
    according: bool = True,
    resolve: Callable[[Any], str | None] | None = None,
) -> str | None:
    """Who states the fact at ``start``..``end`` when the article reports a claim: the
    subject of a speech verb whose clause or quotation holds the fact, or X in ``selon
    X``; None when the article states it in its own voice (or when the fact is the
    speaker)."""
    sent = _sentence(doc, start)
    fact_tokens = {t.i for t in doc if start <= t.idx < end}
    for token in sent if according else ():
        according_to = token.lower_ in _ACCORDING or (
            token.lower_ == "après" and token.i > 0 and doc[token.i - 1].lower_ == "d'"
        )
        if according_to and not _governs(doc.text, end, token.idx):
            continue
        if according_to and token.head.i not in fact_tokens:
            head = token.head
            if head.i == token.i or head.pos_ not in {"NOUN", "PROPN", "PRON"}:
                nouns = [t for t in token.subtree if t.pos_ in {"NOUN", "PROPN"} and t.i > token.i]
                nouns += [t for t in head.children if t.pos_ in {"NOUN", "PROPN"} and t.i > token.i]
                if not nouns:
                    continue
                head = nouns[0]
            if any(t.i in fact_tokens for t in head.subtree):
                continue
            return _lower_article(_span_text(doc, head))
    quoted = _quoted(doc.text, start)
    verbs = [t for t in (doc if quoted else sent) if is_speech(t)]
    for verb in verbs:
        holds_fact = quoted or any(t.i in fact_tokens for t in verb.subtree)
        subject = _speaker_of(verb, doc)
        if not holds_fact or subject is None or subject.i in fact_tokens:
            continue
        if any(t.i in fact_tokens for t in subject.subtree):
            return None  # the fact is who speaks
        first = min(fact_tokens, default=subject.i)
        between = doc[subject.i + 1 : first]
        if first > subject.i and not any(t.pos_ in {"VERB", "AUX"} for t in between):
            return None  # the fact is in the speaker's description: "X, conseillère à Y"
        if subject.pos_ == "PRON":
            if resolve is not None:
                return resolve(subject) or ""
            people = [e for e in doc.ents if e.label_ == "PER" and e.start_char < subject.idx]
            return str(people[-1].text) if people else None
        if "Pass" in verb.morph.get("Voice") or any(c.dep_ == "aux:pass" for c in verb.children):
            continue  # "ont été accusés de": who is accused, not who speaks
        return _lower_article(_span_text(doc, subject))
    if according:
        match = _ACCORDING_TEXT.search(sent.text)
        if match:
            at = sent.start_char + match.start(1)
            named = match.group(1).split()[:8]
            if not at <= start < at + len(" ".join(named)) and _governs(doc.text, end, at):
                return _lower_article(" ".join(named))
    return None


_NEW_CLAUSE = re.compile(r"[,;]\s*(?:qui|dont|où|lequel|laquelle)\b|;")


def _governs(text: str, fact_end: int, at: int) -> bool:
    """Whether a ``selon X`` at ``at`` covers a fact ending at ``fact_end``: one that
    opens the sentence covers it all; one after the fact covers only its own clause
    (``depuis 2012, ..., qui a tué 8 000 personnes, selon X``: not the year)."""
    return at < fact_end or not _NEW_CLAUSE.search(text, fact_end, at)


_ACCORDING_TEXT = re.compile(r"(?:^|[\s,(])(?:[Ss]elon|[Dd]'après)\s+([^,.;:«»\"]+)")
span_text = _span_text


def lower_article(text: str) -> str:
    """``Le député ...`` after ``Selon`` is ``le député ...``."""
    first, _space, rest = text.partition(" ")
    if first in {"Le", "La", "Les", "Un", "Une", "Des"} or first.startswith("L'"):
        return first.lower() + (" " + rest if rest else "")
    return text


_lower_article = lower_article
