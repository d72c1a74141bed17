"""The authoring markup compiler: what it accepts, what it refuses, and the round trip."""

from __future__ import annotations

import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus.markup import parse, render
from bench.errors import InputError
from bench.schema import Article, Claim, Entity, Span

HEADER = "id: x\ntitle: T\ntopic: politics\n---\n"


def test_compiles_claims_cues_and_entities_with_half_open_offsets() -> None:
    article = parse(HEADER + "<<H:Assad has ((reportedly)) fled to [[LOC:Russia]].>> Done.\n")
    assert article.text == "Assad has reportedly fled to Russia. Done."
    assert article.entities == (Entity(29, 35, "LOC"),)
    assert article.claims == (Claim(0, 36, "hedged", (Span(10, 20),)),)
    assert article.text[29:35] == "Russia" and article.text[10:20] == "reportedly"


def test_only_one_final_newline_is_dropped() -> None:
    assert parse(HEADER + "a\n\n").text == "a\n"
    assert parse(HEADER + "a").text == "a"


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("ok\n<<H:no cue here.>>", 6, 1, "needs at least one ((cue))"),
        ("<<C:it ((may)) rain.>>", 5, 8, "inside a confirmed claim"),
        ("((may)) outside", 5, 1, "must be inside a hedged claim"),
        ("[[PERSON:Ann]]", 5, 1, "LABEL in"),
        ("[[PER:Ann]", 5, 1, "never closed"),
        ("a ]] b", 5, 3, "closes nothing"),
        ("<<C:[[PER:Ann>>]]", 5, 14, "needs ']]'"),
        ("<<C:open", 5, 1, "never closed"),
        ("<<C:a <<C:b>> c>>", 5, 7, "cannot start inside a claim"),
        ("<<X:a>>", 5, 1, "'<<H:' or '<<C:'"),
        ("[[PER:]]", 5, 1, "empty entity"),
    ],
)
def test_malformed_markup_names_line_and_column(body: str, line: int, column: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse(HEADER + body, "f.txt")
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert message in error.message
    assert str(error).startswith(f"f.txt:{line}:{column}: [x] ")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("id: x\ntitle: T\n---\nbody", "missing ['topic']"),
        ("id: x\nid: y\n---\n", "given twice"),
        ("id: x\ntitle: T\ntopic: p\nbody", "must end with a line '---'"),
        ("author: me\n---\n", "key in"),
    ],
)
def test_malformed_header_is_refused(source: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(source)


words = st.text(alphabet="abcXYZ ,.’", min_size=1, max_size=6)


@st.composite
def articles(draw: st.DrawFn) -> Article:
    """Random articles built the way markup can express them: entities and cues nested in claims."""
    pieces: list[str] = []
    entities: list[Entity] = []
    claims: list[Claim] = []
    length = 0

    def emit(text: str) -> tuple[int, int]:
        nonlocal length
        pieces.append(text)
        length += len(text)
        return length - len(text), length

    for _ in range(draw(st.integers(0, 4))):
        emit(draw(words) + " ")
        if draw(st.booleans()):
            start, end = emit("N" + draw(st.text(alphabet="abc", max_size=3)))
            entities.append(Entity(start, end, draw(st.sampled_from(["PER", "ORG", "LOC", "MISC"]))))
            emit(" ")
        claim_start = length
        cues = []
        hedged = draw(st.booleans())
        emit("C")
        if hedged:
            emit(" ")
            cues.append(Span(*emit("may")))
        if draw(st.booleans()):
            emit(" ")
            start, end = emit("E" + draw(st.text(alphabet="xyz", max_size=3)))
            entities.append(Entity(start, end, "ORG"))
        emit(".")
        claims.append(Claim(claim_start, length, "hedged" if hedged else "confirmed", tuple(cues)))
    return Article("gen", "Title", "".join(pieces), "politics", tuple(entities), tuple(claims))


@settings(max_examples=examples(200), deadline=None)
@given(articles())
def test_render_then_parse_is_the_identity(article: Article) -> None:
    assert parse(render(article)) == article


def test_render_refuses_text_with_reserved_markers() -> None:
    with pytest.raises(ValueError, match="reserved"):
        render(Article("a", "t", "see [[this]]", "politics"))
