"""The rule baseline: cue lexicon, probabilities, cue spans and the name heuristics."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus.markup import parse
from bench.errors import InputError
from bench.models.rules.hedge_lexicon import HedgeLexicon, read_weighted_lexicon
from bench.models.rules.lexicon import LexiconModel
from bench.models.rules.name_heuristics import NameHeuristics

HEADER = "id: t\ntitle: T\ntopic: politics\n---\n"


def lexicon(tmp_path: Path, lines: str, prior: float = 0.1) -> HedgeLexicon:
    path = tmp_path / "cues.tsv"
    path.write_text(lines, encoding="utf-8")
    return HedgeLexicon(path, prior)


def test_probability_combines_cue_weights_and_falls_back_to_the_prior(tmp_path: Path) -> None:
    cues = lexicon(tmp_path, "# comment\nmay\t0.5\nreportedly\t0.8\n")
    article = parse(HEADER + "<<H:He ((may)) ((reportedly)) go.>> <<C:It rained.>>")
    hedged, confirmed = cues.predict_claims(article)
    assert hedged.p_hedged == pytest.approx(1 - 0.5 * 0.2)
    assert hedged.certainty == "hedged"
    assert [article.text[c.start : c.end] for c in hedged.cues] == ["may", "reportedly"]
    assert (confirmed.p_hedged, confirmed.certainty, confirmed.cues) == (0.1, "confirmed", ())


def test_longest_cue_wins_and_matching_is_word_bounded(tmp_path: Path) -> None:
    cues = lexicon(tmp_path, "could\t0.5\ncould not be verified\t0.9\nmay\t0.9\n")
    article = parse(HEADER + "<<H:It ((could not be verified)) in Mayfield.>>")
    (claim,) = cues.predict_claims(article)
    assert [article.text[c.start : c.end] for c in claim.cues] == ["could not be verified"]


def test_bad_lexicon_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "cues.tsv"
    path.write_text("may\t0.5\nmight\t1.5\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cues.tsv:2: .*not a number in \[0, 1\]"):
        read_weighted_lexicon(path)


def test_name_heuristics_label_gazetteer_titles_acronyms_and_surnames(tmp_path: Path) -> None:
    gazetteer = tmp_path / "gaz.tsv"
    gazetteer.write_text("Russia\tLOC\nSyrian\tMISC\n", encoding="utf-8")
    text = "The Syrian leader met President Ann Kole in Russia. Kole thanked the IMF and Acme Holdings."
    found = {text[e.start : e.end]: e.label for e in NameHeuristics(gazetteer).predict_entities(text)}
    assert found == {
        "Syrian": "MISC", "Ann Kole": "PER", "Russia": "LOC", "Kole": "PER", "IMF": "ORG",
        "Acme Holdings": "ORG",
    }  # fmt: skip


def test_lexicon_model_predicts_one_claim_per_gold_claim_and_lists_its_rule_files() -> None:
    model = LexiconModel("bench/resources/hedge_cues.tsv", "bench/resources/gazetteer.tsv")
    article = parse(HEADER + "<<H:[[PER:Ann]] ((reportedly)) left.>> <<C:Rain fell.>>")
    (prediction,) = model.predict([article])
    assert [c.certainty for c in prediction.claims] == ["hedged", "confirmed"]
    assert [(c.start, c.end) for c in prediction.claims] == [(c.start, c.end) for c in article.claims]
    assert all(path.is_file() for path in model.weights_files())
