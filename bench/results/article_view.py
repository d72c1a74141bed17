"""The report's article view and entity-type confusion matrix.

Article view: each article's text twice, side by side, gold on the left and predicted on the right, entities
coloured by type (as displaCy does) and claims shaded by certainty, hedge cues underlined. The text is cut at
every span boundary and each piece is wrapped in the marks active over it, so overlapping and nested spans
always give well-formed HTML.

Confusion matrix: every gold entity against the predicted entity with exactly its span (strict boundaries);
``missed`` when there is none, and predicted entities with no gold span of their own are ``spurious``. The
diagonal is the strict scorer's true positives (``bench.metrics.entities.strict_match``, so a duplicate
prediction is spurious, as in ``scores.json``); each prediction is counted once.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from bench.metrics.entities import strict_match
from bench.schema import ENTITY_LABELS, Article, Prediction

MISSED, SPURIOUS = "missed", "spurious"
# Colours per type, and the shading of claims (hedged / confirmed) and cues.
# An entity's colour wins over its claim's shading (``.e.PER`` is the more specific selector).
STYLE = """.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}.cols p{white-space:pre-wrap;margin:0}
.hedged{background:#fff3c4}.confirmed{background:#eef6ee}.cue{text-decoration:underline 2px}
.e{border-radius:.25em}.e.PER{background:#aa9cfc}.e.ORG{background:#7aecec}.e.LOC{background:#feca74}
.e.MISC{background:#ccc}td.n{text-align:right}"""

Span = tuple[int, int, str]  # start, end, CSS class
LIMIT = 100  # articles shown side by side; the error lists link to these


def anchor(article_id: str) -> str:
    """The id of an article's view in the page (an HTML id, so prefixed: ids may start with a digit)."""
    return "article-" + html.escape(article_id)


def _pieces(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every span's class applied to the characters it covers."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        classes = " ".join(css for s, e, css in spans if s <= start and end <= e)
        piece = html.escape(text[start:end])
        out.append(f'<span class="{classes}">{piece}</span>' if classes else piece)
    return "".join(out)


def _spans(claims: Sequence, entities: Sequence, tasks: Sequence[str]) -> list[Span]:
    """Claims, cues and entities as marks, only for the tasks the dataset annotates."""
    spans: list[Span] = []
    if "claims" in tasks:
        spans += [(c.start, c.end, c.certainty) for c in claims]
        spans += [(cue.start, cue.end, "cue") for c in claims for cue in (c.cues or ())]
    if "entities" in tasks:
        spans += [(e.start, e.end, f"e {e.label}") for e in entities]
    return spans


def legend(tasks: Sequence[str]) -> str:
    """What each colour means, for the marks this page uses."""
    keys = []
    if "entities" in tasks:
        keys += [f'<span class="e {label}">{label}</span>' for label in ENTITY_LABELS]
    if "claims" in tasks:
        keys += ['<span class="hedged">hedged claim</span>', '<span class="confirmed">confirmed claim</span>',
                 '<span class="cue">hedge cue</span>']  # fmt: skip
    return f'<p class="legend">Colours: {" ".join(keys)}</p>'


def article_view(
    gold: Sequence[Article], predictions: dict[str, Prediction], tasks: Sequence[str] = ("entities", "claims")
) -> str:
    shown = gold[:LIMIT]
    note = f" (the first {LIMIT} of {len(gold)})" if len(gold) > LIMIT else ""
    parts = [f"<h2>Articles{note}: gold | predicted</h2>", legend(tasks)]
    for article in shown:
        prediction = predictions[article.id]
        left = _pieces(article.text, _spans(article.claims, article.entities, tasks))
        right = _pieces(article.text, _spans(prediction.claims, prediction.entities, tasks))
        parts.append(f'<h3 id="{anchor(article.id)}">{html.escape(article.id)}</h3>'
                     f'<div class="cols"><p>{left}</p><p>{right}</p></div>')  # fmt: skip
    return "".join(parts)


def type_confusion(gold: Sequence[Article], predictions: dict[str, Prediction]) -> Counter[tuple[str, str]]:
    """(gold type or ``spurious``, predicted type or ``missed``) -> count."""
    counts: Counter[tuple[str, str]] = Counter()
    for article in gold:
        matched = strict_match(article, predictions[article.id].entities)
        counts.update((e.label, e.label) for e in matched.found)
        counts.update((gold.label, guess.label) for gold, guess in matched.retyped)
        missed, spurious = matched.without_retyped()
        counts.update((e.label, MISSED) for e in missed)
        counts.update((SPURIOUS, p.label) for p in spurious)
    return counts


def confusion_table(counts: Counter[tuple[str, str]], labels: Sequence[str] = ENTITY_LABELS) -> str:
    columns, rows = [*labels, MISSED], [*labels, SPURIOUS]
    # The labels come from a run's manifest, which anyone can edit: escaped like every other text shown.
    header = "".join(f"<th>{html.escape(c)}</th>" for c in ["gold \\ predicted", *columns])
    body = "".join(
        f"<tr><th>{html.escape(row)}</th>"
        + "".join(f'<td class="n">{counts.get((row, col), 0)}</td>' for col in columns)
        + "</tr>"
        for row in rows
    )
    return (f'<h2 id="types">Entity types (same span)</h2><table><tr>{header}</tr>{body}</table>'
            "<p>Rows: gold type; columns: the type predicted for exactly that span. The diagonal is the "
            "strict true positives.</p>")  # fmt: skip
