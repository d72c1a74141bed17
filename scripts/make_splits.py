"""Assign every authored article to train/dev/test (about 60/20/20, by topic); writes data/splits.json.

Deterministic: within a topic, articles are ordered by the sha256 of their id, so adding an article moves no
other article unless its topic's quotas change. The seed article is always in test. Run once when articles
are added; the split is then fixed in git and never re-drawn at run time.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from bench.core.fingerprints import sha256_text
from bench.corpus.build import SPLITS_FILE, compile_all
from bench.corpus.overlap import cross_split_duplicates

SEED_ID = "seed-assad-asylum"
SHARES = {"test": 0.2, "dev": 0.2}


def assign(articles: dict) -> dict[str, list[str]]:
    by_topic: dict[str, list[str]] = defaultdict(list)
    for article in articles.values():
        if article.id != SEED_ID:
            by_topic[article.topic].append(article.id)
    splits: dict[str, list[str]] = {"train": [], "dev": [], "test": [SEED_ID] if SEED_ID in articles else []}
    seed_topic = articles[SEED_ID].topic if SEED_ID in articles else None
    for topic in sorted(by_topic):
        ids = sorted(by_topic[topic], key=sha256_text)
        seeded = int(topic == seed_topic)  # the seed already fills one test place of its topic
        total = len(ids) + seeded
        n_test = max(round(total * SHARES["test"]) - seeded, 0)
        n_dev = round(total * SHARES["dev"])
        splits["test"] += ids[:n_test]
        splits["dev"] += ids[n_test : n_test + n_dev]
        splits["train"] += ids[n_test + n_dev :]
    return {name: sorted(ids) for name, ids in splits.items()}


def main() -> None:
    articles = compile_all()
    splits = assign(articles)
    problems = cross_split_duplicates({name: [articles[i] for i in ids] for name, ids in splits.items()})
    if problems:
        print(
            "refusing to write splits: near-duplicates across splits:\n  " + "\n  ".join(problems),
            file=sys.stderr,
        )
        raise SystemExit(1)
    SPLITS_FILE.write_text(json.dumps(splits, indent=1) + "\n", encoding="utf-8")
    print({name: len(ids) for name, ids in splits.items()})


if __name__ == "__main__":
    main()
