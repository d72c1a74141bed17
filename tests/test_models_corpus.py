"""The small synthetic corpus of the model tests (``helpers.write_corpus``) is valid and has both classes.

The tests never depend on the real corpus (which is still being written): articles are generated from
templates in the authoring markup, compiled by ``bench.corpus.markup.parse`` and written as split files in a
temporary folder; command-line overrides point ``data`` and ``model.checkpoint`` there.
"""

from __future__ import annotations

from pathlib import Path

from helpers import check_splits, write_corpus

from bench.core.validate import article_problems


def test_synthetic_corpus_is_valid_and_has_both_classes(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path)
    from bench.data.load import JsonlSource

    located = JsonlSource({split: str(path) for split, path in paths.items()}).read()
    check_splits(located)
    articles = [item.article for items in located.values() for item in items]
    certainties = {claim.certainty for a in articles for claim in a.claims}
    labels = {entity.label for a in articles for entity in a.entities}
    assert certainties == {"hedged", "confirmed"} and labels == {"PER", "ORG", "LOC", "MISC"}
    assert all(not article_problems(a) for a in articles)
    assert write_corpus(tmp_path / "again")["train"].read_bytes() == paths["train"].read_bytes()
