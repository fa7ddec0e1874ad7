"""The engine with a second profile: the Artemis Accords (``profiles/artemis.toml``).

The corpus in ``tests/data/artemis`` is twelve short texts written for these
tests (invented press releases, statements and news stories about the Accords);
``expected.toml`` there says what a careful reader finds in each. The same
analyses that read the CSpO profile read this one: membership (signatories),
principles (the Accords' ten), language, ``compare`` and ``timeline``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pytest_regressions.data_regression import DataRegressionFixture

from cspo_archive import Profile, Snapshot, compare, load_profile, timeline
from cspo_archive.analysis.language import analyse_language
from cspo_archive.analysis.membership import Membership, MentionRole, extract_membership
from cspo_archive.analysis.principles import extract_principles
from cspo_archive.profiles import FOLDER
from cspo_archive.testing import example_snapshot

CORPUS = Path(__file__).parent / "data" / "artemis"
PRINCIPLES = (
    "peaceful-purposes",
    "transparency",
    "interoperability",
    "emergency-assistance",
    "registration",
    "scientific-data",
    "space-heritage",
    "space-resources",
    "deconfliction",
    "orbital-debris",
)
MEMBERSHIP_KEYS = ("members", "joined", "venues", "groups")

# --- helpers ----------------------------------------------------------------------


@functools.cache
def _cases() -> tuple[dict[str, Any], ...]:
    document = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = document["case"]
    return tuple(cases)


def cases() -> list[dict[str, Any]]:
    """The labelled cases of ``expected.toml``, in file order."""
    return list(_cases())


def case_named(stem: str) -> dict[str, Any]:
    """The case of the text whose file name begins with *stem* (``"02"``)."""
    return next(case for case in _cases() if case["file"].startswith(stem))


def text_of(case: dict[str, Any]) -> str:
    """The text of a case, as written (its headline is its first line)."""
    name: str = case["file"]
    return (CORPUS / name).read_text(encoding="utf-8")


def snapshot_of(case: dict[str, Any]) -> Snapshot:
    """A snapshot of a case's text: its headline as title, its date as published."""
    text = text_of(case)
    published: dt.date = case["published"]
    slug = Path(case["file"]).stem.split("-", 1)[1]
    snapshot, _ = example_snapshot(
        text,
        snapshot_id=f"{published.isoformat()}-{slug}",
        title=text.splitlines()[0],
        published=published,
    )
    return snapshot


def artemis() -> Profile:
    """The bundled Artemis Accords profile."""
    return load_profile("artemis")


def cspo() -> Profile:
    """The bundled CSpO profile."""
    return load_profile("cspo")


def members_of(membership: Membership) -> list[str] | str:
    """The members as ``expected.toml`` writes them: codes, or ``"unknown"``."""
    return list(membership.members) if membership.members is not None else "unknown"


def known_miss(case: dict[str, Any], aspect: str) -> Any:
    """The case as a pytest parameter, xfailed strictly when its known miss is in *aspect*."""
    marks: list[pytest.MarkDecorator] = []
    if "known_miss" in case and case.get("known_miss_in", aspect) == aspect:
        marks.append(pytest.mark.xfail(strict=True, reason=str(case["known_miss"])))
    return pytest.param(case, id=Path(case["file"]).stem, marks=marks)


def params(aspect: str) -> list[Any]:
    """Every case as a parameter for the test of *aspect*."""
    return [known_miss(case, aspect) for case in cases()]


def principle_ids(case: dict[str, Any]) -> list[str]:
    """The ids of the principles the Artemis profile finds in a case's text, sorted."""
    found = extract_principles(text_of(case), artemis().principles)
    return sorted(hit.principle.id for hit in found.hits)


# --- (a) the profile -----------------------------------------------------------------


def test_profile_loads_with_ten_principles() -> None:
    """load_profile("artemis") reads profiles/artemis.toml: its name and version, and
    the Accords' ten principles in section order, all guiding principles."""
    profile = artemis()
    assert (profile.name, profile.version) == ("artemis", "2026.1")
    assert Path(profile.source) == FOLDER / "artemis.toml"
    assert tuple(p.id for p in profile.principles.principles) == PRINCIPLES
    assert {p.group for p in profile.principles.principles} == {"guiding-principle"}
    assert profile.principles.version == "1"


def test_profile_from_file_equals_the_bundled_one() -> None:
    """Profile.from_file on the TOML file gives the same taxonomy as load_profile."""
    from_file = Profile.from_file(FOLDER / "artemis.toml")
    assert from_file.principles.principles == artemis().principles.principles
    assert from_file.version == artemis().version


def test_corpus_is_twelve_labelled_texts() -> None:
    """The corpus holds twelve texts of 150 to 400 words, each labelled once."""
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert files == sorted(case["file"] for case in cases())
    assert len(files) == 12
    for case in cases():
        assert 150 <= len(text_of(case).split()) <= 400, case["file"]
        assert set(case["principles"]) <= set(PRINCIPLES), case["file"]


# --- (b) each text, as labelled -----------------------------------------------------


@pytest.mark.parametrize("case", params("membership"))
def test_corpus_membership(case: dict[str, Any]) -> None:
    """Each text gives its labelled members (or unknown), newly signed nations,
    venues and other groupings; nations labelled "others" are named only as OTHER."""
    found = extract_membership(text_of(case), artemis().membership)
    actual = {
        "members": members_of(found),
        "joined": list(found.joined),
        "venues": sorted({m.code for m in found.mentions if m.role is MentionRole.VENUE}),
        "groups": sorted({g.name for g in found.groups}),
    }
    assert actual == {key: case[key] for key in MEMBERSHIP_KEYS}
    for code in case.get("others", []):
        assert {m.role for m in found.mentions if m.code == code} == {MentionRole.OTHER}, code


@pytest.mark.parametrize("case", params("counts"))
def test_corpus_counts(case: dict[str, Any]) -> None:
    """Each text's counts of signatories ([value, kind, status] in text order) are the
    labelled ones: consistent with, mismatching or unknown against the list."""
    found = extract_membership(text_of(case), artemis().membership)
    assert [[c.claim.value, c.claim.kind, c.status] for c in found.checks] == case["counts"]


@pytest.mark.parametrize("case", params("principles"))
def test_corpus_principles(case: dict[str, Any]) -> None:
    """Each text states exactly the labelled principles of the Accords."""
    assert principle_ids(case) == case["principles"]


# --- (c) compare ---------------------------------------------------------------------


def test_compare_reports_joined_and_principles_with_the_artemis_profile() -> None:
    """From the Ukraine release to the Korea/New Zealand one: KOR and NZL joined, none
    left, 9 to 11 members; principles added and dropped are the labelled differences;
    the comparison is made with the Artemis profile (its version, its taxonomy)."""
    old, new = case_named("02"), case_named("03")
    result = compare(snapshot_of(old), snapshot_of(new), profile=artemis())
    assert result.profile_version == artemis().version
    assert result.membership.comparable
    assert result.membership.joined == ("KOR", "NZL")
    assert result.membership.left == ()
    assert (result.membership.old_count, result.membership.new_count) == (9, 11)
    assert result.membership.new.joined == ("KOR", "NZL")
    added = sorted(c.principle.id for c in result.principles.added)
    dropped = sorted(c.principle.id for c in result.principles.dropped)
    assert added == sorted(set(new["principles"]) - set(old["principles"]))
    assert dropped == sorted(set(old["principles"]) - set(new["principles"]))
    assert added == ["space-heritage"]
    assert dropped == ["interoperability", "registration", "transparency"]
    assert {c.principle.id for c in result.principles.changes} <= set(PRINCIPLES)


def test_compare_with_an_unknown_member_list_is_not_comparable() -> None:
    """From a full list (the Paris congress) to a signing with no list (Rwanda and
    Nigeria): membership is not comparable, so nobody is reported joined or left."""
    result = compare(
        snapshot_of(case_named("05")), snapshot_of(case_named("06")), profile=artemis()
    )
    assert not result.membership.comparable
    assert result.membership.joined == result.membership.left == ()
    assert result.membership.new.joined == ("NGA", "RWA")
    assert result.membership.old_count == 20


# --- (d) timeline --------------------------------------------------------------------


def _expected_histories() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Per nation, from the labels: first and last release listing it, and all of them."""
    seen: dict[str, list[str]] = {}
    for case in sorted(cases(), key=lambda c: c["published"]):
        if case["members"] == "unknown":
            continue
        for code in case["members"]:
            seen.setdefault(code, []).append(snapshot_of(case).id)
    return {code: (ids[0], ids[-1], tuple(ids)) for code, ids in seen.items()}


def test_timeline_gives_the_labelled_nation_histories() -> None:
    """Over the twelve dated releases: releases in date order with their labelled
    members and principles, and each nation's first, last and every listing release
    as the labels imply (Ukraine first in November 2020, Korea and New Zealand in
    June 2021, Brazil in October 2021)."""
    snapshots = [snapshot_of(case) for case in cases()]
    result = timeline(snapshots, profile=artemis())
    ordered = sorted(cases(), key=lambda c: c["published"])
    assert result.profile_version == artemis().version
    assert [r.ref.id for r in result.releases] == [snapshot_of(c).id for c in ordered]
    for release, case in zip(result.releases, ordered, strict=True):
        expected = None if case["members"] == "unknown" else tuple(case["members"])
        assert release.members == expected, case["file"]
        assert sorted(release.principles) == case["principles"], case["file"]
    histories = {n.code: (n.first, n.last, n.releases) for n in result.nations}
    assert histories == _expected_histories()
    first = {code: history[0] for code, history in histories.items()}
    assert first["GBR"] == snapshot_of(case_named("01")).id
    assert first["UKR"] == snapshot_of(case_named("02")).id
    assert first["KOR"] == first["NZL"] == snapshot_of(case_named("03")).id
    assert first["BRA"] == snapshot_of(case_named("04")).id
    assert {p.id for p in result.principles} == set(PRINCIPLES)


# --- (e) the profiles are separate ----------------------------------------------------


def test_cspo_profile_reads_with_its_own_taxonomy() -> None:
    """The CSpO profile reads an Artemis text with its own principles: of the founding
    statement's ten Accords principles it finds only the one id the taxonomies share
    ("interoperability"); and the NATO ministers' "orbital debris from destructive
    tests" is no principle for either: the Artemis profile excludes the phrase, and
    for the CSpO profile a sentence about another alliance's business is not evidence."""
    founding = text_of(case_named("01"))
    assert principle_ids(case_named("01")) == sorted(PRINCIPLES)
    theirs = {h.principle.id for h in extract_principles(founding, cspo().principles).hits}
    assert theirs <= {p.id for p in cspo().principles.principles}
    assert theirs & set(PRINCIPLES) == {"interoperability"}
    denmark = case_named("12")
    assert "orbital-debris" not in principle_ids(denmark)
    nato = extract_principles(text_of(denmark), cspo().principles).get("arms-control")
    assert nato is None


def test_cspo_profile_does_not_read_signing_as_joining() -> None:
    """A signing reported as "signed the Artemis Accords" is a joining for the Artemis
    profile only: the CSpO profile reports nobody joined in those texts."""
    for stem in ("06", "09", "11", "12"):
        text = text_of(case_named(stem))
        assert extract_membership(text, artemis().membership).joined, stem
        assert extract_membership(text, cspo().membership).joined == (), stem


def test_cspo_profile_does_not_take_signatories_for_its_members() -> None:
    """No text of the corpus names CSpO, so the CSpO profile finds no CSpO member
    list in any of them, whatever lists of signatories they hold."""
    for case in cases():
        assert "CSpO" not in text_of(case)
        found = extract_membership(text_of(case), cspo().membership)
        assert found.members is None, case["file"]


# --- (f) language --------------------------------------------------------------------


def test_tone_categories_are_the_artemis_profiles() -> None:
    """The language analysis with the Artemis profile reports its tone categories
    (cooperation, exploration, risk), not the CSpO's (cooperation, threat); debris
    is a risk word only in the Artemis profile."""
    text = text_of(case_named("03"))
    mine = analyse_language(text, artemis().language)
    theirs = analyse_language(text, cspo().language)
    assert [t.category for t in mine.tone] == ["cooperation", "exploration", "risk"]
    assert [t.category for t in theirs.tone] == ["cooperation", "threat"]
    risk = next(t for t in mine.tone if t.category == "risk")
    assert ("debris", 1) in risk.terms
    comparison = compare(
        snapshot_of(case_named("02")), snapshot_of(case_named("03")), profile=artemis()
    )
    assert [t.category for t in comparison.language.tone] == ["cooperation", "exploration", "risk"]


def test_references_people_and_places_of_the_artemis_profile() -> None:
    """The Artemis profile finds the space treaties, a NASA title before a name and an
    agency's headquarters as a place."""
    ukraine = analyse_language(text_of(case_named("02")), artemis().language)
    assert {r.document for r in ukraine.references} == {
        "Artemis Accords",
        "Outer Space Treaty",
        "Registration Convention",
    }
    ceremony = analyse_language(text_of(case_named("09")), artemis().language)
    assert [(p.name, p.title) for p in ceremony.people] == [
        ("Pamela Reyes", "NASA Deputy Administrator")
    ]
    assert "NASA Headquarters" in {p.name for p in ceremony.places}


# --- (g) the whole corpus, locked ---------------------------------------------------------


def _extraction(case: dict[str, Any]) -> dict[str, Any]:
    """Everything the Artemis profile reads in one text, as plain data (no paths, no times)."""
    profile = artemis()
    text = text_of(case)
    membership = extract_membership(text, profile.membership)
    principles = extract_principles(text, profile.principles)
    language = analyse_language(text, profile.language)
    return {
        "members": members_of(membership),
        "joined": list(membership.joined),
        "mentions": [[m.name, m.code, m.role.value] for m in membership.mentions],
        "groups": [g.name for g in membership.groups],
        "counts": [
            [c.claim.value, c.claim.phrase, c.claim.kind, c.listed, c.status]
            for c in membership.checks
        ],
        "geography": [[g.value, g.phrase, g.status] for g in membership.geography],
        "principles": {hit.principle.id: list(hit.matches) for hit in principles.hits},
        "unclassified": [c.marker for c in principles.unclassified],
        "words": language.words,
        "tone": {t.category: [t.count, t.per_1000] for t in language.tone},
        "people": [[p.name, p.rank, p.title] for p in language.people],
        "places": [p.name for p in language.places],
        "references": [r.document for r in language.references],
    }


def test_corpus_extraction_is_locked(data_regression: DataRegressionFixture) -> None:
    """The full extraction of every corpus text is locked (reviewed by eye when it changes)."""
    data_regression.check(
        {
            "profile": {"name": artemis().name, "version": artemis().version},
            "texts": {Path(case["file"]).stem: _extraction(case) for case in cases()},
        }
    )
