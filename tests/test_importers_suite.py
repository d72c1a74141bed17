"""UNER English-PUD and Szeged Wikipedia importers: exact counts on the external corpora through ``load``,
round trips against independent readings of the raw files, and small invented inline fixtures for offset
alignment, part filtering, malformed input, title cues and entity unescaping."""

from __future__ import annotations

import inspect
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from helpers import corpus_path, data_config, requires_shared, run_cli, run_dirs
from hydra.utils import get_class
from omegaconf import DictConfig, OmegaConf

from bench.core.validate import article_problems
from bench.data.importers.szeged import SzegedSource
from bench.data.importers.uner import UnerSource
from bench.data.load import LoadedData, Located, articles, load
from bench.errors import InputError
from bench.schema import Article, Claim, Entity, Span

ID_PATTERN = re.compile(r"[a-z0-9-]+")
SZEGED_CUE_COUNTS = {
    "speculation_modal_probable_": 1771,
    "speculation_hypo_doxastic _": 906,
    "speculation_hypo_condition _": 491,
    "speculation_hypo_investigation _": 94,
}


@pytest.mark.parametrize("name", ["uner_pud", "uner_pud_news", "szeged_wiki"])
def test_data_config_binds_to_the_source_constructor(name: str) -> None:
    cfg = data_config(name)
    assert cfg.id == name and isinstance(cfg.version, int)
    arguments = OmegaConf.to_container(cfg.source)
    inspect.signature(get_class(arguments.pop("_target_"))).bind(**arguments)


def _loaded(name: str) -> LoadedData:
    cfg = data_config(name)
    corpus_path(cfg)
    return load(cfg)


def _sentences(article: Article) -> list[str]:
    return article.text.split("\n")


# --- UNER English-PUD ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def uner_pud() -> LoadedData:
    return _loaded("uner_pud")


def test_uner_pud_counts_match_the_stats_file(uner_pud: LoadedData) -> None:
    docs = articles(uner_pud.dataset["test"])
    labels = Counter(entity.label for article in docs for entity in article.entities)
    assert list(uner_pud.dataset) == ["test"] and uner_pud.tasks == ("entities",)
    assert uner_pud.entity_labels == ("PER", "ORG", "LOC")
    assert (len(docs), sum(len(_sentences(a)) for a in docs)) == (397, 1000)
    assert labels == {"LOC": 426, "ORG": 235, "PER": 414}
    stats = json.loads(corpus_path(data_config("uner_pud")).with_suffix(".stats").read_text(encoding="utf-8"))
    assert (stats["num_documents"], stats["num_sentences"]) == (397, 1000)
    assert stats["label_distribution"] == labels
    assert Counter(a.topic for a in docs) == {"news": 215, "wikipedia": 182}
    assert all(ID_PATTERN.fullmatch(a.id) for a in docs) and docs[0].id == "uner-pud-n01001"


def test_uner_pud_news_is_the_news_part(uner_pud: LoadedData) -> None:
    news = _loaded("uner_pud_news")
    docs = articles(news.dataset["test"])
    labels = Counter(entity.label for article in docs for entity in article.entities)
    assert (len(docs), sum(len(_sentences(a)) for a in docs)) == (215, 500)
    assert labels == {"PER": 153, "ORG": 130, "LOC": 116}
    assert news.entity_labels == ("PER", "ORG", "LOC") and {a.topic for a in docs} == {"news"}
    everything = {a.id: a for a in articles(uner_pud.dataset["test"])}
    assert all(everything[a.id] == a for a in docs)
    assert news.fingerprint != uner_pud.fingerprint


def _reference_uner(path: Path) -> list[tuple[str, list[str]]]:
    """An independent reading: each sentence's ``# text`` and its entities' tokens glued without spaces."""
    sentences = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.split("\n")
        text = next(line for line in lines if line.startswith("# text = "))[len("# text = ") :]
        rows = [line.split("\t") for line in lines if not line.startswith("#")]
        glued: list[str] = []
        for _, token, tag, *_ in rows:
            if tag.startswith("B-"):
                glued.append(token)
            elif tag.startswith("I-"):
                glued[-1] += token
        sentences.append((text, glued))
    return sentences


def test_uner_pud_text_and_entities_round_trip(uner_pud: LoadedData) -> None:
    """Every sentence is its ``# text`` line; every entity's surface, spaces removed, is its tokens glued."""
    reference = _reference_uner(corpus_path(data_config("uner_pud")))
    ours = []
    for article in articles(uner_pud.dataset["test"]):
        starts = [0]
        for sentence in _sentences(article):
            starts.append(starts[-1] + len(sentence) + 1)
        for index, sentence in enumerate(_sentences(article)):
            inside = [e for e in article.entities if starts[index] <= e.start < starts[index + 1]]
            ours.append((sentence, [re.sub(r"\s", "", article.text[e.start : e.end]) for e in inside]))
    assert ours == reference


# --- UNER fixtures (invented sentences) ------------------------------------------------------------------

NEWS_DOC = """# newdoc id = n_Test.01
# sent_id = n_test-0001
# text = “Mara Quell stayed,” the Brindle Guild said.
1\t“\tO\t-\t-
2\tMara\tB-PER\t-\tx
3\tQuell\tI-PER\t-\tx
4\tstayed\tO\t-\t-
5\t,\tO\t-\t-
6\t”\tO\t-\t-
7\tthe\tO\t-\t-
8\tBrindle\tB-ORG\t-\tx
9\tGuild\tI-ORG\t-\tx
10\tsaid\tO\t-\t-
11\t.\tO\t-\t-

# sent_id = n_test-0002
# text = Rain fell on  Port Vey.
1\tRain\tO\t-\t-
2\tfell\tO\t-\t-
3\ton\tO\t-\t-
4\tPort\tB-LOC\t-\tx
5\tVey\tI-LOC\t-\tx
6\t.\tO\t-\t-

"""
WIKI_DOC = """# newdoc id = w_test.02
# sent_id = w_test-0001
# text = Oskel is a river.
1\tOskel\tB-LOC\t-\tx
2\tis\tO\t-\t-
3\ta\tO\t-\t-
4\triver\tO\t-\t-
5\t.\tO\t-\t-

"""


def read_uner(tmp_path: Path, body: str, part: str = "all") -> list[Located]:
    path = tmp_path / "sample.iob2"
    path.write_text(body, encoding="utf-8")
    return UnerSource(str(path), id_prefix="t", part=part, title_words=3).read()["test"]


def test_uner_offsets_align_tokens_to_the_raw_text(tmp_path: Path) -> None:
    # Curly quotes and a comma glued to words, a double space: offsets come from the raw text, not the tokens.
    (located,) = read_uner(tmp_path, NEWS_DOC)
    article = located.article
    assert article.text == "“Mara Quell stayed,” the Brindle Guild said.\nRain fell on  Port Vey."
    assert article.entities == (Entity(1, 11, "PER"), Entity(25, 38, "ORG"), Entity(59, 67, "LOC"))
    assert [article.text[e.start : e.end] for e in article.entities] == [
        "Mara Quell",
        "Brindle Guild",
        "Port Vey",
    ]
    assert (article.id, article.title, article.topic) == ("t-n-test-01", "“Mara Quell stayed,”", "news")
    assert (located.line, located.path) == (1, tmp_path / "sample.iob2")
    assert article_problems(article) == []


@pytest.mark.parametrize(
    ("part", "ids"),
    [("all", ["t-n-test-01", "t-w-test-02"]), ("news", ["t-n-test-01"]), ("wikipedia", ["t-w-test-02"])],
)
def test_uner_part_filters_documents(tmp_path: Path, part: str, ids: list[str]) -> None:
    located = read_uner(tmp_path, NEWS_DOC + WIKI_DOC, part=part)
    assert [item.article.id for item in located] == ids
    lines = {"t-n-test-01": 1, "t-w-test-02": 1 + NEWS_DOC.count("\n")}  # each "# newdoc id" line
    assert [item.line for item in located] == [lines[i] for i in ids]
    assert [item.article.topic for item in located] == [{"n": "news", "w": "wikipedia"}[i[2]] for i in ids]


def test_uner_unknown_part_is_refused() -> None:
    with pytest.raises(InputError, match="part 'sport'"):
        UnerSource("unused.iob2", id_prefix="t", part="sport")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("4\tstayed\tO\t-\t-", "4\tstayed\tO\t-", 7, "5 tab-separated columns"),
        ("4\tstayed\tO\t-\t-", "5\tstayed\tO\t-\t-", 7, "token index"),
        ("4\tstayed\tO\t-\t-", "4\tstayed\tB-OTH\t-\t-", 7, "bad tag 'B-OTH'"),
        ("9\tGuild\tI-ORG", "9\tGuild\tI-PER", 12, "I-PER follows B-ORG"),
        ("4\tstayed\tO\t-\t-", "4\tstood\tO\t-\t-", 7, "token 'stood' not found"),
        ("5\t,\tO\t-\t-", "5\t;\tO\t-\t-", 8, "token ';' not found"),
        (
            "# text = Rain fell on  Port Vey.",
            "# text = Rain fell on  Port Vey. Then",
            17,
            "after the last token",
        ),
        ("# text = Rain fell on  Port Vey.\n", "", 16, "no '# text =' comment"),
        ("# newdoc id = n_Test.01\n", "", 1, "before the first '# newdoc id ='"),
        ("# newdoc id = n_Test.01", "# newdoc", 1, "without an id"),
        ("5\t,\tO\t-\t-\n", "5\t,\tO\t-\t-\n# note = x\n", 9, "comment line among"),
    ],
    ids=[
        "columns",
        "index",
        "unknown-type",
        "not-iob2",
        "wrong-token",
        "wrong-punct",
        "trailing",
        "no-text",
        "no-doc",
        "newdoc-no-id",
        "comment-in-tokens",
    ],
)
def test_uner_malformed_input_is_one_line_naming_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, words: str
) -> None:
    assert NEWS_DOC.count(old) == 1
    with pytest.raises(InputError) as caught:
        read_uner(tmp_path, NEWS_DOC.replace(old, new))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'sample.iob2'}:{line}: ") and "\n" not in message
    assert words in caught.value.message


def test_uner_misc_contradicts_the_declared_labels(tmp_path: Path) -> None:
    """The importer accepts every CoNLL type; the data config's ``entity_labels`` refuses MISC in UNER."""
    path = tmp_path / "sample.iob2"
    path.write_text(WIKI_DOC.replace("B-LOC", "B-MISC"), encoding="utf-8")
    cfg: DictConfig = data_config("uner_pud")
    cfg.source.path = str(path)
    with pytest.raises(InputError, match="not in the declared entity_labels") as caught:
        load(cfg)
    assert (caught.value.path, caught.value.line, caught.value.article_id) == (path, 1, "uner-pud-w-test-02")


# --- Szeged Wikipedia ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def szeged() -> LoadedData:
    return _loaded("szeged_wiki")


def test_szeged_counts(szeged: LoadedData) -> None:
    docs = articles(szeged.dataset["test"])
    claims = [claim for article in docs for claim in article.claims]
    assert list(szeged.dataset) == ["test"] and szeged.tasks == ("claims",)
    assert len(docs) == 4530
    assert len(claims) == 16218
    assert sum(claim.certainty == "hedged" for claim in claims) == 2603
    assert sum(len(claim.cues) for claim in claims) == sum(SZEGED_CUE_COUNTS.values()) == 3262
    assert not any(article.entities for article in docs)
    assert all(ID_PATTERN.fullmatch(article.id) for article in docs)


def _parts(root: ET.Element, kind: str) -> list[list[ET.Element]]:
    """Per document, the sentences of its parts of type ``kind``."""
    return [
        [
            s
            for part in document.findall("DocumentPart")
            if part.get("type") == kind
            for s in part.iter("Sentence")
        ]
        for document in root.iter("Document")
    ]


def test_szeged_claims_and_cues_round_trip(szeged: LoadedData) -> None:
    """Against a plain ElementTree reading: claims are the Text sentences, cues their ``<ccue>``s."""
    root = ET.parse(corpus_path(data_config("szeged_wiki"))).getroot()
    docs = articles(szeged.dataset["test"])
    types: Counter[str] = Counter()
    for sentences, titles, article in zip(_parts(root, "Text"), _parts(root, "Title"), docs, strict=True):
        assert [article.text[c.start : c.end] for c in article.claims] == [
            "".join(s.itertext()).strip() for s in sentences
        ]
        cues = [cue for sentence in sentences for cue in sentence.iter("ccue")]
        assert [article.text[c.start : c.end] for claim in article.claims for c in claim.cues] == [
            "".join(cue.itertext()).strip() for cue in cues
        ]
        types.update(cue.get("type") for cue in cues)
        assert article.title == " ".join("".join(s.itertext()).strip() for s in titles)
        assert article.text.split("\n")[0] == "".join(titles[0].itertext())
    assert types == SZEGED_CUE_COUNTS


# --- Szeged fixtures (invented sentences) ----------------------------------------------------------------

SZEGED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?><!DOCTYPE Annotation SYSTEM "Uncertainty.dtd">\n'
)
SZEGED_DOCUMENT = (
    '<Annotation><DocumentSet><Document type="Wikipedia_text_weasel">'
    '<DocID type="WIKIPEDIA_ARTICLE_ID">Fen &amp; Moor _LRB2_band_RRB2__7</DocID>\n'
    '<DocumentPart type="Title"><Sentence id="S1.1">Fen &amp; Moor, an '
    '<ccue type="speculation_hypo_doxastic _">alleged</ccue> band</Sentence></DocumentPart>\n'
    '<DocumentPart type="Text"><Sentence id="S1.2">They played in  Ulm &lt;live&gt; at Caf&#233; Sol.'
    "</Sentence>"
    '<Sentence id="S1.3"> Fans <ccue type="speculation_modal_probable_">may </ccue>have <ccue '
    'type="speculation_hypo_condition _">if</ccue> wept. </Sentence></DocumentPart>\n'
    "</Document></DocumentSet></Annotation>\n"
)


def read_szeged(tmp_path: Path, body: str) -> list[Located]:
    path = tmp_path / "sample.xml"
    path.write_text(SZEGED_HEAD + body, encoding="utf-8")
    return SzegedSource(str(path)).read()["test"]


def test_szeged_title_cue_is_no_claim_and_entities_are_unescaped(tmp_path: Path) -> None:
    (located,) = read_szeged(tmp_path, SZEGED_DOCUMENT)
    article = located.article
    # Entities unescaped before offsets are counted; runs of spaces and edge spaces of sentences kept.
    assert article.text == (
        "Fen & Moor, an alleged band\nThey played in  Ulm <live> at Café Sol.\n Fans may have if wept. "
    )
    # The title holds a cue but is a heading: no claim, its cue counts nowhere.
    assert article.claims == (
        Claim(28, 67, "confirmed"),
        Claim(69, 91, "hedged", (Span(74, 77), Span(83, 85))),
    )
    assert [article.text[c.start : c.end] for c in article.claims[1].cues] == ["may", "if"]
    assert (article.id, article.title, article.topic) == (
        "szeged-fen-moor-lrb2-band-rrb2-7",
        "Fen & Moor, an alleged band",
        "wikipedia",
    )
    assert (located.line, article_problems(article)) == (2, [])


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        ('"speculation_modal_probable_"', '"speculation_modal_probable"', 134, "cue type"),
        ('<DocumentPart type="Text">', '<DocumentPart type="Abstract">', 1, "part type 'Abstract'"),
        ("Caf&#233;", "Caf&eacute;", 86, "entity &eacute; is not defined"),
        ("</Sentence></DocumentPart>\n</Document>", "</DocumentPart>\n</Document>", 251, "malformed XML"),
        (
            '<Sentence id="S1.2">They played in  Ulm &lt;live&gt; at Caf&#233; Sol.',
            '<Sentence id="S1.2"> ',
            27,
            "blank",
        ),
    ],
    ids=["unknown-cue-type", "unknown-part", "undefined-entity", "unclosed", "blank-sentence"],
)
def test_szeged_malformed_input_is_one_line_naming_file_and_line(
    tmp_path: Path, old: str, new: str, column: int, words: str
) -> None:
    # Every change is on line 4 (the Text part); the real file is one line, so the column matters.
    assert SZEGED_DOCUMENT.count(old) == 1
    with pytest.raises(InputError) as caught:
        read_szeged(tmp_path, SZEGED_DOCUMENT.replace(old, new))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'sample.xml'}:4:{column}: ") and "\n" not in message
    assert words in caught.value.message


def test_szeged_refuses_entity_declarations(tmp_path: Path) -> None:
    """No entity is ever expanded from a declaration (so none is fetched from outside, none multiplies)."""
    head = '<!DOCTYPE Annotation [<!ENTITY far SYSTEM "file:///etc/hostname">]>\n'
    path = tmp_path / "sample.xml"
    path.write_text(head + SZEGED_DOCUMENT.replace("Sol.", "&far;"), encoding="utf-8")
    with pytest.raises(InputError, match="entity declaration 'far' refused") as caught:
        SzegedSource(str(path)).read()
    assert caught.value.line == 1


@requires_shared("uner_pud")
def test_misc_predictions_on_uner_are_dropped_not_charged(tmp_path: Path) -> None:
    """End to end on data=uner_pud: a run whose predictions hold MISC scores exactly like the same predictions
    with the MISC spans deleted, and scores.json says how many were dropped."""
    where = [f"run.cache={tmp_path / 'c'}", "eval.resamples=0"]
    done = run_cli("bench", "model=lexicon", "data=uner_pud", f"run.root={tmp_path / 'a'}", *where)
    assert done.returncode == 0, done.stderr
    (with_misc,) = run_dirs(tmp_path / "a")
    rows = [json.loads(line) for line in (with_misc / "predictions.jsonl").read_text().splitlines()]
    misc = sum(e["label"] == "MISC" for row in rows for e in row["entities"])
    assert misc > 0  # the lexicon does predict MISC, so the comparison means something
    for row in rows:
        row["entities"] = [e for e in row["entities"] if e["label"] != "MISC"]
    stripped = tmp_path / "stripped.jsonl"
    stripped.write_text("".join(json.dumps(row) + "\n" for row in rows))
    done = run_cli("bench", "model=predictions", f"model.path={stripped}", "data=uner_pud",
                   f"run.root={tmp_path / 'b'}", *where)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (without,) = run_dirs(tmp_path / "b")
    a, b = (json.loads((run / "scores.json").read_text())["entities"] for run in (with_misc, without))
    assert a["strict"]["micro"] == b["strict"]["micro"]
    assert a["dropped_predictions"] == {"MISC": misc} and b["dropped_predictions"] == {}
    assert a["types"] == ["PER", "ORG", "LOC"]
