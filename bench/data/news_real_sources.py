"""The news_real source documents: which files, which commit, and how each becomes an article id."""

from __future__ import annotations

from pathlib import Path

from bench.data.importers.gum import read_gum
from bench.data.importers.re3d import read_re3d
from bench.data.importers.source_text import SourceDocument

GUM_COMMIT = "72ce5ac14978a324c2fd18d49484e65292cbe316"
RE3D_COMMIT = "b061ff06713cad4df7e5cfaed3fd07bf15b2598c"
RE3D_PARTS = {"CENTCOM": "centcom", "US_State_Department": "state"}


def article_id(document: SourceDocument, part: str = "") -> str:
    """``gum-news-asylum``, ``gum-interview-ants``, ``re3d-centcom-001c9c3f``."""
    if document.corpus == "gum":
        return document.doc_id.lower().replace("_", "-")
    return f"re3d-{part}-{document.doc_id[:8].lower()}"


def read_all(root: Path) -> dict[str, tuple[str, SourceDocument]]:
    """Every source document under ``root`` (the folder that holds ``gum/`` and ``re3d_public_domain/``)."""
    out: dict[str, tuple[str, SourceDocument]] = {}
    for path in sorted((root / "gum").glob("GUM_*.conllu")):
        document = read_gum(path)
        out[article_id(document)] = ("gum", document)
    for folder, part in RE3D_PARTS.items():
        for document in read_re3d(root / "re3d_public_domain" / folder / "documents.json"):
            out[article_id(document, part)] = (f"re3d-{part}", document)
    return out
