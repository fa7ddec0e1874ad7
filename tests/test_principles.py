"""Principles: the taxonomy, its pattern language, extraction with evidence, and comparison."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

import _principles_oracles as oracles
from cspo_archive import Archive
from cspo_archive.analysis._principles_engine import fold
from cspo_archive.analysis._profile import Profile, _load, load_profile
from cspo_archive.analysis.principles import (
    Commitment,
    Principle,
    Principles,
    PrinciplesChange,
    Taxonomy,
    compare_principles,
    compile_phrasing,
    extract_principles,
)
from cspo_archive.exceptions import ArchiveFormatError
from cspo_archive.profiles import load_table

NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
JOINT_2025 = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
BUNDLED = {"news_2022": NEWS_2022, "joint_2025": JOINT_2025, "news_2025": NEWS_2025}

GUIDING = {"freedom-of-use", "responsible-use", "partnering-sovereignty", "international-law"}


def bundled_text(snapshot_id: str) -> str:
    """The text of a bundled snapshot."""
    return Archive.bundled().get(snapshot_id).text


def ids(text: str) -> set[str]:
    """The ids of the principles *text* states."""
    return {hit.principle.id for hit in extract_principles(text).hits}


def as_data(principles: Principles) -> dict[str, Any]:
    """An extraction as plain data for ``data_regression``."""
    return {
        "taxonomy_version": principles.taxonomy_version,
        "hits": [
            {
                "id": hit.principle.id,
                "count": hit.count,
                "evidence": [
                    {"sentence": sentence.index, "match": match, "text": sentence.text}
                    for sentence, match in zip(hit.evidence, hit.matches, strict=True)
                ],
            }
            for hit in principles.hits
        ],
        "unclassified": [
            {"sentence": c.sentence.index, "marker": c.marker, "text": c.sentence.text}
            for c in principles.unclassified
        ],
    }


def change_data(change: PrinciplesChange) -> dict[str, Any]:
    """A comparison as plain data for ``data_regression``."""
    return {
        "changes": [
            {
                "id": c.principle.id,
                "status": c.status,
                "old_count": c.old_count,
                "new_count": c.new_count,
                "old_evidence": [s.text for s in c.old_evidence],
                "new_evidence": [s.text for s in c.new_evidence],
            }
            for c in change.changes
        ],
        "new_unclassified": [c.sentence.text for c in change.new_unclassified],
    }


def small_profile(**entry: Any) -> dict[str, Any]:
    """A profile with one principle (fields overridable) and one marker."""
    principle: dict[str, Any] = {
        "id": "deterrence",
        "label": "Deterrence",
        "group": "commitment",
        "description": "Deterring hostile activities.",
        "phrasings": ["deter(|s|red|ring|rence)"],
    }
    principle.update(entry)
    return {
        "principles": {
            "version": "test-1",
            "principle": [principle],
            "commitment_markers": {"phrasings": ["remain committed"]},
        }
    }


def taxonomy(profile: dict[str, Any]) -> Taxonomy:
    """The principles section of *profile* (given a [profile] header), built as
    any profile is."""
    return Profile.from_table({"profile": {"name": "test", "version": "1"}, **profile}).principles


def load_taxonomy() -> tuple[Principle, ...]:
    """The bundled profile's principles."""
    return load_profile().principles.principles


# --- the taxonomy ------------------------------------------------------------------


def test_taxonomy_has_the_four_guiding_principles_first() -> None:
    """The four Vision 2031 guiding principles come first, labelled as in the Vision."""
    taxonomy = load_taxonomy()
    guiding = [p for p in taxonomy if p.group == "guiding-principle"]
    assert [p.label for p in guiding] == [
        "Freedom of use of space",
        "Responsible and sustainable use of space",
        "Partnering while upholding sovereignty",
        "Upholding international law",
    ]
    assert taxonomy[:4] == tuple(guiding)
    assert {p.id for p in guiding} == GUIDING


def test_taxonomy_has_the_recurring_commitments() -> None:
    """Every commitment the brief names is an entry of the taxonomy, with a description."""
    taxonomy = {p.id: p for p in load_taxonomy()}
    for principle_id in (
        "protect-and-defend",
        "prevent-conflict",
        "deterrence",
        "cooperation-coordination",
        "interoperability",
        "resilience-mission-assurance",
        "information-sharing",
        "opposing-threatening-activities",
        "arms-control",
    ):
        assert taxonomy[principle_id].group == "commitment"
        assert taxonomy[principle_id].description


def test_taxonomy_is_the_profile_table() -> None:
    """The default taxonomy is the ``[principles]`` table of the bundled profile."""
    table = load_table("cspo")["principles"]
    assert [p.id for p in load_taxonomy()] == [e["id"] for e in table["principle"]]
    assert extract_principles("").taxonomy_version == table["version"]


# --- phrasings ---------------------------------------------------------------------

EXPECTED = [
    # Inflections and word orders of protect and defend.
    ("Partners will protect and defend their satellites.", {"protect-and-defend"}),
    ("We are defending and protecting our space systems.", {"protect-and-defend"}),
    ("It calls for the protection and defence of space assets.", {"protect-and-defend"}),
    ("It supports the protection and defense of allied satellites.", {"protect-and-defend"}),
    ("The nations must defend against hostile space activities.", {"protect-and-defend"}),
    ("They reaffirm their determination to protect and defend.", {"protect-and-defend"}),
    # Deterrence, never "determination".
    ("The partners aim to deter aggression in orbit.", {"deterrence"}),
    ("Allies seek to strengthen deterrence.", {"deterrence"}),
    ("Deterring hostile behavior is a shared goal.", {"deterrence"}),
    ("Space forces deterred attacks on satellites.", {"deterrence"}),
    # Guiding principles as other governments write them.
    (
        "Participants reaffirmed the principles of Freedom of Use of Space, Responsible "
        "and Sustainable Use of Space, Partnering While Upholding Sovereignty, and "
        "Upholding International Law.",
        GUIDING,
    ),
    ("All nations must keep the freedom to access and use outer space.", {"freedom-of-use"}),
    ("They promote responsible behaviors in outer space.", {"responsible-use"}),
    ("Partners act as responsible spacefaring nations.", {"responsible-use"}),
    ("We work with partners while respecting national sovereignty.", {"partnering-sovereignty"}),
    ("Operations will be consistent with international law.", {"international-law"}),
    ("They recalled the UN Charter and the Outer Space Treaty.", {"international-law"}),
    # Mission and recurring commitments.
    (
        "The initiative seeks to improve cooperation, coordination, and interoperability "
        "opportunities to sustain freedom of action in space, optimize resources, enhance "
        "mission assurance and resilience, and prevent conflict.",
        {
            "cooperation-coordination",
            "interoperability",
            "freedom-of-action",
            "optimise-resources",
            "resilience-mission-assurance",
            "prevent-conflict",
        },
    ),
    # A topic of discussion is not a stance (issue 13): nothing is stated here.
    ("Leaders discussed ways to reduce the risk of miscalculation.", set()),
    ("Leaders agreed to reduce the risk of miscalculation.", {"prevent-conflict"}),
    ("They support de-escalation in times of crisis.", {"prevent-conflict"}),
    ("Partners co-operate closely.", {"cooperation-coordination"}),
    ("Interoperable architectures were the focus.", {"interoperability"}),
    ("Intelligence-sharing among the partners deepened.", {"information-sharing"}),
    ("The nations will share information on threats.", {"information-sharing"}),
    (
        "The Principals oppose activities that threaten operations in, from, to, and "
        "through space.",
        {"opposing-threatening-activities"},
    ),
    (
        "They committed not to conduct destructive, direct-ascent anti-satellite missile tests.",
        {"arms-control"},
    ),
    ("Placing nuclear weapons in orbit would be unacceptable.", {"arms-control"}),
    ("They support efforts to prevent an arms race in outer space.", {"arms-control"}),
    ("Partners improved space domain awareness.", {"shared-understanding"}),
    ("They seek a common understanding of threats.", {"shared-understanding"}),
    (
        "Partners want a safe, secure, stable and sustainable space environment.",
        {"safe-secure-domain", "responsible-use"},
    ),
    ("Partners will keep space safe for everyone.", {"safe-secure-domain"}),
    (
        "The nations seek to ensure that outer space remains a safe, stable, secure and "
        "sustainable domain for all.",
        {"safe-secure-domain", "responsible-use"},
    ),
    (
        "CSpO nations are determined to protect and defend their space-based assets.",
        {"protect-and-defend"},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), EXPECTED)
def test_phrasings_find_exactly_the_expected_principles(sentence: str, expected: set[str]) -> None:
    """Each sentence states exactly the expected principles: no more, no fewer."""
    assert expected == ids(sentence)


NOTHING = [
    "They reaffirm their determination to continue.",
    "The result is deterministic.",
    "Conditions in orbit deteriorated.",
    "The Ministry of Defence will protect the UK's national interests.",
    "An additional investment in Defence Space will protect national interests.",
    "The Department of Defense released a budget.",
    "Such actions could lead to escalation due to miscalculation.",
    "They face increasingly irresponsible and hostile behaviors.",
    "Two international lawyers attended.",
    "They support the sovereignty and territorial integrity of Ukraine.",
    "The ministry is responsible for the space budget.",
    "Operations in, from, to and through space continued.",
    "We presented a shared vision and shared objectives.",
    "Information security matters.",
    "The coordinates of the satellite were published.",
    "Uncoordinated manoeuvres are a hazard.",
    "Sustainable growth in the space industry is welcome.",
    "A stable cyber environment helps.",
    "Self-defence is an inherent right.",
]


@pytest.mark.parametrize("sentence", NOTHING)
def test_phrasings_do_not_fire_on_lookalikes(sentence: str) -> None:
    """Lookalike words and descriptions of threats state no principle."""
    assert ids(sentence) == set()


def test_lookalike_cooperation_sentence_is_cooperation_only() -> None:
    """'Cooperation on international law enforcement' is cooperation, not international law."""
    assert ids("Cooperation on international law enforcement was discussed.") == {
        "cooperation-coordination"
    }


def test_evidence_quotes_the_matched_phrase_and_the_sentence() -> None:
    """Each hit keeps the matched phrase and the sentence with its offsets into the text."""
    text = "Intro line.\n\nThe partners will deter hostile activities. They met."
    hit = extract_principles(text).get("deterrence")
    assert hit is not None
    assert hit.matches == ("deter hostile activities",)
    (sentence,) = hit.evidence
    assert sentence.text == "The partners will deter hostile activities."
    assert text[sentence.start : sentence.end] == sentence.text
    assert (sentence.index, sentence.paragraph) == (1, 1)
    assert hit.count == 1


def test_every_stating_sentence_is_evidence_in_text_order() -> None:
    """A principle stated in several sentences lists them all, in order."""
    text = "We deter. Nothing here. Deterrence matters. They deterred."
    hit = extract_principles(text).get("deterrence")
    assert hit is not None
    assert [s.text for s in hit.evidence] == ["We deter.", "Deterrence matters.", "They deterred."]
    assert hit.matches == ("deter", "Deterrence", "deterred")


def test_get_returns_none_for_absent_principles() -> None:
    """``Principles.get`` is ``None`` for a principle the text does not state."""
    principles = extract_principles("Partners will deter aggression.")
    assert principles.get("arms-control") is None
    assert principles.get("no-such-principle") is None


def test_hits_follow_taxonomy_order() -> None:
    """Hits come in taxonomy order, whatever the order of the text."""
    order = [p.id for p in load_taxonomy()]
    principles = extract_principles(
        "We prevent an arms race in outer space. We deter aggression. We uphold international law."
    )
    found = [hit.principle.id for hit in principles.hits]
    assert found == sorted(found, key=order.index)
    assert found == ["international-law", "deterrence", "arms-control"]


# --- unclassified commitments ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "marker"),
    [
        ("The nations will not stand by in the face of threats.", "will not stand by"),
        ("Leaders remain committed to a new lunar charter.", "remain committed"),
        (
            "They reiterated their commitment to the new lunar charter.",
            "reiterated their commitment",
        ),
        ("They pledged to fund a common training centre.", "pledged"),
        ("The partners agreed to hold an exercise every year.", "agreed to"),
        ("They resolved to meet again in Oslo.", "resolved to"),
        ("The Board reaffirmed the Vision.", "reaffirmed"),
    ],
)
def test_commitments_without_a_principle_are_unclassified(sentence: str, marker: str) -> None:
    """A commitment that states no known principle is kept, with its marker."""
    principles = extract_principles(sentence)
    assert principles.hits == ()
    (commitment,) = principles.unclassified
    assert commitment == Commitment(commitment.sentence, marker)
    assert commitment.sentence.text == sentence


def test_commitment_with_a_principle_is_only_a_hit() -> None:
    """A sentence with a marker and a principle is a hit, not unclassified."""
    principles = extract_principles("Leaders remain committed to deterring aggression.")
    assert [hit.principle.id for hit in principles.hits] == ["deterrence"]
    assert principles.unclassified == ()


def test_sentences_without_a_marker_are_ignored() -> None:
    """Plain sentences are neither hits nor commitments."""
    principles = extract_principles("The Board met in Toulouse. It was cold.")
    assert principles.hits == ()
    assert principles.unclassified == ()


# --- the bundled publications ------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_extraction_bundled(name: str, data_regression: DataRegressionFixture) -> None:
    """The principles of each bundled publication, with evidence, are locked."""
    data_regression.check(as_data(extract_principles(bundled_text(BUNDLED[name]))))


def test_comparison_2022_to_joint_statement(data_regression: DataRegressionFixture) -> None:
    """2022 news story to the 2025 joint statement, locked."""
    old = extract_principles(bundled_text(NEWS_2022))
    new = extract_principles(bundled_text(JOINT_2025))
    data_regression.check(change_data(compare_principles(old, new)))


def test_comparison_2022_to_2025_news(data_regression: DataRegressionFixture) -> None:
    """2022 news story to the 2025 news story, locked."""
    old = extract_principles(bundled_text(NEWS_2022))
    new = extract_principles(bundled_text(NEWS_2025))
    data_regression.check(change_data(compare_principles(old, new)))


def test_joint_statement_adds_law_and_opposition_and_drops_deterrence() -> None:
    """International law and opposing threatening activities are new in the joint
    statement; deterrence is gone from it; the shared commitments stay (and
    interoperability, which the 2022 story only names as a topic discussed, is new)."""
    change = compare_principles(
        extract_principles(bundled_text(NEWS_2022)), extract_principles(bundled_text(JOINT_2025))
    )
    added = {c.principle.id for c in change.added}
    dropped = {c.principle.id for c in change.dropped}
    both = {c.principle.id for c in change.retained + change.reworded}
    assert {"international-law", "opposing-threatening-activities"} <= added
    assert "deterrence" in dropped
    assert {
        "responsible-use",
        "protect-and-defend",
        "prevent-conflict",
        "resilience-mission-assurance",
        "information-sharing",
    } <= both
    assert "interoperability" in added
    assert [c.sentence.text for c in change.new_unclassified] == [
        "The CSpO Initiative nations will not stand by in the face of increasing space threats."
    ]


def test_2025_news_story_states_deterrence_and_arms_control() -> None:
    """The 2025 news story deters hostile behaviour and states arms control ("an arms
    race"); "the potential deployment of nuclear weapons in space" is a threat it
    names, not a stance, so it is not evidence."""
    principles = extract_principles(bundled_text(NEWS_2025))
    deterrence = principles.get("deterrence")
    assert deterrence is not None
    assert deterrence.matches == (
        "enhance deterrence",
        "deter hostile behaviour",
        "deterring hostile behaviour",
    )
    arms = principles.get("arms-control")
    assert arms is not None
    assert arms.matches == ("arms race",)
    assert principles.get("cooperation-coordination") is not None


# --- comparison --------------------------------------------------------------------


def test_compare_statuses_on_small_texts() -> None:
    """Added, dropped, retained and reworded, each on its own principle."""
    old = extract_principles(
        "We deter aggression. We uphold international law. Partners share information."
    )
    new = extract_principles(
        "We uphold international law. Partners exchange data with allies. We improve resilience."
    )
    change = compare_principles(old, new)
    status = {c.principle.id: c.status for c in change.changes}
    assert status == {
        "international-law": "retained",
        "deterrence": "dropped",
        "information-sharing": "reworded",
        "resilience-mission-assurance": "added",
    }
    assert [c.principle.id for c in change.changes] == [
        "international-law",
        "deterrence",
        "resilience-mission-assurance",
        "information-sharing",
    ]
    (reworded,) = change.reworded
    assert [s.text for s in reworded.old_evidence] == ["Partners share information."]
    assert [s.text for s in reworded.new_evidence] == ["Partners exchange data with allies."]
    assert (reworded.old_count, reworded.new_count) == (1, 1)
    (dropped,) = change.dropped
    assert (dropped.new_evidence, dropped.new_count, dropped.old_count) == ((), 0, 1)


def test_compare_counts_a_second_sentence_and_keeps_it_retained() -> None:
    """The same sentence plus another one stating the principle: retained (the
    stating clause is unchanged), with both counts kept."""
    old = extract_principles("We deter aggression.")
    new = extract_principles("We deter aggression. Deterrence is key.")
    (change,) = compare_principles(old, new).changes
    assert (change.status, change.old_count, change.new_count) == ("retained", 1, 2)


def test_compare_ignores_white_space_runs() -> None:
    """Evidence differing only in runs of white space is retained."""
    old = extract_principles("We  deter   aggression.")
    new = extract_principles("We deter aggression.")
    assert [c.status for c in compare_principles(old, new).changes] == ["retained"]


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_compare_with_itself_retains_everything(name: str) -> None:
    """A text compared with itself: everything retained, nothing else."""
    principles = extract_principles(bundled_text(BUNDLED[name]))
    change = compare_principles(principles, principles)
    assert len(change.retained) == len(principles.hits) > 0
    assert change.added == change.dropped == change.reworded == ()
    assert change.new_unclassified == ()


def test_new_unclassified_are_only_the_new_commitments() -> None:
    """Unclassified commitments already in the old text are not reported as new."""
    old = extract_principles("They pledged to meet yearly.")
    new = extract_principles("They pledged to meet yearly. They vowed to build a lunar base.")
    change = compare_principles(old, new)
    assert [c.sentence.text for c in change.new_unclassified] == [
        "They vowed to build a lunar base."
    ]
    assert change.changes == ()


# --- the pattern language ----------------------------------------------------------


@pytest.mark.parametrize(
    ("phrasing", "matching", "not_matching"),
    [
        ("deter(|s|red)", ["deter", "Deters", "deterred"], ["determination", "deterring"]),
        ("interoperab*", ["interoperable", "interoperability"], ["interop"]),
        ("threats?", ["threat", "threats"], ["threatened"]),
        ("defen(c|s)e", ["defence", "defense"], ["defences", "self-defence"]),
        ("co-operation", ["cooperation", "co-operation", "co operation"], ["coop"]),
        ("{UN|United Nations} Charter", ["UN Charter", "United Nations  Charter"], ["UN"]),
        ("arms race in [outer] space", ["arms race in space", "arms race in outer space"], []),
        ("of [the] space [domain|environment]", ["of space", "of the space domain"], []),
        ("prevent* ~2 escalation", ["prevent escalation", "preventing further escalation"], []),
        ("protect* <3> defend*", ["protect and defend", "defending and, protecting"], []),
        ("nation's", ["nation's", "nation’s"], ["nations"]),
    ],
)
def test_pattern_language(phrasing: str, matching: list[str], not_matching: list[str]) -> None:
    """Each construct of the pattern language matches what its documentation says."""
    regex = re.compile(compile_phrasing(phrasing), re.IGNORECASE)
    for text in matching:
        assert regex.fullmatch(text), (phrasing, text)
    for text in not_matching:
        assert not regex.search(text), (phrasing, text)


def test_gap_limits_the_words_between() -> None:
    """``~N`` allows at most N words between its neighbours, and only in order."""
    regex = re.compile(compile_phrasing("prevent ~2 escalation"), re.IGNORECASE)
    assert regex.search("prevent any further escalation")
    assert not regex.search("prevent any sort of escalation")
    assert not regex.search("escalation we prevent")


@pytest.mark.parametrize(
    ("phrasing", "complaint"),
    [
        ("deter{", "never closed"),
        ("{deter|}", "empty"),
        ("a [b", "never closed"),
        ("[a] b", "must begin"),
        ("~2 a", "must begin"),
        ("a ~2", "not at the end"),
        ("a ~2 ~3 b", "two gaps"),
        ("a ~0 b", "from 1 to 20"),
        ("a ~99 b", "from 1 to 20"),
        ("a <2> b <2> c", "at most once"),
        ("{a <2> b}", "top level"),
        ("a | b", "only inside"),
        ("a } b", "nothing open"),
        ("de$ter", "unexpected '$'"),
        ("s?", "match nothing"),
        ("-ter", "must begin with a letter"),
        ("", "empty"),
    ],
)
def test_invalid_phrasings_are_explained(phrasing: str, complaint: str) -> None:
    """An invalid phrasing is refused with a message that says what is wrong."""
    with pytest.raises(ValueError, match=re.escape(complaint)):
        compile_phrasing(phrasing)


# --- taxonomy validation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"phrasings": ["deter{"]}, "phrasings #1 'deter{' is not a valid pattern"),
        ({"phrasings": []}, "'phrasings' is empty"),
        ({"phrasings": "deter"}, "must be a list of pattern strings"),
        ({"exclude": ["a ~"]}, "exclude #1 'a ~' is not a valid pattern"),
        ({"label": None}, "'label' must be a non-empty string (got nothing); add label"),
        ({"label": "  "}, "'label' must be a non-empty string"),
        ({"description": 3}, "'description' must be a non-empty string (got 3 that is a int)"),
        ({"id": "Deter Rence"}, "is not a slug"),
        ({"group": "value"}, "group 'value' is not 'guiding-principle' or 'commitment'"),
    ],
)
def test_invalid_entries_raise_archive_format_error(change: dict[str, Any], complaint: str) -> None:
    """A bad taxonomy entry raises ArchiveFormatError naming the entry and the fix."""
    with pytest.raises(ArchiveFormatError) as info:
        taxonomy(small_profile(**change))
    assert complaint in str(info.value)
    assert "[[principles.principle]] #1" in str(info.value)


def test_duplicate_ids_are_refused() -> None:
    """Two entries with one id: the second is named, with the first."""
    profile = small_profile()
    entries = profile["principles"]["principle"]
    entries.append(copy.deepcopy(entries[0]))
    with pytest.raises(ArchiveFormatError, match=r"#2 \('deterrence'\): duplicate id.*#1"):
        taxonomy(profile)


@pytest.mark.parametrize(
    ("profile", "complaint"),
    [
        ({}, "no [principles] table"),
        ({"principles": {"principle": []}}, "'version' must be a non-empty string"),
        ({"principles": {"version": "1"}}, "no [[principles.principle]] entries"),
        ({"principles": {"version": "1", "principle": ["x"]}}, "must be a table"),
    ],
)
def test_invalid_tables_raise_archive_format_error(profile: dict[str, Any], complaint: str) -> None:
    """A profile without a usable [principles] table is refused, saying why."""
    with pytest.raises(ArchiveFormatError) as info:
        extract_principles("text", taxonomy(profile))
    assert complaint in str(info.value)


def test_bad_markers_are_refused() -> None:
    """Commitment markers are validated like phrasings."""
    profile = small_profile()
    profile["principles"]["commitment_markers"] = {"phrasings": ["{oops"]}
    with pytest.raises(ArchiveFormatError, match=r"commitment_markers\]: phrasings #1"):
        taxonomy(profile)


def test_custom_profile_with_same_version_is_not_confused() -> None:
    """Two taxonomies with one version string but different phrasings give their own results."""
    first = small_profile()
    second = small_profile(phrasings=["aggression"])
    assert [
        h.matches for h in extract_principles("We deter aggression.", taxonomy(first)).hits
    ] == [("deter",)]
    assert [
        h.matches for h in extract_principles("We deter aggression.", taxonomy(second)).hits
    ] == [("aggression",)]


def test_custom_profile_without_markers_has_no_unclassified() -> None:
    """Commitment markers are optional."""
    profile = small_profile()
    del profile["principles"]["commitment_markers"]
    assert extract_principles("They remain committed.", taxonomy(profile)).unclassified == ()
    assert taxonomy(profile).principles == (
        Principle("deterrence", "Deterrence", "commitment", "Deterring hostile activities."),
    )


def test_taxonomy_is_compiled_once_and_not_at_import() -> None:
    """Importing reads no profile; the first use builds the bundled one; later uses reuse it."""
    code = (
        "import cspo_archive.analysis.principles as p\n"
        "from cspo_archive.analysis._profile import _load\n"
        "print(_load.cache_info().currsize)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0"
    extract_principles("first")
    before = _load.cache_info()
    extract_principles("second")
    after = _load.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


# --- robustness --------------------------------------------------------------------

#: Any character Python can encode (no surrogates), controls included.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=400)
#: Text built from the vocabulary the phrasings look for, to exercise the matchers.
_WORDS = (
    "deter deterrence determination protect defend defence and of the space in from to "
    "through oppose activities threaten international law responsible actors safe secure "
    "sustainable - , . ; – ’ ( ) remain committed will not stand by"
).split()
vocabulary = st.lists(st.sampled_from([*_WORDS, " ", "\n", "\n\n"]), max_size=80).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(any_text, vocabulary))
def test_extraction_never_raises_and_is_deterministic(text: str) -> None:
    """Any text is accepted; the same text gives the same result; evidence is in the text."""
    first = extract_principles(text)
    assert first == extract_principles(text)
    for hit in first.hits:
        assert hit.count == len(hit.matches) > 0
        for sentence, match in zip(hit.evidence, hit.matches, strict=True):
            assert text[sentence.start : sentence.end] == sentence.text
            assert match in sentence.text
    for commitment in first.unclassified:
        assert commitment.marker in commitment.sentence.text
    change = compare_principles(first, first)
    assert change.added == change.dropped == change.reworded == ()


# --- the matcher: same results as one regular expression per matcher -------------


def _reference(phrasings: list[str]) -> re.Pattern[str]:
    """The single regular expression a matcher used to be: every phrasing in one
    alternation, behind one word-start check."""
    from cspo_archive.analysis import _principles_engine as engine

    parsed = [engine.Parser(phrasing).parse() for phrasing in phrasings]
    combined = "|".join(f"(?:{regex})" for regex, _ in parsed)
    return re.compile(f"{engine.WORD_START}(?:{combined})", re.IGNORECASE)


def _reference_find(
    pattern: re.Pattern[str], exclude: re.Pattern[str] | None, text: str
) -> str | None:
    """What the single-regex matcher found: the first match no exclusion overlaps."""
    excluded = [m.span() for m in exclude.finditer(text)] if exclude is not None else []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start, end = match.span()
        if not any(start < x_end and x_start < end for x_start, x_end in excluded):
            return match.group(0)
        position = start + 1
    return None


def _bundled_matchers() -> list[tuple[list[str], list[str]]]:
    """(phrasings, exclusions) of every principle of the bundled taxonomy, then the markers."""
    table = load_table("cspo")["principles"]
    entries = [*table["principle"], table["commitment_markers"]]
    return [(entry["phrasings"], entry.get("exclude", [])) for entry in entries]


_REFERENCES = [
    (_reference(phrasings), _reference(exclude) if exclude else None)
    for phrasings, exclude in _bundled_matchers()
]
#: The taxonomy's own words (and their stems' tails), so generated sentences match often.
_TAXONOMY_WORDS = sorted(
    {
        word
        for phrasings, exclude in _bundled_matchers()
        for phrasing in [*phrasings, *exclude]
        for word in re.findall(r"[A-Za-z]+", phrasing)
    }
)
_SEPARATORS = [" ", " ", " ", ", ", "-", " - ", "\u2010", "'", "\u2019", "  ", "_", "; ", "\u2013"]
#: Letters a regex ignoring case takes for others (dotted and dotless i, long s, Kelvin
#: sign, the sigmas, micro sign and mu), and two plain ones.
_ODD = "\u0130\u0131\u017f\u212a\u03c3\u03c2\u03a3\u00b5\u03bc\u00e92"
_odd_letters = st.sampled_from(_ODD)
_words = st.one_of(
    st.sampled_from(_TAXONOMY_WORDS),
    st.sampled_from(["ing", "ed", "s", "es", "ion", "ly", "the", "and", "of", "outer", "de"]),
    st.sampled_from(_TAXONOMY_WORDS).map(str.upper),
    st.sampled_from(_TAXONOMY_WORDS).map(str.title),
    st.tuples(st.sampled_from(_TAXONOMY_WORDS), _odd_letters).map("".join),
    st.sampled_from(_TAXONOMY_WORDS).map(lambda w: w.replace("s", "\u017f").replace("i", "\u0130")),
)
_sentences = st.lists(
    st.tuples(_words, st.sampled_from(_SEPARATORS)).map("".join), min_size=1, max_size=14
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_sentences)
def test_matchers_agree_with_one_regex_per_matcher(sentence: str) -> None:
    """Each matcher finds what the single alternation of its phrasings (and of its
    exclusions) finds, on its own and when the whole taxonomy reads the sentence."""
    compiled = load_profile().principles
    matchers = [*compiled.matchers, compiled.markers]
    found, marker = oracles.scan(compiled, sentence, markers=True)
    for matcher, (pattern, exclude), together in zip(
        matchers, _REFERENCES, [*found, marker], strict=True
    ):
        assert matcher is not None
        expected = _reference_find(pattern, exclude, sentence)
        assert oracles.find(matcher, sentence) == expected, sentence
        assert together == expected, sentence


def test_matchers_agree_on_the_bundled_sentences() -> None:
    """On every sentence of the bundled publications, each matcher finds what the
    single alternation of its phrasings finds: on its own, and bound to the whole
    text (the phrasings left out there are the ones whose words the text lacks)."""
    from cspo_archive.analysis._sentences import split_sentences

    compiled = load_profile().principles
    matchers = [*compiled.matchers, compiled.markers]
    for snapshot_id in BUNDLED.values():
        text = bundled_text(snapshot_id)
        bound, bound_markers = compiled.bind(fold(text))
        for sentence in split_sentences(text):
            found, marker = oracles.scan(compiled, sentence.text, markers=True)
            for matcher, in_text, (pattern, exclude), together in zip(
                matchers, [*bound, bound_markers], _REFERENCES, [*found, marker], strict=True
            ):
                assert matcher is not None
                expected = _reference_find(pattern, exclude, sentence.text)
                assert oracles.find(matcher, sentence.text) == together == expected
                assert (in_text.find(sentence.text) if in_text else None) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("abisk2'\u2019-\u2010?()|"), min_size=1, max_size=12),
    st.booleans(),
)
def test_empty_word_check_is_the_regex_check(body: str, stem: bool) -> None:
    """A word is refused as matching nothing exactly when its regex matches ''."""
    from cspo_archive.analysis import _principles_engine as engine

    token = body + ("*" if stem else "")
    parsed = engine.token_re().fullmatch(token)
    if parsed is None or parsed.lastgroup != "word":
        return
    regex, pieces = engine.word_regex(token)
    assert oracles.may_be_empty(pieces) == (re.fullmatch(regex, "", re.IGNORECASE) is not None)


def test_fold_covers_every_ascii_equivalent() -> None:
    """Every character a regex ignoring case takes for an ASCII letter or digit folds
    to that letter (checked for every code point), so the pre-filter, which looks
    for ASCII literals in folded text, never misses a match."""
    from cspo_archive.analysis._principles_engine import fold

    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    chars = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    twins = re.findall(f"[{alphabet}]", chars, re.IGNORECASE)
    assert len(twins) > 62
    for char in twins:
        (letter,) = [a for a in alphabet if re.fullmatch(a, char, re.IGNORECASE)]
        assert fold(char) == letter, char
        # Folded on its own, whatever stands beside it.
        assert fold(f"\u03a3{char}\u03c2\u0130") == f"\u03c3{letter}\u03c2i", char


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from("abcikstxyz019"), min_size=1, max_size=5),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.sampled_from("iIsSkKxX\u00ea" + _ODD), max_size=6),
)
def test_folding_keeps_every_case_insensitive_match(literal: str, noise: str, odd: str) -> None:
    """Whatever a regex ignoring case finds for an ASCII literal, the folded text
    holds the literal in lowercase (the test that leaves phrasings out is never wrong)."""
    from cspo_archive.analysis._principles_engine import fold

    for text in (noise + literal.swapcase() + odd, odd + noise, noise + literal.upper()):
        for candidate in (literal, "".join(c for c in odd if c.isascii()) or literal):
            if re.search(re.escape(candidate), text, re.IGNORECASE):
                assert candidate.lower() in fold(text), (candidate, text)


def test_literals_are_ascii_and_what_every_match_holds() -> None:
    """The pre-filter's literals: the longest run of ASCII letters and digits every
    match of a required word holds, lowercase; optional parts, gaps and stems'
    tails add nothing; a non-ASCII letter ends a run; alternatives need one of theirs."""
    from cspo_archive.analysis._principles_engine import Phrasing

    def needs(phrasing: str) -> set[frozenset[str]]:
        return set(Phrasing(phrasing).needs)

    assert needs("Deter* [very] hostile ~2 acts") == {
        frozenset({"deter"}),
        frozenset({"hostile"}),
        frozenset({"acts"}),
    }
    assert needs("co-operation") == {frozenset({"operation"})}
    assert needs("defen(c|s)e") == {frozenset({"defen"})}
    assert needs("{UN|United Nations} Charter") == {
        frozenset({"un", "nations"}),
        frozenset({"charter"}),
    }
    assert needs("d\u00e9fense") == {frozenset({"fense"})}
    assert needs("\u00e9t\u00e9") == {frozenset({"t"})}
    assert needs("\u00e9\u00e9 \u00e0") == set()


def test_phrasings_are_compiled_only_when_the_text_holds_their_words() -> None:
    """A phrasing whose literals are not all in the text is left out, uncompiled;
    one whose literals are there (in any case, or as look-alike letters) is compiled."""
    from cspo_archive.analysis._principles_engine import Matcher, Phrasing

    absent, present = Phrasing("deter hostile"), Phrasing("kiss")
    matcher = Matcher((absent, present), ())
    assert matcher.bind("hostile deeds", {}) is None
    assert oracles.find(matcher, "\u212a\u0130\u017fS") == "\u212a\u0130\u017fS"
    assert present._pattern.is_compiled
    assert not absent._pattern.is_compiled


def test_at_one_position_the_first_phrasing_gives_the_phrase() -> None:
    """Where several phrasings match from the same word, the first listed gives the
    quoted phrase; a later phrasing wins only by starting earlier."""
    profile = small_profile(phrasings=["deter", "deter hostile acts", "hostile acts"])
    hits = extract_principles(
        "We deter hostile acts. Hostile acts we deter.", taxonomy(profile)
    ).hits
    assert [hit.matches for hit in hits] == [("deter", "Hostile acts")]


def test_exclusions_are_found_one_after_another_like_one_regex() -> None:
    """Exclusion matches are found left to right, each search starting after the
    previous match (as one regex's finditer does): a match that overlaps an earlier
    one does not exclude anything."""
    profile = small_profile(phrasings=["gamma"], exclude=["alpha beta", "beta gamma"])
    found = taxonomy(profile)
    assert [hit.matches for hit in extract_principles("alpha beta gamma.", found).hits] == [
        ("gamma",)
    ]
    assert extract_principles("beta gamma.", found).hits == ()


# --- the matcher: any phrasing of the language, against its regular expression -----

#: Letters of the generated phrasings: ASCII ones with look-alikes (i, k, s) and one
#: beyond ASCII (whose literal run the pre-filter cuts).
_LETTERS = "abski\u00e9"


@st.composite
def _pattern_words(draw: st.DrawFn) -> str:
    """A word of the pattern language: letters, hyphens, apostrophes, groups, ``?``
    after any of them, and a final ``*`` (sometimes invalid, like a leading group)."""
    pieces = [draw(st.sampled_from(_LETTERS))] if draw(st.integers(0, 9)) else []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 9))
        if kind < 5:
            piece = draw(st.sampled_from(_LETTERS))
        elif kind < 7:
            piece = draw(st.sampled_from("-\u2010'\u2019"))
        else:
            option = st.text(st.sampled_from(_LETTERS + "-'"), max_size=2)
            piece = "(" + "|".join(draw(st.lists(option, min_size=1, max_size=3))) + ")"
        pieces.append(piece + ("?" if draw(st.integers(0, 4)) == 0 else ""))
    return "".join(pieces) + ("*" if draw(st.integers(0, 6)) == 0 else "")


def _pattern_sequences(depth: int, top: bool) -> st.SearchStrategy[str]:
    """A sequence of terms: words, ``{...}``, ``[...]``, gaps and (at the top) ``<N>``."""
    term = (
        st.one_of(_pattern_words(), _pattern_alternatives(depth + 1).map("{{{}}}".format))
        if depth < 2
        else _pattern_words()
    )
    step = st.one_of(
        term,
        st.integers(1, 3).map("~{}".format),
        *([_pattern_alternatives(depth + 1).map("[{}]".format)] if depth < 2 else []),
    )

    @st.composite
    def sequence(draw: st.DrawFn) -> str:
        parts = [draw(term), *draw(st.lists(step, max_size=3))]
        if top and draw(st.integers(0, 4)) == 0:
            parts.insert(draw(st.integers(1, len(parts))), f"<{draw(st.integers(1, 3))}>")
        return " ".join(parts)

    return sequence()


def _pattern_alternatives(depth: int) -> st.SearchStrategy[str]:
    return st.lists(_pattern_sequences(depth, top=False), min_size=1, max_size=3).map("|".join)


_phrasings = _pattern_sequences(0, top=True)
#: Sentences of the phrasings' letters, with every kind of separator the engine
#: treats specially: the three hyphens, both apostrophes, white space of several
#: kinds, the underscore (a word character), other punctuation, and odd letters.
_odd_sentences = st.lists(
    st.tuples(
        st.sampled_from(
            [
                *"a b s ab ba as abs aa ss x 2 S AB k ki ik KI is si \u00e9 \u00c9 a\u00e9".split(),
                "\u017f",
                "\u0130",
                "\u0131",
                "\u212a",
            ]
        ),
        st.sampled_from(
            [
                " ",
                " ",
                "-",
                "\u2010",
                "\u2011",
                "'",
                "\u2019",
                ", ",
                " - ",
                "_",
                "\xa0",
                "\t",
                ".",
                "\u2013",
                "",
                "  ",
            ]
        ),
    ).map("".join),
    min_size=1,
    max_size=10,
).map("".join)


def _regex_or_error(phrasing: str) -> str:
    """The regex of *phrasing* (word start included), or the parser's complaint."""
    from cspo_archive.analysis import _principles_engine as engine

    try:
        return engine.WORD_START + engine.Parser(phrasing).parse()[0]
    except engine.PatternError as exc:
        return f"error: {exc}"


def _alternation(phrasings: list[str]) -> re.Pattern[str] | None:
    return (
        re.compile("|".join(f"(?:{_regex_or_error(p)})" for p in phrasings), re.IGNORECASE)
        if phrasings
        else None
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_phrasings, min_size=1, max_size=3),
    st.lists(_phrasings, max_size=2),
    st.lists(_odd_sentences, min_size=1, max_size=8),
)
def test_any_matcher_agrees_with_its_regex(
    phrasings: list[str], exclude: list[str], sentences: list[str]
) -> None:
    """For phrasings drawn from the whole language (groups, optional letters and
    hyphens, apostrophes, stems, alternatives, optional parts, gaps, either order)
    and sentences with hyphens, apostrophes, odd white space, underscores and
    letters that fold oddly, a matcher (which leaves out the phrasings whose
    literals a text lacks) finds exactly what the unfiltered alternation of its
    phrasings' regular expressions finds, exclusions included: on each sentence
    alone, and bound to all of them together as ``extract_principles`` binds it;
    and it refuses a phrasing exactly when the regex parser does, with the same
    message."""
    from cspo_archive.analysis import _principles_engine as engine
    from cspo_archive.analysis._principles_engine import Phrasing

    valid = []
    for phrasing in [*phrasings, *exclude]:
        expected = _regex_or_error(phrasing)
        if expected.startswith("error: "):
            with pytest.raises(engine.PatternError) as info:
                Phrasing(phrasing)
            assert expected == f"error: {info.value}"
        else:
            Phrasing(phrasing)
            valid.append(phrasing)
    phrasings = [p for p in phrasings if p in valid]
    exclude = [p for p in exclude if p in valid]
    if not phrasings:
        return
    matcher = engine.Matcher(tuple(map(Phrasing, phrasings)), tuple(map(Phrasing, exclude)))
    pattern, excluded = _alternation(phrasings), _alternation(exclude)
    assert pattern is not None
    bound = matcher.bind(engine.fold(" ".join(sentences)), {})
    for sentence in sentences:
        by_regex = _reference_find(pattern, excluded, sentence)
        assert oracles.find(matcher, sentence) == by_regex, (phrasings, exclude, sentence)
        assert (bound.find(sentence) if bound else None) == by_regex, (phrasings, sentence)


@pytest.mark.parametrize(
    ("phrasings", "exclude", "sentence"),
    [
        # Hyphenated compounds: each hyphen, white space or nothing in a hyphen slot;
        # never the tail of a compound; a later term may follow a lone hyphen.
        (["co-operation"], [], "co\u2011operation, co operation, cooperation"),
        (["co-operation"], [], "co\u2013operation and co  operation"),
        (["escalation"], [], "de-escalation de\u2010escalation de\u2011escalation"),
        (["escalation"], [], "de\u2013escalation"),
        (["protect defend"], [], "protect-defend"),
        (["de-?escalat*"], [], "de-escalating, deescalated"),
        (["a(-|b)c"], [], "a-c abc ac"),
        # Apostrophes, straight and curly, optional or not.
        (["nation's"], [], "nation\u2019s nation's nations"),
        (["nation'?s"], [], "nations nation\u2019s"),
        # Letters that fold oddly when ignoring case.
        (["sss"], [], "\u017fS\u017f"),
        (["kit"], [], "\u212aIT \u212a\u0130T \u212a\u0131T"),
        (["\u0131s"], [], "IS is \u0130S"),
        # Punctuation and underscores between terms.
        (["deter hostile"], [], "deter - - hostile; deter_hostile; deter\u2014hostile"),
        (["deter* [very] hostile"], [], "deterring, (very) hostile"),
        # Gaps at their limit, and greedy gaps choosing the farthest end.
        (["a ~20 b"], [], "a " + "x " * 20 + "b"),
        (["a ~20 b"], [], "a " + "x " * 21 + "b"),
        (["a ~2 b"], [], "a b x b"),
        (["a ~2 [b]"], [], "a x y z"),
        (["a <2> b"], [], "b x a, a y b"),
        # Overlapping exclusions: only the ones finditer finds count.
        (["gamma"], ["alpha beta", "beta gamma"], "alpha beta gamma"),
        (["beta"], ["alpha beta gamma", "beta"], "alpha beta gamma beta"),
        (["a b", "b"], ["a"], "a b"),
        # Phrasings that may begin with a hyphen or an apostrophe, or have many spellings.
        (["a?-b c"], [], "x -b c, a-b c"),
        (["a?'s"], [], "'s"),
        (["sa?b?a?b?a?b?a?b?(a|b|s)?(a|b|s) s"], [], "ab s, sabab s, sas s, b s a, ss"),
        # Letters beyond ASCII, and dotted and dotless i.
        (["d\u00e9fense"], [], "D\u00c9FENSE, defense"),
        (["kiss"], ["\u212a\u0131ss"], "\u212a\u0131SS \u212a\u0130\u017fs"),
    ],
)
def test_matcher_edge_cases_agree_with_the_regex(
    phrasings: list[str], exclude: list[str], sentence: str
) -> None:
    """Hyphenated compounds, apostrophes, Unicode case, punctuation between terms,
    gaps at their limit and overlapping exclusions: the matcher finds what the
    regular expression finds."""
    from cspo_archive.analysis import _principles_engine as engine
    from cspo_archive.analysis._principles_engine import Phrasing

    matcher = engine.Matcher(tuple(map(Phrasing, phrasings)), tuple(map(Phrasing, exclude)))
    pattern = _alternation(phrasings)
    assert pattern is not None
    expected = _reference_find(pattern, _alternation(exclude), sentence)
    assert oracles.find(matcher, sentence) == expected


def test_matcher_edge_cases_find_what_they_should() -> None:
    """A few of the edge cases, spelled out (so the regex itself is checked too)."""
    from cspo_archive.analysis import _principles_engine as engine
    from cspo_archive.analysis._principles_engine import Phrasing

    def find(phrasing: str, sentence: str, *exclude: str) -> str | None:
        matcher = engine.Matcher((Phrasing(phrasing),), tuple(map(Phrasing, exclude)))
        return oracles.find(matcher, sentence)

    assert find("co-operation", "a co\u2011operation") == "co\u2011operation"
    assert find("escalation", "de-escalation") is None
    assert find("nation's", "nation\u2019s") == "nation\u2019s"
    assert find("sss", "\u017fS\u017f") == "\u017fS\u017f"
    assert find("a ~2 b", "a b x b") == "a b x b"
    assert find("a ~20 b", "a " + "x " * 21 + "b") is None
    assert find("de-?escalat*", "de-escalating") == "de-escalating"
    assert find("beta", "alpha beta gamma beta", "alpha beta gamma", "beta") is None


def _status(old: str, new: str, principle: str = "deterrence") -> str:
    """The status of *principle* from the text *old* to the text *new*."""
    change = compare_principles(extract_principles(old), extract_principles(new))
    return next(c.status for c in change.changes if c.principle.id == principle)


def test_an_extra_mention_keeps_a_principle_retained() -> None:
    """A copy that states the principle once more, elsewhere, keeps it retained."""
    old = "The partners will deter aggression in space."
    new = old + " Deterrence remains central to the partners' planning."
    assert _status(old, new) == "retained"


def test_a_sentence_cut_short_keeps_a_principle_retained() -> None:
    """A copy whose sentence stops after the words that state the principle keeps
    it retained (the same clause, cut at one end)."""
    old = "The partners will deter aggression in space and protect their satellites."
    new = "The partners will deter aggression in space."
    assert _status(old, new) == "retained"


def test_a_clause_word_for_word_identical_is_retained() -> None:
    """The stating clause identical in both texts is retained, whatever changed in
    the rest of its sentence."""
    old = "The partners will deter aggression in space; they met in Berlin."
    new = "The partners will deter aggression in space; they will meet again in Oslo."
    assert _status(old, new) == "retained"


def test_a_changed_stating_clause_is_reworded() -> None:
    """When every clause stating the principle changed, the principle is reworded."""
    old = "The partners will deter aggression in space."
    new = "Deterring hostile acts in orbit is a shared aim of the partners."
    assert _status(old, new) == "reworded"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ministers discussed interoperability of space systems.", set()),
        ("The partners voiced concerns about the placement of nuclear weapons in orbit.", set()),
        ("The partners will work towards interoperability of space systems.", {"interoperability"}),
        ("The partners oppose the placement of nuclear weapons in orbit.", {"arms-control"}),
    ],
)
def test_a_topic_or_a_threat_is_not_a_stance(text: str, expected: set[str]) -> None:
    """Words naming a topic of discussion or a threat before a phrase ("discussed",
    "concerns about the placement of") keep it from stating a principle; the same
    phrase stated as a commitment counts."""
    assert {hit.principle.id for hit in extract_principles(text).hits} == expected


def test_another_groupings_business_and_banners_are_not_evidence() -> None:
    """A sentence about a bilateral agreement or another alliance that does not name
    the initiative states none of its principles; a site banner is never evidence."""
    other = "Under the bilateral agreement, both nations will deter aggression in space."
    ours = "Within the coalition, the partners will deter aggression in space."
    banner = "This news story was published under the government that will deter aggression."
    assert extract_principles(other).hits == ()
    assert [h.principle.id for h in extract_principles(ours).hits] == ["deterrence"]
    assert extract_principles(banner).hits == ()


def _principles_corpus() -> list[dict[str, Any]]:
    """The cases of ``tests/data/principles_corpus.toml``."""
    path = Path(__file__).parent / "data" / "principles_corpus.toml"
    cases: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    return cases


def test_principles_corpus_has_ten_cases_or_more() -> None:
    """The stance corpus has at least ten cases, with distinct ids."""
    ids = [case["id"] for case in _principles_corpus()]
    assert len(ids) >= 10
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", _principles_corpus(), ids=lambda case: str(case["id"]))
def test_principles_corpus_case(case: dict[str, Any]) -> None:
    """Each sentence states exactly the principles a careful reader finds: a stance,
    never a topic, a threat, another grouping's business or a banner."""
    found = sorted(hit.principle.id for hit in extract_principles(case["text"]).hits)
    assert found == case["principles"]
