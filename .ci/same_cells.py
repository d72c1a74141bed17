"""``same_cells.py README TABLE MODEL...``: each MODEL's row of TABLE (a suite table in Markdown) equals its
row in the README's table with the same header, cell for cell. Exit 1 naming every cell that differs."""

import sys
from pathlib import Path


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rows(lines: list[str], header: list[str]) -> dict[str, list[str]]:
    """The rows of the Markdown table in ``lines`` whose header is ``header``, by model."""
    found: dict[str, list[str]] = {}
    for number, line in enumerate(lines):
        if line.startswith("|") and cells(line) == header:
            for row in lines[number + 2 :]:
                if not row.startswith("|"):
                    break
                found[cells(row)[0]] = cells(row)
            return found
    return found


readme, table, models = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
produced = [line for line in table.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
header = cells(produced[0])
expected, got = rows(readme.read_text(encoding="utf-8").splitlines(), header), rows(produced, header)
if not expected:
    sys.exit(f"no table in {readme} with the header {header}")
differ = []
for model in models:
    pairs = list(zip(expected[model], got[model], strict=True))
    differ += [f"{model}, {header[column]}: README {want!r}, this run {have!r}"
               for column, (want, have) in enumerate(pairs) if want != have]  # fmt: skip
    same = sum(want == have for want, have in pairs[1:])
    print(f"{model}: {same} of {len(header) - 1} cells equal the README's")
if differ:
    sys.exit("cells that differ from the README:\n" + "\n".join(differ))
