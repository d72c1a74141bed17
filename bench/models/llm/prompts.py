"""Prompt templates: one versioned file per task (``conf/prompts/<task>.v<N>.txt``), rendered per article.

A template is the whole user message, in ``string.Template`` syntax: ``${text}`` is the article text and, in
the certainty template, ``${claims}`` the gold claims, one per line as ``<number>: <claim text as a JSON
string>`` (JSON, so that a claim with a line break or a quote stays one unambiguous line). A literal dollar
sign is written ``$$``. The template bytes are part of the run's identity (``weights_files``), so editing a
prompt means new predictions; give an edited prompt a new version in its file name.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.core.fingerprints import sha256_text
from bench.errors import InputError
from bench.schema import Article

PLACEHOLDERS = {"entities": {"text"}, "certainty": {"text", "claims"}}


@dataclass(frozen=True)
class Prompt:
    task: str
    path: Path
    template: string.Template
    sha256: str

    def render(self, article: Article) -> str:
        return self.template.substitute(text=article.text, claims=claims_block(article))


def claims_block(article: Article) -> str:
    lines = (f"{n}: {json.dumps(c.span.surface(article.text), ensure_ascii=False)}" for n, c in
             enumerate(article.claims, start=1))  # fmt: skip
    return "\n".join(lines)


def _placeholders(template: string.Template) -> set[str]:
    found = set()
    for match in template.pattern.finditer(template.template):
        name = match.group("named") or match.group("braced")
        if name:
            found.add(name)
        elif match.group("invalid") is not None:
            raise ValueError(f"a '$' that starts no placeholder at offset {match.start()} (write '$$')")
    return found


def load_prompt(task: str, path: Path) -> Prompt:
    """Read and check one template: exactly the placeholders of its task; ``InputError`` naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            path, None, f"model.prompts.{task}: cannot read the prompt template ({exc})"
        ) from None
    template = string.Template(text)
    try:
        found = _placeholders(template)
    except ValueError as exc:
        raise InputError(path, None, f"model.prompts.{task}: {exc}") from None
    if found != PLACEHOLDERS[task]:
        wanted = ", ".join(f"${{{name}}}" for name in sorted(PLACEHOLDERS[task]))
        raise InputError(path, None, f"model.prompts.{task}: the template must use exactly {wanted}")
    return Prompt(task, path, template, sha256_text(text))


def load_prompts(paths: Mapping[str, Path]) -> dict[str, Prompt]:
    return {task: load_prompt(task, path) for task, path in paths.items()}
