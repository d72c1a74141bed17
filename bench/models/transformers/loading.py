"""Reading a checkpoint folder as data: every weight its model has and no other, and a tokenizer of its own.

Left to itself transformers fills a weight the file lacks with random numbers and drops one the model lacks,
reporting both in a load report (which ``quiet_transformers`` silences), and builds an empty-vocabulary
tokenizer for a folder with no tokenizer files: a broken checkpoint then scores near zero with exit 0. Here
each of these is one line naming the folder and what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.core.paths import PROJECT_ROOT
from bench.errors import InputError

# Every from_pretrained of the project: a checkpoint is data, never code. Left unset, transformers asks on
# stdin whether to run a folder's own Python (``auto_map``), and a "y" there ran it.
LOAD_SAFELY: dict[str, Any] = {"trust_remote_code": False}
# A tokenizer's vocabulary is in one of these; with none, AutoTokenizer maps every word to [UNK].
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "tokenizer.model", "spiece.model",
                   "sentencepiece.bpe.model")  # fmt: skip
_KINDS = (
    ("missing", "missing_keys"),
    ("unexpected", "unexpected_keys"),
    ("of another shape", "mismatched_keys"),
)
_SHOWN_MODULES = 6  # modules named in a message; the rest are counted


def shown(folder: Path) -> Path:
    """``folder`` as messages name it: relative to the project root when inside it."""
    return folder.relative_to(PROJECT_ROOT) if folder.is_relative_to(PROJECT_ROOT) else folder


def load_model(auto_class: Any, folder: Path) -> Any:
    """``auto_class.from_pretrained(folder)`` from safetensors, in eval mode; refuses a weights file that
    lacks any of the model's weights, holds others, or holds one of another shape."""
    model, info = auto_class.from_pretrained(
        folder, use_safetensors=True, output_loading_info=True, **LOAD_SAFELY
    )
    problems = [f"{kind} {_listed(info[key])}" for kind, key in _KINDS if info.get(key)]
    if problems:
        message = f"model.safetensors does not fit a {type(model).__name__}: weights {'; '.join(problems)}"
        raise InputError(shown(folder), None, message)
    return model.eval()


def load_tokenizer(folder: Path) -> Any:
    """The folder's own tokenizer; a folder with no vocabulary file is refused."""
    from transformers import AutoTokenizer

    if not any((folder / name).is_file() for name in TOKENIZER_FILES):
        raise InputError(shown(folder), None, f"no tokenizer files: none of {', '.join(TOKENIZER_FILES)}")
    return AutoTokenizer.from_pretrained(folder, **LOAD_SAFELY)


def _listed(keys: Iterable[Any]) -> str:
    """The modules of some weights (a mismatched one is a tuple starting with its name), outermost first
    (``classifier`` before ``bert.encoder.layer.0...``), the first few named, with the number of weights."""
    names = [str(key[0] if isinstance(key, tuple) else key) for key in keys]
    modules = sorted({name.rpartition(".")[0] or name for name in names}, key=lambda m: (m.count("."), m))
    more = len(modules) - _SHOWN_MODULES
    shown_modules = ", ".join(modules[:_SHOWN_MODULES]) + (f" and {more} more" if more > 0 else "")
    return f"{shown_modules} ({len(names)} weights)"
