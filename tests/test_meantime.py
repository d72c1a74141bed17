"""MEANTIME's token files rebuilt as news text: the detokenisation rules, the reader, and the whole corpus."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import SHARED_DATA, requires_shared

from bench.data.importers.meantime import detokenize, iso_date, read_meantime
from bench.errors import InputError

# Hand-written token sequences (invented text) and the news text each must give.
CASES = [
    (["Shares", "rose", "4.5", "%", "to", "$", "12", "."], "Shares rose 4.5% to $12."),
    (
        ["It", "paid", "US$", "40", "billion", "(", "GB", "£", "20", ")", "."],
        "It paid US$40 billion (GB £20).",
    ),
    (["He", "said", ",", "``", "We", "'re", "ready", ".", "''"], 'He said, "We\'re ready."'),
    (["She", "said", '"', "no", '"', "and", '"', "yes", '"', "."], 'She said "no" and "yes".'),
    (["the", "investors", "'", "money"], "the investors' money"),
    (["we", "'", "re", "launching"], "we're launching"),
    (["Wayne", "’", "s", "World"], "Wayne’s World"),
    (["I'", "m", "proud", ";", "it", "is", "n't", "over", "..."], "I'm proud; it isn't over..."),
    (["a", "`", "Black", "Monday", "'", "rally"], "a 'Black Monday' rally"),
    (["prices", "--", "and", "wages", "--", "fell"], "prices -- and wages -- fell"),
]


@pytest.mark.parametrize(("tokens", "text"), CASES)
def test_detokenize_puts_punctuation_quotes_and_clitics_back(tokens: list[str], text: str) -> None:
    assert detokenize(tokens) == text


def test_a_double_quote_opened_in_one_sentence_closes_in_the_next() -> None:
    tokens = ['"', "Sales", "fell", ".", "Costs", "rose", ".", '"', "he", "said", "."]
    assert detokenize(tokens) == '"Sales fell. Costs rose." he said.'


def _write(path: Path, sentences: list[list[str]]) -> Path:
    lines, number = [], 1
    for sentence in sentences:
        for token in sentence:
            lines.append(f"{number}\t{token}\t_\t_\t_\t_")
            number += 1
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_reader_lays_out_headline_date_line_and_body(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "4242_Acme_buys_Widget_Co.xml.conll",
        [
            ["Acme", "buys", "Widget", "Co"],
            ["March", "3", ",", "2009"],
            ["Acme", "paid", "$", "5", "."],
            ["Widget", "'s", "staff", "stay", "."],
        ],
    )
    document = read_meantime(path)
    assert document.text == "Acme buys Widget Co\nMarch 3, 2009\nAcme paid $5. Widget's staff stay."
    assert (document.doc_id, document.corpus, document.date) == ("4242", "meantime", "2009-03-03")
    assert document.title == "Acme buys Widget Co"
    assert document.url == "https://en.wikinews.org/wiki/Acme_buys_Widget_Co"
    assert document.text_sha256 == hashlib.sha256(document.text.encode()).hexdigest()


def test_a_malformed_line_is_one_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "1_x.xml.conll"
    path.write_text("1\tAcme\t_\n\nno-number-here\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_meantime(path)
    assert f"{path}:3" in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_without_a_body_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "7_x.xml.conll", [["Headline"], ["May", "1", ",", "2010"]])
    with pytest.raises(InputError, match="headline, a date line and at least one body sentence"):
        read_meantime(path)


def test_iso_date_reads_the_date_line_or_gives_nothing() -> None:
    assert iso_date("December 10, 2013") == "2013-12-10"
    assert iso_date("Tuesday") == ""


@requires_shared("meantime")
def test_every_meantime_file_rebuilds_with_its_token_count_kept() -> None:
    files = sorted((SHARED_DATA / "meantime").glob("*.xml.conll"))
    assert len(files) == 120
    for path in files:
        document = read_meantime(path)
        tokens = [
            line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        # Detokenising only removes spaces and rewrites PTB quotes: every token's characters are kept.
        squeezed = document.text.replace(" ", "").replace("\n", "")
        expected = "".join({"``": '"', "''": '"', "`": "'"}.get(t, t) for t in tokens).replace(" ", "")
        assert squeezed == expected, path.name
        assert document.date, path.name
