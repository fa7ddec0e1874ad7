"""The typed profile: validated once, one section per analysis, reaching every analysis.

A :class:`~cspo_archive.Profile` is built from a TOML file or a table; every
entry is checked as it is read, and an error names the file, the entry, what
was expected and what to write. :func:`~cspo_archive.compare` and
:func:`~cspo_archive.timeline` hand each analysis its section of the profile
they are given.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from cspo_archive import Profile, ProfileError, compare, load_profile, timeline
from cspo_archive.analysis import Document
from cspo_archive.analysis.language import LanguageRules, analyse_language
from cspo_archive.analysis.membership import MembershipRules, extract_membership
from cspo_archive.analysis.principles import Taxonomy, extract_principles
from cspo_archive.exceptions import ArchiveFormatError
from cspo_archive.profiles import FOLDER, load_table
from cspo_archive.testing import example_snapshot

#: A text the bundled profile reads as a membership list (its initiative terms).
LISTED = (
    "The Combined Space Operations Initiative comprises Australia, Canada and France.\n\n"
    "The partners will deter aggression and remain committed to transparency.\n"
)
#: The same list, introduced by the words only a custom profile knows.
FELLOWSHIP = (
    "The Fellowship of the Stars gathers Australia, Canada and France.\n\n"
    "The fellows pledge to share starlight and remain committed to it.\n"
)


def bundled_table() -> dict[str, Any]:
    """A deep copy of the bundled profile's table, to edit."""
    return copy.deepcopy(load_table("cspo"))


def fellowship_table() -> dict[str, Any]:
    """A custom profile: its own initiative, one membership cue, one principle, one tone."""
    table = bundled_table()
    table["profile"] = {"name": "fellowship", "version": "7"}
    table["membership"]["initiative_names"] = ["Fellowship of the Stars"]
    table["membership"]["cues"]["member_before"] = r"\bgathers\s*$"
    table["principles"] = {
        "version": "f-1",
        "principle": [
            {
                "id": "starlight",
                "label": "Sharing starlight",
                "group": "commitment",
                "description": "Sharing the light of the stars.",
                "phrasings": ["share starlight"],
            }
        ],
        "commitment_markers": {"phrasings": ["pledge"]},
    }
    table["language"]["tone"] = {"wonder": {"terms": ["starlight", "stars"]}}
    return table


def error_of(table: dict[str, Any]) -> ProfileError:
    """The error building *table* raises."""
    with pytest.raises(ProfileError) as info:
        Profile.from_table(table, source="demo.toml")
    return info.value


# --- the bundled profile -------------------------------------------------------------


def test_bundled_profile_has_a_typed_section_per_analysis() -> None:
    """load_profile() gives the CSpO profile: its name, version, file, and one
    compiled section for each analysis."""
    profile = load_profile()
    assert (profile.name, profile.version) == ("cspo", load_table("cspo")["profile"]["version"])
    assert Path(profile.source) == FOLDER / "cspo.toml"
    assert isinstance(profile.membership, MembershipRules)
    assert isinstance(profile.principles, Taxonomy)
    assert isinstance(profile.language, LanguageRules)
    assert profile is load_profile("cspo")  # compiled once per process


def test_from_file_reads_the_same_profile() -> None:
    """Profile.from_file on the bundled TOML gives a profile with the same findings."""
    profile = Profile.from_file(FOLDER / "cspo.toml")
    bundled = load_profile()
    assert profile.version == bundled.version
    assert extract_membership(LISTED, profile.membership) == extract_membership(LISTED)
    assert extract_principles(LISTED, profile.principles) == extract_principles(LISTED)


def test_a_data_file_is_not_a_profile() -> None:
    """Asking for the ingestion's rules as a profile names the profiles there are."""
    with pytest.raises(
        ProfileError,
        match=r"'ingest' is a data file of the ingestion; the bundled profiles are .*cspo",
    ):
        load_profile("ingest")


# --- a custom profile reaches every analysis -------------------------------------------


def test_custom_profile_reaches_every_analysis_of_compare() -> None:
    """compare() with a custom profile reads membership, principles and language
    with it (membership used to ignore it), and records its version."""
    profile = Profile.from_table(fellowship_table())
    old, _ = example_snapshot("A first note.\n", snapshot_id="2025-01-01-first")
    new, _ = example_snapshot(FELLOWSHIP, snapshot_id="2025-02-01-second")
    result = compare(old, new, profile=profile)
    assert result.profile_version == "7"
    assert result.membership.new.members == ("AUS", "CAN", "FRA")
    assert [c.principle.id for c in result.principles.added] == ["starlight"]
    assert [t.category for t in result.language.tone] == ["wonder"]
    bundled = compare(old, new)
    assert bundled.membership.new.members is None  # the bundled profile knows no Fellowship
    assert bundled.principles.added == ()


def test_custom_profile_reaches_the_timeline() -> None:
    """timeline() reads members and principles with the profile it is given."""
    profile = Profile.from_table(fellowship_table())
    snapshot, _ = example_snapshot(FELLOWSHIP, published=dt.date(2025, 2, 1))
    result = timeline([snapshot], profile=profile)
    assert result.profile_version == "7"
    assert result.releases[0].members == ("AUS", "CAN", "FRA")
    assert [p.id for p in result.principles] == ["starlight"]


def test_a_table_is_not_taken_for_a_profile() -> None:
    """compare() refuses a plain dict, saying how to build a Profile from it."""
    snapshot, _ = example_snapshot()
    with pytest.raises(TypeError, match=r"must be a Profile, got a dict; .*Profile\.from_table"):
        compare(snapshot, snapshot, profile=load_table("cspo"))  # type: ignore[arg-type]


def test_each_analysis_takes_a_document_or_a_text() -> None:
    """A Document prepared once gives every analysis what the text itself gives."""
    document = Document.prepare(LISTED)
    assert extract_membership(document) == extract_membership(LISTED)
    assert extract_principles(document) == extract_principles(LISTED)
    assert analyse_language(document) == analyse_language(LISTED)


# --- errors name the file, the entry and the fix ---------------------------------------


@pytest.mark.parametrize(
    ("edit", "entry", "complaint"),
    [
        (
            lambda t: t["membership"]["cues"].update(member_before="(unclosed"),
            "membership.cues.member_before",
            r"\[membership\.cues\] member_before: is not a valid regular expression .*; "
            "correct the pattern",
        ),
        (
            lambda t: t["membership"]["cues"].update(member_befor="x"),
            "membership.cues.member_befor",
            r"is not an entry of this table; did you mean 'member_before'\?",
        ),
        (
            lambda t: t["membership"]["variants"].update(XYZ=["Xland"]),
            "membership.variants.XYZ",
            r"is not an ISO 3166-1 alpha-3 country code; use a code such as GBR",
        ),
        (
            lambda t: t["membership"].update(initiative_terms="CSpO"),
            "membership.initiative_terms",
            r"must be a list of strings, got 'CSpO' \(a str\); write initiative_terms = ",
        ),
        (
            lambda t: t["membership"]["counts"]["numbers"].update(one=1),
            "membership.counts.numbers.one",
            r"must be a whole number from 2 to 99, got 1",
        ),
        (
            lambda t: t["language"]["ranks"].update(civilian=3),
            "language.ranks.civilian",
            r"\[language\.ranks\] civilian: must be a list of strings",
        ),
        (
            lambda t: t["language"].update(tone=["threat"]),
            "language.tone",
            r"\[language\] tone: must be a table",
        ),
        (
            lambda t: t["profile"].update(version=""),
            "profile.version",
            r"\[profile\] version: must be a non-empty string",
        ),
        (
            lambda t: t.update(langauge={}),
            "langauge",
            r"\[langauge\] is not a section; the sections are \[profile\]",
        ),
        (
            lambda t: t["principles"]["principle"][0].update(phrasings=["deter{"]),
            "principles",
            r"\[\[principles\.principle\]\] #1 .*is not a valid pattern",
        ),
    ],
)
def test_errors_name_the_file_the_entry_and_the_fix(edit: Any, entry: str, complaint: str) -> None:
    """A wrong entry raises ProfileError (also an ArchiveFormatError and a
    ValueError) naming the file, the entry, and what to write."""
    table = bundled_table()
    edit(table)
    error = error_of(table)
    assert isinstance(error, ArchiveFormatError)
    assert isinstance(error, ValueError)
    assert str(error).startswith("profile demo.toml: ")
    assert error.path == "demo.toml"
    assert error.entry == entry
    assert re.search(complaint, str(error)), str(error)


def test_no_error_points_at_a_file_that_does_not_exist() -> None:
    """Errors and docs name profiles/cspo.toml, never the per-analysis files of old."""
    table = bundled_table()
    table["principles"]["principle"][0]["phrasings"] = ["a ~"]
    message = str(error_of(table))
    assert "cspo.principles.toml" not in message
    assert "profiles/cspo.toml" in message


def test_a_profile_needs_principles() -> None:
    """A profile without [principles] is refused, saying what to add."""
    table = bundled_table()
    del table["principles"]
    assert "no [principles] table; add one" in str(error_of(table))


def test_missing_analysis_tables_are_empty_sections() -> None:
    """A profile with only a header and principles is valid: membership finds
    nations but no roles, and language has no lexicons."""
    table = {
        "profile": {"name": "bare", "version": 1},
        "principles": fellowship_table()["principles"],
    }
    profile = Profile.from_table(table)
    assert profile.version == "1"
    found = extract_membership(LISTED, profile.membership)
    assert found.members is None
    assert {m.code for m in found.mentions} == {"AUS", "CAN", "FRA"}
    assert analyse_language(LISTED, profile.language).tone == ()


def test_a_file_that_cannot_be_read_says_so(tmp_path: Path) -> None:
    """A missing or invalid TOML file raises ArchiveFormatError naming it."""
    with pytest.raises(ArchiveFormatError, match=r"cannot read .*missing\.toml"):
        Profile.from_file(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[profile\n", encoding="utf-8")
    with pytest.raises(ArchiveFormatError, match=r"broken\.toml is not valid TOML"):
        Profile.from_file(broken)


def _proper_terms(name: str) -> set[str]:
    """The initiative's own names in profile *name*: its acronyms and multi-word names."""
    table = load_table(name)["membership"]
    terms = [*table.get("initiative_names", []), *table["initiative_terms"]]
    return {t for t in terms if sum(c.isupper() for c in t) >= 2 or (" " in t and t[:1].isupper())}


def test_no_word_of_an_initiative_is_in_the_analysis_code() -> None:
    """The analyses name no initiative: every initiative's names live in its profile
    (package and file names such as ``cspo_archive`` and ``cspo.toml`` aside)."""
    import cspo_archive.analysis as package

    terms = set().union(*(_proper_terms(p) for p in ("cspo", "artemis")))
    assert {"CSpO", "Combined Space Operations", "Artemis Accords"} <= terms
    allowed = re.compile(r"cspo_archive|cspo\.toml|\"cspo\"|``cspo``|artemis\.toml|``artemis``")
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        code = allowed.sub("", path.read_text(encoding="utf-8"))
        for term in terms:
            assert term.casefold() not in code.casefold(), f"{path.name} names {term!r}"


def test_every_language_of_the_bundled_profiles_compiles() -> None:
    """Each language table of each bundled profile builds (they are compiled on
    first use, so this is where a broken one shows)."""
    for name in ("cspo", "artemis"):
        translations = load_profile(name).membership.translations
        for language in translations:
            assert translations[language].language == language


def test_a_broken_language_table_names_its_entry() -> None:
    """A bad regular expression in a language table is reported with its entry
    when a text in that language is first read."""
    table = bundled_table()
    table["membership"]["translations"]["de"]["cues"]["member_before"] = "(offen"
    profile = Profile.from_table(table, source="demo.toml")
    document = Document.prepare("Die CSpO umfasst Kanada und Japan.", language="de")
    with pytest.raises(ProfileError, match=r"membership\.translations\.de\.cues\] member_before"):
        extract_membership(document, profile.membership)
