"""Counts that describe the corpus, rendered as the Markdown tables of the dataset card (``data/README.md``).

The card's tables sit between two marker comments and are written only by ``python -m bench.corpus stats
--write-card``; a test fails when they disagree with the split files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from bench.schema import ENTITY_LABELS, Article

BEGIN = "<!-- stats:begin (written by: python -m bench.corpus stats --write-card) -->"
END = "<!-- stats:end -->"
SPLIT_ORDER = ("train", "dev", "test")


def _ordered(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    return [name for name in SPLIT_ORDER if name in splits] + sorted(set(splits) - set(SPLIT_ORDER))


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _split_row(name: str, articles: Sequence[Article]) -> list[object]:
    claims = [claim for article in articles for claim in article.claims]
    hedged = sum(claim.certainty == "hedged" for claim in claims)
    share = f"{100 * hedged / len(claims):.1f} %" if claims else "–"
    words = sum(len(article.text.split()) for article in articles)
    entities = sum(len(article.entities) for article in articles)
    return [name, len(articles), f"{words:,}", f"{entities:,}", f"{len(claims):,}", f"{hedged:,}", share]


def split_table(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    names = _ordered(splits)
    everything = [article for name in names for article in splits[name]]
    rows = [_split_row(name, splits[name]) for name in names] + [_split_row("**all**", everything)]
    return _table(["split", "articles", "words", "entities", "claims", "hedged", "hedged share"], rows)


def entity_table(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    names = _ordered(splits)
    counts = {name: Counter(e.label for a in splits[name] for e in a.entities) for name in names}
    total = sum(counts.values(), Counter())
    rows = [[label, *(counts[name][label] for name in names), total[label]] for label in ENTITY_LABELS]
    return _table(["type", *names, "all"], rows)


def topic_table(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    names = _ordered(splits)
    counts = {name: Counter(a.topic for a in splits[name]) for name in names}
    total = sum(counts.values(), Counter())
    rows = [[topic, *(counts[name][topic] for name in names), total[topic]] for topic in sorted(total)]
    return _table(["topic", *names, "all"], rows)


def cue_table(splits: Mapping[str, Sequence[Article]]) -> list[str]:
    forms = Counter(
        article.text[cue.start : cue.end].lower()
        for articles in splits.values()
        for article in articles
        for claim in article.claims
        for cue in claim.cues
    )
    rows = [
        [f"`{form}`", count] for form, count in sorted(forms.items(), key=lambda item: (-item[1], item[0]))
    ]
    return _table(["cue form", "count"], rows)


def stats_markdown(splits: Mapping[str, Sequence[Article]]) -> str:
    sections = [
        ("Counts per split", split_table(splits)),
        ("Entities per type", entity_table(splits)),
        ("Articles per topic", topic_table(splits)),
        ("Hedge cues (lower-cased span text), by frequency", cue_table(splits)),
    ]
    lines = [BEGIN]
    for title, table in sections:
        lines += ["", f"### {title}", "", *table]
    return "\n".join([*lines, "", END])


def replace_block(card: str, block: str) -> str:
    """The card with its generated block replaced; refuses a card without both markers."""
    start, end = card.find(BEGIN), card.find(END)
    if start < 0 or end < start:
        raise ValueError("the dataset card has no stats markers; add the two marker lines first")
    return card[:start] + block + card[end + len(END) :]
