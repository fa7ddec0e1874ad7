"""Tests of :mod:`cspo_archive.analysis.language`: keyness, tone, modality, people,
places, documents referred to, and the comparison of two releases."""

from __future__ import annotations

import math
import re
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

from conftest import python_output
from cspo_archive import Archive
from cspo_archive.analysis._language_phrases import YEAR_POST, YEAR_PRE, PhraseMatcher, alternation
from cspo_archive.analysis.language import (
    Language,
    LanguageChange,
    Person,
    TermShift,
    analyse_language,
    compare_language,
    keyness,
)

NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
JOINT_2025 = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)


def bundled_text(snapshot_id: str) -> str:
    """The text of a bundled snapshot."""
    return Archive.bundled().get(snapshot_id).text


def plain(record: Any) -> Any:
    """A record as plain data (dicts and lists) for data_regression."""
    return attrs.asdict(record)


# --- keyness -----------------------------------------------------------------------


def test_keyness_worked_example() -> None:
    """G² and log ratio match a hand computation.

    Old: a = 10 of c1 = 1,000 words; new: b = 30 of c2 = 2,000 words.
    E1 = 1000 * 40 / 3000 = 13.3333, E2 = 2000 * 40 / 3000 = 26.6667.
    G² = 2 * (10 ln(10/13.3333) + 30 ln(30/26.6667))
       = 2 * (10 * -0.287682 + 30 * 0.117783) = 2 * (-2.876821 + 3.533491) = 1.313340.
    Log ratio = log2((30/2000) / (10/1000)) = log2(0.015 / 0.010) = log2(1.5) = 0.584963.
    Rates: 10.0 and 15.0 per 1,000 words; G² < 3.84, so not significant.
    """
    expected = TermShift(
        term="threat",
        old_count=10,
        new_count=30,
        old_per_1000=10.0,
        new_per_1000=15.0,
        g2=1.3133,
        log_ratio=0.585,
        direction="more",
        significance="ns",
    )
    assert [expected] == keyness({"threat": 10}, {"threat": 30}, 1000, 2000)


def test_keyness_zero_count_uses_half_a_count_in_the_log_ratio() -> None:
    """A term absent from one text: G² is finite, the log ratio takes 0.5 for zero.

    a = 0 of 1,000; b = 5 of 1,000: E2 = 2.5, G² = 2 * 5 ln(5/2.5) = 10 ln 2 = 6.9315
    (p<0.01); log ratio = log2((5/1000) / (0.5/1000)) = log2(10) = 3.3219.
    """
    [shift] = keyness({}, {"escalation": 5}, 1000, 1000)
    assert round(10 * math.log(2), 4) == shift.g2 == 6.9315
    assert round(math.log2(10), 4) == shift.log_ratio == 3.3219
    assert (shift.direction, shift.significance) == ("more", "p<0.01")
    assert (shift.old_per_1000, shift.new_per_1000) == (0.0, 5.0)


def test_keyness_significance_thresholds() -> None:
    """3.84 ≤ G² < 6.63 is p<0.05: 0 vs 3 in 1,000 words each gives 6 ln 2 = 4.1589."""
    [shift] = keyness({"a": 0}, {"a": 3}, 1000, 1000)
    assert (shift.g2, shift.significance) == (4.1589, "p<0.05")


def test_keyness_is_symmetric() -> None:
    """Swapping old and new keeps G², negates the log ratio and flips the direction."""
    old = {"threat": 3, "partner": 9, "space": 20, "hostile": 0}
    new = {"threat": 12, "partner": 2, "space": 21, "deter": 4}
    forward = {s.term: s for s in keyness(old, new, 400, 500)}
    backward = {s.term: s for s in keyness(new, old, 500, 400)}
    assert forward.keys() == backward.keys()
    for term, shift in forward.items():
        back = backward[term]
        assert shift.g2 == back.g2
        assert shift.log_ratio == -back.log_ratio
        assert {shift.direction, back.direction} == {"more", "less"}


def test_keyness_leaves_out_unshifted_terms_and_sorts_by_g2() -> None:
    """Equal rates are no shift; the rest come highest G² first, ties by term."""
    shifts = keyness({"same": 2, "b": 0, "a": 0, "c": 6}, {"same": 4, "b": 5, "a": 5}, 100, 200)
    assert [s.term for s in shifts] == ["c", "a", "b"]
    assert shifts[0].g2 >= shifts[1].g2 == shifts[2].g2


@pytest.mark.parametrize(
    ("old", "total"),
    [({"a": -1}, 10), ({"a": 11}, 10), ({"a": 1}, -1)],
)
def test_keyness_refuses_impossible_counts(old: dict[str, int], total: int) -> None:
    """A negative count or a count above its total is a ValueError naming the term."""
    with pytest.raises(ValueError, match="old"):
        keyness(old, {}, total, 10)


# --- words, tone and modality -----------------------------------------------------------


def test_words_tokens_and_vocabulary() -> None:
    """Lowercased words; possessives dropped, hyphens kept, numbers and stopwords out."""
    language = analyse_language(
        "The UK's multi-domain partners' £1.4 billion plan, released in 2022, helps the U.S."
    )
    # the uk multi-domain partners billion plan released in helps the u.s. = 11 words
    assert language.words == 11
    assert language.vocabulary == (
        ("billion", 1),
        ("helps", 1),
        ("multi-domain", 1),
        ("partners", 1),
        ("plan", 1),
        ("released", 1),
        ("u.s.", 1),
        ("uk", 1),
    )
    assert ("billion plan", 1) in language.bigrams
    assert ("uk multi-domain", 1) in language.bigrams
    bigrams = {b for b, _ in language.bigrams}
    assert "partners billion" not in bigrams  # a number between
    assert "plan released" not in bigrams  # a comma between


def test_tone_rates_and_evidence() -> None:
    """Threat and cooperation words are counted per 1,000 words, with matched terms."""
    text = (
        "Hostile threats grow and adversaries escalate. "
        "Partners cooperate under international law, together."
    )
    language = analyse_language(text)
    tone = {t.category: t for t in language.tone}
    assert language.words == 12
    threat = tone["threat"]
    assert (4, round(4000 / 12, 4)) == (threat.count, threat.per_1000)
    assert threat.terms == (("adversaries", 1), ("escalate", 1), ("hostile", 1), ("threats", 1))
    cooperation = tone["cooperation"]
    assert cooperation.terms == (
        ("cooperate", 1),
        ("international law", 1),
        ("partners", 1),
        ("together", 1),
    )


def test_tone_does_not_take_determination_for_deterrence() -> None:
    """Inflections are listed where a prefix would catch other words."""
    tone = {t.category: t for t in analyse_language("Their determination to deter.").tone}
    assert tone["threat"].terms == (("deter", 1),)


def test_modality_counts() -> None:
    """Modals count on their own; "remain committed" also counts as "commit"."""
    text = (
        "We will act and we must act. Nations remain committed to their commitments. "
        "They may, and can, aim higher. Talks in May were held."
    )
    modality = {m.modal: m.count for m in analyse_language(text).modality}
    assert modality["will"] == 1
    assert modality["must"] == 1
    assert modality["remain committed"] == 1
    assert modality["commit"] == 2
    assert modality["may"] == 1  # "May" the month is not counted
    assert modality["can"] == 1
    assert modality["aim"] == 1
    assert modality["shall"] == 0


def test_tone_and_modality_change() -> None:
    """Changes are new minus old per 1,000 words; relative change is change / old."""
    old = analyse_language("Threat and partners. We will cooperate. Nothing else here today.")
    new = analyse_language("Threat and threat. We will deter and must.")
    change = compare_language(old, new)
    threat = next(t for t in change.tone if t.category == "threat")
    assert (100.0, round(3000 / 8, 4)) == (threat.old_per_1000, threat.new_per_1000)
    assert round(3000 / 8 - 100.0, 4) == threat.change
    assert round((3000 / 8 - 100.0) / 100.0, 4) == threat.relative_change
    must = next(m for m in change.modality if m.modal == "must")
    assert (
        must.old_count,
        must.new_count,
        must.old_per_1000,
        must.new_per_1000,
        must.change,
    ) == (0, 1, 0.0, 125.0, 125.0)


# --- people -----------------------------------------------------------------------------


PEOPLE = [
    (
        "Air Vice-Marshal Harvey Smyth, Director of the MOD Space Directorate, said:",
        ("Harvey Smyth", "Air Vice-Marshal", "Director of the MOD Space Directorate"),
    ),
    (
        "Major General Paul Tedman, Commander UK Space Command, said:",
        ("Paul Tedman", "Major General", "Commander UK Space Command"),
    ),
    (
        "Gary Martin, Director Operational Policy, said:",
        ("Gary Martin", None, "Director Operational Policy"),
    ),
    (
        "Air Chief Marshal Harv Smyth, Chief of the Air Staff, said:",
        ("Harv Smyth", "Air Chief Marshal", "Chief of the Air Staff"),
    ),
    (
        "\u201cWe stand together,\u201d said Gen. Stephen Whiting, commander of U.S. Space "
        "Command.",
        ("Stephen Whiting", "Gen.", "commander of U.S. Space Command"),
    ),
    (
        "Air Marshal Robert Chipman, Chief of Air Force, said the partnership was vital.",
        ("Robert Chipman", "Air Marshal", "Chief of Air Force"),
    ),
    (
        "Lieutenant-General Eric Kenny, Commander of the Royal Canadian Air Force, spoke.",
        ("Eric Kenny", "Lieutenant-General", "Commander of the Royal Canadian Air Force"),
    ),
    (
        "Chief of Space Operations Gen. Chance Saltzman hosted the meeting.",
        ("Chance Saltzman", "Gen.", "Chief of Space Operations"),
    ),
    (
        "Defence Secretary Ben Wallace said the UK would lead.",
        ("Ben Wallace", None, "Defence Secretary"),
    ),
    (
        "Minister for Defence Richard Marles announced the funding.",
        ("Richard Marles", None, "Minister for Defence"),
    ),
    (
        "Secretary of Defense Lloyd J. Austin III met his counterparts.",
        ("Lloyd J. Austin III", None, "Secretary of Defense"),
    ),
    (
        "Lt. Gen. DeAnna Burt, deputy chief of space operations, opened the session.",
        ("DeAnna Burt", "Lt. Gen.", "deputy chief of space operations"),
    ),
    (
        "Commander Defence Space Command, Air Vice-Marshal Catherine Roberts, said so.",
        ("Catherine Roberts", "Air Vice-Marshal", "Commander Defence Space Command"),
    ),
    (
        "The Hon Pat Conroy MP, Minister for Defence Industry, said:",
        ("Pat Conroy", None, "Minister for Defence Industry"),
    ),
    (
        "Major General Michael Traut, Commander of the German Air and Space Operations "
        "Command, spoke.",
        (
            "Michael Traut",
            "Major General",
            "Commander of the German Air and Space Operations Command",
        ),
    ),
    (
        "Dr. John Plumb, Assistant Secretary of Defense for Space Policy, said so.",
        ("John Plumb", None, "Assistant Secretary of Defense for Space Policy"),
    ),
    (
        "Air Commodore Andrew Clark said New Zealand would contribute.",
        ("Andrew Clark", "Air Commodore", None),
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), PEOPLE)
def test_people_in_uk_us_australian_and_canadian_styles(
    sentence: str, expected: tuple[str, str | None, str | None]
) -> None:
    """Name, rank and title are read as written, with the sentence as evidence."""
    [person] = analyse_language(sentence).people
    assert expected == (person.name, person.rank, person.title)
    assert sentence == person.sentence.text


@pytest.mark.parametrize(
    "sentence",
    [
        "The UK Space Command published the Defence Space Strategy.",
        "Representatives from Australia, Canada, France, Germany, New Zealand, the United "
        "Kingdom, and the United States met.",
        "The United Nations General Assembly adopted a resolution.",
        "Cape Canaveral, Florida hosted the Principals Board in December 2021.",
        "Major changes, General principles and Commander UK Space Command were discussed.",
        "Combined Space Operations Initiative, Chief among equals, met.",
    ],
)
def test_no_person_invented(sentence: str) -> None:
    """Organisations, documents, nations and places are nobody."""
    assert analyse_language(sentence).people == ()


def test_same_person_with_a_new_rank_and_title() -> None:
    """Harvey/Harv Smyth is one person, promoted and retitled: status "changed"."""
    old = analyse_language(PEOPLE[0][0])
    new = analyse_language(PEOPLE[3][0])
    [change] = compare_language(old, new).people
    assert attrs.astuple(change) == (
        "Harvey Smyth",
        "Harv Smyth",
        "Air Vice-Marshal",
        "Air Chief Marshal",
        "Director of the MOD Space Directorate",
        "Chief of the Air Staff",
        "changed",
    )


def test_people_nicknames_abbreviated_ranks_and_strangers() -> None:
    """Bob is Robert; "Gen." is "General" (same); a different given name is someone else."""
    old = analyse_language(
        "General Robert Smith, Commander Space Command, said so. "
        "Air Marshal Jane Doe, Chief of Air Force, said so."
    )
    new = analyse_language(
        "Gen. Bob Smith, Commander Space Command, said so. "
        "Air Marshal John Doe, Chief of Air Force, said so."
    )
    statuses = [(p.name_old, p.name_new, p.status) for p in compare_language(old, new).people]
    assert statuses == [
        ("Robert Smith", "Bob Smith", "same"),
        ("Jane Doe", None, "removed"),
        (None, "John Doe", "added"),
    ]


# --- places and references -----------------------------------------------------------------


def test_places() -> None:
    """Gazetteer names and capitalised names after in/at; months and organisations are not."""
    text = (
        "The Board met at Cape Canaveral in Florida in December 2021. "
        "Investment in Defence Space grows at RAF High Wycombe. "
        "Leaders gathered in Toulouse, France, and in Ottawa."
    )
    assert [p.name for p in analyse_language(text).places] == [
        "Cape Canaveral",
        "Florida",
        "RAF High Wycombe",
        "Toulouse",
        "Ottawa",
    ]


def test_references_with_variants() -> None:
    """Documents are found by their variants; a year before or after belongs to them."""
    text = (
        "This reinforces the 2021 Integrated Review and the Defence Space Strategy (DSS). "
        "The Strategic Defence Review 2025 and the Outer Space Treaty apply. "
        "Vision 2031 guides us."
    )
    refs = [(r.document, r.as_written) for r in analyse_language(text).references]
    assert refs == [
        ("Integrated Review", "2021 Integrated Review"),
        ("Defence Space Strategy (UK)", "Defence Space Strategy"),
        ("Defence Space Strategy (UK)", "DSS"),
        ("Strategic Defence Review", "Strategic Defence Review 2025"),
        ("Outer Space Treaty", "Outer Space Treaty"),
        ("CSpO Vision 2031", "Vision 2031"),
    ]


def test_references_added_dropped_kept() -> None:
    """Documents referred to are compared by canonical name."""
    old = analyse_language("The DSS and the Integrated Review.")
    new = analyse_language("The Defence Space Strategy and the Strategic Defence Review.")
    change = compare_language(old, new)
    assert change.references_added == ("Strategic Defence Review",)
    assert change.references_dropped == ("Integrated Review",)
    assert change.references_kept == ("Defence Space Strategy (UK)",)


# --- comparison ------------------------------------------------------------------------------


def test_compare_with_itself_shows_no_change() -> None:
    """A text compared with itself: no shifts, no new words, no tone change, everyone same."""
    language = analyse_language(bundled_text(NEWS_2025))
    change = compare_language(language, language)
    assert change.term_shifts == ()
    assert () == change.appeared == change.disappeared
    assert all(t.change == 0 for t in change.tone)
    assert all(m.change == 0 for m in change.modality)
    assert len(language.people) == len(change.people) > 0
    assert all(p.status == "same" for p in change.people)
    assert () == change.references_added == change.references_dropped


def test_appeared_and_disappeared_words() -> None:
    """Words only in the new / only in the old text, stopwords left out, sorted."""
    change = compare_language(
        analyse_language("The partners cooperate in space."),
        analyse_language("The adversaries threaten space and partners."),
    )
    assert change.appeared == ("adversaries", "threaten")
    assert change.disappeared == ("cooperate",)


def test_top_limits_term_shifts() -> None:
    """``top`` keeps that many term shifts, ranked by G²."""
    old = analyse_language(bundled_text(NEWS_2022))
    new = analyse_language(bundled_text(NEWS_2025))
    shifts = compare_language(old, new, top=5).term_shifts
    assert len(shifts) == 5
    assert list(shifts) == sorted(shifts, key=lambda s: -s.g2)
    assert len(compare_language(old, new).term_shifts) == 20


@pytest.mark.parametrize(
    "snapshot_id", [NEWS_2022, JOINT_2025, NEWS_2025], ids=["news-2022", "joint-2025", "news-2025"]
)
def test_analyse_bundled(snapshot_id: str, data_regression: DataRegressionFixture) -> None:
    """The language of each bundled publication, locked (reviewed by eye)."""
    data_regression.check(plain(analyse_language(bundled_text(snapshot_id))))


@pytest.mark.parametrize("new_id", [NEWS_2025, JOINT_2025], ids=["news-2025", "joint-2025"])
def test_compare_bundled(new_id: str, data_regression: DataRegressionFixture) -> None:
    """2022 news against the 2025 news and joint statement, locked (reviewed by eye)."""
    change = compare_language(
        analyse_language(bundled_text(NEWS_2022)), analyse_language(bundled_text(new_id))
    )
    data = plain(change)
    del data["old"], data["new"]  # locked by test_analyse_bundled
    data_regression.check(data)


def test_bundled_promotion_is_found() -> None:
    """2022 → 2025: Air Vice-Marshal Harvey Smyth is now Air Chief Marshal Harv Smyth."""
    change = compare_language(
        analyse_language(bundled_text(NEWS_2022)), analyse_language(bundled_text(NEWS_2025))
    )
    smyth = next(p for p in change.people if p.name_old == "Harvey Smyth")
    assert (
        smyth.name_new,
        smyth.rank_new,
        smyth.status,
    ) == ("Harv Smyth", "Air Chief Marshal", "changed")


# --- properties ----------------------------------------------------------------------------

printable = st.characters(categories=("L", "M", "N", "P", "S", "Zs"))
fragments = st.sampled_from(
    [
        "Air Vice-Marshal ",
        "Gen. ",
        "Harvey Smyth",
        ", Director of ",
        "said:",
        " in Toulouse",
        " at ",
        "Defence Space Strategy",
        " 2021 ",
        "U.S.",
        "’s ",
        "-",
        "threat",
        "remain committed",
        "May ",
        "\n\n",
        ". ",
        ", ",
    ]
)
texts = st.one_of(
    st.text(printable, max_size=300),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
    st.lists(st.one_of(fragments, st.text(printable, max_size=12)), max_size=40).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_never_raises_and_is_deterministic(text: str) -> None:
    """Any text can be analysed, twice to the same result, and compared."""
    first = analyse_language(text)
    assert isinstance(first, Language)
    assert first == analyse_language(text)
    assert first.words >= sum(c for _, c in first.vocabulary) >= 0
    for person in first.people:
        assert isinstance(person, Person)
        assert text[person.sentence.start : person.sentence.end] == person.sentence.text
    change = compare_language(first, first)
    assert isinstance(change, LanguageChange)
    assert change.term_shifts == ()


@settings(max_examples=100, deadline=None)
@given(texts, texts)
def test_compare_any_two_texts(old_text: str, new_text: str) -> None:
    """Any two texts compare; every shift's direction agrees with the two rates.

    (Not necessarily with the log ratio's sign: with the 0.5 correction for a zero
    count, in texts of a handful of words, the two can disagree.)
    """
    change = compare_language(analyse_language(old_text), analyse_language(new_text))
    for shift in change.term_shifts:
        assert shift.g2 > 0
        if shift.direction == "more":
            assert shift.new_per_1000 >= shift.old_per_1000
        else:
            assert shift.direction == "less"
            assert shift.new_per_1000 <= shift.old_per_1000


# --- phrase lists without one large regular expression ----------------------------------

# Pieces of text around the phrases: separators, punctuation, letters, digits, a year.
text_pieces = st.sampled_from(
    [" ", "  ", "-", "\u2010", "\u2011", "\t", "\n", ".", ",", "x", "_", "9", "é", "(", "2021 "]
)


phrase_lists = st.lists(
    st.one_of(
        st.sampled_from(
            [
                *("Gen", "Gen.", "Lt Gen.", "Lt. Gen.", "Air Vice-Marshal", "Air Vice", "(US)"),
                *("Vice", "d'Or", "Marshal", "x", "2021", "Lt.-Gen.", "Lt"),
            ]
        ),
        st.text(st.sampled_from("GLtVen.(x"), min_size=1, max_size=4),
    ),
    max_size=6,
)
# Phrases made only of separators: empty alternatives (rare in the draws).
separator_only = st.sampled_from([(), (), (), (), ("-",), (" - ", "\u2010")])


@settings(max_examples=500, deadline=None)
@given(
    phrase_lists,
    separator_only,
    st.data(),
    st.sampled_from([r"\w\-.", r"\w\-"]),
    st.booleans(),
)
def test_phrase_matcher_finds_what_the_alternation_finds(
    listed: list[str],
    separators: tuple[str, ...],
    data: st.DataObject,
    not_before: str,
    years: bool,
) -> None:
    """The phrase matcher's matches are those of the regular expression it stands for.

    That is the alternation of the phrases (longest first, white space and hyphens
    interchangeable), after a look-behind and before ``(?![\\w\\-])``, with a year
    before or after when asked; an empty list or one of only separators finds nothing.
    """
    phrases = [*listed, *separators]
    # The text: the phrases themselves (some with their separators changed, some with
    # a year) and pieces.
    variants = [
        *phrases,
        *(p.replace(" ", "-").replace("-", " \u2011") for p in phrases),
        *(f"2021 {p}" for p in phrases),
        *(f"{p} 1999" for p in phrases),
    ]
    pieces = st.one_of(st.sampled_from(variants), text_pieces) if phrases else text_pieces
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    alt = alternation(phrases)
    core = rf"(?P<pre>{YEAR_PRE})?(?P<core>{alt})(?P<post>{YEAR_POST})?" if years else alt
    matcher = PhraseMatcher(phrases, not_before, years=years)
    assert bool(matcher) == bool(alt)
    if not alt:
        return
    regex = re.compile(rf"(?<![{not_before}])(?:{core})(?![\w\-])")
    expected = [
        (m.start(), m.end(), *((m.start("core"), m.end("core")) if years else m.span()))
        for m in regex.finditer(text)
    ]
    assert list(matcher.finditer(text)) == expected


def test_phrase_matcher_examples() -> None:
    """Separators are interchangeable, the longest phrase wins, a year belongs to a name."""
    ranks = PhraseMatcher(["Gen.", "Lt Gen.", "Air Vice-Marshal"], r"\w\-.")
    text = "Lt-Gen. Burt met Air Vice  Marshal Smyth and Gen. Whiting, not xGen. or Gen.-x."
    assert [text[s:e] for s, e, _, _ in ranks.finditer(text)] == [
        "Lt-Gen.",
        "Air Vice  Marshal",
        "Gen.",
    ]
    documents = PhraseMatcher(["Integrated Review"], r"\w\-", years=True)
    text = "the 2021 Integrated Review and Integrated Review 2023x"
    assert [(text[s:e], text[c:d]) for s, e, c, d in documents.finditer(text)] == [
        ("2021 Integrated Review", "Integrated Review"),
        ("Integrated Review", "Integrated Review"),
    ]


def test_import_compiles_no_regular_expressions() -> None:
    """Importing the module compiles nothing: patterns and the profile wait for first use."""
    code = (
        "import cspo_archive.analysis.language as m\n"
        "from cspo_archive._lazy_re import LazyPattern\n"
        "patterns = [v for v in vars(m).values() if isinstance(v, LazyPattern)]\n"
        "assert len(patterns) >= 15\n"
        "assert not any(p.is_compiled for p in patterns)\n"
        "from cspo_archive.analysis import _document, _profile\n"
        "assert _profile._load.cache_info().currsize == 0\n"
        "m.analyse_language('General Robert Smith, Commander Space Command, said so.')\n"
        "assert _document._word_re.is_compiled and m._name_re.is_compiled\n"
    )
    python_output(code)
