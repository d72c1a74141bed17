"""Compile a ``bench.tables`` LaTeX table in a one-column article and render it to PNG (issue 15).

    python scripts/latex_png.py results/tables/news-test.tex results/tables/news-test.png

Fails when pdflatex reports an overfull box. The page is the article's text width, so the picture shows the
table at the size a paper would print it. Needs pdflatex and pdftoppm (``.ci/run`` installs both).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The article's text width and a page just tall enough for a five-model table with its caption.
PREAMBLE = [
    r"\documentclass{article}", r"\usepackage[utf8]{inputenc}", r"\usepackage{booktabs}",
    r"\usepackage{graphicx}", r"\usepackage{amssymb}",
    r"\usepackage[paperwidth=14.5cm,paperheight=4.4cm,margin=0.4cm,textwidth=13.7cm]{geometry}",
    r"\pagestyle{empty}", r"\begin{document}",
]  # fmt: skip


def render(table: Path, png: Path, dpi: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-latex-") as scratch:
        folder = Path(scratch)
        body = table.read_text(encoding="utf-8").replace(r"\begin{table}[t]", r"\begin{table}[h]")
        (folder / "t.tex").write_text("\n".join([*PREAMBLE, body, r"\end{document}"]), encoding="utf-8")
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                              cwd=folder, capture_output=True, text=True, check=False)  # fmt: skip
        log = (folder / "t.log").read_text(errors="replace") if (folder / "t.log").exists() else ""
        if done.returncode != 0 or "Overfull" in log:
            sys.exit(f"error: {table}: pdflatex failed or reported an overfull box\n{done.stdout[-1500:]}")
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "t.pdf", "t"], cwd=folder, check=True
        )
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "t.png", png)
    print(f"wrote {png}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()
    render(args.table, args.png, args.dpi)


if __name__ == "__main__":
    main()
