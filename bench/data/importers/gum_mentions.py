"""GUM's own human entity layer, as named PER/ORG/LOC character spans over GUM's rebuilt texts.

Used to validate news_real's entity layer from outside (``bench.corpus.gum_validation``), never to annotate
it, and to train on GUM's other genres (``gum.GumEntitySource``). The mapping, documented in
``results/gum_validation.md``:

- GUM writes each mention in the MISC column, ``Entity=(id-etype-infstat-salience-centering-minspan-link-
  identity`` where it opens and ``id)`` where it closes (``global.Entity`` in every file says so).
- **Named** mentions only: a mention whose minimal span (``minspan``: 1-based positions inside the mention)
  holds a proper noun (UPOS ``PROPN``). A Wikification identity alone does not make a mention named: GUM
  gives it to descriptions too ("a professor at MIT" carries the professor's identity).
- **Types**: person -> PER, organization -> ORG, place -> LOC; GUM's other types (event, object, abstract,
  ...) have no single CoNLL type and are left out, as is news_real's MISC.
- **Span**: GUM mentions are whole noun phrases ("the US space agency NASA"); the named part is the run of
  proper nouns around the head, joined across "of", "and", "&", "-", "." and "the" inside the run
  ("Bank of England"), without a leading determiner or a trailing possessive. A mention counts only when
  the last position of its minimal span (its head) is a proper noun; two mentions with the same named span
  keep the type of the shorter one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.errors import InputError

TYPES = {"person": "PER", "organization": "ORG", "place": "LOC"}
OTHER = "OTHER"  # a named mention of GUM's other types: not compared, but it explains a difference
JOINERS = {"of", "&", "-", ".", "the", "de", "for"}  # not "and": GUM coordinates names in one mention
ENTITY_FIELD = re.compile(r"\((\d+)-([^()]*)|(\d+)\)|\)")


@dataclass(frozen=True)
class Word:
    form: str
    upos: str
    start: int  # character offsets in the rebuilt text (a multi-word token's words share its span)
    end: int


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    gum_type: str
    identity: str


@dataclass
class _Open:
    words: list[Word] = field(default_factory=list)
    descriptor: str = ""


def _word_offsets(path: Path, text: str) -> Iterator[tuple[list[Word], list[str]]]:
    """Each sentence's words with character offsets in ``text`` (the tokens appear in order in it)."""
    cursor = 0
    words: list[Word] = []
    misc: list[str] = []
    token_span: dict[int, tuple[int, int]] = {}
    inner = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            if words:
                yield words, misc
            words, misc, token_span = [], [], {}
            continue
        if raw.startswith("#"):
            continue
        columns = raw.split("\t")
        if len(columns) != 10:
            raise InputError(path, number, "expected 10 CoNLL-U columns")
        token_id, form, upos = columns[0], columns[1], columns[3]
        if "." in token_id:
            continue
        if "-" in token_id:  # a multi-word token: its surface form is what the text holds
            first, last = (int(part) for part in token_id.split("-"))
            start = text.find(form, cursor)
            if start < 0:
                raise InputError(path, number, f"token {form!r} not found in the rebuilt text")
            cursor = start + len(form)
            token_span.update({i: (start, cursor) for i in range(first, last + 1)})
            inner = start  # where the next word of this token is looked for inside its surface form
            continue
        if int(token_id) in token_span:
            start, end = token_span[int(token_id)]
            found = text.find(form, inner, end)
            if found >= 0:  # "Malaysia's" -> "Malaysia" + "'s"; a changed form keeps the whole token
                start, end = found, found + len(form)
                inner = end
        else:
            start = text.find(form, cursor)
            if start < 0:
                raise InputError(path, number, f"token {form!r} not found in the rebuilt text")
            end = cursor = start + len(form)
        words.append(Word(form, upos, start, end))
        misc.append(columns[9])
    if words:
        yield words, misc


# Each sentence's words (with character offsets in the text) and their MISC columns.
Sentences = list[tuple[list[Word], list[str]]]


def read_sentences(path: Path, text: str) -> Sentences:
    """One parse of a document, for callers that read both its mentions and its words."""
    return list(_word_offsets(path, text))


def _entity_events(misc: str) -> Iterator[tuple[str, str]]:
    """("open", "id-descriptor") and ("close", "id") events of one word's ``Entity=`` value, in order."""
    value = next((part[len("Entity=") :] for part in misc.split("|") if part.startswith("Entity=")), "")
    last_opened = ""
    for match in ENTITY_FIELD.finditer(value):
        if match.group(1):
            last_opened = match.group(1)
            yield "open", f"{match.group(1)}-{match.group(2)}"
        else:
            yield "close", match.group(3) or last_opened


def raw_mentions(sentences: Iterable[tuple[list[Word], list[str]]]) -> Iterator[tuple[list[Word], str]]:
    """Every GUM mention of one document: its words and its descriptor (after the id)."""
    for words, misc in sentences:
        open_mentions: dict[str, _Open] = {}
        for word, column in zip(words, misc, strict=True):
            closing: list[str] = []
            for kind, value in _entity_events(column):
                if kind == "open":
                    eid, descriptor = value.split("-", 1)
                    open_mentions[eid] = _Open([], descriptor)
                else:
                    closing.append(value)
            for mention in open_mentions.values():
                mention.words.append(word)
            for eid in closing:
                if eid in open_mentions:
                    mention = open_mentions.pop(eid)
                    yield mention.words, mention.descriptor


def _named_spans(words: list[Word], minspan: str, gum_type: str) -> list[tuple[int, int]]:
    """The names in a mention's minimal span: one per run of proper nouns that holds a head position
    ("Cambridge, Massachusetts" gives two); none when the mention is headed by a common noun."""
    heads = [int(i) - 1 for i in minspan.split(",") if i.isdigit() and 0 < int(i) <= len(words)]
    if not heads or words[max(heads)].upos != "PROPN":  # "a Texas teen"
        return []
    # A person's name does not run over "of" ("Ann Lee of the Civic Party"); an institution's does.
    joiners = JOINERS - {"of", "for"} if gum_type == "person" else JOINERS
    return sorted({_run(words, i, joiners) for i in heads if words[i].upos == "PROPN"})


def _run(words: list[Word], head: int, joiners: set[str]) -> tuple[int, int]:
    first = last = head
    while first > 0 and (_name_part(words[first - 1]) or _joins(words, first - 1, joiners)):
        first -= 1
    while last + 1 < len(words) and (_name_part(words[last + 1]) or _joins(words, last + 1, joiners)):
        last += 1
    while first < last and not _name_part(words[first]):
        first += 1
    while last > first and not _name_part(words[last]):
        last -= 1
    return words[first].start, words[last].end


def _name_part(word: Word) -> bool:
    """A proper noun, or a capitalised adjective or noun written as part of a name (``United Nations``)."""
    if word.upos == "PROPN":
        return word.form[:1].isalnum()  # not a possessive "'s" that a tagger called PROPN
    return word.upos in {"ADJ", "NOUN", "NUM", "VERB"} and word.form[:1].isupper()


def _joins(words: list[Word], i: int, joiners: set[str]) -> bool:
    """A joiner inside a name: only between two parts of it (``Bank of England``)."""
    inside = 0 < i < len(words) - 1 and words[i + 1].upos == "PROPN"
    return inside and words[i].form.lower() in joiners


def named_mentions(path: Path, text: str, sentences: Sentences | None = None) -> list[Mention]:
    """GUM's named mentions of one document (PER/ORG/LOC, or OTHER), one per span, in text order; from
    ``sentences`` when the caller has parsed the document already."""
    found: dict[tuple[int, int], tuple[int, Mention]] = {}
    parsed = sentences if sentences is not None else _word_offsets(path, text)
    for words, descriptor in raw_mentions(parsed):
        parts = descriptor.split("-", 6)
        if len(parts) < 5:
            continue
        identity = parts[6] if len(parts) > 6 else ""
        for span in _named_spans(words, parts[4], parts[0]):
            mention = Mention(span[0], span[1], TYPES.get(parts[0], OTHER), parts[0], identity)
            # Two mentions with one named span: the shorter (the name itself) gives the type.
            if span not in found or len(words) < found[span][0]:
                found[span] = (len(words), mention)
    return sorted((m for _, m in found.values()), key=lambda m: (m.start, m.end, m.label))
