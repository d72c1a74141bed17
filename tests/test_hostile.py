"""Inputs written by strangers (issue 26): checkpoints, run directories and baselines are treated as hostile.
Each test plays the attack as a user or an attacker would and shows it failing: no code of theirs runs, no
script runs in a report, no secret or file content reaches the output, nothing is read or written where the
run's own files point outside what the run wrote. (A hostile LLM server: ``test_llm.py``.)"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import make_read_only, mount_tmpfs, run_cli, unmount

from bench.core.paths import PROJECT_ROOT
from bench.results.article_view import confusion_table
from bench.results.report import _page as report_page

GOLD = Path(__file__).parent / "bad_inputs" / "gold.jsonl"

EVIL_CODE = """import os, pathlib
pathlib.Path(os.environ["BENCH_EVIL_MARKER"]).write_text("ran")
from transformers import PretrainedConfig, PreTrainedModel
class EvilConfig(PretrainedConfig):
    model_type = "bench-evil"
class EvilModel(PreTrainedModel):
    config_class = EvilConfig
"""


def _evil_checkpoint(folder: Path) -> Path:
    """A checkpoint whose config names its own Python (``auto_map``), which writes a marker when imported."""
    folder.mkdir()
    classes = {"AutoConfig": "evil.EvilConfig", "AutoModel": "evil.EvilModel",
               "AutoModelForTokenClassification": "evil.EvilModel",
               "AutoModelForSequenceClassification": "evil.EvilModel"}  # fmt: skip
    config = {"model_type": "bench-evil", "auto_map": classes, "id2label": {"0": "O"}, "label2id": {"O": 0}}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "evil.py").write_text(EVIL_CODE)
    (folder / "model.safetensors").write_bytes(b"")
    return folder


@pytest.mark.parametrize("part", ["model=minilm model.checkpoint", "model=hf model.checkpoint",
                                  "model=hf model.checkpoint=null model.certainty"])  # fmt: skip
def test_a_checkpoints_own_code_never_runs_even_when_stdin_says_yes(part: str, tmp_path: Path) -> None:
    folder = _evil_checkpoint(tmp_path / "checkpoint")
    marker = tmp_path / "marker"
    *model, key = part.split()
    args = [*model, f"{key}={folder}", f"data.source.splits={{test:'{GOLD}'}}", f"run.root={tmp_path}/runs",
            f"run.cache={tmp_path}/cache", "eval.resamples=0"]  # fmt: skip
    env = {**os.environ, "BENCH_EVIL_MARKER": str(marker), "TQDM_DISABLE": "1"}
    done = subprocess.run([sys.executable, "-m", "bench", *args], input="y\n" * 100, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=env, timeout=300)  # fmt: skip
    assert not marker.exists(), "the checkpoint's evil.py ran"
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {folder}: cannot load the checkpoint: ")
    assert "custom code" in done.stderr


# ---- 3: a label from a run's manifest in the HTML report ------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BASELINE = PROJECT_ROOT / "results" / "baselines" / "news-test" / "lexicon"
XSS = "<img src=x onerror=\"document.body.appendChild(document.createElement('pwned'))\">"


def _copy_baseline(tmp_path: Path, name: str = "run") -> Path:
    run = tmp_path / name
    shutil.copytree(BASELINE, run)
    return run


def _edit_json(path: Path, dotted: str, value: object) -> None:
    obj = json.loads(path.read_text())
    *parents, last = dotted.split(".")
    holder = obj
    for key in parents:
        holder = holder[key]
    holder[last] = value
    path.write_text(json.dumps(obj))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs Debian's chromium)")
def test_a_label_carrying_a_script_runs_no_script_in_a_real_browser(tmp_path: Path) -> None:
    # The reader refuses the label; the table escapes it anyway, should a label ever arrive by another way.
    run = _copy_baseline(tmp_path)
    _edit_json(run / "manifest.json", "data.entity_labels", ["PER", XSS])
    done = run_cli("bench.report", str(run), "--out", str(tmp_path / "refused.html"))
    assert done.returncode == 2 and done.stderr.startswith(
        f"error: {run}/manifest.json: not a bench manifest: "
    )
    assert not (tmp_path / "refused.html").exists()
    page = tmp_path / "report.html"
    page.write_text(report_page("hostile", confusion_table(Counter({("PER", XSS): 1}), ["PER", XSS])))
    browser = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000"]
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "Entity types (same span)" in dom.stdout  # the page rendered...
    assert "<pwned>" not in dom.stdout and "<img" not in dom.stdout  # ...and no element of the label's


# ---- 4: interpolations in a run's or a baseline's config ------------------------------------------------


@pytest.mark.parametrize("command", ["bench.rescore", "bench.gate", "bench.tables", "bench.report"])
def test_a_config_naming_an_environment_variable_never_prints_it(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_CI_SECRET", "s3cr3t-value-42")
    run = _copy_baseline(tmp_path)
    config = yaml.safe_load((run / "config.yaml").read_text())
    config["data"]["source"]["splits"]["test"] = "${oc.env:BENCH_CI_SECRET}"
    (run / "config.yaml").write_text(yaml.safe_dump(config))
    args = {"bench.gate": ["--baseline", str(BASELINE)], "bench.tables": ["--out", str(tmp_path / "t")],
            "bench.report": ["--out", str(tmp_path / "r.html")]}.get(command, [])  # fmt: skip
    done = run_cli(command, str(run), *args)
    assert "s3cr3t-value-42" not in done.stdout + done.stderr
    expected = (
        f"error: {run}/config.yaml: refused: an interpolation ('${{...}}') at data.source.splits.test\n"
    )
    assert (done.returncode, done.stderr) == (2, expected)


# ---- 5: a label in a LaTeX table -------------------------------------------------------------------------

TEX_TOOLS = shutil.which("pdflatex") and shutil.which("pdftotext")


@pytest.mark.skipif(not TEX_TOOLS, reason="pdflatex or pdftotext not installed (.ci/run installs them)")
def test_a_label_with_tex_escapes_puts_no_file_into_the_compiled_table(tmp_path: Path) -> None:
    other = _copy_baseline(tmp_path, "other")
    _edit_json(other / "manifest.json", "model.id", "x^^5cinput{secretfile}")  # ^^5c: TeX's backslash
    done = run_cli("bench.tables", str(BASELINE), str(other), "--out", str(tmp_path / "t"))
    assert done.returncode == 0, done.stderr
    (tmp_path / "secretfile.tex").write_text("TOPSECRETCONTENT\n")  # beside the table, where \input looks
    preamble = r"\documentclass{article}\usepackage{booktabs}\usepackage{graphicx}\usepackage{amssymb}"
    body = (tmp_path / "t.tex").read_text()
    (tmp_path / "doc.tex").write_text(preamble + "\n\\begin{document}\n" + body + "\n\\end{document}\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=tmp_path,
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    text = subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "TOPSECRETCONTENT" not in text
    assert "5cinput{secretfile}" in text  # the label is printed (its carets as accents)


# ---- 6: paths and names from a run's config; credentials in a URL -----------------------------------------


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "fifo"])
def test_a_run_config_pointing_at_a_system_file_a_device_or_a_fifo_is_one_line(
    target: str, tmp_path: Path
) -> None:
    if target == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
    run = _copy_baseline(tmp_path)
    config = yaml.safe_load((run / "config.yaml").read_text())
    config["data"]["source"]["splits"]["test"] = target
    (run / "config.yaml").write_text(yaml.safe_dump(config))
    # Data other than the project's (another fingerprint), so that the recorded path is the one to read:
    # with the project's own data the project's files are read and the recorded path never opened.
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["data"]["fingerprint"] = "0" * 64
    (run / "manifest.json").write_text(json.dumps(manifest))
    # a new process with a deadline: a reader blocked on the FIFO must fail the test, not hang the suite
    done = run_cli("bench.rescore", str(run), isolated=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"error: {target}"), done.stderr
    assert "root:" not in done.stderr and "root:" not in done.stdout  # no line of /etc/passwd is shown


@pytest.mark.parametrize("override", ["model_id=../../escaped", "data.id=../../escaped", "split=../x"])
def test_a_name_with_dot_dot_never_puts_a_run_outside_run_root(override: str, tmp_path: Path) -> None:
    root = tmp_path / "a" / "b" / "runs"
    done = run_cli("bench", "model=lexicon", override, f"data.source.splits={{test:'{GOLD}'}}",
                   f"run.root={root}", f"run.cache={tmp_path}/cache", "eval.resamples=0")  # fmt: skip
    key = override.split("=")[0]
    assert (done.returncode, done.stderr.split(":")[:3]) == (2, ["error", " config", f" {key}"]), done.stderr
    assert list(tmp_path.rglob("*")) == []


def test_a_base_url_with_a_password_is_refused_before_anything_is_written_or_printed(tmp_path: Path) -> None:
    done = run_cli("bench", "model=llm", "model.model=m", "model.base_url=http://me:hunter2@127.0.0.1:9/v1",
                   f"run.root={tmp_path}/runs", f"model.cache_dir={tmp_path}/llm")  # fmt: skip
    assert done.returncode == 2 and "hunter2" not in done.stdout + done.stderr
    assert (
        "model.base_url: must not hold a user or password" in done.stderr and list(tmp_path.iterdir()) == []
    )


# ---- 7: broken checkpoints --------------------------------------------------------------------------------


def _tiny_checkpoint(folder: Path, tags: tuple[str, ...] | None = None) -> Path:
    """A complete own-encoder checkpoint (readable by ``model=tiny`` and ``model=hf``), untrained and small
    (one layer, hidden 8): what a load check sees does not depend on training."""
    import torch

    from bench.models.transformers.multitask import MultiTaskTagger
    from bench.models.transformers.token_spans import ENTITY_TAGS
    from bench.training.bases import TinyBase
    from bench.training.checkpoint import save_checkpoint

    torch.manual_seed(0)
    texts = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    base = TinyBase(vocab_size=200, hidden_size=8, layers=1, heads=1, intermediate_size=8, max_positions=64)
    token_model, tokenizer = base.build(texts, tags or ENTITY_TAGS)
    return save_checkpoint(folder, MultiTaskTagger(token_model), tokenizer, {})


def _drop_weights(folder: Path, *prefixes: str, extra: bool = False) -> None:
    from safetensors.torch import load_file, save_file

    weights = load_file(folder / "model.safetensors")
    kept = {k: v for k, v in weights.items() if not k.startswith(prefixes)}
    if extra:
        kept["stranger.weight"] = weights["classifier.weight"].clone()
    save_file(kept, folder / "model.safetensors", metadata={"format": "pt"})


def _run_checkpoint(model: str, folder: Path, tmp_path: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return run_cli("bench", f"model={model}", f"model.checkpoint={folder}",
                   f"data.source.splits={{test:'{GOLD}'}}", f"run.root={tmp_path}/runs",
                   f"run.cache={tmp_path}/cache", "eval.resamples=0",
                   "model.max_length=64", "model.stride=16", "model.device=cpu", *more)  # fmt: skip


def test_an_intact_tiny_checkpoint_runs(tmp_path: Path) -> None:  # the control for the broken ones below
    folder = _tiny_checkpoint(tmp_path / "tiny")
    for model in ("tiny", "hf"):
        done = _run_checkpoint(model, folder, tmp_path)
        assert done.returncode == 0, done.stderr[-2000:]


LAYER = "bert.encoder.layer.0.attention.self."


@pytest.mark.parametrize("model", ["tiny", "hf"])
@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (("classifier.",), f"weights missing classifier, {LAYER}key, {LAYER}query, {LAYER}value (8 weights)"),
        ((), "weights unexpected stranger (1 weights)"),
    ],
    ids=["missing-classifier-and-attention", "unexpected-weight"],
)
def test_a_checkpoint_missing_or_adding_weights_is_one_line_naming_them(
    model: str, broken: tuple[str, ...], expected: str, tmp_path: Path
) -> None:
    folder = _tiny_checkpoint(tmp_path / "tiny")
    _drop_weights(folder, *broken, LAYER if broken else "-", extra=not broken)
    done = _run_checkpoint(model, folder, tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr.startswith(
        f"error: {folder}: model.safetensors does not fit a BertForTokenClassification: "
    )
    assert expected in done.stderr and not (tmp_path / "runs").exists()


@pytest.mark.parametrize("model", ["tiny", "hf"])
def test_a_checkpoint_without_tokenizer_files_is_one_line(model: str, tmp_path: Path) -> None:
    folder = _tiny_checkpoint(tmp_path / "tiny")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (folder / name).unlink()
    done = _run_checkpoint(model, folder, tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr.startswith(f"error: {folder}: no tokenizer files: none of tokenizer.json, vocab.txt")


def test_a_checkpoint_whose_types_match_no_label_map_entry_is_one_line(tmp_path: Path) -> None:
    folder = _tiny_checkpoint(tmp_path / "tiny", ("O", "B-PERSON", "I-PERSON", "B-GPE", "I-GPE"))
    done = _run_checkpoint("hf", folder, tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr == (
        f"error: {folder}: none of the checkpoint's entity types ['GPE', 'PERSON'] is in model.label_map "
        "['LOC', 'MISC', 'ORG', 'PER']\n"
    )
    mapped = _run_checkpoint("hf", folder, tmp_path, "+model.label_map.PERSON=PER")
    assert mapped.returncode == 0, mapped.stderr[-2000:]


# ---- crashes turned into one line: windows longer than the encoder's positions -----------------------------


@pytest.mark.parametrize("model", ["tiny", "hf"])
def test_a_max_length_above_the_checkpoints_positions_is_one_line_before_any_prediction(
    model: str, tmp_path: Path
) -> None:
    folder = _tiny_checkpoint(tmp_path / "tiny")  # 64 position embeddings
    done = _run_checkpoint(model, folder, tmp_path, "model.max_length=100000")
    assert done.returncode == 2 and done.stderr == (
        f"error: {folder}: model.max_length 100000 is above the checkpoint's 64 positions "
        "(its longest input): set model.max_length <= 64\n"
    )
    assert not (tmp_path / "runs").exists() and not (tmp_path / "cache").exists()


def test_the_position_limit_allows_for_the_padding_offset_of_roberta_like_encoders() -> None:
    from transformers import BertConfig, PretrainedConfig, RobertaConfig

    from bench.models.transformers.encoder import position_limit

    assert position_limit(BertConfig(max_position_embeddings=512)) == 512
    assert position_limit(RobertaConfig(max_position_embeddings=514, pad_token_id=1)) == 512
    assert position_limit(PretrainedConfig()) is None


# ---- crashes turned into one line: a read-only run.root or run.cache, a full disk -------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 256 KiB file system (tmpfs) at ``tmp_path/disk``: its writes fail as a full disk's do."""
    folder = tmp_path / "disk"
    if not mount_tmpfs(folder, "size=256k"):
        pytest.skip("mount -t tmpfs is not permitted here (needs root in a sandbox that allows mounts)")
    try:
        yield folder
    finally:
        unmount(folder)


def _lexicon(root: Path, cache: Path, file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    """A lexicon run in a new process; ``file_size`` caps the size of any file it writes (RLIMIT_FSIZE, with
    SIGXFSZ ignored, so a write past it fails with EFBIG as one on a full disk fails with ENOSPC)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [sys.executable, "-m", "bench", "model=lexicon", f"data.source.splits={{test:'{GOLD}'}}",
         f"run.root={root}", f"run.cache={cache}", "eval.resamples=0"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        preexec_fn=limit if file_size else None,
        env={**os.environ, "PYTHONHASHSEED": "0", "TQDM_DISABLE": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip


def _scores(root: Path) -> bytes:
    (scores,) = root.rglob("scores.json")
    return scores.read_bytes()


def _assert_failed_cleanly(done: subprocess.CompletedProcess[str], under: Path, reason: str) -> None:
    """Exit 2, one line naming a file under ``under`` and the system's reason; no run, complete or staged."""
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr.startswith(f"error: {under}/") and done.stderr.endswith(f": {reason}\n"), done.stderr
    assert not list((under / "runs").rglob("*")) if (under / "runs").exists() else True


@pytest.mark.parametrize("key", ["run.root", "run.cache"])
def test_a_read_only_run_root_or_cache_is_one_line_naming_the_folder(key: str, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    reason = make_read_only(folder)
    places = {"run.root": tmp_path / "runs", "run.cache": tmp_path / "cache", key: folder / "sub"}
    try:
        done = run_cli("bench", "model=lexicon", f"data.source.splits={{test:'{GOLD}'}}", "eval.resamples=0",
                       f"run.root={places['run.root']}", f"run.cache={places['run.cache']}")  # fmt: skip
        files = list(folder.iterdir())
    finally:
        unmount(folder)
    assert done.returncode == 2 and done.stderr == f"error: {folder}/sub: {reason}\n", done.stderr[-2000:]
    assert not (tmp_path / "runs").exists() and files == []


def test_a_full_disk_at_every_write_of_a_run_is_one_line_and_leaves_nothing_a_later_run_trusts(
    small_disk: Path, tmp_path: Path
) -> None:
    control = _lexicon(tmp_path / "control", tmp_path / "control-cache")
    assert control.returncode == 0, control.stderr[-2000:]
    failures = []
    for free_kib in range(0, 68, 4):  # 4 KiB more room each try, the cache kept, until the run fits
        _fill_disk(small_disk, leave=free_kib * 1024)
        done = _lexicon(small_disk / "runs", small_disk / "cache")
        if done.returncode == 0:
            break
        _assert_failed_cleanly(done, small_disk, "No space left on device")
        failures.append(Path(done.stderr.split(": ")[1]).name)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(set(failures)) >= 4, failures  # cache entries and run files: each write was reached full
    assert _scores(small_disk / "runs") == _scores(tmp_path / "control")
    assert [p.name for p in small_disk.rglob(".*")] == []  # no temp file, no staging folder


def _fill_disk(disk: Path, leave: int) -> None:
    """All of ``disk``'s free space but ``leave`` bytes taken by one file (``fill``, replaced each time)."""
    fill = disk / "fill"
    fill.unlink(missing_ok=True)
    stats = os.statvfs(disk)
    with fill.open("wb") as handle:
        handle.write(b"\0" * max(stats.f_bavail * stats.f_frsize - leave, 0))


def test_a_file_size_limit_at_every_write_of_a_run_is_one_line_and_leaves_nothing_a_later_run_trusts(
    tmp_path: Path,
) -> None:
    control = _lexicon(tmp_path / "control", tmp_path / "control-cache")
    assert control.returncode == 0, control.stderr[-2000:]
    failures = []
    for size in (100, 400, 600, 1000):  # a cache entry (~340 bytes), predictions, config.yaml, scores.json
        done = _lexicon(tmp_path / "runs", tmp_path / "cache", file_size=size)
        _assert_failed_cleanly(done, tmp_path, "File too large")
        failures.append(Path(done.stderr.split(": ")[1]).name)
    assert failures[1:] == ["predictions.jsonl", "config.yaml", "scores.json"], failures
    again = _lexicon(tmp_path / "runs", tmp_path / "cache")
    assert again.returncode == 0, again.stderr[-2000:]
    assert _scores(tmp_path / "runs") == _scores(tmp_path / "control")
    assert [p.name for p in (tmp_path / "runs").rglob(".*")] == []


# ---- crashes turned into one line: a GUM source file that is no CoNLL-U ----------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_a_gum_source_of_random_bytes_or_garbage_text_is_an_input_error_naming_the_file(
    seed: int, tmp_path: Path
) -> None:
    from bench.data.importers.gum import read_gum
    from bench.errors import InputError

    rng = random.Random(seed)
    path = tmp_path / "GUM_news_garbage.conllu"
    path.write_bytes(rng.randbytes(3000))
    with pytest.raises(InputError, match="not UTF-8 text: ") as caught:
        read_gum(path)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)
    path.write_text("".join(rng.choice("ab1-.# \t\n") for _ in range(3000)), encoding="utf-8")
    try:
        read_gum(path)  # a text that happens to parse is refused later, by its sha256
    except InputError as error:
        assert str(error).startswith(f"{path}:") and "\n" not in str(error)


def test_a_gum_line_of_the_wrong_shape_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    from bench.data.importers.gum import read_gum
    from bench.errors import InputError

    path = tmp_path / "GUM_news_short.conllu"
    path.write_text("# text = A b\n1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\nb\tb\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_gum(path)
    assert str(caught.value) == (
        f"{path}:3: not a CoNLL-U token line (10 tab-separated columns, an ID such as 3, 3-4 or 3.1): 'b'"
    )
