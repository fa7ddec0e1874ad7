"""The summaries that open every report: membership in words a reader takes in at once."""

from __future__ import annotations

import datetime as dt

from cspo_archive import compare, timeline
from cspo_archive.model import Snapshot
from cspo_archive.report._summary import membership_sentence, timeline_summary
from cspo_archive.testing import example_snapshot


def snapshot(text: str, day: int, slug: str) -> Snapshot:
    """A snapshot of *text* published on day *day* of March 2024."""
    made, _ = example_snapshot(
        text, snapshot_id=f"2024-03-{day:02d}-{slug}", published=dt.date(2024, 3, day)
    )
    return made


OLD = snapshot("The CSpO comprises Australia, Canada and Norway.\n", 1, "old-list")
NEW = snapshot("The CSpO comprises Australia, Canada and the Republic of Korea.\n", 2, "new-list")


def test_one_in_one_out_is_not_said_to_go_from_three_to_three() -> None:
    """When as many nations joined as left, the sentence says the size held and who
    moved, not "went from 3 to 3"."""
    sentence = membership_sentence(compare(OLD, NEW))
    assert sentence == ("3 nations before and after: South Korea (KOR) joined, Norway (NOR) left.")


def test_growth_still_says_from_and_to() -> None:
    """A list that grew keeps the "went from ... to ..." wording."""
    bigger = snapshot("The CSpO comprises Australia, Canada, Norway and Japan.\n", 3, "bigger-list")
    assert membership_sentence(compare(OLD, bigger)) == (
        "Membership went from 3 to 4 nations: Japan (JPN) joined; none left."
    )


def test_timeline_names_departures_and_checks_stated_totals() -> None:
    """The timeline's summary names the nations the latest list no longer holds,
    and says whether a release that only states a total agrees with the last list."""
    stated = snapshot("The ten CSpO members met.\n\nThe three CSpO nations met.\n", 5, "count")
    summary = timeline_summary(timeline([OLD, NEW, stated]))
    assert "Not in the latest list (2024-03-02): NOR, last listed 2024-03-01." in summary
    assert (
        "R3 (2024-03-05) lists no members but states 3 and 10 nations, "
        "consistent with the 3 last listed."
    ) in summary
    wrong = snapshot("The ten CSpO members met.\n", 5, "wrong-count")
    assert "states 10 nations; the last list (2024-03-02) had 3." in timeline_summary(
        timeline([OLD, NEW, wrong])
    )


def test_a_nation_is_shown_as_the_text_names_it() -> None:
    """Reports show each nation as the text names it beside its ISO code: the
    Markdown table has the text's words, the terminal names them when they differ."""
    from cspo_archive.report import render

    result = compare(OLD, NEW)
    markdown = render(result, "markdown")
    assert "| South Korea | the Republic of Korea | `KOR` | + joined |" in markdown
    assert "| Norway | Norway | `NOR` | \u2212 left |" in markdown
    text = render(result, "text")
    assert "joined: South Korea (KOR), written \u201cthe Republic of Korea\u201d" in text
    assert "left: Norway (NOR)\n" in text
