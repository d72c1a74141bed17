"""The HTML error report: its error counts agree with the scorer's, and the page is well formed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bench.core.paths import PROJECT_ROOT
from bench.results.article_view import type_confusion
from bench.results.report import _tr, main, pair_report, reliability_svg, run_report
from bench.run.rundir import gold_articles, load_run

BASELINE = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon"
VOID = {"meta", "circle", "rect", "line"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def assert_well_formed(page: str) -> None:
    parser = TagBalance()
    parser.feed(page)
    assert parser.open == []


def test_the_type_confusion_agrees_with_the_strict_scorer() -> None:
    run = load_run(BASELINE)
    _, gold = gold_articles(run)
    counts = type_confusion(gold, {p.article_id: p for p in run.predictions(gold)})
    micro = json.loads((BASELINE / "scores.json").read_text())["entities"]["strict"]["micro"]
    labels = ("PER", "ORG", "LOC", "MISC")
    assert sum(counts[label, label] for label in labels) == micro["tp"]
    type_errors = sum(n for (g, p), n in counts.items() if g in labels and p in labels and g != p)
    assert sum(n for (g, _), n in counts.items() if g == "spurious") + type_errors == micro["fp"]
    assert sum(n for (_, p), n in counts.items() if p == "missed") + type_errors == micro["fn"]
    page = run_report(run)
    assert page.count('<div class="cols">') == len(gold)
    assert_well_formed(page)


def entity_errors(micro: dict) -> int:
    """The report's count of entity errors: the scorer's misses and spurious ones, with a wrong type on the
    right span (one fp and one fn to the scorer) counted once."""
    run = load_run(BASELINE)
    _, gold = gold_articles(run)
    counts = type_confusion(gold, {p.article_id: p for p in run.predictions(gold)})
    labels = ("PER", "ORG", "LOC", "MISC")
    retyped = sum(n for (g, p), n in counts.items() if g in labels and p in labels and g != p)
    assert retyped > 0  # the baseline has some, so the test sees the difference
    return int(micro["fp"] + micro["fn"]) - retyped


def test_run_report_counts_the_errors_the_scorer_counted() -> None:
    scores = json.loads((BASELINE / "scores.json").read_text())
    micro = scores["entities"]["strict"]["micro"]
    matrix = scores["claims"]["confusion"]["matrix"]
    page = run_report(load_run(BASELINE))
    assert f"Entity errors (strict), {entity_errors(micro)}</h2>" in page
    assert page.count("wrong type, gold ") == int(micro["fp"] + micro["fn"]) - entity_errors(micro)
    assert f"Certainty errors, {matrix[0][1] + matrix[1][0]}</h2>" in page
    assert_well_formed(page)


def test_cells_are_escaped_and_the_pair_page_is_well_formed() -> None:
    assert _tr("<b>&") == "<tr><td>&lt;b&gt;&amp;</td></tr>"
    svg = reliability_svg([{"claims": 4, "mean_p_hedged": 0.5, "fraction_hedged": 0.25}, {"claims": 0}])
    assert svg.count("<circle") == 1
    page = pair_report(load_run(BASELINE), load_run(BASELINE))
    assert_well_formed(page)
    assert "lexicon vs lexicon" in page and "+1" not in page


def test_cli_writes_the_page_where_asked(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    with pytest.raises(SystemExit) as exited:  # every command's main exits (bench.errors.run_command)
        main([str(BASELINE), "--out", str(out)])
    assert exited.value.code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_pair_page_lists_the_flip_sets_and_the_paired_differences(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(BASELINE, other)
    rows = [json.loads(line) for line in (other / "predictions.jsonl").read_text().splitlines()]
    dropped = {row["article_id"]: row["entities"] for row in rows[:3]}
    for row in rows[:3]:
        row["entities"] = []
    (other / "predictions.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["model"]["id"] = "other"
    (other / "manifest.json").write_text(json.dumps(manifest))
    _, gold = gold_articles(load_run(BASELINE))
    # Independently: the gold entities the baseline finds (strict) in the three articles the copy emptied.
    found = sum(
        len(
            {(e.start, e.end, e.label) for e in a.entities}
            & {(d["start"], d["end"], d["label"]) for d in dropped[a.id]}
        )
        for a in gold
        if a.id in dropped
    )
    assert found > 0
    page = pair_report(load_run(BASELINE), load_run(other))
    assert_well_formed(page)
    assert f"<h3>Entities: lexicon right, other wrong ({found})</h3>" in page
    assert "<h3>Entities: other right, lexicon wrong (0)</h3>" in page
    assert "<h3>Certainty: lexicon right, other wrong (0)</h3>" in page
    assert "<h2>Paired differences</h2>" in page
    recall = re.search(
        r"<td>entities.strict.micro.recall</td><td>([\d.]+)</td><td>([\d.]+)</td><td>([+-][\d.]+)</td>", page
    )
    assert recall is not None and float(recall[3]) > 0  # the baseline minus the emptied copy
    assert abs(float(recall[1]) - float(recall[2]) - float(recall[3])) < 1e-3


def test_the_paired_interval_is_named_by_the_confidence_the_test_used(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(BASELINE, other)
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["model"]["id"] = "other"
    manifest["eval"]["confidence"] = 0.9  # the reference's settings drive the paired test
    (other / "manifest.json").write_text(json.dumps(manifest))
    page = pair_report(load_run(BASELINE), load_run(other))
    assert "<th>90% interval</th>" in page
    assert "95%" not in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs Debian's chromium)")
def test_a_real_browser_renders_the_report_with_the_scorers_counts(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    with pytest.raises(SystemExit, match="^0$"):
        main([str(BASELINE), "--out", str(page)])
    browser = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    scores = json.loads((BASELINE / "scores.json").read_text())
    micro, matrix = scores["entities"]["strict"]["micro"], scores["claims"]["confusion"]["matrix"]
    shown = {h.strip() for h in re.findall(r"<h2[^>]*>([^<]*)</h2>", dom.stdout)}
    assert f"Entity errors (strict), {entity_errors(micro)}" in shown
    assert f"Certainty errors, {matrix[0][1] + matrix[1][0]}" in shown
    assert dom.stdout.count("<circle") >= 1, "the reliability diagram's points are in the rendered DOM"
    assert "Entity types (same span)" in shown and dom.stdout.count('<div class="cols">') == 21
    shot = tmp_path / "shot.png"
    done = subprocess.run([*browser, "--window-size=1100,900", f"--screenshot={shot}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_error_index_links_each_error_to_its_article_and_has_a_legend() -> None:
    page = run_report(load_run(BASELINE))
    index, articles = page.split("<h2>Articles")
    assert '<a href="#article-' in index and "Colours:" in articles and "wrong type" in index
    for target in set(re.findall(r'<a href="#([^"]+)"', index)):
        assert f'id="{target}"' in articles


def test_a_claims_only_run_has_no_entity_section(tmp_path: Path) -> None:
    """As on szeged_wiki: the run says entities are not scored, so the report lists no entity errors."""
    run = tmp_path / "claims-only"
    shutil.copytree(BASELINE, run)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["data"]["tasks"] = ["claims"]
    (run / "manifest.json").write_text(json.dumps(manifest))
    page = run_report(load_run(run))
    assert "Entity errors" not in page and "Entity types" not in page and 'class="e ' not in page
    assert "Certainty errors" in page
    assert_well_formed(page)
