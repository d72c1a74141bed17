"""One strict matching for every caller: model selection, the report's error lists, its confusion matrix and
flip sets count duplicate and overlapping predictions exactly as ``scores.json`` does."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.metrics import score_run
from bench.metrics.entities import strict_match
from bench.metrics.settings import EvalSettings
from bench.results.article_view import MISSED, SPURIOUS, type_confusion
from bench.results.report import article_errors, flip_sets
from bench.schema import Article, Entity, Prediction
from bench.training.selection import dev_scores

TEXT = "Putin met Biden in Geneva on Tuesday."
ENTITIES = (Entity(0, 5, "PER"), Entity(10, 15, "PER"), Entity(19, 25, "LOC"))
GOLD = Article("a", "", TEXT, "t", entities=ENTITIES)
# The same correct span twice, and a shorter span before an exact one (the shorter one takes the gold first).
DUPLICATED = Prediction("a", entities=(Entity(0, 5, "PER"), Entity(0, 5, "PER"), Entity(19, 25, "LOC")))
OVERLAPPING = Prediction("a", entities=(Entity(10, 12, "PER"), Entity(10, 15, "PER"), Entity(19, 25, "LOC")))


def _strict(article: Article, prediction: Prediction) -> tuple[float, float, float]:
    micro = score_run([article], [prediction], ["entities"], EvalSettings(resamples=0))["entities"]["strict"]
    return micro["micro"]["tp"], micro["micro"]["fp"], micro["micro"]["fn"]


def test_a_duplicate_prediction_is_spurious_in_model_selection_as_in_scores_json() -> None:
    assert _strict(GOLD, DUPLICATED) == (2, 1, 1)
    counts = strict_match(GOLD, DUPLICATED.entities).counts
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 1)
    # set intersection said tp 2, fp 0, fn 1: F1 0.8 instead of the scorer's 2/3
    assert dev_scores([GOLD], [DUPLICATED])["entity_f1"] == 2 / 3


def test_an_earlier_overlapping_prediction_takes_the_gold_span_as_in_scores_json() -> None:
    assert _strict(GOLD, OVERLAPPING) == (1, 2, 2)
    assert dev_scores([GOLD], [OVERLAPPING])["entity_f1"] == 2 * 1 / (2 * 1 + 2 + 2)


def test_the_report_lists_every_spurious_prediction_and_the_confusion_matrix_adds_up() -> None:
    errors = article_errors(GOLD, DUPLICATED)
    assert errors.missed == (Entity(10, 15, "PER"),)
    assert errors.spurious == (Entity(0, 5, "PER"),)  # the second copy; sets saw none
    confusion = type_confusion([GOLD], {"a": DUPLICATED})
    assert confusion == {("PER", "PER"): 1, ("LOC", "LOC"): 1, ("PER", MISSED): 1, (SPURIOUS, "PER"): 1}


def test_a_flip_set_holds_only_gold_entities_the_scorer_counts_as_found() -> None:
    page = flip_sets([GOLD], {"a": DUPLICATED}, {"a": OVERLAPPING}, ("one", "two"))
    # one finds Putin, two does not; two's exact Biden comes after a shorter span took the gold, so
    # neither run has Biden: sets said "two right, one wrong" for it
    assert "Entities: one right, two wrong (1)" in page
    assert "Entities: two right, one wrong (0)" in page


_spans = st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["PER", "ORG", "LOC"])).map(
    lambda t: Entity(t[0], t[0] + t[1], t[2])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_spans, max_size=8), st.lists(_spans, max_size=8))
@example([Entity(0, 1, "PER")], [Entity(0, 1, "PER"), Entity(0, 1, "ORG")])  # on one span, PER before ORG
def test_strict_match_counts_are_the_scorer_s_counts(gold: list[Entity], predicted: list[Entity]) -> None:
    disjoint: list[Entity] = []
    for entity in sorted(gold, key=lambda e: (e.start, e.end)):
        if not disjoint or disjoint[-1].end <= entity.start:
            disjoint.append(entity)
    article = Article("a", "", "x" * 40, "t", entities=tuple(disjoint))
    matched = strict_match(article, predicted)
    counts = matched.counts
    assert (counts.tp, counts.fp, counts.fn) == _strict(article, Prediction("a", entities=tuple(predicted)))
    assert sorted([*matched.found, *matched.missed]) == sorted(disjoint)
    assert sorted([*matched.found, *matched.spurious]) == sorted(predicted)


def test_the_error_list_and_the_confusion_table_pair_the_same_wrong_types() -> None:
    """Two predictions of other types on one gold span: one wrong-type error and one spurious prediction, in
    the article's error list and in the confusion table alike (the list used to pair the last of the two and
    drop both as 'retyped', the table the first)."""
    twice = Prediction("a", entities=(Entity(0, 5, "ORG"), Entity(0, 5, "LOC"), Entity(10, 15, "PER"),
                                      Entity(19, 25, "LOC")))  # fmt: skip
    errors = article_errors(GOLD, twice)
    assert errors.wrong_type == ((Entity(0, 5, "PER"), Entity(0, 5, "ORG")),)
    assert (errors.missed, errors.spurious) == ((), (Entity(0, 5, "LOC"),))
    counts = type_confusion([GOLD], {"a": twice})
    assert (counts["PER", "ORG"], counts[SPURIOUS, "LOC"], counts["PER", MISSED]) == (1, 1, 0)
