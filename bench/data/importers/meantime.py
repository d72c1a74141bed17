"""MEANTIME CoNLL files (``<id>_<title>.xml.conll``) -> ``SourceDocument`` with news text rebuilt from tokens.

Only the token column is read: the four event and factuality columns are MEANTIME's own annotation and are
not used here. A file holds one token per line (``number<TAB>token<TAB>…``) and a blank line between
sentences; sentence 0 is the headline and sentence 1 the date line. The corpus keeps no original spacing or
paragraphs, so the text is rebuilt by the fixed rules of ``detokenize`` (the sha256 of every text depends on
them: a change to a rule is a change to the data, and every stored hash says so). Layout of the text:
headline, newline, date line, newline, then the body's sentences joined by single spaces.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bench.data.importers.source_text import SourceDocument
from bench.errors import InputError

CORPUS = "meantime"
# Tokens written as PTB quotes in the corpus, and what news text prints for them.
REWRITE = {"``": '"', "''": '"', "`": "'"}
# Tokens glued to the token before them: punctuation, closing brackets and quotes, clitics.
CLOSERS = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "...", "''", "”", "’", "'s", "n't", "'re", "'ve",
           "'ll", "'d", "'m", "'S", "N'T"}  # fmt: skip
# Tokens glued to the token after them: opening brackets and quotes, currency signs, the hash sign.
OPENERS = {"(", "[", "{", "``", "`", "“", "‘", "$", "US$", "CA$", "A$", "C$", "NZ$", "HK$", "£", "€", "#"}
# A contraction's second half after an apostrophe token ("we ' re", "Wayne ’ s", "I' m").
CLITIC_TAIL = re.compile(r"^(s|t|re|ve|ll|d|m)$")


def _glue_left(token: str, previous: str, following: str, single_open: bool) -> bool:
    """Whether ``token`` attaches to ``previous`` with no space between them."""
    if token in CLOSERS:
        return True
    if token == "'":  # a closing quote, a plural's possessive ("developers '"), a split clitic ("we ' re")
        return single_open or previous.endswith(("s", "S")) or bool(CLITIC_TAIL.match(following))
    return previous.endswith(("'", "’")) and bool(CLITIC_TAIL.match(token))


def detokenize(tokens: Sequence[str]) -> str:
    """One text from PTB-style tokens: punctuation, quotes, clitics and currency signs put back in place.

    Straight double quotes alternate between opening and closing across the whole token sequence (a quote
    may run over sentences); PTB's `` and '' say which they are and are printed as straight quotes.
    """
    out: list[str] = []
    glue_next = False
    double_open = single_open = False
    previous = ""
    for index, token in enumerate(tokens):
        if token == '"':
            glue = double_open  # a closing quote glues left; an opening one glues right
            glue_after = not double_open
            double_open = not double_open
        else:
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            glue = _glue_left(token, previous, following, single_open)
            glue_after = token in OPENERS
            if token == "`":
                single_open = True
            elif token == "'" and single_open:
                single_open = False
        if out and not glue and not glue_next:
            out.append(" ")
        out.append(REWRITE.get(token, token))
        glue_next, previous = glue_after, token
    return "".join(out)


def read_sentences(path: Path) -> list[list[str]]:
    """The token column of a MEANTIME file, sentence by sentence."""
    sentences: list[list[str]] = [[]]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, f"cannot read: {exc}") from None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        columns = raw.split("\t")
        if len(columns) < 2 or not columns[0].isdigit() or not columns[1]:
            raise InputError(path, number, "expected 'number<TAB>token<TAB>…'")
        sentences[-1].append(columns[1])
    return [sentence for sentence in sentences if sentence]


def iso_date(line: str) -> str:
    """``December 10, 2013`` -> ``2013-12-10``; anything else -> ``""``."""
    try:
        return datetime.strptime(line.strip(), "%B %d, %Y").date().isoformat()
    except ValueError:
        return ""


def document_id(path: Path) -> str:
    """The numeric Wikinews page id that starts a MEANTIME file name (``1007169_Mary_Barra….xml.conll``)."""
    return path.name.split("_", 1)[0]


def read_meantime(path: Path) -> SourceDocument:
    """One MEANTIME file (one Wikinews article) -> its rebuilt text and metadata."""
    sentences = read_sentences(path)
    if len(sentences) < 3:
        raise InputError(path, None, "expected a headline, a date line and at least one body sentence")
    headline, dateline = detokenize(sentences[0]), detokenize(sentences[1])
    body = detokenize([token for sentence in sentences[2:] for token in sentence])
    title_words = path.name.removesuffix(".xml.conll").split("_", 1)[-1]
    return SourceDocument(
        corpus=CORPUS,
        doc_id=document_id(path),
        title=headline,
        url=f"https://en.wikinews.org/wiki/{title_words}",
        date=iso_date(dateline),
        text=f"{headline}\n{dateline}\n{body}",
    )
