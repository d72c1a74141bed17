"""The authored corpus as a whole: size and balance targets, the dataset card, and clean splits."""

from __future__ import annotations

from collections import Counter

from bench.corpus.build import CARD, split_articles
from bench.corpus.overlap import cross_split_duplicates
from bench.corpus.stats import BEGIN, END, stats_markdown
from bench.schema import Article


def everything() -> list[Article]:
    return [article for articles in split_articles().values() for article in articles]


def test_card_tables_match_the_split_files() -> None:
    card = CARD.read_text(encoding="utf-8")
    block = card[card.index(BEGIN) : card.index(END) + len(END)]
    assert block == stats_markdown(split_articles()), "run: python -m bench.corpus stats --write-card"


def test_corpus_meets_its_size_and_balance_targets() -> None:
    articles = everything()
    claims = [claim for article in articles for claim in article.claims]
    hedged_share = sum(claim.certainty == "hedged" for claim in claims) / len(claims)
    assert len(articles) >= 100
    assert sum(len(article.entities) for article in articles) >= 3000
    assert len(claims) >= 1500
    assert 0.30 <= hedged_share <= 0.50
    topics = Counter(article.topic for article in articles)
    assert len(topics) >= 8 and min(topics.values()) >= 8, topics


def test_every_split_has_every_topic_and_no_near_duplicates_straddle_splits() -> None:
    splits = split_articles()
    topics = {article.topic for article in everything()}
    for name, articles in splits.items():
        assert {article.topic for article in articles} == topics, name
    assert cross_split_duplicates(splits) == []


def test_shared_sentence_across_splits_is_detected() -> None:
    sentence = "The central bank raised its benchmark rate by half a point on Thursday."
    a = Article("a", "t", f"Intro. {sentence} More.", "business")
    b = Article("b", "t", f"Other start. {sentence}", "business")
    assert len(cross_split_duplicates({"train": [a], "test": [b]})) == 1
    assert cross_split_duplicates({"train": [a, b]}) == []
