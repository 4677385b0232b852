"""Whose claim a fact is, across the whole article.

A fact is the article's own (``OWN``), someone's (``Selon X``), or a claim whose owner
cannot be told (``UNKNOWN``: not drafted, since it would read as a fact). The rules:

* a quotation holds its speaker's words, even when it opened in an earlier sentence or
  paragraph (« ... [new paragraph] ... », a-t-il expliqué): the speaker is the subject of
  the speech verb after the closing mark, else of the one (or ``selon X``) before the
  opening mark;
* a sentence with ``selon X`` / ``d'après X`` or a speech verb (affirmer, estimer,
  juger...) reports X's claim; a sentence without a finite verb (``Notamment avec la
  Russie.``) continues the previous one;
* ``il``/``elle`` is the last person named before, ``ils``/``elles`` the last plural
  subject (``Les autorités maliennes ... Elles affirment``); unresolved, it is UNKNOWN;
* a sentence in the article's own voice that uses a contested label (``instructeurs``,
  ``terroristes``, ``mercenaires``) or a verdict (``inefficace``) frames its facts with
  one side's words: UNKNOWN too.
"""

from __future__ import annotations

import re
from typing import Any

from maliquiz.draft.context import SPEECH, is_speech, lower_article, span_text, speaker
from maliquiz.draft.facts import Fact

OWN = None
UNKNOWN = ""
"""A reported claim whose speaker is not found (falsy, unlike a name)."""

_OPEN = frozenset("«“")
_CLOSE = frozenset("»”")
_LABELS = re.compile(
    r"^(?:instructeurs?|terroristes?|mercenaires?|occupants?|inefficaces?|inefficacité)$",
    re.IGNORECASE,
)
_PLURAL_PRONOUNS = frozenset({"ils", "elles"})
_SINGULAR_PRONOUNS = frozenset({"il", "elle", "-il", "-elle"})


def _quote_marks(text: str, inside: bool) -> list[tuple[int, int]]:
    """The quoted ranges of a paragraph (``inside``: it starts inside a quotation)."""
    spans: list[tuple[int, int]] = []
    opened = 0 if inside else -1
    for i, char in enumerate(text):
        straight = char == '"'
        closes = char in _CLOSE or (straight and opened >= 0)
        if opened >= 0 and closes:
            spans.append((opened, i + 1))
            opened = -1
        elif opened < 0 and (char in _OPEN or straight):
            opened = i
    if opened >= 0:
        spans.append((opened, len(text)))
    return spans


def _closes_first(text: str) -> bool:
    """Whether the first quotation mark of a paragraph closes one (the quotation went on
    from the previous paragraph): ``»``, or a ``"`` glued to the word before it."""
    for i, char in enumerate(text):
        if char in _CLOSE:
            return True
        if char in _OPEN:
            return False
        if char == '"':
            return i > 0 and not text[i - 1].isspace()
    return False


def _sentence(doc: Any, start: int) -> Any:
    for sent in doc.sents:
        if sent.start_char <= start < sent.end_char:
            return sent
    return doc[:]


def _finite(sent: Any) -> bool:
    return any("Fin" in t.morph.get("VerbForm") for t in sent)


class Attribution:
    """Who says what in one parsed article (one spaCy doc per paragraph)."""

    def __init__(self, docs: list[Any]) -> None:
        self.docs = docs
        self.quotes: list[list[tuple[int, int]]] = []
        inside = False
        for doc in docs:
            inside = inside and _closes_first(doc.text)
            spans = _quote_marks(doc.text, inside)
            self.quotes.append(spans)
            inside = bool(spans) and spans[-1][1] == len(doc.text)

    # -- pronouns ---------------------------------------------------------------------

    def _before(self, n: int, token: Any) -> list[Any]:
        """Tokens before ``token``: its paragraph's, then the two before it, nearest first."""
        found = [t for t in reversed(self.docs[n - 1][: token.i])]
        for doc in reversed(self.docs[max(0, n - 3) : n - 1]):
            found += list(reversed(doc[:]))
        return found

    def resolve(self, n: int, token: Any) -> str | None:
        """A subject pronoun's actor, or None when it cannot be told."""
        word = token.lower_
        if word in _SINGULAR_PRONOUNS:
            for t in self._before(n, token):
                if t.ent_type_ == "PER" and t.ent_iob_ == "B":
                    doc = t.doc
                    ent = next(e for e in doc.ents if e.start == t.i)
                    return str(ent.text)
            return None
        if word in _PLURAL_PRONOUNS:
            for t in self._before(n, token):
                plural = "Plur" in t.morph.get("Number")
                if t.dep_ == "nsubj" and t.pos_ in {"NOUN", "PROPN"} and plural:
                    return _noun_phrase(t)
        return None

    # -- quotations -------------------------------------------------------------------

    def _quote(self, n: int, start: int) -> tuple[int, int, int, int] | None:
        """The quotation holding ``start`` of paragraph ``n``: (paragraph and offset
        where it opens, paragraph and offset where it closes)."""
        for qs, qe in self.quotes[n - 1]:
            if qs <= start < qe:
                break
        else:
            return None
        open_n, open_at = n, qs
        while open_at == 0 and open_n > 1 and self.quotes[open_n - 2]:
            open_n -= 1
            open_at = self.quotes[open_n - 1][-1][0]
        close_n, close_at = n, qe
        while close_at == len(self.docs[close_n - 1].text) and close_n < len(self.docs):
            nxt = self.quotes[close_n]
            if not nxt or nxt[0][0] != 0:
                break
            close_n, close_at = close_n + 1, nxt[0][1]
        return open_n, open_at, close_n, close_at

    def _said_in(self, n: int, lo: int, hi: int) -> str | None:
        """The speaker of a speech verb (or X of ``selon X``) of paragraph ``n`` between
        characters ``lo`` and ``hi`` (the part of a sentence outside a quotation)."""
        doc = self.docs[n - 1]
        words = [t for t in doc if lo <= t.idx < hi]
        for t in words:
            if is_speech(t):
                subject = _subject(t)
                if subject is None:
                    continue
                if subject.pos_ == "PRON":
                    return self.resolve(n, subject) or UNKNOWN
                inside = [
                    e for e in doc.ents if subject.left_edge.i <= e.start <= subject.right_edge.i
                ]
                if subject.ent_type_ or any(e.label_ in {"PER", "ORG"} for e in inside):
                    return lower_article(span_text(doc, subject))
                return _noun_phrase(subject)
        match = _ACCORDING.search(doc.text[lo:hi])
        if match:
            return lower_article(_trim(match.group(1)))
        return None

    def _quote_speaker(self, n: int, start: int) -> str | None:
        quote = self._quote(n, start)
        if quote is None:
            return None
        open_n, open_at, close_n, close_at = quote
        after = _sentence(self.docs[close_n - 1], max(0, close_at - 1))
        said = self._said_in(close_n, close_at, after.end_char)
        if said is None:
            before = _sentence(self.docs[open_n - 1], open_at)
            said = self._said_in(open_n, before.start_char, open_at)
        if said is None:
            said = self._previous_quote(open_n, open_at)
        return UNKNOWN if said is None else said

    def _previous_quote(self, n: int, at: int) -> str | None:
        """``« A », a déclaré X. « B »``: a quotation with no speech verb of its own goes
        on with the previous quotation's speaker, in its paragraph or, when it opens the
        paragraph, in the paragraph before."""
        earlier = [qs for qs, _qe in self.quotes[n - 1] if qs < at]
        if earlier:
            return self._quote_speaker(n, earlier[-1]) or None
        before = self.docs[n - 1].text[:at].strip()
        if n > 1 and not before and self.quotes[n - 2]:
            return self._quote_speaker(n - 1, self.quotes[n - 2][-1][0]) or None
        return None

    # -- a fact -----------------------------------------------------------------------

    def who(self, n: int, start: int, end: int, according: bool = True) -> str | None:
        """``OWN`` (None), a speaker's words, or ``UNKNOWN`` for the fact at
        ``start``..``end`` of paragraph ``n``."""
        doc = self.docs[n - 1]
        if self._quote(n, start) is not None:
            said = self._quote_speaker(n, start)
            if said and normalize_in(doc.text[start:end], said):
                return OWN  # the fact is who speaks
            return said
        sent = _sentence(doc, start)
        if not according and self._describes_speaker(sent, start):
            return OWN  # "a déclaré le porte-parole du ____": the speaker's description
        said = speaker(doc, start, end, according=according, resolve=lambda t: self.resolve(n, t))
        if said is None and not _finite(sent) and sent.start > 0:
            # the sentence before (not the whole paragraph when a space separates them)
            previous = [s for s in doc.sents if s.end <= sent.start]
            if previous:
                said = self._said_in(n, previous[-1].start_char, previous[-1].end_char)
        if said is None and self._framed(sent):
            return UNKNOWN
        return said

    def _describes_speaker(self, sent: Any, start: int) -> bool:
        """Whether a speech verb comes before ``start`` with no verb between them."""
        before = [t for t in sent if t.idx < start]
        said = [t for t in before if is_speech(t)]
        if not said:
            return False
        between = [t for t in before if t.i > said[-1].i]
        return not any(t.pos_ in {"VERB", "AUX"} or t.text in _OPEN | _CLOSE for t in between)

    def _framed(self, sent: Any) -> bool:
        """A contested label or verdict in the article's own voice."""
        for t in sent:
            if not _LABELS.match(t.text) or t.pos_ not in {"NOUN", "ADJ"}:
                continue
            if any(a.lemma_ in SPEECH for a in t.ancestors):
                continue  # "accusés d'être des mercenaires": the accusation is reported
            text = sent.doc.text
            if text[: t.idx].count("«") > text[: t.idx].count("»"):
                continue  # « instructeurs »: the word is someone else's, in quotes
            return True
        return False


_ACCORDING = re.compile(r"(?:^|[\s,(])(?:[Ss]elon|[Dd]'après)\s+([^,.;:«»\"]+)")


def _trim(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]).strip()


def normalize_in(fact: str, said: str) -> bool:
    from maliquiz.core.text.normalize import normalize

    return bool(fact.strip()) and normalize(fact) in normalize(said)


def _subject(verb: Any) -> Any | None:
    """Who speaks: the verb's subject (a pronoun after it, ``a-t-il dit``), else a name
    or noun after it (``indique la note``, ``a déclaré Heappey``)."""
    children = list(verb.children)
    for child in children:
        if child.dep_ in {"nsubj", "expl:subj"} and child.lower_.strip("-") != "t":
            return child
    after = [c for c in children if c.i > verb.i and c.pos_ in {"PROPN", "NOUN"}]
    if after and after[0].dep_ in {"obj", "nsubj", "nmod", "obl:arg"}:
        return after[0]
    if verb.dep_ in {"xcomp", "advcl", "conj"} and verb.head.i != verb.i:
        # "X a nié ..., ne reconnaissant que ...": the participle's subject is the clause's
        head = verb.head
        return next((c for c in head.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    return None


def _noun_phrase(token: Any) -> str:
    """``Les autorités maliennes``: the determiner, the noun and the words that qualify
    it (adjectives, a ``de`` complement), no relative clause."""
    doc = token.doc
    left = token.left_edge.i
    right = token.i
    for child in token.rights:
        if (child.dep_ in {"amod", "nmod", "flat:name"} and child.i == right + 1) or (
            child.dep_ == "nmod" and child.left_edge.i == right + 1
        ):
            right = child.right_edge.i
        else:
            break
    words = doc[left : right + 1]
    if len(words) > 7:
        words = doc[left : token.i + 1]
    return lower_article(str(words.text).strip(" ,"))


def quoted_words(docs: list[Any], skip: int = 0) -> list[Fact]:
    """Words a speaker's own (``a qualifié de « fuite »``, ``le soutien des
    « instructeurs »``): one or two lower-case words in quotation marks in a sentence
    whose speech verb names who uses them. The fact spans the marks, so that the
    blank takes them too."""
    said = Attribution(docs)
    found: list[Fact] = []
    for n, doc in enumerate(docs, start=1):
        for qs, qe in said.quotes[n - 1]:
            inner = doc.text[qs + 1 : qe - 1].strip()
            words = inner.split()
            if qs < (skip if n == 1 else 0) or not 1 <= len(words) <= 2 or qe - qs < 4:
                continue
            if not inner[:1].islower() or not all(w.isalpha() or "'" in w for w in words):
                continue
            sent = _sentence(doc, qs)
            who = said._said_in(n, sent.start_char, qs) or said._said_in(n, qe, sent.end_char)
            verbs = [t for t in sent if is_speech(t)]
            if who and verbs:
                found.append(Fact("actor", n, qs, qe, inner, entity="word", cite=[n]))
    return found
