"""Write N synthetic news-like articles (about 400 words, 35 entities, 20 claims each) as a valid split file,
for measuring time and memory at scale. Seeded: the same N and seed give the same bytes. Never committed.

    python scripts/synthetic_corpus.py --articles 10000 --out /tmp/synthetic-10k.jsonl
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path

from bench.core.jsonl import canonical_line
from bench.schema import Article, Claim, Entity, Span

NAMES = {
    "PER": ["Adaeze Okonkwo", "Maria Lindqvist", "Tomasz Wrona", "Keiko Arai", "Samuel Mensah"],
    "ORG": ["Eko Breweries", "Northgate Bank", "the Harbour Authority", "Vantor Mining", "Civic Trust"],
    "LOC": ["Lagos", "Gdansk", "Osaka", "Accra", "Lake Vänern"],
    "MISC": ["Brexit", "Olympic", "Nigerian", "Swedish", "Euro"],
}
FILLER = [
    "officials",
    "said",
    "the",
    "figures",
    "for",
    "the",
    "quarter",
    "were",
    "broadly",
    "in",
    "line",
    "with",
    "what",
    "markets",
    "had",
    "expected",
]
CUES = ["reportedly", "may", "is believed to"]


def sentence(rng: random.Random, start: int) -> tuple[str, list[Entity], Claim]:
    """One claim sentence of ~20 words holding two entities (hedged one time in four)."""
    parts: list[str] = []
    entities: list[Entity] = []
    cues: list[Span] = []
    offset = start
    hedged = rng.random() < 0.25
    words = rng.sample(FILLER, 8) + rng.sample(FILLER, 8)
    slots = {2: rng.choice(list(NAMES)), 9: rng.choice(list(NAMES))}
    for index, word in enumerate(words):
        if index in slots:
            label = slots[index]
            name = rng.choice(NAMES[label])
            entities.append(Entity(offset, offset + len(name), label))
            parts.append(name)
            offset += len(name) + 1
        if hedged and index == 5:
            cue = rng.choice(CUES)
            cues.append(Span(offset, offset + len(cue)))
            parts.append(cue)
            offset += len(cue) + 1
        parts.append(word)
        offset += len(word) + 1
    text = " ".join(parts) + "."
    claim = Claim(start, start + len(text), "hedged" if hedged else "confirmed", tuple(cues))
    return text, entities, claim


def article(index: int, rng: random.Random, sentences: int = 20) -> Article:
    texts: list[str] = []
    entities: list[Entity] = []
    claims: list[Claim] = []
    offset = 0
    for _ in range(sentences):
        text, found, claim = sentence(rng, offset)
        texts.append(text)
        entities.extend(found)
        claims.append(claim)
        offset += len(text) + 1
    return Article(f"syn-{index:07d}", f"Synthetic article {index}", " ".join(texts), "synthetic",
                   tuple(entities), tuple(claims))  # fmt: skip


def articles(count: int, seed: int) -> Iterator[Article]:
    rng = random.Random(seed)
    return (article(i, rng) for i in range(count))


def write(path: Path, count: int, seed: int = 0) -> Path:
    """Stream ``count`` articles to ``path`` (one line each, never all in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for item in articles(count, seed):
            out.write(canonical_line(item.to_json()) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(write(args.out, args.articles, args.seed))


if __name__ == "__main__":
    main()
