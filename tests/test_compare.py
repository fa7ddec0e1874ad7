"""compare() and timeline() on the bundled archive and on arbitrary texts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_regressions.data_regression import DataRegressionFixture

from conftest import build_snapshot
from cspo_archive import Archive, Comparison, Snapshot, canonicalize, compare, timeline
from cspo_archive._serialize import unstructure

NEWS_2022 = "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"
NEWS_2025 = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
STATEMENT_2025 = (
    "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-"
    "principals-board-december-2025"
)
PAIRS = {
    "news_2022_to_news_2025": (NEWS_2022, NEWS_2025),
    "news_2022_to_statement_2025": (NEWS_2022, STATEMENT_2025),
    "news_2025_to_statement_2025": (NEWS_2025, STATEMENT_2025),
}


def _plain(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data, the word diff reduced to its figures."""
    data: dict[str, Any] = unstructure(comparison)
    diff = data.pop("diff")
    data["diff"] = {k: v for k, v in diff.items() if k != "ops"} | {"ops": len(diff["ops"])}
    # The full old/new extraction results are locked by each analysis' own tests.
    for part in ("membership", "principles", "language"):
        data[part].pop("old")
        data[part].pop("new")
    return data


def _pair(name: str) -> tuple[Snapshot, Snapshot]:
    archive = Archive.bundled()
    old, new = PAIRS[name]
    return archive.get(old), archive.get(new)


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_bundled_pairs(name: str, data_regression: DataRegressionFixture) -> None:
    """Each bundled pair's comparison is locked (read by eye when it changes)."""
    data_regression.check(_plain(compare(*_pair(name))))


def test_membership_2022_to_2025_news() -> None:
    """ITA, JPN and NOR joined; none left; 7 to 10; both counts hold; four continents hold."""
    result = compare(*_pair("news_2022_to_news_2025")).membership
    assert result.joined == ("ITA", "JPN", "NOR")
    assert result.left == ()
    assert (result.old_count, result.new_count) == (7, 10)
    assert [c.status for c in result.old.checks] == ["consistent"] * len(result.old.checks)
    assert result.new.checks
    assert {c.status for c in result.new.checks} == {"consistent"}
    assert result.new.geography  # "spanning four continents", stated twice
    for geography in result.new.geography:
        assert (geography.value, geography.status) == (4, "consistent")
        assert geography.continents == ("Asia", "Europe", "North America", "Oceania")


def test_joint_statement_has_an_unknown_member_list() -> None:
    """The 2025 joint statement states ten nations but lists none: unknown, not empty."""
    result = compare(*_pair("news_2022_to_statement_2025")).membership
    assert result.new.members is None
    assert not result.comparable
    assert result.joined == result.left == ()


def test_principles_2022_to_joint_statement() -> None:
    """International law and in/from/to/through are added; deterrence is not in the statement."""
    result = compare(*_pair("news_2022_to_statement_2025")).principles
    statuses = {c.principle.id: c.status for c in result.changes}
    added = {c.principle.id for c in result.added}
    assert any("law" in pid for pid in added), statuses
    assert any("deter" in pid for pid in {c.principle.id for c in result.dropped}), statuses
    news = compare(*_pair("news_2022_to_news_2025")).principles
    assert any("deter" in c.principle.id for c in news.changes if c.new_count > 0)


def test_metadata_changes_are_listed() -> None:
    """Title, date and type differences between the story and the statement are reported."""
    result = compare(*_pair("news_2022_to_statement_2025"))
    fields = {m.field for m in result.metadata}
    assert {"title", "published", "document_type", "source_url"} <= fields


def test_timeline_of_the_bundled_archive(data_regression: DataRegressionFixture) -> None:
    """Per release: members or unknown, counts, principles; first and last appearances."""
    result = timeline(Archive.bundled())
    assert [r.ref.id for r in result.releases] == [NEWS_2022, STATEMENT_2025, NEWS_2025]
    assert result.releases[1].members is None
    first = {n.code: n.first for n in result.nations}
    assert first["ITA"] == first["JPN"] == first["NOR"] == NEWS_2025
    assert first["GBR"] == NEWS_2022
    data_regression.check(unstructure(result))


def test_compare_refuses_non_snapshots() -> None:
    """Passing text instead of a Snapshot is a TypeError naming the argument."""
    snapshot, _ = build_snapshot()
    with pytest.raises(TypeError, match="new is 'text' that is a str"):
        compare(snapshot, "text")  # type: ignore[arg-type]


_paragraph = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_paragraph, min_size=1, max_size=5))
def test_a_text_compared_with_itself_reports_no_change(paragraphs: list[str]) -> None:
    """Identical texts: no joined/left, no principle added/dropped/reworded, no term shift."""
    text = canonicalize("\n\n".join(paragraphs))
    if not text.strip():
        return
    snapshot, _ = build_snapshot(text, published=dt.date(2024, 1, 1))
    result = compare(snapshot, snapshot)
    assert not result.changed
    assert result.metadata == ()
    assert result.membership.joined == result.membership.left == ()
    assert not result.principles.added
    assert not result.principles.dropped
    assert not result.principles.reworded
    assert all(s.g2 == 0 for s in result.language.term_shifts)
    assert result.language.appeared == result.language.disappeared == ()
    assert result.diff.similarity == 1.0
