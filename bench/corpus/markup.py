"""Authoring markup <-> ``Article``. The grammar is documented in ``data/MARKUP.md``.

A source file is a header of ``key: value`` lines (``id``, ``title``, ``topic``), a line ``---``, then
the body, in which

    <<H: ... >>   a hedged claim        <<C: ... >>   a confirmed claim
    ((...))       a hedge cue (only inside a hedged claim)
    [[LABEL:...]] an entity, LABEL one of PER ORG LOC MISC

The compiled ``text`` is the body with the markers removed and one final newline (if any) dropped.
Anything malformed raises ``InputError`` naming the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bench.errors import InputError
from bench.schema import ENTITY_LABELS, Article, Claim, Entity, Span

HEADER_KEYS: tuple[str, ...] = ("id", "title", "topic")
HEADER_END = "---"
RESERVED: tuple[str, ...] = ("[[", "]]", "<<", ">>", "((", "))")
_MARKER = re.compile(r"\[\[|\]\]|<<|>>|\(\(|\)\)")
_ENTITY_HEAD = re.compile(r"([A-Z]+):")
_CLAIM_HEAD = re.compile(r"([HC]):")
_CERTAINTY = {"H": "hedged", "C": "confirmed"}
_CLOSER = {"claim": ">>", "entity": "]]", "cue": "))"}


@dataclass
class _Open:
    """A construct whose closing marker has not been seen yet."""

    kind: str  # "claim" | "entity" | "cue"
    tag: str  # certainty for claims, label for entities, "" for cues
    start: int  # offset in the compiled text
    source_pos: int  # offset in the source, for error messages
    cues: list[Span] = field(default_factory=list)


class _Locator:
    """Maps a source offset to a 1-based (line, column) for error messages."""

    def __init__(self, source: str, path: Path | str) -> None:
        self.source = source
        self.path = path
        self.article_id: str | None = None

    def error(self, pos: int, message: str) -> InputError:
        line = self.source.count("\n", 0, pos) + 1
        column = pos - (self.source.rfind("\n", 0, pos) + 1) + 1
        return InputError(self.path, line, message, article_id=self.article_id, column=column)


def parse_file(path: Path) -> Article:
    """Read and compile one markup file."""
    try:
        source = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(path, None, f"cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, None, f"not valid UTF-8 (byte {exc.start})") from None
    return parse(source, path)


def parse(source: str, path: Path | str = "<string>") -> Article:
    """Compile markup source into an ``Article``."""
    locator = _Locator(source, path)
    header, body_start = _parse_header(source, locator)
    locator.article_id = header["id"]
    body = source[body_start:]
    if body.endswith("\n"):
        body = body[:-1]
    text, entities, claims = _parse_body(body, body_start, locator)
    return Article(
        id=header["id"],
        title=header["title"],
        text=text,
        topic=header["topic"],
        entities=tuple(sorted(entities)),
        claims=tuple(sorted(claims)),
    )


def _parse_header(source: str, locator: _Locator) -> tuple[dict[str, str], int]:
    header: dict[str, str] = {}
    pos = 0
    while True:
        newline = source.find("\n", pos)
        if newline < 0:
            raise locator.error(pos, f"header must end with a line '{HEADER_END}'")
        line = source[pos:newline]
        if line == HEADER_END:
            break
        if line.endswith("\r"):
            raise locator.error(pos, "line ends with CR (Windows line endings); save the file with LF")
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in HEADER_KEYS:
            raise locator.error(
                pos, f"expected a header line 'key: value' with key in {HEADER_KEYS}, or '{HEADER_END}'"
            )
        if key in header:
            raise locator.error(pos, f"header key '{key}' given twice")
        if not value:
            raise locator.error(pos, f"header key '{key}' has an empty value")
        header[key] = value
        pos = newline + 1
    missing = [key for key in HEADER_KEYS if key not in header]
    if missing:
        raise locator.error(pos, f"header is missing {missing}")
    return header, newline + 1


def _parse_body(body: str, offset: int, locator: _Locator) -> tuple[str, list[Entity], list[Claim]]:
    """Strip markers from ``body``; ``offset`` is where the body starts in the source."""
    out: list[str] = []
    out_len = 0
    stack: list[_Open] = []
    entities: list[Entity] = []
    claims: list[Claim] = []
    pos = 0
    for match in _MARKER.finditer(body):
        if match.start() < pos:  # inside a head such as "<<H:" that was already consumed
            continue
        out.append(body[pos : match.start()])
        out_len += match.start() - pos
        pos = match.end()
        source_pos = offset + match.start()
        marker = match.group()
        if marker in ("<<", "[[", "(("):
            frame, pos = _open(marker, body, pos, stack, out_len, source_pos, locator)
            stack.append(frame)
        else:
            surface = "".join(out)[stack[-1].start :] if stack else ""
            _close(marker, stack, out_len, source_pos, locator, entities, claims, surface)
    out.append(body[pos:])
    if stack:
        frame = stack[-1]
        raise locator.error(frame.source_pos, f"{frame.kind} opened here is never closed")
    return "".join(out), entities, claims


def _open(
    marker: str,
    body: str,
    pos: int,
    stack: list[_Open],
    out_len: int,
    source_pos: int,
    locator: _Locator,
) -> tuple[_Open, int]:
    """Start a construct; returns it and the body position after its head."""
    kinds = [frame.kind for frame in stack]
    if marker == "<<":
        head = _CLAIM_HEAD.match(body, pos)
        if head is None:
            raise locator.error(source_pos, "a claim must start with '<<H:' or '<<C:'")
        if kinds:
            raise locator.error(source_pos, f"a claim cannot start inside a {kinds[-1]}")
        return _Open("claim", _CERTAINTY[head.group(1)], out_len, source_pos), head.end()
    if marker == "[[":
        head = _ENTITY_HEAD.match(body, pos)
        if head is None or head.group(1) not in ENTITY_LABELS:
            raise locator.error(
                source_pos, f"an entity must start with '[[LABEL:' with LABEL in {ENTITY_LABELS}"
            )
        if "entity" in kinds or "cue" in kinds:
            raise locator.error(source_pos, f"an entity cannot start inside a {kinds[-1]}")
        return _Open("entity", head.group(1), out_len, source_pos), head.end()
    if "claim" not in kinds:
        raise locator.error(source_pos, "a hedge cue must be inside a hedged claim '<<H:...>>'")
    if kinds[-1] != "claim":
        raise locator.error(source_pos, f"a hedge cue cannot start inside a {kinds[-1]}")
    if stack[-1].tag != "hedged":
        raise locator.error(source_pos, "a hedge cue inside a confirmed claim; mark the claim '<<H:' instead")
    return _Open("cue", "", out_len, source_pos), pos


def _close(
    marker: str,
    stack: list[_Open],
    out_len: int,
    source_pos: int,
    locator: _Locator,
    entities: list[Entity],
    claims: list[Claim],
    surface: str,
) -> None:
    """``surface``: the compiled text of the innermost open construct (the one ``marker`` closes)."""
    if not stack:
        raise locator.error(source_pos, f"'{marker}' closes nothing")
    frame = stack.pop()
    if _CLOSER[frame.kind] != marker:
        raise locator.error(
            source_pos, f"'{marker}' found where the {frame.kind} needs '{_CLOSER[frame.kind]}'"
        )
    if out_len == frame.start:
        raise locator.error(frame.source_pos, f"empty {frame.kind}")
    if surface != surface.strip():
        raise locator.error(frame.source_pos, f"{frame.kind} {surface!r} starts or ends with whitespace")
    span = Span(frame.start, out_len)
    if frame.kind == "entity":
        entities.append(Entity(span.start, span.end, frame.tag))
    elif frame.kind == "cue":
        stack[-1].cues.append(span)
    else:
        if frame.tag == "hedged" and not frame.cues:
            raise locator.error(frame.source_pos, "a hedged claim needs at least one ((cue))")
        claims.append(Claim(span.start, span.end, frame.tag, tuple(sorted(frame.cues))))


def render(article: Article) -> str:
    """Write an ``Article`` back as markup; ``parse(render(a)) == a`` for any expressible article.

    Raises ``ValueError`` when the article cannot be written in this markup (an entity crossing a
    claim boundary, a reserved marker inside the text).
    """
    for marker in RESERVED:
        if marker in article.text:
            raise ValueError(f"{article.id}: text contains the reserved sequence {marker!r}")
    opens: dict[int, list[tuple[int, str]]] = {}
    closes: dict[int, list[tuple[int, str]]] = {}

    def add(start: int, end: int, depth: int, head: str, tail: str) -> None:
        opens.setdefault(start, []).append((depth, head))
        closes.setdefault(end, []).append((-depth, tail))

    for claim in article.claims:
        add(claim.start, claim.end, 0, "<<H:" if claim.certainty == "hedged" else "<<C:", ">>")
        for cue in claim.cues:
            add(cue.start, cue.end, 1, "((", "))")
    for entity in article.entities:
        add(entity.start, entity.end, 1, f"[[{entity.label}:", "]]")
    out: list[str] = []
    for pos in range(len(article.text) + 1):
        out.extend(tail for _, tail in sorted(closes.get(pos, ())))
        out.extend(head for _, head in sorted(opens.get(pos, ())))
        if pos < len(article.text):
            out.append(article.text[pos])
    header = "".join(f"{key}: {getattr(article, key)}\n" for key in HEADER_KEYS)
    rendered = f"{header}{HEADER_END}\n{''.join(out)}\n"
    if parse(rendered) != article:
        raise ValueError(f"{article.id}: annotations cannot be expressed in markup (crossing spans)")
    return rendered
