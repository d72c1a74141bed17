"""Subword tags <-> character spans, and windowing, on hand-made offsets (no tokenizer, no model)."""

from __future__ import annotations

import pytest

from bench.models.transformers.token_spans import ENTITY_TAGS, Tokens, decode_spans, encode_spans, trim
from bench.models.transformers.windows import plan_windows

# "Ban Ki-moon visited Seoul's mayor." as a BERT-style tokenizer would split it: words are split at
# whitespace and punctuation, and "Seoul" into two subwords.
TEXT = "Ban Ki-moon visited Seoul's mayor."
PIECES = [
    ("Ban", 0),
    ("Ki", 1),
    ("-", 2),
    ("moon", 3),
    ("visited", 4),
    ("Seo", 5),
    ("##ul", 5),
    ("'", 6),
    ("s", 7),
    ("mayor", 8),
    (".", 9),
]


def hand_tokens() -> Tokens:
    offsets, cursor = [], 0
    for piece, _ in PIECES:
        surface = piece.removeprefix("##")
        start = TEXT.index(surface, cursor)
        offsets.append((start, start + len(surface)))
        cursor = start + len(surface)
    return Tokens(tuple(offsets), tuple(word for _, word in PIECES))


def test_hand_tokens_are_what_the_test_claims() -> None:
    tokens = hand_tokens()
    assert [TEXT[s:e] for s, e in tokens.offsets] == [
        "Ban",
        "Ki",
        "-",
        "moon",
        "visited",
        "Seo",
        "ul",
        "'",
        "s",
        "mayor",
        ".",
    ]
    assert tokens.first_subwords() == [0, 1, 2, 3, 4, 5, 7, 8, 9, 10]


def test_decode_joins_words_and_covers_every_subword_of_the_last_word() -> None:
    tags = ["B-PER", "I-PER", "I-PER", "I-PER", "O", "B-LOC", "O", "O", "O", "O", "O"]
    assert decode_spans(TEXT, hand_tokens(), tags) == [(0, 11, "PER"), (20, 25, "LOC")]


def test_decode_reads_only_first_subwords() -> None:
    # "##ul" says B-ORG, which must not cut "Seoul" in two: only "Seo"'s tag counts for the word.
    tags = ["O", "O", "O", "O", "O", "B-LOC", "B-ORG", "O", "O", "O", "O"]
    assert decode_spans(TEXT, hand_tokens(), tags) == [(20, 25, "LOC")]


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # An I- that continues nothing opens a chunk (conlleval's repair).
        (["I-PER", "I-PER", "I-PER", "I-PER", "O", "O", "O", "O", "O", "O", "O"], [(0, 11, "PER")]),
        # A type change inside a run splits it; the I-ORG after B-PER becomes its own chunk.
        (
            ["B-PER", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "O", "O", "O"],
            [(0, 3, "PER"), (4, 11, "ORG")],
        ),
        # B- after B- of the same type: two chunks.
        (
            ["B-PER", "B-PER", "I-PER", "I-PER", "O", "O", "O", "O", "O", "O", "O"],
            [(0, 3, "PER"), (4, 11, "PER")],
        ),
        (["O"] * 11, []),
    ],
)
def test_decode_repairs_ill_formed_bio(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert decode_spans(TEXT, hand_tokens(), tags) == expected


def test_decode_trims_whitespace_that_offsets_include() -> None:
    # SentencePiece-style offsets that start at the space before a word.
    text = "in  Paris now"
    tokens = Tokens(((0, 2), (2, 9), (9, 13)), (0, 1, 2))
    assert decode_spans(text, tokens, ["O", "B-LOC", "O"]) == [(4, 9, "LOC")]
    assert trim("  ", 0, 2) == (2, 2)


def test_encode_labels_first_subwords_and_ignores_the_rest() -> None:
    tags = encode_spans(hand_tokens(), [(0, 11, "PER"), (20, 25, "LOC")])
    assert tags == ["B-PER", "I-PER", "I-PER", "I-PER", "O", "B-LOC", None, "O", "O", "O", "O"]


def test_encode_then_decode_gives_the_spans_back() -> None:
    spans = [(0, 3, "PER"), (4, 11, "PER"), (20, 25, "LOC"), (28, 33, "MISC")]
    tags = encode_spans(hand_tokens(), spans)
    filled = [tag if tag is not None else "I-LOC" for tag in tags]  # ignored positions may hold anything
    assert decode_spans(TEXT, hand_tokens(), filled) == spans


def test_entity_tag_inventory_is_fixed() -> None:
    # Checkpoints store classifier rows in this order: changing it silently relabels every trained model.
    assert ENTITY_TAGS == ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")


def test_overlapping_tokens_of_a_span() -> None:
    from bench.schema import Span

    assert hand_tokens().overlapping(Span(4, 11)) == [1, 2, 3]
    assert hand_tokens().overlapping(Span(21, 22)) == [5]


@pytest.mark.parametrize(
    ("n", "size", "stride"),
    [(0, 8, 2), (5, 8, 2), (8, 8, 2), (9, 8, 2), (30, 8, 2), (31, 8, 3), (100, 10, 0), (17, 8, 7)],
)
def test_windows_cover_every_token_once_and_are_full_length(n: int, size: int, stride: int) -> None:
    windows = plan_windows(n, size, stride)
    kept = [t for w in windows for t in range(w.keep_begin, w.keep_end)]
    assert kept == list(range(n))
    for window in windows:
        assert window.begin <= window.keep_begin <= window.keep_end <= window.end
        assert len(window) == min(n, size), "only a short article's single window may be shorter"
    for left, right in zip(windows, windows[1:], strict=False):
        assert left.end - right.begin >= stride


def test_window_keeps_each_token_where_it_has_most_context() -> None:
    windows = plan_windows(12, 8, 4)  # [0, 8) and [4, 12): tokens 4 to 7 are in both
    assert [(w.begin, w.end, w.keep_begin, w.keep_end) for w in windows] == [(0, 8, 0, 6), (4, 12, 6, 12)]
    # Token 5 has 2 tokens of right context in the first window and 1 of left context in the second: first.
    # Token 6 has 1 in the first and 2 in the second: second.


def test_last_window_is_aligned_to_the_end() -> None:
    windows = plan_windows(14, 8, 4)
    assert [(w.begin, w.end) for w in windows] == [(0, 8), (4, 12), (6, 14)]


def test_windows_refuse_a_stride_as_long_as_the_window() -> None:
    with pytest.raises(ValueError, match="stride"):
        plan_windows(20, 8, 8)
