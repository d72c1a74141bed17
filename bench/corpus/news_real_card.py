"""The ``news_real`` section of the dataset card: counts, hedged share, cues, licences, attribution.

    python -m bench.corpus news-real card data/README.md   # rewrites the block between the markers

Cue surface forms are read from the rebuilt texts at run time and counted; they are single words or short
fixed expressions, and the attribution list gives each article's title and URL, as its licence requires.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from bench.core.configs import data_config
from bench.core.jsonl import write_atomic
from bench.core.paths import PROJECT_ROOT
from bench.data import load as data_module
from bench.schema import ENTITY_LABELS, Article

BEGIN = "<!-- news_real:begin (written by: python -m bench.corpus news-real card data/README.md) -->"
END = "<!-- news_real:end -->"
LICENCES = {
    "gum": "CC BY 2.5 (Wikinews text); GUM annotations not used",
    "re3d": "public domain (US government)",
    "meantime": "CC BY 2.5 (Wikinews text); MEANTIME's annotations not used",
}


def _counts(articles: list[Article]) -> list[str]:
    claims = [c for a in articles for c in a.claims]
    hedged = sum(c.certainty == "hedged" for c in claims)
    types = Counter(e.label for a in articles for e in a.entities)
    share = f"{100 * hedged / len(claims):.1f} %" if claims else "–"
    words = sum(len(a.text.split()) for a in articles)
    per_type = [f"{types[label]:,}" for label in ENTITY_LABELS]
    return [str(len(articles)), f"{words:,}", *per_type, f"{len(claims):,}", f"{hedged:,}", share]


def card_block() -> str:
    loaded = data_module.load(data_config("news_real"))
    splits = {name: data_module.split_articles(loaded, name) for name in ("dev", "test")}
    everything = splits["dev"] + splits["test"]
    head = "| split | articles | words | PER | ORG | LOC | MISC | claims | hedged | hedged share |"
    lines = [BEGIN, "", head, "|---|" + "---:|" * 9]
    for name, articles in [*splits.items(), ("all", everything)]:
        lines.append(f"| {name} | " + " | ".join(_counts(articles)) + " |")
    cues = Counter(a.text[q.start : q.end].lower() for a in everything for c in a.claims for q in c.cues)
    inventory = ", ".join(f"{cue} ({n})" for cue, n in sorted(cues.items(), key=lambda kv: (-kv[1], kv[0])))
    lines += ["", f"Hedge cues (lower-cased, by frequency): {inventory}.", "", "Attribution:", "",
              "| article | title | source | licence |", "|---|---|---|---|"]  # fmt: skip
    records = {a.id: a for a in everything}
    urls = _urls()
    for article_id in sorted(records):
        corpus = article_id.split("-", 1)[0]
        title = _short(records[article_id].title.replace("|", "/"))
        lines.append(f"| {article_id} | {title} | {urls[article_id]} | {LICENCES[corpus]} |")
    return "\n".join([*lines, "", END])


def _short(title: str, words: int = 8) -> str:
    """A GUM or MEANTIME headline is also the first line of its text: titles are cut to 8 words, counted as
    the leak check counts them (runs of word characters, so "US$2.2" is three), so that no 10 words of a
    source text are in the repository (the URL names the article in full)."""
    parts = title.split()
    kept: list[str] = []
    for part in parts:
        if len(re.findall(r"\w+", " ".join([*kept, part]))) > words:
            break
        kept.append(part)
    return " ".join(kept) + (" …" if len(kept) < len(parts) else "")


def _urls() -> dict[str, str]:
    path = PROJECT_ROOT / "data" / "news_real" / "annotations.jsonl"
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {record["id"]: record["source"]["url"] for record in records}


def write_card(card: Path) -> int:
    text = card.read_text(encoding="utf-8")
    block = card_block()
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = (
            text.rstrip("\n") + "\n\n## news_real: real news, annotated here (stand-off)\n\n" + block + "\n"
        )
    write_atomic(card, [text.rstrip("\n")])
    return sum(block.count(f"\n| {corpus}-") for corpus in LICENCES)
