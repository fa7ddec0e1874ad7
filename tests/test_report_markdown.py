"""Markdown reports: regression files for the bundled archive, injection-proof escaping."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pytest_regressions.file_regression import FileRegressionFixture

from conftest import build_snapshot
from cspo_archive import Archive, Snapshot, compare, timeline
from cspo_archive.analysis import Comparison
from cspo_archive.report import markdown, render

HOSTILE = (
    "[x](javascript:alert(1))",
    "![img](http://evil/x.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "| a | b |",
    "**bold**",
    "# heading",
)


def _bundled() -> list[Snapshot]:
    return list(Archive.bundled())


def _html(text: str) -> str:
    return str(MarkdownIt("gfm-like").render(text))


def _visible(html: str) -> str:
    """The text a browser shows for *html* (tags dropped, entities decoded)."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_news_2022_to_news_2025(file_regression: FileRegressionFixture) -> None:
    """The 2022 news story against the 2025 one reads as the committed Markdown."""
    s = _bundled()
    file_regression.check(markdown.render(compare(s[0], s[2])), extension=".md")


def test_news_2022_to_joint_statement(file_regression: FileRegressionFixture) -> None:
    """The 2022 news story against the joint statement (members unknown) reads as committed."""
    s = _bundled()
    file_regression.check(markdown.render(compare(s[0], s[1])), extension=".md")


def test_timeline(file_regression: FileRegressionFixture) -> None:
    """The timeline of the bundled archive reads as the committed Markdown."""
    file_regression.check(markdown.render(timeline(_bundled())), extension=".md")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("uk-copy.txt", "us-copy.txt"),
        ("page-r1.txt", "page-r2.txt"),
        ("page-r2.txt", "page-r3.txt"),
    ],
    ids=["copies", "quote-swapped", "paragraphs-added"],
)
def test_copies_and_revisions(old: str, new: str, file_regression: FileRegressionFixture) -> None:
    """Two copies of one statement, and two revisions of one page, read as the
    committed Markdown: said first, then what differs (paragraphs omitted, added,
    replaced; spelling counted apart)."""
    from statement_fixtures import snapshots

    found = snapshots()
    file_regression.check(markdown.render(compare(found[old], found[new])), extension=".md")


def test_timeline_of_copies_and_revisions(file_regression: FileRegressionFixture) -> None:
    """A timeline where statements have several copies and pages several revisions
    reads as the committed Markdown: one release per statement, its copies listed."""
    from statement_fixtures import snapshots

    file_regression.check(markdown.render(timeline(snapshots().values())), extension=".md")


def test_render_entry_point_and_determinism() -> None:
    """``report.render(..., "md")`` is this module, and rendering twice gives the same text."""
    s = _bundled()
    comparison = compare(s[0], s[2])
    first = render(comparison, "md")
    assert first == render(comparison, "markdown") == markdown.render(comparison)
    assert markdown.render(timeline(s)) == markdown.render(timeline(s))


def test_summary_comes_first_and_diff_is_marked() -> None:
    """The summary precedes every section; the diff marks deletions and insertions."""
    s = _bundled()
    out = markdown.render(compare(s[0], s[2]))
    assert out.index("## Summary") < out.index("## Members") < out.index("## Principles")
    html = _html(out)
    assert "<s>" in html
    assert "<strong>Italy, Japan,</strong>" in html
    assert "<table>" in html
    assert "[!WARNING]" not in out  # the diff is exact


def _hostile_comparison() -> Comparison:
    text_old = "\n\n".join(
        f"{h} The CSpO partners will uphold international law. {h}" for h in HOSTILE
    )
    text_new = "\n\n".join(
        f"{h} The CSpO partners remain committed to {h} responsible behaviour." for h in HOSTILE
    )
    title = " ".join(HOSTILE)
    old, _ = build_snapshot(text_old + "\n", title=title, snapshot_id="2024-01-01-old")
    new, _ = build_snapshot(
        text_new + "\n",
        title="<img src=x onerror=alert(1)> [y](http://evil/) _e_",
        snapshot_id="2025-01-01-new",
        published=dt.date(2025, 1, 1),
    )
    metadata = attrs.evolve(
        new.metadata,
        publisher="![p](http://evil/p.png)",
        source_url="https://example.org/a_b?c=<d>",
        tags=("evil",),
    )
    new = attrs.evolve(new, metadata=metadata)
    return compare(old, new)


def test_markdown_injection_renders_as_literal_text() -> None:
    """Hostile titles and texts make no link, image, raw HTML, emphasis, heading or table."""
    comparison = _hostile_comparison()
    out = markdown.render(comparison)
    html = _html(out)
    links = re.findall(r"<a [^>]*>", html)
    assert links == ['<a href="https://www.gov.uk/government/news/a-test-publication">'], links
    assert "<img" not in html
    assert "<script" not in html
    assert "javascript:" not in " ".join(links)
    assert "<em>" not in html
    assert "<h1>heading" not in html
    assert "<h2>heading" not in html
    visible = _visible(html)
    for hostile in HOSTILE:
        assert hostile in visible, hostile
    # The unsafe source URL is shown as text, not linked.
    assert "https://example.org/a_b?c=<d>" in visible
    # No table made from a "| a | b |" line.
    assert "<td>a</td>" not in html


def test_hostile_timeline_renders_as_literal_text() -> None:
    """Hostile titles in a timeline stay literal text inside their table cell."""
    snapshot, _ = build_snapshot(title=" ".join(HOSTILE), snapshot_id="2025-01-01-hostile")
    html = _html(markdown.render(timeline([snapshot])))
    assert "<a " not in html
    assert "<img" not in html
    assert "<script" not in html
    assert " ".join(HOSTILE) in _visible(html)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The partners met.", "The partners, met."),
        ("A (b) c", "A(b)c"),
        ("Space is contested.", "Space is contested.Next"),
        ("one two", "one *two* three"),
        ("- item", "+ item\n\n1. item"),
        ("x", "    indented code"),
    ],
)
def test_diff_markers_render_at_any_boundary(old: str, new: str) -> None:
    """Insertions and deletions render as strong/struck text even beside punctuation."""
    a, _ = build_snapshot(old + "\n", snapshot_id="2024-01-01-a")
    b, _ = build_snapshot(new + "\n", snapshot_id="2024-01-02-b")
    out = markdown.render(compare(a, b))
    diff = out[out.index("## Full word diff") :]
    html = _html(diff)
    assert "**" not in _visible(html).replace("\\*", "")
    assert "~~" not in _visible(html).replace("~~struck through~~", "")
    assert "<pre>" not in html
    assert "<ul>" not in html
    assert "<ol>" not in html
    assert "<strong>" in html


_TOKENS = st.sampled_from(["UK", "US", "space", ",", ".", "(", ")", ";", " ", " ", "\u2019s", "-"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_TOKENS, min_size=1, max_size=14), st.lists(_TOKENS, min_size=1, max_size=14))
def test_diff_markdown_has_no_character_references(old: list[str], new: list[str]) -> None:
    """Whatever punctuation stands beside a change, the word diff's Markdown holds no
    character reference and every marker renders (none is left as literal text)."""
    a, _ = build_snapshot("Start " + "".join(old) + " end.\n", snapshot_id="2024-01-01-a")
    b, _ = build_snapshot("Start " + "".join(new) + " end.\n", snapshot_id="2024-01-02-b")
    out = markdown.render(compare(a, b))
    diff = out[out.index("## Full word diff") :]
    assert "&#" not in diff
    visible = _visible(_html(diff))
    assert "**" not in visible.replace("\\*", "")
    assert "~~" not in visible.replace("~~struck through~~", "")


def test_escape_helpers() -> None:
    """``escape`` neutralises inline and line-start syntax and control characters."""
    assert markdown.escape("# a\n- b\n2022. c") == "\\# a\n\\- b\n2022\\. c"
    assert markdown.escape("see https://x.org") == "see https\\://x.org"
    assert markdown.escape("a\x1b[31mb") == "a\ufffd\\[31mb"
    assert markdown.cell("a | b\nc") == "a \\| b c"
    assert markdown.autolink("https://x.org/a") == "<https://x.org/a>"
    assert markdown.autolink("javascript:alert(1)") == "javascript:alert\\(1\\)"
