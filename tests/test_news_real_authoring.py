"""Authoring news_real: skeletons, the annotator's check, export of the stand-off to markup, the split."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from helpers import requires_shared, run_cli

from bench.core.paths import PROJECT_ROOT
from bench.corpus import standoff
from bench.corpus.markup_check import check_folder

needs_sources = requires_shared("meantime")
STANDOFF = PROJECT_ROOT / "data" / "news_real"
# sha256 of version 1's data/news_real/splits.json (commit 36fbe47) as sorted-key JSON
V1_SPLITS_SHA256 = "a29f6d5ae7775e664d70b642e194836af78db506c17b539c9a5781d9e7e8b06c"


@needs_sources
def test_export_then_build_gives_back_the_committed_stand_off(tmp_path: Path) -> None:
    markup = tmp_path / "markup"
    assert standoff.export_markup(markup) == 208
    out = tmp_path / "standoff"
    standoff.build(markup, out)
    for name in ("annotations.jsonl", "splits.json", "sources.json"):
        assert (out / name).read_bytes() == (STANDOFF / name).read_bytes(), name


@needs_sources
def test_the_check_names_a_changed_character_and_counts_the_rest(tmp_path: Path) -> None:
    standoff.export_markup(tmp_path)
    for path in sorted(tmp_path.glob("*.txt"))[2:]:
        path.unlink()
    first, second = sorted(tmp_path.glob("*.txt"))
    header, body = second.read_text(encoding="utf-8").split("---\n", 1)
    second.write_text(header + "---\n" + body.replace(" the ", " teh ", 1), encoding="utf-8")
    result = check_folder(tmp_path)
    assert result.files == 2 and len(result.errors) == 1
    assert second.name in result.errors[0] and "differs from the rebuilt source text" in result.errors[0]
    record = json.loads(
        next(line for line in (STANDOFF / "annotations.jsonl").read_text().splitlines() if first.stem in line)
    )
    assert result.entities == len(record["entities"]) and result.claims == len(record["claims"])


@needs_sources
def test_skeletons_never_overwrite_an_annotators_file(tmp_path: Path) -> None:
    assert standoff.write_skeletons(tmp_path, corpus="meantime") == 120
    target = next(tmp_path.glob("meantime-*.txt"))
    target.write_text("annotated", encoding="utf-8")
    assert standoff.write_skeletons(tmp_path, corpus="meantime") == 0
    assert target.read_text(encoding="utf-8") == "annotated"


def test_meantime_articles_go_to_test_and_the_first_88_keep_their_split() -> None:
    committed = json.loads((STANDOFF / "splits.json").read_text(encoding="utf-8"))
    ids = committed["dev"] + committed["test"]
    assert standoff.split_assignment(ids) == committed
    assert sum(i.startswith("meantime-") for i in committed["test"]) == 120
    assert not any(i.startswith("meantime-") for i in committed["dev"])
    # The first 88 articles keep version 1's split: the committed version-1 splits.json, by its hash.
    older = {
        name: [i for i in members if not i.startswith("meantime-")] for name, members in committed.items()
    }
    assert hashlib.sha256(json.dumps(older, sort_keys=True).encode()).hexdigest() == V1_SPLITS_SHA256


@pytest.mark.parametrize("action", ["check", "export", "build", "skeletons", "card", "pair"])
def test_a_news_real_action_without_its_folder_is_one_line(action: str) -> None:
    done = run_cli("bench.corpus", "news-real", action)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: command line: news-real {action} needs")
