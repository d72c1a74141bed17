"""``bench.tables --latest`` says what it leaves out: a dirty-tree run is used and marked with a dagger, a
limit run gives way to the model's newest full run, and every skipped run is listed with its reason."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli
from test_gate_and_tables import edited_copy

from bench.results.tables import build_table, to_latex, to_markdown
from bench.run.rundir import load_run


def set_manifest(run: Path, **fields: object) -> Path:
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(fields)
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run


def runs_of_one_model(tmp_path: Path) -> Path:
    """news-test/lexicon with a full run from a dirty tree and a newer limit=5 smoke run."""
    folder = tmp_path / "news-test" / "lexicon"
    folder.mkdir(parents=True)
    full = edited_copy(folder, "20261201-000000.000000-aaaaaa")
    set_manifest(full, git={"commit": "0123456789abcdef", "dirty": True, "uncommitted_files": 3})
    smoke = edited_copy(folder, "20261202-000000.000000-bbbbbb")
    set_manifest(smoke, limit=5, git={"commit": "0123456789abcdef", "dirty": False})
    return tmp_path / "news-test"


def test_a_dirty_run_is_used_and_marked_and_a_limit_run_gives_way(tmp_path: Path) -> None:
    done = run_cli("bench.tables", "--latest", str(runs_of_one_model(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "| lexicon† |" in done.stdout
    footnote = "† run made from a working tree with uncommitted changes (lexicon: 3 uncommitted files at"
    assert footnote in done.stdout
    assert "using " in done.stderr and "20261201-000000.000000-aaaaaa" in done.stderr
    assert "skipped " in done.stderr and "20261202-000000.000000-bbbbbb: a limit=5 smoke run" in done.stderr


def test_clean_only_leaves_out_the_dirty_run_and_says_why(tmp_path: Path) -> None:
    done = run_cli("bench.tables", "--latest", str(runs_of_one_model(tmp_path)), "--clean-only")
    assert done.returncode == 2
    assert "made from uncommitted changes (--clean-only)" in done.stderr
    assert "a limit=5 smoke run" in done.stderr


def test_an_older_run_is_listed_as_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "news-test" / "lexicon"
    folder.mkdir(parents=True)
    for name in ("20261201-000000.000000-aaaaaa", "20261203-000000.000000-cccccc"):
        set_manifest(edited_copy(folder, name), git={"commit": "0123456789", "dirty": False})
    done = run_cli("bench.tables", "--latest", str(tmp_path / "news-test"))
    assert done.returncode == 0, done.stderr
    assert "20261201-000000.000000-aaaaaa: older than 20261203-000000.000000-cccccc" in done.stderr
    assert "†" not in done.stdout


def test_table_labels_name_no_checkpoint_path(tmp_path: Path) -> None:
    own = edited_copy(tmp_path, "tiny", model_id="tiny")
    manifest = json.loads((own / "manifest.json").read_text(encoding="utf-8"))
    set_manifest(own, model={**manifest["model"], "label": "results/checkpoints/tiny"})
    other = edited_copy(tmp_path, "hf", model_id="hf")
    manifest = json.loads((other / "manifest.json").read_text(encoding="utf-8"))
    set_manifest(other, model={**manifest["model"], "label": "/home/someone/models/ner-large"})
    runs = [load_run(edited_copy(tmp_path, "lexicon")), load_run(own), load_run(other)]
    table = build_table(runs, ["entities.strict.micro.f1"], "lexicon", 0.05)
    assert table.models == ("lexicon", "tiny", "hf (ner-large)")
    for text in (to_markdown(table), to_latex(table)):
        assert "checkpoints" not in text and "/home/someone" not in text


def test_writing_a_tracked_table_says_so(tmp_path: Path) -> None:
    from bench.core.paths import PROJECT_ROOT
    from bench.core.provenance import tracked_note

    assert "tracks" in tracked_note(PROJECT_ROOT / "results" / "tables" / "suite.md")
    assert tracked_note(tmp_path / "suite.md") == ""
