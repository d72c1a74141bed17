"""Authoring ``news_real``: inline markup over real source texts -> stand-off annotation files.

    python -m bench.corpus news-real skeletons OUT_DIR  # one markup file per source document
    python -m bench.corpus news-real build MARKUP_DIR   # -> data/news_real/ (annotations, sources, splits)
    python -m bench.corpus news-real pair FIRST SECOND  # -> data/news_real/agreement/ (two annotations)

The markup files live in an ignored working folder (they contain source text); only offsets, labels and
hashes are committed. A literal ``((`` or ``))`` of a source (reserved by the markup) is written with the
private-use character U+E000 between the brackets; ``build`` removes it again and shifts the offsets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

from bench.core.fingerprints import sha256_text
from bench.core.jsonl import canonical_line, write_atomic
from bench.core.paths import PROJECT_ROOT
from bench.corpus.markup import parse_file, render
from bench.data.importers.gum import read_gum
from bench.data.importers.meantime import read_meantime
from bench.data.importers.re3d import read_re3d
from bench.data.importers.source_text import SourceDocument
from bench.data.news_real import StandoffSource
from bench.errors import InputError
from bench.schema import Article, Claim, Entity, Span

GUM_COMMIT = "72ce5ac14978a324c2fd18d49484e65292cbe316"
RE3D_COMMIT = "b061ff06713cad4df7e5cfaed3fd07bf15b2598c"
MEANTIME_COMMIT = "288aeff11ec14718c8c790f0914b9dbc7190534e"
MEANTIME_PATH = "corpora/MEANTIME/english/conll_gold/all"
COMMITS = {"gum": GUM_COMMIT, "re3d": RE3D_COMMIT, "meantime": MEANTIME_COMMIT}
# The CI mirror's folder names -> the folder names in dstl/re3d, and the id part used here.
RE3D_FOLDERS = {"CENTCOM": ("CENTCOM", "centcom"), "US_State_Department": ("US State Department", "state")}
MIRROR = PROJECT_ROOT.parent / "shared" / "data"
OUT = PROJECT_ROOT / "data" / "news_real"
ESCAPE = "\ue000"
TEST_ONLY = ("meantime-",)
TOPICS = ("politics", "conflict", "business", "science-health", "disasters", "sport", "technology",
          "courts-crime", "culture")  # fmt: skip


def source_files(root: Path = MIRROR) -> list[dict[str, str]]:
    """The source files of news_real under ``root``, with their public URL and sha256."""
    files = []
    for path in sorted((root / "gum").glob("GUM_*.conllu")):
        url = f"https://raw.githubusercontent.com/amir-zeldes/gum/{GUM_COMMIT}/dep/{path.name}"
        files.append({"path": f"gum/{path.name}", "url": url, "commit": GUM_COMMIT})
    for folder, (upstream, _) in RE3D_FOLDERS.items():
        url = f"https://raw.githubusercontent.com/dstl/re3d/{RE3D_COMMIT}/{quote(upstream)}/documents.json"
        path = f"re3d_public_domain/{folder}/documents.json"
        files.append({"path": path, "url": url, "commit": RE3D_COMMIT})
    for path in sorted((root / "meantime").glob("*.xml.conll")):
        url = (
            f"https://raw.githubusercontent.com/cltl/factuality_experimental_environment/{MEANTIME_COMMIT}/"
            f"{MEANTIME_PATH}/{quote(path.name)}"
        )
        files.append({"path": f"meantime/{path.name}", "url": url, "commit": MEANTIME_COMMIT})
    for entry in files:
        entry["sha256"] = hashlib.sha256((root / entry["path"]).read_bytes()).hexdigest()
    return files


def documents(root: Path = MIRROR) -> dict[str, tuple[str, SourceDocument]]:
    """Article id -> (source file, rebuilt document): ``gum-news-asylum``, ``re3d-centcom-001c9c3f``."""
    out: dict[str, tuple[str, SourceDocument]] = {}
    for path in sorted((root / "gum").glob("GUM_*.conllu")):
        document = read_gum(path)
        out[document.doc_id.lower().replace("_", "-")] = (f"gum/{path.name}", document)
    for folder, (_, part) in RE3D_FOLDERS.items():
        relative = f"re3d_public_domain/{folder}/documents.json"
        for document in read_re3d(root / relative):
            out[f"re3d-{part}-{document.doc_id[:8].lower()}"] = (relative, document)
    for path in sorted((root / "meantime").glob("*.xml.conll")):
        document = read_meantime(path)
        out[f"meantime-{document.doc_id}"] = (f"meantime/{path.name}", document)
    return out


def skeleton(article_id: str, document: SourceDocument) -> str:
    body = escape_text(document.text)
    return f"id: {article_id}\ntitle: {' '.join(document.title.split())}\ntopic: TODO\n---\n{body}\n"


def unescape(article: Article) -> Article:
    """Remove the U+E000 escapes from the text and shift every offset accordingly."""
    removed = [i for i, char in enumerate(article.text) if char == ESCAPE]
    return _shifted(
        article, article.text.replace(ESCAPE, ""), lambda at: at - sum(1 for i in removed if i < at)
    )


def _escape_positions(text: str) -> list[int]:
    return [i + 1 for i in range(len(text) - 1) if text[i : i + 2] in ("((", "))")]


def escape_text(text: str) -> str:
    """U+E000 inside every reserved bracket pair (``(((`` too: each pair gets one)."""
    inserted = set(_escape_positions(text))
    return "".join(ESCAPE + char if i in inserted else char for i, char in enumerate(text))


def escape(article: Article) -> Article:
    """The inverse of ``unescape``: the text escaped as ``escape_text`` does, offsets shifted to match."""
    inserted = _escape_positions(article.text)
    return _shifted(article, escape_text(article.text), lambda at: at + sum(1 for i in inserted if i <= at))


def _shifted(article: Article, text: str, at: Callable[[int], int]) -> Article:
    """``article`` over ``text``, every entity, claim and cue offset mapped by ``at``."""
    if text == article.text:
        return article
    entities = tuple(Entity(at(e.start), at(e.end), e.label) for e in article.entities)
    claims = tuple(
        Claim(at(c.start), at(c.end), c.certainty, tuple(Span(at(q.start), at(q.end)) for q in c.cues))
        for c in article.claims
    )
    return Article(article.id, article.title, text, article.topic, entities, claims)


def checked_article(path: Path, found: dict[str, tuple[str, SourceDocument]]) -> Article:
    """One markup file compiled, its escapes removed, its id, topic and text checked against the source."""
    article = unescape(parse_file(path))
    if article.id not in found:
        raise InputError(path, 1, f"no source document for id {article.id!r}")
    if article.topic not in TOPICS:
        raise InputError(path, 3, f"topic {article.topic!r} is not one of {TOPICS}")
    source_path, document = found[article.id]
    if article.text != document.text:
        raise InputError(path, None, "the text differs from the rebuilt source text", article.id)
    return article


def standoff_record(path: Path, found: dict[str, tuple[str, SourceDocument]]) -> dict:
    article = checked_article(path, found)
    source_path, document = found[article.id]
    commit = COMMITS[document.corpus]
    source = {"corpus": document.corpus, "file": source_path, "document": document.doc_id,
              "url": document.url, "commit": commit}  # fmt: skip
    return {"id": article.id, "source": source, "text_sha256": sha256_text(document.text),
            "topic": article.topic, "entities": [e.to_json() for e in article.entities],
            "claims": [c.to_json() for c in article.claims]}  # fmt: skip


def source_group(article_id: str) -> str:
    """gum-news, gum-interview, re3d-centcom, re3d-state, or meantime: the source an article comes from."""
    return "meantime" if article_id.startswith("meantime-") else "-".join(article_id.split("-")[:2])


def split_assignment(ids: list[str]) -> dict[str, list[str]]:
    """About a third of each source group to dev (model selection only), the rest to test; by document,
    in the order of a hash of the id, so the assignment is fixed without a random seed. MEANTIME's articles,
    added after models were selected on dev, all go to test: dev stays what every trained model was selected
    on, and the test split gains their 120 articles."""
    groups: dict[str, list[str]] = {}
    for article_id in ids:
        if article_id.startswith(TEST_ONLY):
            continue
        groups.setdefault(source_group(article_id), []).append(article_id)
    splits: dict[str, list[str]] = {"dev": [], "test": [a for a in ids if a.startswith(TEST_ONLY)]}
    for members in groups.values():
        ordered = sorted(members, key=lambda a: hashlib.sha256(a.encode()).hexdigest())
        for index, article_id in enumerate(ordered):
            splits["dev" if index % 3 == 0 else "test"].append(article_id)
    return {name: sorted(members) for name, members in splits.items()}


def build(markup_dir: Path, out: Path = OUT, root: Path = MIRROR) -> int:
    found = documents(root)
    records = [standoff_record(path, found) for path in sorted(markup_dir.glob("*.txt"))]
    write_atomic(out / "annotations.jsonl", [canonical_line(r) for r in records])
    sources = {"files": source_files(root)}
    write_atomic(out / "sources.json", [json.dumps(sources, indent=1, ensure_ascii=False)])
    splits = split_assignment([r["id"] for r in records])
    write_atomic(out / "splits.json", [json.dumps(splits, indent=1)])
    return len(records)


def write_agreement_pair(first_dir: Path, second_dir: Path, out: Path = OUT / "agreement") -> int:
    """Stand-off files of two independent annotations of the same articles (those in ``second_dir``)."""
    found = documents()
    second = [standoff_record(path, found) for path in sorted(second_dir.glob("*.txt"))]
    first = [standoff_record(first_dir / f"{r['id']}.txt", found) for r in second]
    for name, records in (("first", first), ("second", second)):
        write_atomic(out / f"{name}.jsonl", [canonical_line(r) for r in records])
    return len(second)


def write_skeletons(out_dir: Path, root: Path = MIRROR, corpus: str | None = None) -> int:
    """One markup file per source document (of ``corpus`` only, when given) that has none in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    found = {key: value for key, value in documents(root).items() if corpus in (None, value[1].corpus)}
    written = 0
    for article_id, (_, document) in found.items():
        target = out_dir / f"{article_id}.txt"
        if not target.exists():  # never overwrite an annotator's work
            target.write_text(skeleton(article_id, document), encoding="utf-8")
            written += 1
    return written


def _one_line_title(article: Article) -> Article:
    """The title as the skeleton writes it (a header line holds no line break)."""
    return replace(article, title=" ".join(article.title.split()))


def released_articles(root: Path = MIRROR) -> list[Article]:
    """Every article of the committed stand-off files (dev, then test), its text rebuilt from ``root``."""
    files = (str(OUT / name) for name in ("annotations.jsonl", "splits.json", "sources.json"))
    source = StandoffSource(*files, [str(root)])
    return [located.article for split in source.read().values() for located in split]


def export_markup(out_dir: Path, root: Path = MIRROR) -> int:
    """The stand-off annotation written back as markup files over the rebuilt texts (for revision)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = released_articles(root)
    for article in articles:
        (out_dir / f"{article.id}.txt").write_text(render(escape(_one_line_title(article))), encoding="utf-8")
    return len(articles)
