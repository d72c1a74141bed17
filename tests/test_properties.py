"""Property-based tests (issue 13): the loader and the prediction reader either accept an input or raise the
project's one error type, whatever the input; the scorer's numbers obey what any scorer must."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from helpers import check_splits, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.data.load import JsonlSource
from bench.errors import InputError
from bench.metrics import score_run
from bench.metrics.settings import EvalSettings
from bench.run.rundir import read_predictions
from bench.schema import ENTITY_LABELS, Article, Claim, ClaimPrediction, Entity, Prediction, Span

NO_BOOTSTRAP = EvalSettings(resamples=0)
# JSON values that are close to valid: right keys, wrong types and ranges, odd text.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 40), st.floats(allow_nan=True), st.text(max_size=6)
)
SPAN_OBJECT = st.fixed_dictionaries(
    {"start": SCALARS, "end": SCALARS},
    optional={"label": st.sampled_from([*ENTITY_LABELS, "FOO", 3]), "certainty": SCALARS, "cues": SCALARS},
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=4), SCALARS),
        "title": SCALARS,
        "text": st.one_of(st.text(max_size=30), SCALARS),
        "topic": SCALARS,
        "entities": st.one_of(st.lists(SPAN_OBJECT, max_size=3), SCALARS),
        "claims": st.one_of(st.lists(SPAN_OBJECT, max_size=3), SCALARS),
        "extra": SCALARS,
    },
)


def write_lines(lines: list[str]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="bench-prop-"))
    path = folder / "split.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", errors="surrogatepass")
    return path


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.one_of(RECORD.map(json.dumps), st.text(max_size=20)), min_size=1, max_size=3))
def test_any_split_file_loads_or_is_one_input_error(lines: list[str]) -> None:
    path = write_lines([line.replace("\n", " ") for line in lines])
    try:
        check_splits(JsonlSource({"test": str(path)}).read())
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))


# ---- predictions ---------------------------------------------------------------------------------------

GOLD = Article(
    "a1", "t", "Anna Berg met Oslo Fund in Paris. It may rain.", "x",
    (Entity(0, 9, "PER"), Entity(14, 23, "ORG"), Entity(27, 32, "LOC")),
    (Claim(0, 33, "confirmed"), Claim(34, 46, "hedged", (Span(37, 40),))),
)  # fmt: skip
CLAIM_PREDICTION = st.fixed_dictionaries(
    {
        "start": SCALARS,
        "end": SCALARS,
        "certainty": st.sampled_from(["hedged", "confirmed", "maybe"]),
        "p_hedged": SCALARS,
    }
)
PREDICTION = st.fixed_dictionaries(
    {
        "article_id": st.sampled_from(["a1", "a2", 1]),
        "entities": st.one_of(st.lists(SPAN_OBJECT, max_size=3), SCALARS),
    },
    optional={"claims": st.one_of(st.lists(CLAIM_PREDICTION, max_size=3), SCALARS)},
)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.one_of(PREDICTION.map(json.dumps), st.text(max_size=10)), min_size=1, max_size=2))
def test_any_predictions_file_reads_or_is_one_input_error(lines: list[str]) -> None:
    path = write_lines([line.replace("\n", " ") for line in lines])
    try:
        read_predictions(path, [GOLD])
    except InputError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))


# ---- the scorer ----------------------------------------------------------------------------------------


@st.composite
def articles(draw: st.DrawFn) -> list[Article]:
    """Valid articles: words separated by spaces, entities on whole words, claims as sentences."""
    found = []
    for index in range(draw(st.integers(1, 4))):
        words = draw(
            st.lists(st.sampled_from(["Ada", "Oslo", "may", "rose", "Fund"]), min_size=1, max_size=12)
        )
        text = " ".join(words)
        starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
        chosen = sorted(set(draw(st.lists(st.integers(0, len(words) - 1), max_size=4))))
        entities = tuple(
            Entity(starts[i], starts[i] + len(words[i]), draw(st.sampled_from(ENTITY_LABELS))) for i in chosen
        )
        hedged = draw(st.booleans())
        claim = (
            Claim(0, len(text), "hedged", (Span(0, len(words[0])),))
            if hedged
            else Claim(0, len(text), "confirmed")
        )
        found.append(Article(f"a{index}", "t", text, "x", entities, (claim,)))
    return found


def predict(article: Article, entities: tuple[Entity, ...], p: float) -> Prediction:
    claims = tuple(
        ClaimPrediction(c.start, c.end, "hedged" if p >= 0.5 else "confirmed", p, ()) for c in article.claims
    )
    return Prediction(article.id, entities, claims)


def f1s(scores: dict[str, Any]) -> list[float]:
    return [v["value"] for v in scores["headline"].values() if v.get("value") is not None]


@settings(max_examples=examples(100), deadline=None)
@given(articles(), st.data())
def test_scores_stay_in_the_unit_interval_and_gold_against_itself_is_perfect(
    gold: list[Article], data: st.DataObject
) -> None:
    perfect = [predict(a, a.entities, 1.0 if a.claims[0].certainty == "hedged" else 0.0) for a in gold]
    scores = score_run(gold, perfect, ["entities", "claims"], NO_BOOTSTRAP)
    if any(a.entities for a in gold):
        assert scores["headline"]["entities.strict.micro.f1"]["value"] == 1.0
    noisy = [
        predict(a, tuple(e for e in a.entities if data.draw(st.booleans())), data.draw(st.floats(0, 1)))
        for a in gold
    ]
    assert all(
        0.0 <= value <= 1.0 for value in f1s(score_run(gold, noisy, ["entities", "claims"], NO_BOOTSTRAP))
    )


@settings(max_examples=examples(100), deadline=None)
@given(articles(), st.data())
def test_adding_a_correct_prediction_never_lowers_recall(gold: list[Article], data: st.DataObject) -> None:
    kept = [tuple(e for e in a.entities if data.draw(st.booleans())) for a in gold]
    missing = [(i, e) for i, a in enumerate(gold) for e in a.entities if e not in kept[i]]
    if not missing:
        return
    index, entity = data.draw(st.sampled_from(missing))
    more = [k + (entity,) if i == index else k for i, k in enumerate(kept)]
    recall = []
    for chosen in (kept, more):
        predictions = [predict(a, tuple(sorted(k)), 0.0) for a, k in zip(gold, chosen, strict=True)]
        scores = score_run(gold, predictions, ["entities"], NO_BOOTSTRAP)
        recall.append(scores["entities"]["strict"]["micro"]["recall"])
    assert recall[1] > recall[0]
