"""``python -m bench.corpus news-real validate-gum``: news_real's entities against GUM's human entity layer.

GUM annotated the same Wikinews texts independently; its named person/organization/place mentions
(``bench.data.importers.gum_mentions`` documents the mapping) are compared with news_real's PER/ORG/LOC spans:

- **strict**: same span and type; **boundary**: same span, any type; **overlap**: same type, spans overlap
  (one-to-one, left to right). Precision is the share of news_real's entities that GUM has; F1 is symmetric.
- Each disagreement is given a **cause**. A documented convention difference is recognised by rule (the
  ``CONVENTIONS`` below); the rest are decided by hand in ``data/news_real/gum_adjudication.tsv``
  (``article<TAB>start<TAB>end<TAB>side<TAB>cause<TAB>reason``, cause ``ours`` / ``theirs`` / ``convention``);
  one not decided there is reported as ``undecided``.

The report (``results/gum_validation.md``) names spans by their offsets and the name itself (a few words of a
proper name), never a sentence of the source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.core.jsonl import write_text_atomic
from bench.core.paths import PROJECT_ROOT
from bench.core.tsv import tsv_rows
from bench.corpus.standoff import MIRROR, OUT, released_articles
from bench.data.importers.gum_mentions import named_mentions
from bench.metrics.counts import Counts
from bench.schema import Article

REPORT = PROJECT_ROOT / "results" / "gum_validation.md"
ADJUDICATION = OUT / "gum_adjudication.tsv"
COMPARED = ("PER", "ORG", "LOC")
CAUSES = ("convention", "ours", "theirs", "undecided")
# Conventions that differ by design (data/GUIDELINES.md against GUM's guidelines), by disagreement kind.
CONVENTIONS = {
    "type LOC/ORG": "a country or city acting (GUM: organization) or a facility named by its institution",
    "type ORG/LOC": "an institution named by its place (GUM: place)",
    "GUM only, news_real MISC": "a demonym or group (GUM: person or organization; here MISC)",
    "boundary, title or modifier": "GUM's name holds a title, rank or nationality the guidelines leave out",
    "GUM only, inside a news_real name": "a name inside a longer name (GUM nests mentions; here one entity)",
    "news_real only, inside a GUM name": "a name that GUM keeps inside a longer mention of another type",
    "type ORG/PER": "a group of people named as an organisation (GUM: person)",
    "GUM only, around a news_real name": "GUM's mention is a description holding a name (Governor of X)",
    "news_real only, GUM another type": "GUM types the name as an event, object or abstract (no CoNLL type)",
    "GUM only, a title": "a person called by a title (GUM tags the title as a proper noun; here no entity)",
}
TITLE_WORDS = {
    "president",
    "minister",
    "prime",
    "secretary",
    "general",
    "major",
    "chief",
    "dr",
    "mr",
    "mrs",
    "ms",
    "senator",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "judge",
    "captain",
    "state",
    "of",
    "the",
    "former",
    "vice",
    "deputy",
    "sir",
    "lord",
    "professor",
    "prof",
}


@dataclass(frozen=True)
class NamedSpan:
    start: int
    end: int
    label: str

    def overlaps(self, other: NamedSpan) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Disagreement:
    article: str
    side: str  # "news_real", "gum" or "both" (a type or boundary difference)
    ours: NamedSpan | None
    theirs: NamedSpan | None
    kind: str
    name: str

    @property
    def key(self) -> tuple[str, int, int, str]:
        span = self.ours or self.theirs
        assert span is not None
        return self.article, span.start, span.end, self.side


def _one_to_one(
    ours: Sequence[NamedSpan], theirs: Sequence[NamedSpan], same
) -> list[tuple[NamedSpan, NamedSpan]]:
    pairs, used = [], set()
    for a in ours:
        match = next((b for b in theirs if b not in used and same(a, b)), None)
        if match is not None:
            used.add(match)
            pairs.append((a, match))
    return pairs


def article_counts(ours: Sequence[NamedSpan], theirs: Sequence[NamedSpan]) -> dict[str, Counts]:
    """Strict, boundary and overlap counts of one article; news_real's spans play the role of gold."""
    rules = {
        "strict": lambda a, b: a == b,
        "boundary": lambda a, b: (a.start, a.end) == (b.start, b.end),
        "overlap": lambda a, b: a.label == b.label and a.overlaps(b),
    }
    out = {}
    for name, rule in rules.items():
        matched = len(_one_to_one(ours, theirs, rule))
        out[name] = Counts(tp=matched, fp=len(theirs) - matched, fn=len(ours) - matched)
    return out


def _kind(
    article: Article,
    ours: NamedSpan | None,
    theirs: NamedSpan | None,
    misc: Sequence[NamedSpan],
    others: Sequence[NamedSpan] = (),
) -> str:
    """What kind of disagreement; ``others`` are the other side's spans (for names inside names)."""
    if ours and theirs and (ours.start, ours.end) == (theirs.start, theirs.end):
        return f"type {ours.label}/{theirs.label}"
    if ours and theirs:
        extra = article.text[min(ours.start, theirs.start) : max(ours.end, theirs.end)]
        inside = article.text[ours.start : ours.end]
        words = {w.strip(".,'’").lower() for w in extra.replace(inside, " ").split()}
        return "boundary, title or modifier" if words <= TITLE_WORDS | {""} else "boundary"
    if theirs and any(theirs.overlaps(m) for m in misc):
        return "GUM only, news_real MISC"
    if theirs and any(_inside(theirs, e) for e in others):
        return "GUM only, inside a news_real name"
    if theirs and any(_inside(e, theirs) for e in others):
        return "GUM only, around a news_real name"
    if theirs and article.text[theirs.start : theirs.end].split()[0].strip(".").lower() in TITLE_WORDS:
        return "GUM only, a title"
    if ours and any(_inside(ours, e) for e in others):
        return "news_real only, inside a GUM name"
    return "news_real only" if ours else "GUM only"


def _inside(span: NamedSpan, outer: NamedSpan) -> bool:
    return (
        outer.start <= span.start
        and span.end <= outer.end
        and (outer.start, outer.end) != (span.start, span.end)
    )


def disagreements(
    article: Article, ours: list[NamedSpan], theirs: list[NamedSpan], other: Sequence[NamedSpan] = ()
) -> list[Disagreement]:
    """Every strict disagreement; ``other`` are GUM's named mentions of types outside PER/ORG/LOC."""
    strict = _one_to_one(ours, theirs, lambda a, b: a == b)
    left = [a for a in ours if a not in {p[0] for p in strict}]
    right = [b for b in theirs if b not in {p[1] for p in strict}]
    paired = _one_to_one(left, right, lambda a, b: a.overlaps(b))
    misc = [NamedSpan(e.start, e.end, e.label) for e in article.entities if e.label == "MISC"]
    out = []
    for a, b in paired:
        out.append(
            Disagreement(article.id, "both", a, b, _kind(article, a, b, misc), article.text[a.start : a.end])
        )
    for a in (a for a in left if a not in {p[0] for p in paired}):
        kind = (
            "news_real only, GUM another type"
            if any(a.overlaps(o) for o in other)
            else _kind(article, a, None, misc, theirs)
        )
        out.append(Disagreement(article.id, "news_real", a, None, kind, article.text[a.start : a.end]))
    for b in (b for b in right if b not in {p[1] for p in paired}):
        out.append(
            Disagreement(
                article.id, "gum", None, b, _kind(article, None, b, misc, ours), article.text[b.start : b.end]
            )
        )
    return out


def read_adjudication(path: Path = ADJUDICATION) -> dict[tuple[str, int, int, str], tuple[str, str]]:
    if not path.exists():
        return {}
    rows = {}
    for _, (article, start, end, side, cause, reason) in tsv_rows(path, 6):
        rows[(article, int(start), int(end), side)] = (cause, reason)
    return rows


def cause_of(item: Disagreement, decided: dict) -> tuple[str, str]:
    if item.key in decided:
        return decided[item.key]
    if item.kind in CONVENTIONS:
        return "convention", CONVENTIONS[item.kind]
    return "undecided", ""


@dataclass
class Validation:
    articles: int
    counts: dict[str, Counts]
    items: list[tuple[Disagreement, str, str]]


def validate(root: Path = MIRROR) -> Validation:
    articles = [article for article in released_articles(root) if article.id.startswith("gum-")]
    decided = read_adjudication()
    totals = {name: Counts() for name in ("strict", "boundary", "overlap")}
    items = []
    for article in sorted(articles, key=lambda a: a.id):
        name = article.id.removeprefix("gum-").replace("-", "_")
        path = root / "gum" / f"GUM_{name}.conllu"
        ours = [NamedSpan(e.start, e.end, e.label) for e in article.entities if e.label in COMPARED]
        mentions = named_mentions(path, article.text)
        theirs = [NamedSpan(m.start, m.end, m.label) for m in mentions if m.label in COMPARED]
        other = [NamedSpan(m.start, m.end, m.label) for m in mentions if m.label not in COMPARED]
        for key, counts in article_counts(ours, theirs).items():
            totals[key] = totals[key] + counts
        items += [(d, *cause_of(d, decided)) for d in disagreements(article, ours, theirs, other)]
    return Validation(len(articles), totals, items)


def set_aside(result: Validation) -> Counts:
    """Strict counts without the disagreements put down to a convention (on the side or sides they touch)."""
    strict = result.counts["strict"]
    ours = sum(1 for item, cause, _ in result.items if cause == "convention" and item.ours)
    theirs = sum(1 for item, cause, _ in result.items if cause == "convention" and item.theirs)
    return Counts(strict.tp, strict.fp - theirs, strict.fn - ours)


def report(result: Validation) -> str:
    lines = [
        "# news_real entities against GUM's human entity layer",
        "",
        "Written by `python -m bench.corpus news-real validate-gum` (bench/corpus/gum_validation.py; the",
        "mapping of GUM's layer is documented in bench/data/importers/gum_mentions.py). Named PER/ORG/LOC",
        "only;",
        f"{result.articles} Wikinews texts annotated by both. news_real plays gold for precision and recall.",
        "",
        "| match | news_real | GUM | agreed | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, c in result.counts.items():
        lines.append(
            f"| {name} | {int(c.tp + c.fn)} | {int(c.tp + c.fp)} | {int(c.tp)} | {c.precision:.3f} | "
            f"{c.recall:.3f} | {c.f1:.3f} |"
        )
    c = set_aside(result)
    lines.append(
        f"| strict, conventions set aside | {int(c.tp + c.fn)} | {int(c.tp + c.fp)} | {int(c.tp)} | "
        f"{c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
    )
    causes = Counter(cause for _, cause, _ in result.items)
    kinds = Counter((item.kind, cause) for item, cause, _ in result.items)
    lines += [
        "",
        f"{len(result.items)} disagreements (strict) by cause: "
        + ", ".join(f"{cause} {causes[cause]}" for cause in CAUSES)
        + ".",
        "",
        "| kind | cause | count |",
        "|---|---|---:|",
    ]
    lines += [
        f"| {kind} | {cause} | {n} |" for (kind, cause), n in sorted(kinds.items(), key=lambda x: -x[1])
    ]
    lines += [
        "",
        "## Disagreements not put down to a convention",
        "",
        "| article | offsets | side | kind | name | cause | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for item, cause, reason in result.items:
        if cause != "convention":
            span = item.ours or item.theirs
            labels = "/".join(s.label for s in (item.ours, item.theirs) if s)
            lines.append(
                f"| {item.article} | {span.start}-{span.end} | {item.side} | {item.kind} ({labels}) | "
                f"{item.name} | {cause} | {reason} |"
            )
    return "\n".join(lines) + "\n"


def write_report(out: Path = REPORT) -> Validation:
    result = validate()
    write_text_atomic(out, report(result))
    return result
