"""Compile the authored articles (``data/articles/*.txt``) into the split files ``data/<split>.jsonl``.

python -m bench.corpus build            # write data/{train,dev,test}.jsonl from sources + data/splits.json
python -m bench.corpus check            # fail if the JSONL files differ from what the sources compile to
python -m bench.corpus compile FILE...  # compile and validate single sources (for authors)
python -m bench.corpus stats [--write-card]  # corpus counts; --write-card updates data/README.md
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bench.core.jsonl import canonical_line, write_atomic, write_text_atomic
from bench.core.paths import PROJECT_ROOT
from bench.core.validate import article_problems
from bench.corpus import news_real_card, standoff
from bench.corpus.markup import parse_file
from bench.corpus.stats import replace_block, stats_markdown
from bench.errors import InputError, run_command
from bench.schema import Article

DATA_DIR = PROJECT_ROOT / "data"
ARTICLES_DIR = DATA_DIR / "articles"
SPLITS_FILE = DATA_DIR / "splits.json"
CARD = DATA_DIR / "README.md"


def compile_source(path: Path) -> Article:
    """Parse one source and validate the result; errors point at the source file."""
    article = parse_file(path)
    problems = article_problems(article)
    if problems:
        raise InputError(path, None, problems[0], article_id=article.id)
    if path.stem != article.id:
        raise InputError(path, 1, f"file name must be the article id: {article.id}.txt", article.id)
    return article


def compile_all(articles_dir: Path = ARTICLES_DIR) -> dict[str, Article]:
    return {path.stem: compile_source(path) for path in sorted(articles_dir.glob("*.txt"))}


def read_splits(path: Path = SPLITS_FILE) -> dict[str, list[str]]:
    try:
        splits = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(path, None, f"cannot read the split assignment: {exc}") from None
    return {name: list(ids) for name, ids in splits.items()}


def compiled_lines(articles: dict[str, Article], splits: dict[str, list[str]]) -> dict[str, list[str]]:
    """The JSONL lines of each split, articles in id order; every article in exactly one split."""
    assigned = [article_id for ids in splits.values() for article_id in ids]
    duplicated = sorted(a for a, n in Counter(assigned).items() if n > 1)
    missing = sorted(set(articles) - set(assigned))
    unknown = sorted(set(assigned) - set(articles))
    for problem, ids in (
        ("in more than one split", duplicated),
        ("in no split", missing),
        ("without a source", unknown),
    ):
        if ids:
            raise InputError(SPLITS_FILE, None, f"articles {problem}: {', '.join(ids)}")
    return {
        name: [canonical_line(articles[a].to_json()) for a in sorted(ids)] for name, ids in splits.items()
    }


def split_path(name: str) -> Path:
    return DATA_DIR / f"{name}.jsonl"


def build() -> None:
    for name, lines in compiled_lines(compile_all(), read_splits()).items():
        write_atomic(split_path(name), lines)
        print(f"{split_path(name).relative_to(PROJECT_ROOT)}: {len(lines)} articles")


def check() -> bool:
    stale = []
    for name, lines in compiled_lines(compile_all(), read_splits()).items():
        path = split_path(name)
        expected = "".join(line + "\n" for line in lines)
        if not path.exists() or path.read_text(encoding="utf-8") != expected:
            stale.append(str(path.relative_to(PROJECT_ROOT)))
    if stale:
        print(f"out of date: {', '.join(stale)}; run: python -m bench.corpus build")
    return not stale


def split_articles() -> dict[str, list[Article]]:
    """The compiled articles of each split, in the order of the split files."""
    articles = compile_all()
    return {name: [articles[a] for a in sorted(ids)] for name, ids in read_splits().items()}


def stats(write_card: bool) -> None:
    block = stats_markdown(split_articles())
    print(block)
    if write_card:
        write_text_atomic(CARD, replace_block(CARD.read_text(encoding="utf-8"), block))
        print(f"updated {CARD.relative_to(PROJECT_ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build")
    sub.add_parser("check")
    stats_parser = sub.add_parser("stats")
    stats_parser.add_argument(
        "--write-card", action="store_true", help="rewrite the tables in data/README.md"
    )
    compile_parser = sub.add_parser("compile")
    compile_parser.add_argument("files", nargs="+", type=Path)
    news_real = sub.add_parser("news-real", help="stand-off news_real: write skeletons or build from markup")
    news_real.add_argument(
        "action", choices=["skeletons", "build", "pair", "card", "export", "check", "validate-gum"]
    )
    news_real.add_argument("folder", type=Path, nargs="?", help="the (git-ignored) folder of markup files")
    news_real.add_argument("second", type=Path, nargs="?", help="pair: the second annotator's folder")
    args = parser.parse_args(argv)
    run_command(lambda: command(args))


def command(args: argparse.Namespace) -> int | None:
    """``python -m bench.corpus <command>`` after its arguments are parsed: the exit status (None is 0)."""
    if args.command == "build":
        build()
    elif args.command == "check":
        return 0 if check() else 1
    elif args.command == "stats":
        stats(args.write_card)
    elif args.command == "news-real":
        return news_real_command(args.action, args.folder, args.second)
    else:
        for path in args.files:
            article = compile_source(path)
            hedged = sum(claim.certainty == "hedged" for claim in article.claims)
            words = len(article.text.split())
            print(
                f"{path}: ok, {words} words, {len(article.entities)} entities, "
                f"{len(article.claims)} claims ({hedged} hedged)"
            )
    return None


def news_real_command(action: str, folder: Path | None, second: Path | None) -> int | None:
    """``python -m bench.corpus news-real <action>``: the exit status (None is 0)."""
    if folder is None and action != "validate-gum":
        raise InputError("command line", None, f"news-real {action} needs a folder (or a card file)")
    if action == "pair" and second is None:
        raise InputError("command line", None, "news-real pair needs the first and the second folder")
    if action == "card":
        print(f"card: {news_real_card.write_card(folder)} articles listed")
    elif action == "validate-gum":
        from bench.corpus.gum_validation import REPORT, write_report  # reads GUM's own layer

        counts = write_report().counts
        print(
            f"strict F1 {counts['strict'].f1:.3f}, boundary F1 {counts['boundary'].f1:.3f}, "
            f"overlap F1 {counts['overlap'].f1:.3f}; report: {REPORT.relative_to(PROJECT_ROOT)}"
        )
    elif action == "check":
        from bench.corpus.markup_check import check_folder, report  # imports lint, which imports us

        result = check_folder(folder)
        print(report(result))
        return 1 if result.errors else 0
    elif action == "export":
        print(f"export: {standoff.export_markup(folder)} articles written as markup")
    elif action == "pair":
        print(f"pair: {standoff.write_agreement_pair(folder, second)} articles")
    else:
        step = standoff.build if action == "build" else standoff.write_skeletons
        print(f"{action}: {step(folder)} articles")
    return None


if __name__ == "__main__":
    main()
