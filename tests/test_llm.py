"""``model=llm``: a chat model behind an OpenAI-compatible endpoint, tested against a real HTTP server on
127.0.0.1 (``llm_server``) that answers from the gold data, or badly, as each test scripts it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import data_overrides, run_cli, run_dirs, write_corpus
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate
from llm_server import Reply, article_of, gold_answer, gold_verdicts, serving, task_of
from omegaconf import OmegaConf

import bench
from bench.core.paths import CONFIG_DIR, PROJECT_ROOT
from bench.errors import InputError
from bench.metrics.settings import EvalSettings
from bench.models.llm.adapter import ChatModel
from bench.models.llm.answers import Malformed, fallback_claims, read_claims, read_entities
from bench.models.llm.client import ChatClient
from bench.models.llm.spans import Named, NotInText, cue_spans, entity_spans
from bench.schema import Article, Claim, ClaimPrediction, Entity, Prediction, Span

RESAMPLES = 50


# ---- entity strings -> spans ----------------------------------------------------------------------------


def _spans(names: list[tuple[str, str]], text: str, occurrence: str = "all") -> list[tuple[str, str]]:
    found = entity_spans([Named(t, label) for t, label in names], text, occurrence)
    return [(text[e.start : e.end], e.label) for e in found]


def test_every_whole_word_occurrence_is_an_entity() -> None:
    text = "Lagos rose. In Lagos, Lagosians and the Lagos-based firm met."
    found = entity_spans([Named("Lagos", "LOC")], text, "all")
    assert found == (Entity(0, 5, "LOC"), Entity(15, 20, "LOC"), Entity(40, 45, "LOC"))  # not in "Lagosians"


def test_word_boundaries_hold_on_both_sides_and_around_punctuation() -> None:
    text = "The UN-mediated deal; UNESCO and BUN said U.S. officials, U.S.-backed."
    assert _spans([("UN", "ORG")], text) == [("UN", "ORG")]
    assert [e.start for e in entity_spans([Named("U.S.", "LOC")], text, "all")] == [42, 58]
    with pytest.raises(NotInText):
        entity_spans([Named("ESCO", "ORG")], text, "all")


def test_matching_is_case_sensitive() -> None:
    text = "Apple sold apple juice; APPLE rose."
    assert entity_spans([Named("Apple", "ORG")], text, "all") == (Entity(0, 5, "ORG"),)
    with pytest.raises(NotInText, match="'apples'"):
        entity_spans([Named("apples", "ORG")], text, "all")


def test_nested_names_keep_the_longest_and_the_shorter_one_elsewhere() -> None:
    text = "The New York Times said New York was calm."
    names = [("New York", "LOC"), ("New York Times", "ORG")]
    assert _spans(names, text) == [("New York Times", "ORG"), ("New York", "LOC")]
    assert [e.start for e in entity_spans([Named(*n) for n in names], text, "all")] == [4, 24]


def test_overlapping_names_of_equal_length_keep_the_leftmost_and_a_repeated_name_its_first_label() -> None:
    assert _spans([("B C", "ORG"), ("A B", "PER")], "A B C") == [("A B", "PER")]
    assert _spans([("Jordan", "PER"), ("Jordan", "LOC")], "Jordan met Jordan.") == [("Jordan", "PER")] * 2


def test_first_occurrence_keeps_one_span_per_name() -> None:
    text = "The New York Times said New York and New York again."
    names = [("New York", "LOC"), ("New York Times", "ORG")]
    found = entity_spans([Named(*n) for n in names], text, "first")
    assert found == (Entity(4, 18, "ORG"), Entity(24, 32, "LOC"))


def test_cues_are_placed_inside_their_claim_only() -> None:
    text = "It may rain. Prices may rise, may fall."
    assert cue_spans(["may"], text, Span(13, 39)) == (Span(20, 23), Span(30, 33))
    with pytest.raises(NotInText):
        cue_spans(["rain"], text, Span(13, 39))


def test_the_gold_strings_of_the_synthetic_corpus_map_back_to_exactly_the_gold_spans(tmp_path: Path) -> None:
    # What the end-to-end tests rely on: answering with each gold name once gives the gold annotation.
    gold = _gold(write_corpus(tmp_path, {"test": 20}, sentences=6))
    for article in gold:
        answer = json.dumps({"entities": [{"text": t, "label": lab} for t, lab in _names(article)]})
        assert read_entities(answer, article.text, "all") == article.entities
        claims = read_claims(json.dumps({"claims": gold_verdicts(article)}), article)
        assert [c.cues for c in claims] == [c.cues for c in article.claims]


def _names(article: Article) -> dict[tuple[str, str], None]:
    return dict.fromkeys((article.text[e.start : e.end], e.label) for e in article.entities)


# ---- reading answers ------------------------------------------------------------------------------------

TEXT = "Officials may resign, sources said. Ana Ruiz arrived in Lima."
ARTICLE = Article(
    "a-1", "t", TEXT, "politics",
    entities=(Entity(36, 44, "PER"), Entity(56, 60, "LOC")),
    claims=(Claim(0, 35, "hedged", (Span(10, 13), Span(30, 34))), Claim(36, 61, "confirmed")),
)  # fmt: skip


def _verdicts(*items: dict[str, Any]) -> str:
    return json.dumps({"claims": list(items)})


GOOD = (
    {"id": 1, "certainty": "hedged", "p_hedged": 0.8, "cues": ["may", "said"]},
    {"id": 2, "certainty": "confirmed", "p_hedged": 0.1, "cues": []},
)


def test_certainty_answers_map_to_one_prediction_per_gold_claim() -> None:
    claims = read_claims(_verdicts(*GOOD), ARTICLE)
    assert claims == (
        ClaimPrediction(0, 35, "hedged", 0.8, (Span(10, 13), Span(30, 34))),
        ClaimPrediction(36, 61, "confirmed", 0.1, ()),
    )
    fenced = "```json\n" + _verdicts(*GOOD) + "\n```"
    assert read_claims(fenced, ARTICLE) == claims
    without_cues = {k: v for k, v in GOOD[1].items() if k != "cues"}
    assert read_claims(_verdicts(GOOD[0], without_cues), ARTICLE)[1].cues == ()


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        ({**GOOD[1], "certainty": "certain"}, "certainty 'certain'"),
        ({**GOOD[1], "p_hedged": 1.5}, "p_hedged 1.5"),
        ({**GOOD[1], "p_hedged": -0.1}, "p_hedged -0.1"),
        ({**GOOD[1], "p_hedged": "0.1"}, "p_hedged '0.1'"),
        ({**GOOD[1], "p_hedged": 0.7}, "contradicts p_hedged 0.7"),
        ({**GOOD[1], "id": 3}, "expected an object with id 2"),
        ({**GOOD[1], "cues": ["Lima"]}, None),
        ({**GOOD[1], "cues": ["sources"]}, "cue 'sources' is not in claim"),
    ],
)
def test_a_bad_verdict_makes_the_certainty_answer_malformed(
    second: dict[str, Any], reason: str | None
) -> None:
    if reason is None:  # a cue found in its claim is kept even on a confirmed claim: it is the model's answer
        assert read_claims(_verdicts(GOOD[0], second), ARTICLE)[1].cues == (Span(56, 60),)
        return
    with pytest.raises(Malformed, match=reason):
        read_claims(_verdicts(GOOD[0], second), ARTICLE)


def test_the_wrong_number_of_verdicts_or_no_json_is_malformed_and_the_fallback_is_confirmed() -> None:
    with pytest.raises(Malformed, match="1 verdicts for 2 claims"):
        read_claims(_verdicts(GOOD[0]), ARTICLE)
    with pytest.raises(Malformed, match="not JSON"):
        read_claims("The first claim is hedged.", ARTICLE)
    assert fallback_claims(ARTICLE) == (
        ClaimPrediction(0, 35, "confirmed", 0.0, ()),
        ClaimPrediction(36, 61, "confirmed", 0.0, ()),
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ('{"entities": [{"text": "Ana Ruiz", "label": "PERSON"}]}', "label 'PERSON'"),
        ('{"entities": [{"text": "Ana Ruis", "label": "PER"}]}', "'Ana Ruis' is not in the text"),
        ('{"entities": [{"text": "  ", "label": "PER"}]}', "non-empty string"),
        ('{"names": []}', "a list 'entities'"),
        ('[{"text": "Lima", "label": "LOC"}]', "a list 'entities'"),
        ('{"entities": [', "not JSON"),
    ],
)
def test_a_bad_entity_answer_is_malformed(answer: str, reason: str) -> None:
    with pytest.raises(Malformed, match=reason):
        read_entities(answer, TEXT, "all")


def test_a_good_entity_answer_strips_and_places_its_names() -> None:
    answer = (
        '{"entities": [{"text": " Ana Ruiz ", "label": "PER"}, {"text": "Lima", "label": "LOC", "x": 1}]}'
    )
    assert read_entities(answer, TEXT, "all") == ARTICLE.entities


# ---- the HTTP client ------------------------------------------------------------------------------------


def _client(url: str, sleeps: list[float], **overrides: Any) -> ChatClient:
    args = {"api_key": None, "timeout_s": 2.0, "max_retries": 3, "backoff_s": 0.01, "max_wait_s": 5.0}
    return ChatClient(url + "/chat/completions", **{**args, **overrides}, sleep=sleeps.append)


def _script(*replies: Reply):
    queue = list(replies)
    return lambda body: queue.pop(0) if len(queue) > 1 else queue[0]


def test_a_429_is_retried_after_its_retry_after_then_answered() -> None:
    sleeps: list[float] = []
    with serving(_script(Reply(status=429, headers={"Retry-After": "2"}), Reply("ok"))) as server:
        outcome = _client(server.url, sleeps).complete({"model": "m"})
    assert (outcome.content, outcome.error, len(server.bodies()), sleeps) == ("ok", None, 2, [2.0])


def test_a_retry_after_beyond_the_cap_waits_the_cap() -> None:
    sleeps: list[float] = []
    with serving(_script(Reply(status=503, headers={"Retry-After": "3600"}), Reply("ok"))) as server:
        assert _client(server.url, sleeps, max_wait_s=0.5).complete({}).content == "ok"
    assert sleeps == [0.5]


def test_5xx_backs_off_exponentially_and_fails_after_max_retries() -> None:
    sleeps: list[float] = []
    with serving(_script(Reply(status=500))) as server:
        outcome = _client(server.url, sleeps).complete({})
    assert outcome.content is None and "gave up after 4 attempts" in (outcome.error or "")
    assert len(server.bodies()) == 4 and sleeps == [0.01, 0.02, 0.04]


def test_a_timeout_is_retried() -> None:
    sleeps: list[float] = []
    with serving(_script(Reply("late", delay=1.0), Reply("ok"))) as server:
        started = time.monotonic()
        outcome = _client(server.url, sleeps, timeout_s=0.2).complete({})
    assert outcome.content == "ok" and len(server.bodies()) == 2 and len(sleeps) == 1
    assert time.monotonic() - started < 1.0


def test_a_connection_refused_fails_after_retries() -> None:
    with serving(_script(Reply("ok"))) as server:
        url = server.url
    sleeps: list[float] = []
    outcome = _client(url, sleeps, max_retries=2).complete({})
    assert (
        outcome.content is None and "gave up after 3 attempts" in (outcome.error or "") and len(sleeps) == 2
    )


def test_a_400_fails_that_request_at_once_and_a_401_stops_the_run_naming_the_key() -> None:
    sleeps: list[float] = []
    with serving(_script(Reply(status=400))) as server:
        outcome = _client(server.url, sleeps).complete({})
    assert outcome.content is None and "HTTP 400" in (outcome.error or "") and sleeps == []
    with serving(_script(Reply(status=401))) as server, pytest.raises(InputError) as caught:
        _client(server.url, sleeps).complete({})
    assert str(caught.value).startswith("conf/model/llm.yaml: model.api_key_env:")


def test_the_key_is_sent_only_from_the_named_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with serving(_script(Reply(json.dumps({"entities": []})))) as server:
        monkeypatch.setenv("BENCH_TEST_LLM_KEY", "secret-123")
        _model(server.url, tmp_path / "a", api_key_env="BENCH_TEST_LLM_KEY").predict([_no_claims()])
        monkeypatch.setenv("BENCH_TEST_LLM_KEY", "")
        _model(server.url, tmp_path / "b", api_key_env="BENCH_TEST_LLM_KEY").predict([_no_claims()])
        _model(server.url, tmp_path / "c").predict([_no_claims()])
    assert [r.authorization for r in server.received] == ["Bearer secret-123", None, None]


# ---- a hostile server (issue 26) ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_not_followed_and_the_key_never_reaches_it(
    status: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BENCH_TEST_LLM_KEY", "secret-123")
    with serving(_script(Reply(json.dumps({"entities": [{"text": "Nothing", "label": "ORG"}]})))) as other:
        target = other.url + "/chat/completions"
        with serving(_script(Reply(status=status, headers={"Location": target}))) as server:
            model = _model(server.url, tmp_path, api_key_env="BENCH_TEST_LLM_KEY")
            with pytest.raises(InputError, match=f"model.base_url: the server redirects \\(HTTP {status}"):
                model.predict([_no_claims()])
    assert [r.authorization for r in server.received] == ["Bearer secret-123"]
    assert other.received == []  # the listener on the other port saw no request, so no key


def test_the_timeout_bounds_the_whole_request_not_each_read() -> None:
    sleeps: list[float] = []
    trickling = Reply(body=b'{"choices": [{"message": {"content": "' + b"x" * 400 + b'"}}]}', trickle=0.02)
    with serving(_script(trickling)) as server:
        started = time.monotonic()
        outcome = _client(server.url, sleeps, timeout_s=0.3, max_retries=1).complete({})
        took = time.monotonic() - started
    # each byte comes well within the timeout; the whole answer (9 s) does not
    assert outcome.content is None and "timeout_s" in (outcome.error or "")
    assert len(server.bodies()) == 2 and took < 2.0


def test_the_timeout_bounds_a_server_trickling_its_headers() -> None:
    sleeps: list[float] = []
    trickling = Reply("never read", trickle_head=0.5)  # ~90 header bytes: 45 s, each byte within the timeout
    with serving(_script(trickling, trickling)) as server:
        started = time.monotonic()
        outcome = _client(server.url, sleeps, timeout_s=1.0, max_retries=1).complete({})
        took = time.monotonic() - started
    assert outcome.content is None and "timeout_s" in (outcome.error or ""), outcome.error
    assert len(server.bodies()) == 2 and took < 4.0, took


def test_a_cli_run_against_a_server_trickling_its_headers_ends_within_its_timeouts_and_exits_2(
    tmp_path: Path,
) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"train": 1, "dev": 1, "test": 1}, sentences=2)
    with serving(_script(Reply("never read", trickle_head=0.5))) as server:
        started = time.monotonic()
        done = run_cli(*_cli_args(corpus, server.url, tmp_path, "model.timeout_s=1", "model.max_retries=0"))
        took = time.monotonic() - started
    assert took < 10.0 and len(server.bodies()) == 2, took  # 2 requests of at most 1 s each (was ~45 s each)
    (run_dir,) = run_dirs(tmp_path / "runs")
    assert done.returncode == 2 and done.stderr.splitlines()[-1] == (
        f"error: {run_dir}/manifest.json: 2 model request(s) failed after their retries "
        "(run.max_failed_requests=0): their fallbacks are no result; run again to ask for those only"
    )


def test_a_server_answering_after_a_slow_head_within_the_timeout_is_read() -> None:
    with serving(_script(Reply("ok", trickle_head=0.002))) as server:
        assert _client(server.url, [], timeout_s=5.0).complete({}).content == "ok"


def test_an_answer_above_the_size_cap_fails_that_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bench.models.llm.client.MAX_ANSWER_BYTES", 1000)
    sleeps: list[float] = []
    with serving(_script(Reply("y" * 5000))) as server:
        outcome = _client(server.url, sleeps).complete({})
    assert (outcome.content, outcome.error, sleeps) == (None, "the answer is larger than 1000 bytes", [])


def test_a_retry_after_that_is_no_number_of_seconds_falls_back_to_the_backoff() -> None:
    sleeps: list[float] = []
    replies = [Reply(status=503, headers={"Retry-After": value}) for value in ("nan", "inf", "-inf")]
    with serving(_script(*replies, Reply("ok"))) as server:
        assert _client(server.url, sleeps).complete({}).content == "ok"
    assert sleeps == [0.01, 0.02, 0.04]


def test_a_lone_surrogate_in_an_answer_fails_that_request_and_the_run_goes_on(tmp_path: Path) -> None:
    lone = b'{"choices": [{"message": {"content": "{\\"entities\\": [{\\"text\\": \\"\\ud800\\"}]}"}}]}'
    with serving(_script(Reply(body=lone))) as server:
        model = _model(server.url, tmp_path)
        (prediction,) = model.predict([_no_claims()])
        counts = model.diagnostics([_no_claims()])
    assert prediction.entities == () and counts["failed_requests"] == 1


def test_a_base_url_holding_a_password_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="must not hold a user or password") as caught:
        ChatModel(base_url="http://user:hunter2@127.0.0.1:9/v1", model="m")
    assert "hunter2" not in str(caught.value)


# ---- the adapter in-process -----------------------------------------------------------------------------


def _model(url: str, cache: Path, **overrides: Any) -> ChatModel:
    args = {"model": "test-model", "backoff_s": 0.0, "max_retries": 1, "concurrency": 4, "timeout_s": 5.0}
    return ChatModel(base_url=url, cache_dir=str(cache), **{**args, **overrides})


def _no_claims() -> Article:
    return Article("n-1", "t", "Nothing here.", "politics")


def _gold(paths: dict[str, Path], split: str = "test") -> list[Article]:
    return [Article.from_json(json.loads(line)) for line in paths[split].read_text().splitlines()]


def test_predictions_come_back_in_article_order_and_a_rerun_asks_nothing(tmp_path: Path) -> None:
    gold = _gold(write_corpus(tmp_path / "corpus", {"test": 8}, sentences=3))
    late_first = {a.id: 0.05 * (8 - i) for i, a in enumerate(gold)}  # later articles answer first

    def respond(body: dict[str, Any]) -> Reply:
        return Reply(gold_answer(body, gold), delay=late_first[article_of(body, gold).id])

    with serving(respond) as server:
        model = _model(server.url, tmp_path / "cache")
        first = model.predict(gold)
        again = _model(server.url, tmp_path / "cache").predict(gold)
    assert [p.article_id for p in first] == [a.id for a in gold]
    assert [p.entities for p in first] == [a.entities for a in gold]
    assert [[c.certainty for c in p.claims] for p in first] == [[c.certainty for c in a.claims] for a in gold]
    assert again == first and len(server.bodies()) == 16
    assert model.diagnostics(gold) == {"requests": 16, "answers": 16, "malformed_answers": 0,
                                       "failed_requests": 0, "not_cached": 0}  # fmt: skip


def test_malformed_and_failed_answers_get_the_fallback_and_are_counted(tmp_path: Path) -> None:
    gold = _gold(write_corpus(tmp_path / "corpus", {"test": 4}, sentences=3))
    bad = {gold[0].id: Reply("I think there are three entities."), gold[1].id: Reply(status=500)}

    def respond(body: dict[str, Any]) -> Reply:
        article = article_of(body, gold)
        if task_of(body) == "entities" and article.id in bad:
            return bad[article.id]
        if task_of(body) == "certainty" and article.id == gold[2].id:
            return Reply(_verdicts(*gold_verdicts(article)[1:]))  # one verdict short
        return Reply(gold_answer(body, gold))

    with serving(respond) as server:
        model = _model(server.url, tmp_path / "cache")
        predictions = model.predict(gold)
        assert len(server.bodies()) == 9  # 8 requests, one retried once
        counts = model.diagnostics(gold)
        model.predict(gold)  # the failed request is asked again; answers are not
        assert len(server.bodies()) == 11
    assert counts == {
        "requests": 8,
        "answers": 7,
        "malformed_answers": 2,
        "failed_requests": 1,
        "not_cached": 0,
    }
    assert predictions[0].entities == () and predictions[1].entities == ()
    assert predictions[2].claims == fallback_claims(gold[2]) and predictions[3].entities == gold[3].entities
    assert model.diagnostics(gold[3:]) == {"requests": 2, "answers": 2, "malformed_answers": 0,
                                           "failed_requests": 0, "not_cached": 0}  # fmt: skip


def test_the_request_carries_the_schema_only_with_structured_output(tmp_path: Path) -> None:
    with serving(_script(Reply('{"entities": []}'))) as server:
        _model(server.url, tmp_path / "a").predict([_no_claims()])
        _model(server.url, tmp_path / "b", structured_output=False).predict([_no_claims()])
    with_schema, without = server.bodies()
    assert (
        with_schema["response_format"]["json_schema"]["name"] == "entities"
        and "response_format" not in without
    )
    assert with_schema["model"] == "test-model" and with_schema["temperature"] == 0.0
    assert "Nothing here." in with_schema["messages"][0]["content"]


def test_the_prompt_templates_are_the_weights_and_a_broken_template_is_one_line(tmp_path: Path) -> None:
    files = _model("http://127.0.0.1:9/v1", tmp_path).weights_files()
    assert [f.name for f in files] == ["entities.v1.txt", "certainty.v1.txt"]
    broken = tmp_path / "entities.v2.txt"
    broken.write_text("Find the entities in: $article\n")
    prompts = {"entities": str(broken), "certainty": str(files[1])}
    with pytest.raises(InputError, match=r"model.prompts.entities: the template must use exactly \$\{text\}"):
        _model("http://127.0.0.1:9/v1", tmp_path, prompts=prompts).weights_files()
    with pytest.raises(InputError, match="model.model: name the served model"):
        _model("http://127.0.0.1:9/v1", tmp_path, model="").weights_files()


def _compose(*overrides: str):
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        return compose("config", overrides=["model=llm", *overrides])


@pytest.mark.parametrize(
    ("override", "key"),
    [("model.timeout_s=-1", "model.timeout_s"), ("model.occurrence=every", "model.occurrence"),
     ("model.concurrency=0", "model.concurrency"), ("model.base_url=localhost:8000", "model.base_url"),
     ("model.prompts.entities=null", "model.prompts.entities"), ("model.max_tokens=0", "model.max_tokens"),
     ("model.api_key_env=sk-abc123", "model.api_key_env")],
)  # fmt: skip
def test_a_bad_config_value_names_its_key(override: str, key: str) -> None:
    args = OmegaConf.to_container(_compose(override).model)
    assert isinstance(args, dict) and args.pop("_target_") == "bench.models.llm.adapter.ChatModel"
    with pytest.raises(ValueError, match=f"^{key}: ") as caught:
        ChatModel(**args)
    assert "abc123" not in str(caught.value)  # a key pasted by mistake is never echoed


def test_a_bad_config_value_stops_the_cli_with_one_line_naming_the_file_and_key(tmp_path: Path) -> None:
    done = run_cli("bench", "model=llm", "model.model=m", "model.timeout_s=-1", f"run.root={tmp_path}")
    assert done.returncode == 2 and not any(tmp_path.iterdir())
    where = "error: conf/model/llm.yaml: model config: model.timeout_s:"
    assert done.stderr == f"{where} must be a number in [0.001, inf], got -1\n"


# ---- end to end through the CLI -------------------------------------------------------------------------


def _cli_args(corpus: dict[str, Path], url: str, tmp_path: Path, *extra: str) -> list[str]:
    model = [f"model.base_url={url}", "model.model=test-model", "model.backoff_s=0.01", "model.max_retries=2",
             f"model.cache_dir={tmp_path / 'llm-cache'}"]  # fmt: skip
    run = [f"run.root={tmp_path / 'runs'}", f"run.cache={tmp_path / 'cache'}", f"eval.resamples={RESAMPLES}"]
    return ["bench", "model=llm", *model, *run, *data_overrides(corpus), *extra]


def _expected(article: Article, entities: bool = True, flip: int | None = None) -> Prediction:
    """The prediction the answers scripted below must give, built from the gold annotation directly."""
    claims = []
    for n, claim in enumerate(article.claims):
        certainty = (
            claim.certainty if n != flip else ("confirmed" if claim.certainty == "hedged" else "hedged")
        )
        p_hedged = 0.9 if certainty == "hedged" else 0.1
        claims.append(
            ClaimPrediction(claim.start, claim.end, certainty, p_hedged, claim.cues if n != flip else ())
        )
    return Prediction(article.id, article.entities if entities else (), tuple(claims))


class Script:
    """What the server answers for the six test articles of the end-to-end run (gold unless said below)."""

    def __init__(self, gold: list[Article]) -> None:
        self.gold = gold
        first = gold[0].entities[0]
        self.omitted = gold[0].text[first.start : first.end]  # article 0: one name left out
        self.throttled: set[tuple[str, str]] = set()

    def respond(self, body: dict[str, Any]) -> Reply:
        gold, article, task = self.gold, article_of(body, self.gold), task_of(body)
        if (article.id, task) == (gold[0].id, "entities"):
            names = json.loads(gold_answer(body, gold))["entities"]
            return Reply(json.dumps({"entities": [n for n in names if n["text"] != self.omitted]}))
        if (article.id, task) == (gold[1].id, "certainty"):  # the first claim flipped, without cues
            verdicts = gold_verdicts(article)
            flipped = "confirmed" if verdicts[0]["certainty"] == "hedged" else "hedged"
            verdicts[0] = {
                "id": 1,
                "certainty": flipped,
                "p_hedged": 0.9 if flipped == "hedged" else 0.1,
                "cues": [],
            }
            return Reply(json.dumps({"claims": verdicts}))
        if (article.id, task) == (gold[2].id, "entities"):
            return Reply('{"entities": [{"text": "Lagos", "label": "LOC"')  # malformed: cut off
        if (article.id, task) == (gold[3].id, "certainty"):
            return Reply(_verdicts(*[{**v, "p_hedged": 1.5} for v in gold_verdicts(article)]))  # malformed
        if article.id == gold[4].id and (article.id, task) not in self.throttled:
            self.throttled.add((article.id, task))
            return Reply(status=429, headers={"Retry-After": "0"})
        if (article.id, task) == (gold[5].id, "entities"):
            return Reply(status=503)  # fails every attempt
        return Reply(gold_answer(body, gold))

    def expected(self) -> list[Prediction]:
        """The predictions these answers must give, built from the gold annotation, not by the adapter."""
        gold = self.gold
        kept = tuple(e for e in gold[0].entities if gold[0].text[e.start : e.end] != self.omitted)
        return [
            Prediction(gold[0].id, kept, _expected(gold[0]).claims),
            _expected(gold[1], flip=0),
            _expected(gold[2], entities=False),
            Prediction(gold[3].id, gold[3].entities, fallback_claims(gold[3])),
            _expected(gold[4]),
            _expected(gold[5], entities=False),
        ]


def test_a_cli_run_scores_the_answers_the_server_gave_and_reports_malformed_ones(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"train": 2, "dev": 1, "test": 6}, sentences=4)
    gold = _gold(corpus)
    script = Script(gold)
    with serving(script.respond) as server:
        done = run_cli(*_cli_args(corpus, server.url, tmp_path))
        assert done.returncode == 2, done.stderr[-3000:]  # one request failed: written, but no result
        requests = len(server.bodies())
        counts = instantiate(_compose(*_cli_args(corpus, server.url, tmp_path)[2:]).model).diagnostics(gold)
        assert len(server.bodies()) == requests  # diagnostics asks the server nothing
        again = run_cli(*_cli_args(corpus, server.url, tmp_path, f"run.root={tmp_path / 'runs-again'}",
                                   "run.max_failed_requests=1"))  # fmt: skip
        asked_again = len(server.bodies()) - requests
    assert requests == 12 + 2 + 2  # 6 articles x 2 tasks, 2 throttled and retried, 2 retries of the 503

    # (a) the predictions are exactly those the answers give, and the scores are theirs
    (run_dir,) = run_dirs(tmp_path / "runs")
    written = [json.loads(line) for line in (run_dir / "predictions.jsonl").read_text().splitlines()]
    assert written == [p.to_json() for p in script.expected()]
    scores = json.loads((run_dir / "scores.json").read_text())
    assert scores == bench.evaluate(gold, script.expected(), settings=EvalSettings(resamples=RESAMPLES))
    missed = len(gold[2].entities) + len(gold[5].entities)
    missed += sum(gold[0].text[e.start : e.end] == script.omitted for e in gold[0].entities)
    micro = scores["entities"]["strict"]["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (sum(len(a.entities) for a in gold) - missed, 0, missed)

    # (c) the malformed answers are counted, from the response cache, and reported
    assert counts == {
        "requests": 12,
        "answers": 11,
        "malformed_answers": 2,
        "failed_requests": 1,
        "not_cached": 0,
    }
    assert "warning: llm: 2 malformed answer(s)" in done.stderr and "1 failed request(s)" in done.stderr
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["model"]["diagnostics"] == counts
    printed = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    assert f"model: {printed}" in done.stdout
    assert again.returncode == 0, again.stderr[-3000:]  # one failure allowed by run.max_failed_requests=1
    assert done.stderr.splitlines()[-1] == (
        f"error: {run_dir}/manifest.json: 1 model request(s) failed after their retries "
        "(run.max_failed_requests=0): their fallbacks are no result; run again to ask for those only"
    )
    # (d) an outage never reads as "the model got worse": tables and the gate refuse the run
    (again_dir,) = run_dirs(tmp_path / "runs-again")
    for command in (
        ["bench.gate", str(run_dir), "--baseline", str(again_dir)],
        ["bench.tables", str(run_dir)],
    ):
        refused = run_cli(*command)
        assert refused.returncode == 2 and refused.stderr.startswith(
            f"error: {run_dir}: a run with 1 failed model request(s), scored on fallbacks "
        ), refused.stderr
    assert asked_again == 3  # a failed request's fallback is not cached: it (only it) is asked again, retried


def _cached_pairs(folder: Path) -> set[tuple[str, str]]:
    entries = [json.loads(path.read_text()) for path in folder.glob("*/*.json")]
    return {(e["article_id"], e["task"]) for e in entries if e["content"] is not None}


@pytest.mark.slow  # two CLI runs and a kill: about ten seconds
def test_a_killed_run_resumes_without_asking_again_for_answered_articles(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"train": 2, "dev": 1, "test": 6}, sentences=4)
    gold = _gold(corpus)
    asked: list[tuple[str, str]] = []

    def respond(body: dict[str, Any]) -> Reply:
        asked.append((article_of(body, gold).id, task_of(body)))
        return Reply(gold_answer(body, gold), delay=0.25)

    with serving(respond) as server:
        args = _cli_args(corpus, server.url, tmp_path, "model.concurrency=1", "run.chunk_articles=1")
        env = {**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1"}
        killed = subprocess.Popen([sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while len(_cached_pairs(tmp_path / "llm-cache")) < 4:
            assert killed.poll() is None and time.monotonic() < deadline, "the run ended before the kill"
            time.sleep(0.01)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        answered = _cached_pairs(tmp_path / "llm-cache")
        before = len(asked)
        resumed = run_cli(*args)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        again = asked[before:]
        rerun = run_cli(*args)
        assert rerun.returncode == 0 and len(asked) == before + len(again)  # a finished run asks nothing
    everything = {(a.id, task) for a in gold for task in ("entities", "certainty")}
    assert 4 <= len(answered) < len(everything), "the kill must land part-way"
    assert not set(again) & answered, "an answer cached before the kill was asked for again"
    assert sorted(again) == sorted(everything - answered)  # each missing answer asked exactly once
    first, second = run_dirs(tmp_path / "runs")
    expected = [_expected(article) for article in gold]
    assert json.loads((first / "scores.json").read_text()) == bench.evaluate(
        gold, expected, settings=EvalSettings(resamples=RESAMPLES))  # fmt: skip
    assert (first / "scores.json").read_bytes() == (second / "scores.json").read_bytes()
