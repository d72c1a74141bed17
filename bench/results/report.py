"""HTML error report for one run, or for a pair of runs on the same data.

    python -m bench.report RUN_DIR [--compare OTHER_RUN_DIR] [--out report.html]

One run: headline metrics, a reliability diagram of P(hedged), the entity-type confusion matrix, every
missed and spurious entity (strict match) and every claim whose certainty is wrong, in context, and each
article with gold and predicted annotations side by side (``article_view``). A pair: every headline metric's
paired difference (interval, paired-bootstrap p, Holm-corrected p), the flip sets (gold entities and claims
one run gets right and the other wrong), and the articles where the two runs differ most. The page is
self-contained (inline SVG, no scripts).
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.core.jsonl import write_atomic
from bench.errors import InputError, run_command
from bench.metrics.entities import strict_match
from bench.results import article_view
from bench.results.compare import compare_to_reference
from bench.results.rescore import verified_run
from bench.run.rundir import Run, check_comparable, gold_articles
from bench.schema import Article, Entity, Prediction

CONTEXT = 60  # characters shown on each side of an error
STYLE = (
    """body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
mark.fn{background:#fdd}mark.fp{background:#ddf}mark.wt{background:#fdb}mark.cue{background:#ffd}
.ctx{color:#555}
"""
    + article_view.STYLE
)


@dataclass(frozen=True)
class ArticleErrors:
    article: Article
    missed: tuple[Entity, ...]
    spurious: tuple[Entity, ...]
    wrong_type: tuple[tuple[Entity, Entity], ...]  # (gold, predicted) on the same span: one error, not two
    wrong_claims: tuple[int, ...]  # indices into article.claims

    @property
    def entity_count(self) -> int:
        return len(self.missed) + len(self.spurious) + len(self.wrong_type)

    @property
    def count(self) -> int:
        return self.entity_count + len(self.wrong_claims)


def article_errors(article: Article, prediction: Prediction) -> ArticleErrors:
    matched = strict_match(article, prediction.entities)
    # A wrong type on the right span is one error (the scorer counts it as a miss and a spurious one).
    missed, spurious = matched.without_retyped()
    wrong = tuple(
        index
        for index, (claim, guess) in enumerate(zip(article.claims, prediction.claims, strict=False))
        if claim.certainty != guess.certainty
    )
    return ArticleErrors(article, missed, spurious, matched.retyped, wrong)


def _tr(*cells: object, tag: str = "td") -> str:
    """A table row; every cell is escaped."""
    return "<tr>" + "".join(f"<{tag}>{html.escape(str(cell))}</{tag}>" for cell in cells) + "</tr>"


def _snippet(text: str, start: int, end: int, css: str) -> str:
    left = html.escape(text[max(0, start - CONTEXT) : start])
    right = html.escape(text[end : end + CONTEXT])
    return f'<span class="ctx">…{left}</span><mark class="{css}">{html.escape(text[start:end])}</mark>' + (
        f'<span class="ctx">{right}…</span>'
    )


def _interval(cell: dict) -> str:
    return "" if cell.get("ci_low") is None else f"[{cell['ci_low']:.4f}, {cell['ci_high']:.4f}]"


def _headline_table(run: Run) -> str:
    rows = "".join(
        _tr(name, f"{cell['value']:.4f}", _interval(cell)) for name, cell in sorted(run.headline.items())
    )
    level = run.manifest.eval.level
    return f"<table>{_tr('metric', 'value', level + ' CI', tag='th')}{rows}</table>"


def reliability_svg(bins: Sequence[dict], size: int = 240) -> str:
    """Observed hedged fraction against mean P(hedged) per bin; the diagonal is perfect calibration."""
    pad = 30
    scale = size - 2 * pad

    def xy(p: float, q: float) -> tuple[float, float]:
        return pad + p * scale, size - pad - q * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">']
    parts.append(f'<rect x="{pad}" y="{pad}" width="{scale}" height="{scale}" fill="none" stroke="#999"/>')
    (x0, y0), (x1, y1) = xy(0, 0), xy(1, 1)
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#bbb" stroke-dasharray="4"/>')
    for cell in bins:
        if cell["claims"]:
            cx, cy = xy(cell["mean_p_hedged"], cell["fraction_hedged"])
            radius = 2 + min(10.0, cell["claims"] ** 0.5)
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="#36c" fill-opacity=".6"/>'
            )
    parts.append(f'<text x="{pad}" y="{size - 8}" font-size="11">mean P(hedged) →</text>')
    parts.append(f'<text x="4" y="{pad - 10}" font-size="11">fraction hedged ↑</text></svg>')
    return "".join(parts)


def _article_link(article: Article, shown: set[str]) -> str:
    """The article id, linked to its view when the page shows it."""
    name = html.escape(article.id)
    return f'<a href="#{article_view.anchor(article.id)}">{name}</a>' if article.id in shown else name


def _entity_section(errors: Sequence[ArticleErrors], shown: set[str]) -> str:
    items = []
    for err in errors:
        text, link = err.article.text, _article_link(err.article, shown)
        for entity in err.missed:
            items.append(
                f"<li>{link} missed {entity.label}: {_snippet(text, entity.start, entity.end, 'fn')}</li>"
            )
        for entity in err.spurious:
            items.append(f"<li>{link} spurious {entity.label}: "
                         f"{_snippet(text, entity.start, entity.end, 'fp')}</li>")  # fmt: skip
        for gold, guess in err.wrong_type:
            items.append(f"<li>{link} wrong type, gold {gold.label}, predicted {guess.label}: "
                         f"{_snippet(text, gold.start, gold.end, 'wt')}</li>")  # fmt: skip
    return f'<h2 id="entity-errors">Entity errors (strict), {len(items)}</h2><ul>{"".join(items)}</ul>'


def _claim_section(
    errors: Sequence[ArticleErrors], predictions: dict[str, Prediction], shown: set[str]
) -> str:
    rows = []
    for err in errors:
        for index in err.wrong_claims:
            claim, guess = err.article.claims[index], predictions[err.article.id].claims[index]
            cells = (
                claim.certainty,
                guess.certainty,
                f"{guess.p_hedged:.3f}",
                err.article.text[claim.start : claim.end],
            )
            rows.append(f"<tr><td>{_article_link(err.article, shown)}</td>" + _tr(*cells)[4:])
    header = _tr("article", "gold", "predicted", "P(hedged)", "claim", tag="th")
    return (
        f'<h2 id="certainty-errors">Certainty errors, {len(rows)}</h2><table>{header}{"".join(rows)}</table>'
    )


def _error_legend() -> str:
    return (
        '<p class="legend">In the error lists: <mark class="fn">missed</mark> (a gold entity no prediction '
        'matches), <mark class="fp">spurious</mark> (a predicted entity with no gold one), '
        '<mark class="wt">wrong type</mark> (the span right, the type wrong). Each article id links to its '
        "view below.</p>"
    )


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )


def run_report(run: Run) -> str:
    """Headline, calibration, then the error index (each error linked to its article), then the articles.
    A task the dataset does not annotate has no section: its errors would be every prediction."""
    _, gold = gold_articles(run)
    predictions = {p.article_id: p for p in run.predictions(gold)}
    errors = [article_errors(article, predictions[article.id]) for article in gold]
    tasks, shown = run.manifest.data.tasks, {article.id for article in gold[: article_view.LIMIT]}
    body = [_headline_table(run)]
    calibration = run.scores.get("claims", {}).get("calibration")
    if calibration and "claims" in tasks:
        body.append(f"<h2>Reliability of P(hedged)</h2>{reliability_svg(calibration['bins'])}")
        body.append(f"<p>{html.escape(calibration['binning'])}</p>")
    if "entities" in tasks:
        counts = article_view.type_confusion(gold, predictions)
        body.append(article_view.confusion_table(counts, run.manifest.data.entity_labels))
    body.append(_error_legend())
    if "entities" in tasks:
        body.append(_entity_section(errors, shown))
    if "claims" in tasks:
        body.append(_claim_section(errors, predictions, shown))
    body.append(article_view.article_view(gold, predictions, tasks))
    return _page(f"{run.row_label}: {run.manifest.data.id}/{run.manifest.data.split}", "".join(body))


def pair_report(run: Run, other: Run) -> str:
    check_comparable([run, other])
    _, gold = gold_articles(run)
    mine = {p.article_id: p for p in run.predictions(gold)}
    theirs = {p.article_id: p for p in other.predictions(gold)}
    rows = []
    for article in gold:
        a, b = article_errors(article, mine[article.id]), article_errors(article, theirs[article.id])
        rows.append((b.count - a.count, article.id, a, b))
    rows.sort(key=lambda row: (-abs(row[0]), row[1]))
    cells = "".join(
        _tr(article_id, a.entity_count, b.entity_count,
            len(a.wrong_claims), len(b.wrong_claims), f"{delta:+d}")
        for delta, article_id, a, b in rows
    )  # fmt: skip
    names = (run.model_id, other.model_id)
    header = _tr("article", *(f"entity errors {n}" for n in names), *(f"certainty errors {n}" for n in names),
                 "difference in errors", tag="th")  # fmt: skip
    articles = (
        f"<h2>Articles</h2><p>Ordered by how differently the two runs err.</p><table>{header}{cells}</table>"
    )
    flips = flip_sets(gold, mine, theirs, names)
    return _page(f"{run.model_id} vs {other.model_id}", deltas_table(run, other) + flips + articles)


def deltas_table(run: Run, other: Run) -> str:
    """Each headline metric both runs have: the first run minus the second, with its paired test."""
    metrics = [m for m, cell in run.headline.items() if cell.get("value") is not None]
    rows = "".join(
        _tr(c.metric, f"{c.result.a:.4f}", f"{c.result.b:.4f}", f"{c.result.delta:+.4f}",
            f"[{c.result.ci_low:+.4f}, {c.result.ci_high:+.4f}]", f"{c.result.p_bootstrap:.4f}",
            f"{c.p_holm:.4f}")
        for c in compare_to_reference(other, [run], metrics)
    )  # fmt: skip
    # compare_to_reference tests with the reference run's settings: its confidence names the interval.
    level = other.manifest.eval.level
    header = _tr("metric", run.model_id, other.model_id, "difference", f"{level} interval",
                 "p (paired bootstrap)", "p (Holm)", tag="th")  # fmt: skip
    return f"<h2>Paired differences</h2><table>{header}{rows}</table>"


def flip_sets(gold: Sequence[Article], mine: dict[str, Prediction], theirs: dict[str, Prediction],
              names: tuple[str, str]) -> str:  # fmt: skip
    """Gold entities (strict match) and claim certainties one run gets right and the other wrong."""
    sections = []
    for first, second, right, wrong in ((0, 1, mine, theirs), (1, 0, theirs, mine)):
        entities, claims = [], []
        for article in gold:
            lost = set(strict_match(article, wrong[article.id].entities).missed)
            found = strict_match(article, right[article.id].entities).found
            entities += [(article, e.start, e.end) for e in found if e in lost]
            pairs = zip(article.claims, right[article.id].claims, wrong[article.id].claims, strict=False)
            claims += [
                (article, c.start, c.end) for c, p, q in pairs if p.certainty == c.certainty != q.certainty
            ]
        title = f"{names[first]} right, {names[second]} wrong"
        sections.append(
            _flip_list(f"Entities: {title}", entities, "fn")
            + _flip_list(f"Certainty: {title}", claims, "cue")
        )
    return "<h2>Flip sets</h2>" + "".join(sections)


def _flip_list(title: str, items: list[tuple[Article, int, int]], css: str) -> str:
    entries = "".join(
        f"<li>{html.escape(article.id)}: {_snippet(article.text, start, end, css)}</li>"
        for article, start, end in items
    )
    return f"<h3>{html.escape(title)} ({len(items)})</h3><ul>{entries}</ul>"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--compare", type=Path, help="a second run directory on the same data")
    parser.add_argument("--out", type=Path, help="default: RUN_DIR/report.html")
    args = parser.parse_args(argv)

    def action() -> None:
        try:
            run = verified_run(args.run_dir)
            page = pair_report(run, verified_run(args.compare)) if args.compare else run_report(run)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 -- a run file of the wrong shape is bad input, not a crash
            message = f"cannot report on this run: {type(exc).__name__}: {' '.join(str(exc).split())}"
            raise InputError(args.run_dir, None, message) from None
        out = args.out or args.run_dir / "report.html"
        write_atomic(out, [page.rstrip("\n")])
        print(f"wrote {out}")

    run_command(action)


if __name__ == "__main__":
    main()
