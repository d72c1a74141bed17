"""The corpus consistency lint: each rule fires on a planted defect, and the real corpus is clean."""

from __future__ import annotations

from bench.corpus.build import compile_all
from bench.corpus.lint import Flag, lint_article, lint_corpus, read_inventory, unexplained
from bench.corpus.markup import parse

HEADER = "id: t\ntitle: T\ntopic: politics\n---\n"


def flags_of(body: str) -> set[tuple[str, str]]:
    return {(flag.rule, flag.surface) for flag in lint_article(parse(HEADER + body), read_inventory())}


def test_clean_article_has_no_flags() -> None:
    assert flags_of("<<C:[[PER:Ann Lee]] met [[PER:Bo]].>> <<H:[[PER:Bo]] ((may)) go.>>") == set()


def test_same_surface_with_two_labels_is_flagged() -> None:
    assert ("label-conflict", "Jordan") in flags_of("<<C:[[PER:Jordan]] flew to [[LOC:Jordan]].>>")


def test_unannotated_repeat_of_a_name_is_flagged() -> None:
    assert ("missed-mention", "Rome") in flags_of("<<C:[[LOC:Rome]] is big. Rome is old.>>")


def test_name_inside_a_longer_entity_is_not_a_missed_mention() -> None:
    assert flags_of("<<C:[[PER:Assad]] and [[PER:Bashar al-Assad]].>>") == set()


def test_always_hedging_word_in_a_confirmed_claim_is_flagged() -> None:
    assert ("cue-in-confirmed", "reportedly") in flags_of("<<C:He reportedly left.>>")


def test_context_dependent_cue_in_a_confirmed_claim_is_not_flagged() -> None:
    assert flags_of("<<C:[[PER:Ann]] said it rained, according to [[ORG:WHO]].>>") == set()


def test_cue_outside_the_inventory_is_flagged() -> None:
    assert ("unknown-cue", "perchance") in flags_of("<<H:It ((perchance)) rains.>>")


def test_allowlist_explains_flags_and_stale_entries_are_flagged() -> None:
    flag = Flag("a", "missed-mention", "Rome")
    assert unexplained([flag], {("a", "missed-mention", "Rome"): "reason"}) == []
    stale = unexplained([], {("a", "missed-mention", "Rome"): "reason"})
    assert [f.rule for f in stale] == ["stale-allowlist"]


def test_the_corpus_has_no_unexplained_flags() -> None:
    flags = lint_corpus(compile_all())
    assert flags == [], "\n".join(f"{f.article_id} {f.rule} {f.surface} {f.detail}" for f in flags[:20])
