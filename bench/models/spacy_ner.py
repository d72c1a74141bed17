"""Adapter for an installed spaCy pipeline package: its NER mapped to CoNLL types, certainty by lexicon."""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.core.paths import resolve
from bench.models.rules.hedge_lexicon import HedgeLexicon
from bench.schema import ENTITY_LABELS, Article, Entity, Prediction


class SpacyNerModel:
    """A spaCy pipeline's entities, relabelled; the hedge-cue lexicon (as in ``lexicon``) for certainty.

    Args:
        package: importable pipeline package whose ``load()`` returns the pipeline (no download).
        label_map: the pipeline's entity labels -> CoNLL labels; labels not listed are dropped.
        drop_leading: words removed from the start of an entity (case-insensitive), e.g. OntoNotes' "the"
            in "the European Union", which the guidelines leave out of the span.
        cues: hedge-cue lexicon (``cue<TAB>weight``), relative to the project root.
        prior_hedged: P(hedged) of a claim with no lexicon cue.
    """

    def __init__(
        self,
        package: str,
        label_map: Mapping[str, str],
        cues: str,
        drop_leading: Sequence[str] = (),
        prior_hedged: float = 0.1,
    ) -> None:
        self.package = package
        self.label_map = dict(label_map)
        self.drop_leading = tuple(word.lower() for word in drop_leading)
        self.cues_path = resolve(cues)
        self.certainty = HedgeLexicon(self.cues_path, prior_hedged)
        self.entities = True  # False: a claims-only dataset, where NER would be work for a "not scored" task

    def for_tasks(self, tasks: Sequence[str]) -> SpacyNerModel:
        narrowed = copy.copy(self)
        narrowed.entities = "entities" in tasks
        return narrowed

    @cached_property
    def _module(self) -> ModuleType:
        return importlib.import_module(self.package)

    @cached_property
    def _nlp(self) -> Any:
        unknown = sorted(set(self.label_map.values()) - set(ENTITY_LABELS))
        if unknown:
            raise ValueError(f"label_map targets {unknown} are not entity labels {ENTITY_LABELS}")
        # Only the NER component: in these pipelines it has its own tok2vec, so its output is unchanged.
        return self._module.load(enable=["ner"])

    def placement(self) -> dict[str, str] | None:
        return None  # computes on the CPU, in no torch dtype

    def use_threads(self, threads: int) -> int | None:
        return None  # no torch here

    def weights_files(self) -> list[Path]:
        folder = Path(inspect.getfile(self._module)).parent
        model_files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        return [*model_files, self.cues_path, Path(__file__), Path(inspect.getfile(HedgeLexicon))]

    def predict(self, articles: Sequence[Article]) -> list[Prediction]:
        if not self.entities:
            return [Prediction(a.id, (), self.certainty.predict_claims(a)) for a in articles]
        docs = self._nlp.pipe(article.text for article in articles)
        return [
            Prediction(article.id, self._entities(article.text, doc), self.certainty.predict_claims(article))
            for article, doc in zip(articles, docs, strict=True)
        ]

    def _entities(self, text: str, doc: Any) -> tuple[Entity, ...]:
        entities = []
        for ent in doc.ents:
            label = self.label_map.get(ent.label_)
            start = self._skip_leading(text, ent.start_char, ent.end_char)
            if label is not None and start < ent.end_char:
                entities.append(Entity(start, ent.end_char, label))
        return tuple(entities)

    def _skip_leading(self, text: str, start: int, end: int) -> int:
        first, space, _ = text[start:end].partition(" ")
        if space and first.lower() in self.drop_leading:
            return start + len(first) + 1
        return start
