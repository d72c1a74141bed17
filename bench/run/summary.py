"""The short table a run prints: headline metrics with their confidence intervals."""

from __future__ import annotations

from typing import Any


def format_summary(scores: dict[str, Any], title: str, level: str) -> str:
    """``level``: the confidence actually used, as printed, e.g. ``90%``."""
    rows = [f"{title}", f"{'metric':<32} {'value':>8}  {level + ' CI':>17}"]
    for name, cell in sorted(scores.get("headline", {}).items()):
        interval = f"[{cell['ci_low']:.4f}, {cell['ci_high']:.4f}]" if cell.get("ci_low") is not None else ""
        rows.append(f"{name:<32} {cell['value']:>8.4f}  {interval:>17}")
    for task in ("entities", "claims"):
        section = scores.get(task, {})
        if isinstance(section, dict) and section.get("status") == "not scored":
            rows.append(f"{task:<32} not scored ({section.get('reason', '')})")
    return "\n".join(rows)
