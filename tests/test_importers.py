"""Importers: exact counts on the external corpora, round trips against the raw files, and small inline
fixtures for the IOB1 rules, the XML text walk and malformed input."""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from helpers import assert_source_binds, corpus_path, data_config, requires_shared
from omegaconf import DictConfig, OmegaConf

from bench.core.configs import corpus_ids
from bench.core.tags import token_chunks
from bench.core.validate import article_problems
from bench.data.importers.bioscope import BioscopeSource
from bench.data.importers.conll import ConllSource
from bench.data.importers.gum import GumEntitySource
from bench.data.load import LoadedData, Located, articles, load
from bench.errors import InputError
from bench.schema import Claim, Entity, Span


@pytest.mark.parametrize("name", corpus_ids())
def test_data_config_binds_to_the_source_constructor(name: str) -> None:
    assert_source_binds(data_config(name), name)


# --- Wikigold --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wikigold_cfg() -> DictConfig:
    return data_config("wikigold")


@pytest.fixture(scope="module")
def wikigold(wikigold_cfg: DictConfig) -> LoadedData:
    corpus_path(wikigold_cfg)
    return load(wikigold_cfg)


@pytest.fixture(scope="module")
def wikigold_located(wikigold_cfg: DictConfig) -> list[Located]:
    corpus_path(wikigold_cfg)
    return ConllSource(**_arguments(wikigold_cfg)).read()["test"]


def _arguments(cfg: DictConfig) -> dict:
    arguments = OmegaConf.to_container(cfg.source)
    del arguments["_target_"]
    return {**arguments, "path": str(corpus_path(cfg))}


def test_wikigold_counts(wikigold: LoadedData) -> None:
    docs = articles(wikigold.dataset["test"])
    labels = Counter(entity.label for article in docs for entity in article.entities)
    assert list(wikigold.dataset) == ["test"] and wikigold.tasks == ("entities",)
    assert len(docs) == 145
    assert labels == {"LOC": 1014, "PER": 934, "ORG": 898, "MISC": 712}
    assert sum(labels.values()) == 3558
    assert [a.id for a in docs[:2]] == ["wikigold-0001", "wikigold-0002"] and docs[-1].id == "wikigold-0145"
    assert {a.topic for a in docs} == {"wikipedia"}


def _reference_documents(path: Path) -> list[list[list[tuple[str, str]]]]:
    """An independent reading of the Wikigold file: documents -> sentences -> (token, tag)."""
    blocks = path.read_text(encoding="utf-8").split("-DOCSTART- O\n")
    return [
        [
            [tuple(line.split(" ")) for line in sentence.split("\n")]
            for sentence in block.strip().split("\n\n")
        ]
        for block in blocks
        if block.strip()
    ]


def test_wikigold_text_and_entities_round_trip(
    wikigold_cfg: DictConfig, wikigold_located: list[Located]
) -> None:
    reference = _reference_documents(corpus_path(wikigold_cfg))
    for document, located in zip(reference, wikigold_located, strict=True):
        article = located.article
        assert article.text == "\n".join(" ".join(token for token, _ in sentence) for sentence in document)
        expected = [
            (" ".join(token for token, _ in sentence[first:stop]), kind)
            for sentence in document
            for first, stop, kind in token_chunks([tag for _, tag in sentence])
        ]
        assert [(article.text[e.start : e.end], e.label) for e in article.entities] == expected


def test_wikigold_located_line_is_the_first_token(
    wikigold_cfg: DictConfig, wikigold_located: list[Located]
) -> None:
    lines = corpus_path(wikigold_cfg).read_text(encoding="utf-8").split("\n")
    for located in wikigold_located:
        first_token = located.article.text.split(" ", 1)[0]
        assert lines[located.line - 1].split(" ")[0] == first_token
        assert located.line == 1 or lines[located.line - 3 : located.line - 1] == ["-DOCSTART- O", ""]
        assert located.article.title.startswith(first_token)


# --- CoNLL fixtures --------------------------------------------------------------------------------------


def read_conll(tmp_path: Path, body: str, **options: object) -> list[Located]:
    path = tmp_path / "sample.conll"
    path.write_text(body, encoding="utf-8")
    return ConllSource(str(path), id_prefix="t", topic="test", **options).read()["test"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Paris I-LOC", "London B-LOC"], [("Paris", "LOC"), ("London", "LOC")]),
        (["New I-LOC", "York I-LOC"], [("New York", "LOC")]),
        (["in O", "Bob I-PER", "Smith I-PER"], [("Bob Smith", "PER")]),
        (["Bob I-PER", "IBM I-ORG", "Inc I-ORG"], [("Bob", "PER"), ("IBM Inc", "ORG")]),
        (["B B-MISC", "C I-MISC"], [("B C", "MISC")]),
        (["The O", "end I-MISC", "", "Next I-MISC"], [("end", "MISC"), ("Next", "MISC")]),
    ],
    ids=["B-splits-same-type", "I-continues", "I-after-O-opens", "type-change", "B-then-I", "sentence-break"],
)
def test_conll_iob1_chunks(tmp_path: Path, lines: list[str], expected: list[tuple[str, str]]) -> None:
    (located,) = read_conll(tmp_path, "\n".join(lines) + "\n")
    article = located.article
    assert [(article.text[e.start : e.end], e.label) for e in article.entities] == expected


def test_conll_offsets_documents_and_lines(tmp_path: Path) -> None:
    # No separator before the first document, an empty document between two separators, one at the end.
    body = "Paris I-LOC\nis O\nbig O\n\nSo O\nis O\nRome I-LOC\n\n-DOCSTART- O\n\n-DOCSTART- O\n\n"
    body += "Ada I-PER\n\n-DOCSTART- O\n"
    first, second = read_conll(tmp_path, body, title_tokens=2)
    assert first.article.text == "Paris is big\nSo is Rome"
    assert first.article.entities == (Entity(0, 5, "LOC"), Entity(19, 23, "LOC"))
    assert (first.article.id, first.article.title, first.line) == ("t-0001", "Paris is", 1)
    assert (second.article.id, second.article.text, second.line) == ("t-0002", "Ada", 13)
    assert second.article.entities == (Entity(0, 3, "PER"),)
    assert first.path == tmp_path / "sample.conll"


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ("New York I-LOC", "2 columns"),
        ("Bob", "2 columns"),
        ("Bob PER", "bad tag"),
        ("Bob E-PER", "bad tag"),
        ("Bob I-XYZ", "bad tag"),
        ("Bob i-PER", "bad tag"),
        ("-DOCSTART- I-PER", "separator"),
    ],
)
def test_conll_malformed_line_names_file_and_line(tmp_path: Path, bad_line: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_conll(tmp_path, f"Hello O\n\nworld O\n{bad_line}\nend O\n")
    assert caught.value.line == 4
    assert str(caught.value).startswith(f"{tmp_path / 'sample.conll'}:4:")
    assert words in caught.value.message


def test_conll_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "sample.conll"
    path.write_bytes(b"a O\nb O\n\xff O\n")
    with pytest.raises(InputError) as caught:
        ConllSource(str(path), id_prefix="t", topic="test").read()
    assert (caught.value.path, caught.value.line) == (path, 3)


# --- BioScope --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bioscope_cfg() -> DictConfig:
    return data_config("bioscope")


@pytest.fixture(scope="module")
def bioscope(bioscope_cfg: DictConfig) -> LoadedData:
    corpus_path(bioscope_cfg)
    return load(bioscope_cfg)


@pytest.fixture(scope="module")
def bioscope_located(bioscope_cfg: DictConfig) -> list[Located]:
    corpus_path(bioscope_cfg)
    return BioscopeSource(**_arguments(bioscope_cfg)).read()["test"]


def test_bioscope_counts(bioscope: LoadedData) -> None:
    docs = articles(bioscope.dataset["test"])
    claims = [claim for article in docs for claim in article.claims]
    assert list(bioscope.dataset) == ["test"] and bioscope.tasks == ("claims",)
    assert len(docs) == 1273
    assert len(claims) == 11871
    assert sum(claim.certainty == "hedged" for claim in claims) == 2101
    assert sum(len(claim.cues) for claim in claims) == 2694
    assert not any(article.entities for article in docs)


def test_bioscope_articles_are_valid(bioscope_located: list[Located]) -> None:
    assert [located.article.id for located in bioscope_located if article_problems(located.article)] == []


def test_bioscope_sentences_and_cues_round_trip(
    bioscope_cfg: DictConfig, bioscope_located: list[Located]
) -> None:
    """Against a plain ElementTree reading: each claim is its sentence, each cue a speculation cue's text."""
    documents = ET.parse(corpus_path(bioscope_cfg)).getroot().iter("Document")
    for document, located in zip(documents, bioscope_located, strict=True):
        article = located.article
        sentences = ["".join(s.itertext()).strip() for s in document.iter("sentence")]
        cues = ["".join(c.itertext()).strip() for c in document.iter("cue") if c.get("type") == "speculation"]
        assert article.id == f"bioscope-{document.findtext('DocID')}"
        assert [article.text[c.start : c.end] for c in article.claims] == sentences
        assert [article.text[c.start : c.end] for claim in article.claims for c in claim.cues] == cues


def test_bioscope_located_line_is_the_document_tag(
    bioscope_cfg: DictConfig, bioscope_located: list[Located]
) -> None:
    lines = corpus_path(bioscope_cfg).read_text(encoding="utf-8").split("\n")
    for located in bioscope_located:
        assert lines[located.line - 1].lstrip().startswith("<Document ")
        doc_id_line = next(line for line in lines[located.line :] if "<DocID" in line)
        assert f">{located.article.id.removeprefix('bioscope-')}<" in doc_id_line


# --- BioScope fixtures -----------------------------------------------------------------------------------

XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<Annotation>\n<DocumentSet>\n'
XML_TAIL = "</DocumentSet>\n</Annotation>\n"
FIRST_DOCUMENT = """<Document type="Biological_abstract">
<DocID type="PMID">111</DocID>
<DocumentPart type="Title"><sentence id="S1.1">A title.</sentence></DocumentPart>
<DocumentPart type="AbstractText">
<sentence id="S1.2"> X <xcope id="X1"><cue type="speculation" ref="X1">may</cue> bind <xcope id="X2"><cue \
type="negation" ref="X2">not</cue> Y</xcope> and <xcope id="X3"><cue type="speculation" ref="X3">suggest \
</cue>Z</xcope></xcope>, we think. </sentence>
<sentence id="S1.3">Plain <xcope id="X4"><cue type="negation" ref="X4">no</cue> cue</xcope>.</sentence>
</DocumentPart>
</Document>
"""
SECOND_DOCUMENT = """<Document type="Biological_abstract">
<DocID type="PMID">222</DocID>
<DocumentPart type="AbstractText"><sentence id="S2.1">Only one.</sentence></DocumentPart>
</Document>
"""


def read_bioscope(tmp_path: Path, documents: str) -> list[Located]:
    path = tmp_path / "sample.xml"
    path.write_text(XML_HEAD + documents + XML_TAIL, encoding="utf-8")
    return BioscopeSource(str(path)).read()["test"]


def test_bioscope_text_walk_with_nested_scopes_and_tails(tmp_path: Path) -> None:
    first, second = read_bioscope(tmp_path, FIRST_DOCUMENT + SECOND_DOCUMENT)
    article = first.article
    assert article.text == "A title.\nX may bind not Y and suggest Z, we think.\nPlain no cue."
    assert article.claims == (
        Claim(0, 8, "confirmed"),
        Claim(9, 50, "hedged", (Span(11, 14), Span(30, 37))),
        Claim(51, 64, "confirmed"),
    )
    assert (article.id, article.title, article.topic) == ("bioscope-111", "A title.", "biomedical")
    assert article_problems(article) == []
    assert (second.article.id, second.article.title, second.article.text) == ("bioscope-222", "", "Only one.")
    assert (first.line, second.line) == (4, 12)


@pytest.mark.parametrize(
    ("documents", "line", "words"),
    [
        (FIRST_DOCUMENT.replace("</sentence>\n</DocumentPart>", "\n</DocumentPart>", 1), 10, "malformed XML"),
        (FIRST_DOCUMENT.replace('"speculation" ref="X3"', '"speculaton" ref="X3"'), 8, "cue type"),
        (SECOND_DOCUMENT.replace('<DocID type="PMID">222</DocID>', ""), 4, "no <DocID>"),
        (SECOND_DOCUMENT.replace("Only one.", "  "), 6, "has no text"),
    ],
    ids=["unclosed-sentence", "unknown-cue-type", "missing-docid", "empty-sentence"],
)
def test_bioscope_malformed_input_names_file_and_line(
    tmp_path: Path, documents: str, line: int, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_bioscope(tmp_path, documents)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{tmp_path / 'sample.xml'}:{line}")
    assert words in caught.value.message


def test_bioscope_refuses_an_entity_its_dtd_would_define(tmp_path: Path) -> None:
    """With the DOCTYPE of the real file, expat skipped ``&beta;`` silently: the text lost it and every later
    offset moved. BioScope now reads through the same XML core as Szeged, which refuses it."""
    path = tmp_path / "sample.xml"
    doctype = '<!DOCTYPE Annotation PUBLIC "-//BIOSCOPE//DTD  SCOPE ANNOTATION 1.0//EN" "BioScope.dtd">\n'
    head = XML_HEAD.replace("\n", "\n" + doctype, 1)
    path.write_text(head + SECOND_DOCUMENT.replace("Only one.", "Only &beta; one.") + XML_TAIL, "utf-8")
    with pytest.raises(InputError, match=r"entity &beta; is not defined") as caught:
        BioscopeSource(str(path)).read()
    assert (caught.value.line, caught.value.column) == (7, 60)


def test_no_importer_imports_another_importer() -> None:
    """Importers share code through the shared modules only (``xml_core``, ``text_lines``, ``source_text``,
    ``gum_mentions``), never through each other's helpers."""
    folder = Path(inspect.getfile(BioscopeSource)).parent
    # gum_mentions reads GUM's entity layer, for the GUM importer and for news_real's validation alike.
    shared = {"xml_core", "text_lines", "source_text", "gum_mentions", "__init__"}
    readers = sorted(p.stem for p in folder.glob("*.py") if p.stem not in shared)
    for reader in readers:
        text = (folder / f"{reader}.py").read_text(encoding="utf-8")
        assert [r for r in readers if f"bench.data.importers.{r} import" in text] == [], reader


# --- GUM's other genres as entity training data (issue 28) ----------------------------------------------

# (form, upos, misc) per word of an invented GUM document: a nationality adjective, an organisation whose
# name holds a place, a named event inside a determiner, and a place.
GUM_WORDS = [
    ("The", "DET", "Entity=(1-organization-new-sssss-cf1-3-sgl"),
    ("American", "ADJ", "_"),
    ("team", "NOUN", "_"),
    ("of", "ADP", "_"),
    ("Cornell", "PROPN", "Entity=(2-organization-new-sssss-cf2-2-sgl-Cornell_U(3-place-new-sssss-cf3-1-sgl)"),
    ("University", "PROPN", "Entity=2)1)"),
    ("won", "VERB", "_"),
    ("the", "DET", "Entity=(4-event-new-sssss-cf4-3-sgl"),
    ("World", "PROPN", "_"),
    ("Cup", "PROPN", "Entity=4)"),
    ("in", "ADP", "_"),
    ("Paris", "PROPN", "Entity=(5-place-new-sssss-cf5-1-sgl)|SpaceAfter=No"),
    (".", "PUNCT", "_"),
]  # fmt: skip


def write_gum(folder: Path, name: str) -> Path:
    text = "The American team of Cornell University won the World Cup in Paris."
    rows = [f"# newdoc id = {name}", "# meta::title = A test", "# newpar", f"# text = {text}"]
    for number, (form, upos, misc) in enumerate(GUM_WORDS, start=1):
        rows.append(f"{number}\t{form}\t{form}\t{upos}\t_\t_\t0\t_\t_\t{misc}")
    path = folder / f"{name}.conllu"
    path.write_text("\n".join(rows) + "\n\n", encoding="utf-8")
    return path


def test_gum_entities_map_named_types_to_conll_and_keep_the_outermost_name(tmp_path: Path) -> None:
    write_gum(tmp_path, "GUM_bio_test")
    write_gum(tmp_path, "GUM_fiction_test")  # a genre not asked for
    [located] = GumEntitySource(str(tmp_path), ["bio"]).read()["train"]
    article = located.article
    found = [(article.text[e.start : e.end], e.label) for e in article.entities]
    # "American": an adjective GUM marks no mention on; "Cornell" (a place inside the university's name)
    # gives way to the outer name; the event is MISC without its determiner.
    assert found == [
        ("American", "MISC"),
        ("Cornell University", "ORG"),
        ("World Cup", "MISC"),
        ("Paris", "LOC"),
    ]
    assert (article.id, article.topic, article.title) == ("gum-bio-test", "bio", "A test")
    assert article_problems(article) == []


def test_an_unknown_gum_genre_is_one_line_naming_the_choices() -> None:
    with pytest.raises(InputError, match=r"GUM genres \['news'\]: choose from"):
        GumEntitySource("gum_other", ["news"])  # news is news_real's: never training data


@requires_shared("gum_other")
@pytest.mark.parametrize(
    ("name", "documents", "labels"),
    [
        ("gum_other", 65, {"LOC": 1278, "PER": 1083, "MISC": 878, "ORG": 389}),
        ("gum_other_nc", 129, {"PER": 1175, "MISC": 930, "LOC": 799, "ORG": 452}),
    ],
)
def test_gum_training_corpora_counts_and_licence_split(name: str, documents: int, labels: dict) -> None:
    loaded = load(data_config(name))
    docs = [a for split in loaded.splits.values() for a in split]
    assert len(docs) == documents
    assert Counter(e.label for a in docs for e in a.entities) == labels
    genres = set(data_config(name).source.genres)
    assert {a.topic for a in docs} == genres and not genres & {"news", "interview"}
    clean = {"academic", "bio", "court", "voyage"}  # CC BY / CC BY-SA by gum_other/LICENSE.txt
    assert genres == clean if name == "gum_other" else not genres & clean


@requires_shared("uner_ewt")
def test_uner_ewt_dev_counts_and_genres() -> None:
    loaded = load(data_config("uner_ewt"))
    docs = [a for split in loaded.splits.values() for a in split]
    # en_ewt-ud-dev.stats: 318 documents; LOC 399, PER 343, ORG 224.
    assert len(docs) == 318 and list(loaded.splits) == ["train"]
    assert Counter(e.label for a in docs for e in a.entities) == {"LOC": 399, "PER": 343, "ORG": 224}
    assert {a.topic for a in docs} == {"answers", "email", "newsgroup", "reviews", "weblog"}
