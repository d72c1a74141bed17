"""Entities from capitalisation and a small gazetteer (the rule baseline's entity half).

A candidate is a run of capitalised words (with name connectors such as "of" or "al-" inside). It is
labelled by, in order: the gazetteer; an organisation head word; an all-caps acronym; a preceding title
(PER); two or more capitalised words (PER); a single word that repeats an earlier person's surname (PER).
Anything else is left unlabelled: the baseline prefers precision on what it cannot decide.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from bench.core.tsv import tsv_rows
from bench.errors import InputError
from bench.schema import ENTITY_LABELS, Entity

_WORD = r"(?:[a-z]{1,2}-)?[A-Z][\w]*(?:-[\w]+)*"
_NAME = re.compile(rf"{_WORD}(?:[ ](?:(?:of|de|del|da|bin|van|von|der|la|le|du)[ ])?{_WORD})*")
_OPENERS = '“"‘(\n'  # a name right after one of these starts a sentence (or a quote)
_ENDS = ".!?"
_CLOSING_QUOTES = "'’”\""
# fmt: off
SKIP_WORDS = frozenset([
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "His", "Her", "They",
    "Their", "We", "Our", "I", "In", "On", "At", "As", "But", "And", "Or", "So", "However", "Meanwhile",
    "Despite", "After", "Before", "When", "While", "If", "For", "With", "By", "From", "To", "Of",
    "Additionally", "Today", "Yesterday", "Tomorrow", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "June", "July", "August",
    "September", "October", "November", "December", "There", "Here", "Some", "Many", "Most", "Other",
    "Such", "Both", "Each", "Since", "During", "Although", "Though", "Under", "Over", "Until", "Asked",
    "Last", "Next", "Earlier", "Later", "Officials", "Experts",
])
TITLES = frozenset([
    "President", "Minister", "Prime", "Mr", "Mrs", "Ms", "Dr", "Senator", "General", "Gen", "Colonel",
    "Captain", "King", "Queen", "Prince", "Princess", "Pope", "Judge", "Justice", "Governor", "Mayor",
    "Chancellor", "Secretary", "Ambassador", "Chief", "Director", "Coach", "Professor", "Prof",
    "Deputy", "Foreign", "Interior", "Defence", "Defense", "Finance", "Health", "Vice", "Chairman",
    "Chairwoman", "Spokesman", "Spokeswoman", "Commissioner", "Inspector", "Sheikh", "Deposed",
    "Former", "Leader", "Striker", "Midfielder", "Defender", "Goalkeeper", "CEO",
])
ORG_HEADS = frozenset([
    "Inc", "Corp", "Corporation", "Ltd", "Group", "Bank", "Ministry", "Agency", "Council", "Party",
    "Union", "University", "Institute", "Association", "Authority", "Commission", "Court", "Company",
    "Airlines", "Airways", "Club", "FC", "United", "City", "Federation", "Committee", "Foundation",
    "Organisation", "Organization", "Service", "Department", "Office", "Army", "Force", "Forces",
    "Police", "News", "Times", "Post", "Fund", "Parliament", "Assembly", "Senate", "Congress",
    "Holdings", "Motors", "Technologies", "Systems", "Energy", "Partners", "Capital", "Exchange",
    "Board", "Bureau", "Tribunal", "Reserve", "Guard", "Front", "Movement", "Network", "Labs",
    "Pharmaceuticals", "Hospital", "School",
])
# fmt: on


def read_gazetteer(path: Path) -> dict[str, str]:
    names: dict[str, str] = {}
    for number, (name, label) in tsv_rows(path, 2):
        if label not in ENTITY_LABELS:
            raise InputError(path, number, f"label {label!r} is not one of {ENTITY_LABELS}")
        names[name] = label
    return names


def starts_sentence(text: str, start: int) -> bool:
    """Whether ``text[start:]`` begins a sentence: at the start of the text; after an opening quote,
    parenthesis or line break; or after sentence-final punctuation (optionally closed by a quote) and
    whitespace. Looks back only over the whitespace before ``start``: matching a pattern anchored at the end
    of the whole preceding text cost time quadratic in the article's length."""
    if start == 0 or text[start - 1] in _OPENERS:
        return True
    before = start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    if before == start or before == 0:
        return False
    if text[before - 1] in _ENDS:
        return True
    return text[before - 1] in _CLOSING_QUOTES and before >= 2 and text[before - 2] in _ENDS


class NameHeuristics:
    def __init__(self, gazetteer_path: Path) -> None:
        self.gazetteer_path = gazetteer_path

    @cached_property
    def _gazetteer(self) -> dict[str, str]:
        return read_gazetteer(self.gazetteer_path)

    def predict_entities(self, text: str) -> tuple[Entity, ...]:
        entities: list[Entity] = []
        surnames: set[str] = set()
        for match in _NAME.finditer(text):
            start, words = match.start(), match.group().split(" ")
            after_title = False
            while words and (words[0] in SKIP_WORDS or words[0] in TITLES):
                after_title = after_title or words[0] in TITLES
                start += len(words.pop(0)) + 1
            if not words:
                continue
            sentence_initial = start == match.start() and starts_sentence(text, start)
            label = self._label(words, text, start, after_title, sentence_initial, surnames)
            if label is None:
                continue
            end = start + len(" ".join(words))
            entities.append(Entity(start, end, label))
            if label == "PER":
                surnames.add(words[-1])
        return tuple(entities)

    def _label(
        self, words: list[str], text: str, start: int, after_title: bool, initial: bool, surnames: set[str]
    ) -> str | None:
        name = " ".join(words)
        if name in self._gazetteer:
            return self._gazetteer[name]
        if words[-1] in ORG_HEADS or words[0] in ("Ministry", "University", "Bank"):
            return "ORG"
        if len(words) == 1 and name.isupper() and 2 <= len(name) <= 6:
            return "LOC" if text[start + len(name) : start + len(name) + 1] == "," and initial else "ORG"
        if after_title or len(words) >= 2:
            return "PER"
        if name in surnames:
            return "PER"
        return None
