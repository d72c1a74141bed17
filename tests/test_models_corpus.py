"""A small synthetic corpus for the model tests, and helpers to train and run the tiny model on it.

The tests never depend on the real corpus (which is still being written): articles are generated from
templates in the authoring markup, compiled by ``bench.corpus.markup.parse`` and written as split files in a
temporary folder; command-line overrides point ``data`` and ``model.checkpoint`` there.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from conftest import run_cli

from bench.core.jsonl import canonical_line
from bench.core.validate import article_problems
from bench.corpus.markup import parse
from bench.schema import Article

PEOPLE = [
    "Amina Diallo",
    "Peter Novak",
    "Lucia Ferreira",
    "Kwame Mensah",
    "Hana Sato",
    "Tomas Berg",
    "Ruth Phiri",
    "Omar Haddad",
    "Elena Petrova",
    "Joseph Banda",
]
ORGS = [
    "Delta Mining Group",
    "the National Grain Board",
    "Harbor Bank",
    "Unity Party",
    "Coastal Airways",
    "the Medical Council",
    "Ridge Capital",
    "Pan African Telecom",
]
PLACES = ["Lagos", "Nairobi", "Lisbon", "Accra", "Osaka", "Oslo", "Lilongwe", "Beirut", "Sofia", "Lusaka"]
MISC = ["Kenyan", "Portuguese", "Japanese", "Ghanaian", "European", "Norwegian"]

CONFIRMED = [
    "[[PER:{per}]] arrived in [[LOC:{loc}]] on Monday.",
    "{org} reported a profit of 12 percent in [[LOC:{loc}]].",
    "[[PER:{per}]] signed the agreement with {org} on Tuesday.",
    "The [[MISC:{misc}]] delegation met [[PER:{per}]] in [[LOC:{loc}]].",
    "{org} opened a new office in [[LOC:{loc}]] last year.",
    "[[PER:{per}]] told reporters that the plant had closed.",
]
HEDGED = [
    "[[PER:{per}]] ((may)) resign before the vote in [[LOC:{loc}]].",
    "{org} is ((reportedly)) planning to sell its stake.",
    "The deal ((could)) be delayed, a source close to {org} ((said)).",
    "[[PER:{per}]] is ((expected)) to visit [[LOC:{loc}]] next week.",
    "Prices ((might)) rise further, ((according to)) analysts in [[LOC:{loc}]].",
    "The [[MISC:{misc}]] investors ((allegedly)) moved funds through [[LOC:{loc}]].",
]


def _org(name: str) -> str:
    # The guidelines keep determiners out of entity spans.
    return f"the [[ORG:{name[4:]}]]" if name.startswith("the ") else f"[[ORG:{name}]]"


def _sentence(rng: random.Random) -> str:
    hedged = rng.random() < 0.4
    template = rng.choice(HEDGED if hedged else CONFIRMED)
    filled = template.format(
        per=rng.choice(PEOPLE), loc=rng.choice(PLACES), org=_org(rng.choice(ORGS)), misc=rng.choice(MISC)
    )
    filled = filled[0].upper() + filled[1:]
    return f"<<{'H' if hedged else 'C'}:{filled}>>"


def make_article(article_id: str, rng: random.Random, sentences: int) -> Article:
    body = " ".join(_sentence(rng) for _ in range(sentences))
    source = f"id: {article_id}\ntitle: Synthetic {article_id}\ntopic: politics\n---\n{body}\n"
    return parse(source, f"<{article_id}>")


def write_corpus(folder: Path, sizes: dict[str, int] | None = None, sentences: int = 10) -> dict[str, Path]:
    """Write ``<folder>/<split>.jsonl`` for each split; the same arguments always give the same bytes."""
    rng = random.Random(20240611)
    paths = {}
    folder.mkdir(parents=True, exist_ok=True)
    for split, count in (sizes or {"train": 16, "dev": 4, "test": 6}).items():
        articles = [make_article(f"{split}-{i:03d}", rng, sentences) for i in range(count)]
        paths[split] = folder / f"{split}.jsonl"
        paths[split].write_text(
            "".join(canonical_line(a.to_json()) + "\n" for a in articles), encoding="utf-8"
        )
    return paths


def data_overrides(paths: dict[str, Path]) -> list[str]:
    return [f"data.source.splits.{split}={path}" for split, path in paths.items()]


# Short windows so that the synthetic articles (~150 tokens) are windowed as long real articles are.
WINDOW_OVERRIDES = ["model.max_length=64", "model.stride=16"]


def train_tiny(
    corpus: dict[str, Path], checkpoint: Path, epochs: int, *options: str
) -> subprocess.CompletedProcess[str]:
    """``python -m bench.training.train model=tiny`` on ``corpus``; ``options``: more Hydra overrides."""
    return run_cli(
        "bench.training.train",
        "model=tiny",
        f"model.checkpoint={checkpoint}",
        f"train.epochs={epochs}",
        "train.batch_articles=2",
        *WINDOW_OVERRIDES,
        *data_overrides(corpus),
        *options,
    )


def run_tiny(
    corpus: dict[str, Path], checkpoint: Path, runs: Path, *overrides: str
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "bench",
        "model=tiny",
        f"model.checkpoint={checkpoint}",
        f"run.root={runs}",
        f"run.cache={runs.parent / 'cache'}",
        "eval.resamples=50",
        *WINDOW_OVERRIDES,
        *data_overrides(corpus),
        *overrides,
    )


def test_synthetic_corpus_is_valid_and_has_both_classes(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path)
    from bench.data.load import JsonlSource, validate

    located = JsonlSource({split: str(path) for split, path in paths.items()}).read()
    validate(located)
    articles = [item.article for items in located.values() for item in items]
    certainties = {claim.certainty for a in articles for claim in a.claims}
    labels = {entity.label for a in articles for entity in a.entities}
    assert certainties == {"hedged", "confirmed"} and labels == {"PER", "ORG", "LOC", "MISC"}
    assert all(not article_problems(a) for a in articles)
    assert write_corpus(tmp_path / "again")["train"].read_bytes() == paths["train"].read_bytes()
