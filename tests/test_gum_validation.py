"""The check of news_real's entities against GUM's human layer: the mapping of GUM mentions to named spans,
the strict/boundary/overlap counts (hand-computed), the convention rules, and the command on the real data."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import requires_shared

from bench.corpus.gum_validation import NamedSpan, article_counts, disagreements, set_aside, validate
from bench.data.importers.gum import read_gum
from bench.data.importers.gum_mentions import named_mentions
from bench.schema import Article, Entity

# An invented document in GUM's CoNLL-U layout: (form, upos, misc) per word; "3-4" is a multi-word token.
WORDS = [
    ("Ann", "PROPN", "Entity=(1-person-new-sssss-cf1-1,2-coref-Ann_Lee"),
    ("Lee", "PROPN", "Entity=1)"),
    ("of", "ADP", "_"),
    ("the", "DET", "Entity=(2-organization-new-sssss-cf2-2,4-coref"),
    ("Bank", "PROPN", "_"),
    ("of", "ADP", "_"),
    ("England", "PROPN", "Entity=(3-place-new-sssss-cf3-1-sgl)2)"),
    ("met", "VERB", "_"),
    ("a", "DET", "Entity=(4-person-new-sssss-cf4-3-sgl"),
    ("Texas", "PROPN", "Entity=(5-place-new-sssss-cf5-1-sgl)"),
    ("teen", "NOUN", "Entity=4)"),
    ("in", "ADP", "_"),
    ("Paris", "PROPN", "Entity=(6-place-new-sssss-cf6-1-sgl)|SpaceAfter=No"),
    ("'s", "PART", "_"),
    ("zoo", "NOUN", "SpaceAfter=No"),
    (".", "PUNCT", "_"),
]


def write_conllu(path: Path) -> Path:
    text = "Ann Lee of the Bank of England met a Texas teen in Paris's zoo."
    rows = ["# newdoc id = GUM_news_test", "# newpar", f"# text = {text}"]
    for number, (form, upos, misc) in enumerate(WORDS, start=1):
        rows.append(f"{number}\t{form}\t{form}\t{upos}\t_\t_\t0\t_\t_\t{misc}")
    path.write_text("\n".join(rows) + "\n\n", encoding="utf-8")
    return path


def test_named_mentions_follow_the_documented_mapping(tmp_path: Path) -> None:
    path = write_conllu(tmp_path / "GUM_news_test.conllu")
    document = read_gum(path)
    found = {(document.text[m.start : m.end], m.label) for m in named_mentions(path, document.text)}
    # A person's name stops at "of"; an organisation's runs over it; "the" stays out; a mention headed by
    # a common noun ("a Texas teen") is not named, but the place inside it is; the possessive stays out.
    assert found == {
        ("Ann Lee", "PER"),
        ("Bank of England", "ORG"),
        ("England", "LOC"),
        ("Texas", "LOC"),
        ("Paris", "LOC"),
    }


def test_counts_are_the_hand_computed_ones() -> None:
    ours = [NamedSpan(0, 7, "PER"), NamedSpan(15, 30, "ORG"), NamedSpan(40, 45, "LOC")]
    theirs = [
        NamedSpan(0, 7, "PER"),
        NamedSpan(15, 30, "LOC"),
        NamedSpan(38, 45, "LOC"),
        NamedSpan(50, 55, "ORG"),
    ]
    counts = article_counts(ours, theirs)
    assert (counts["strict"].tp, counts["strict"].fp, counts["strict"].fn) == (1, 3, 2)
    assert (counts["boundary"].tp, counts["boundary"].fp, counts["boundary"].fn) == (2, 2, 1)
    assert (counts["overlap"].tp, counts["overlap"].fp, counts["overlap"].fn) == (2, 2, 1)
    assert counts["strict"].f1 == pytest.approx(2 * 1 / (2 * 1 + 3 + 2))


def test_disagreements_are_put_down_to_conventions_by_rule() -> None:
    text = "Britain said the Bank of England and President Ann Lee met Danes."
    article = Article(
        "gum-news-x",
        "",
        text,
        "business",
        (Entity(0, 7, "LOC"), Entity(17, 32, "ORG"), Entity(47, 54, "PER"), Entity(59, 64, "MISC")),
        (),
    )
    ours = [NamedSpan(e.start, e.end, e.label) for e in article.entities if e.label != "MISC"]
    theirs = [
        NamedSpan(0, 7, "ORG"),
        NamedSpan(17, 32, "ORG"),
        NamedSpan(25, 32, "LOC"),
        NamedSpan(37, 54, "PER"),
        NamedSpan(59, 64, "PER"),
    ]
    kinds = sorted(d.kind for d in disagreements(article, ours, theirs))
    assert kinds == [
        "GUM only, inside a news_real name",
        "GUM only, news_real MISC",
        "boundary, title or modifier",
        "type LOC/ORG",
    ]


@requires_shared("gum")
def test_news_real_and_gum_agree_on_most_names_and_on_nearly_all_once_conventions_are_set_aside() -> None:
    # (That results/gum_validation.md is what the command writes: test_readme_commands' rewriters.)
    result = validate()
    assert result.articles == 43
    assert result.counts["strict"].f1 > 0.7 and set_aside(result).f1 > 0.9
    assert not [item for item, cause, _ in result.items if cause == "undecided"]
