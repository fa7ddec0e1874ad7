"""The HTML report: one self-contained, accessible, printable page, with all data escaped."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from html.parser import HTMLParser

import attrs
import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from conftest import build_snapshot
from cspo_archive import Archive, Snapshot, compare, timeline
from cspo_archive.analysis import Comparison, Timeline
from cspo_archive.analysis.textdiff import word_diff
from cspo_archive.report import render
from cspo_archive.report.html import inline_diff, safe_url, side_by_side

SOURCE_URL = "https://www.gov.uk/government/news/a-test-publication"

BENIGN_OLD = (
    "Australia, Canada, France, Germany, New Zealand, the United Kingdom and the United "
    "States are the seven CSpO nations.\n\n"
    "The partners will share information and remain committed to the responsible use of "
    "space.\n"
)
BENIGN_NEW = (
    "Australia, Canada, France, Germany, Italy, New Zealand, the United Kingdom and the "
    "United States are the eight CSpO nations.\n\n"
    "The partners will deter hostile activities and remain committed to the responsible "
    "use of space.\n"
)

HOSTILE = '<script>alert("x")</script> </ins></del> <img src=x onerror=alert(1)> "\' &amp;'
HOSTILE_OLD = (
    f"The CSpO nations of Australia, Canada and France <b onclick=alert(1)>met</b>.\n\n"
    f"{HOSTILE} javascript:alert(1) <a href='javascript:alert(2)'>link</a>\n"
)
HOSTILE_NEW = (
    f"The CSpO nations of Australia, Canada, France and Japan </td></tr></table><script>.\n\n"
    f"<style>@import url(https://evil.example/x.css);</style> {HOSTILE}\n"
    f"<svg onload=alert(3)><title>x</title></svg> <!-- comment --> <![CDATA[ x ]]>\n"
)


class _Collector(HTMLParser):
    """Every (tag, sorted attribute names) pair and every attribute value of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: set[tuple[str, tuple[str, ...]]] = set()
        self.hrefs: list[str] = []
        self.tags: list[str] = []
        self.comments: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pairs.add((tag, tuple(sorted(name for name, _ in attrs))))
        self.tags.append(tag)
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def _bundled() -> list[Snapshot]:
    return list(Archive.bundled())


def _bundled_comparison() -> Comparison:
    snapshots = _bundled()
    return compare(snapshots[0], snapshots[2])


def _bundled_timeline() -> Timeline:
    return timeline(_bundled())


def _snapshot(text: str, snapshot_id: str, title: str, published: dt.date) -> Snapshot:
    snapshot, _ = build_snapshot(text, snapshot_id=snapshot_id, title=title, published=published)
    return snapshot


def _benign_pair() -> tuple[Snapshot, Snapshot]:
    old = _snapshot(BENIGN_OLD, "2024-01-01-old", "Old statement", dt.date(2024, 1, 1))
    new = _snapshot(BENIGN_NEW, "2025-01-01-new", "New statement", dt.date(2025, 1, 1))
    new = attrs.evolve(new, metadata=attrs.evolve(new.metadata, source_url=SOURCE_URL + "-new"))
    return old, new


def _hostile_pair() -> tuple[Snapshot, Snapshot]:
    old = _snapshot(HOSTILE_OLD, "2024-01-01-old", "Old statement", dt.date(2024, 1, 1))
    new = _snapshot(HOSTILE_NEW, "2025-01-01-new", "New statement", dt.date(2025, 1, 1))
    # Metadata validators refuse newlines only: any other title is accepted as archived.
    old = attrs.evolve(old, metadata=attrs.evolve(old.metadata, title=HOSTILE))
    new = attrs.evolve(
        new,
        metadata=attrs.evolve(
            new.metadata,
            title='</title><script>alert(1)</script>"><img src=x onerror=alert(2)>',
            publisher="javascript:alert(1)",
        ),
    )
    return old, new


def _all_pages() -> list[str]:
    from statement_fixtures import snapshots

    old, new = _benign_pair()
    fixtures = snapshots()
    return [
        render(_bundled_comparison(), "html"),
        render(_bundled_timeline(), "html"),
        render(compare(old, new), "html"),
        render(timeline([old, new]), "html"),
        # Copies of one statement and revisions of one page, and their timeline.
        render(compare(fixtures["uk-copy.txt"], fixtures["us-copy.txt"]), "html"),
        render(compare(fixtures["page-r1.txt"], fixtures["page-r3.txt"]), "html"),
        render(timeline(fixtures.values()), "html"),
    ]


# --- regression -----------------------------------------------------------------------


def test_copies_comparison(file_regression: FileRegressionFixture) -> None:
    """Two copies of one statement (UK and US) render to the reviewed page: said
    first, then the paragraphs omitted and replaced and the spelling variants."""
    from statement_fixtures import snapshots

    found = snapshots()
    page = render(compare(found["uk-copy.txt"], found["us-copy.txt"]), "html")
    assert 'id="copies"' in page
    file_regression.check(page, extension=".html")


def test_bundled_comparison(file_regression: FileRegressionFixture) -> None:
    """The 2022 news → 2025 news comparison renders to the reviewed page."""
    file_regression.check(render(_bundled_comparison(), "html"), extension=".html")


def test_bundled_timeline(file_regression: FileRegressionFixture) -> None:
    """The timeline of the bundled archive renders to the reviewed page."""
    file_regression.check(render(_bundled_timeline(), "html"), extension=".html")


def test_output_is_deterministic() -> None:
    """Rendering the same results twice gives the same bytes (no timestamps, no versions)."""
    first = render(_bundled_comparison(), "html"), render(_bundled_timeline(), "html")
    second = render(_bundled_comparison(), "html"), render(_bundled_timeline(), "html")
    assert first == second


def test_no_package_version_or_time_in_output() -> None:
    """The page names the profile version and pinned refs, not the package version."""
    import cspo_archive

    page = render(_bundled_comparison(), "html")
    comparison = _bundled_comparison()
    version = getattr(cspo_archive, "__version__", None)
    if version:
        assert f"version {version}" not in page
    assert f"version {comparison.profile_version}" in page
    assert str(comparison.old) in page
    assert str(comparison.new) in page


# --- escaping ---------------------------------------------------------------------------


def test_hostile_text_adds_no_element_or_attribute() -> None:
    """Titles, texts and metadata full of markup add no tag or attribute the template lacks."""
    allowed: set[tuple[str, tuple[str, ...]]] = set()
    for page in _all_pages():
        allowed |= _parse(page).pairs
    old, new = _hostile_pair()
    for result in (compare(old, new), compare(new, old), timeline([old, new])):
        page = render(result, "html")
        parsed = _parse(page)
        assert parsed.pairs <= allowed, parsed.pairs - allowed
        assert "<script" not in page.lower()
        assert "<img" not in page.lower()
        assert "<style>@import" not in page
        assert parsed.comments == []
        assert all(h.startswith(("#", "https://")) for h in parsed.hrefs)


def test_hostile_text_survives_as_text() -> None:
    """Escaped data still reads as written: the hostile title appears as text."""
    old, new = _hostile_pair()
    parsed = _parse(render(compare(old, new), "html"))
    assert HOSTILE.replace("&amp;", "&") in "".join(parsed.text).replace("&amp;", "&")


def test_unsafe_source_urls_are_not_links() -> None:
    """A source URL that is not http(s) is shown as text, never put in an href."""
    old, new = _benign_pair()
    for url in ("javascript:alert(1)", "data:text/html,<script>x</script>", "ftp://x.example/"):
        # Metadata validates URLs; a hand-made result must still not make a bad link.
        comparison = compare(old, new)
        bad = tuple(
            attrs.evolve(m, new=url) if m.field == "source_url" else m for m in comparison.metadata
        )
        page = render(attrs.evolve(comparison, metadata=bad), "html")
        hrefs = _parse(page).hrefs
        assert all(h.startswith("#") or h == SOURCE_URL for h in hrefs), hrefs
        assert "<script" not in page


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.gov.uk/x", "https://www.gov.uk/x"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("https:///no-host", None),
        ("https://a.example/ x", None),
        ("//a.example/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url(url: object, expected: str | None) -> None:
    """Only absolute http(s) URLs with a host and no white space are linked."""
    assert expected == safe_url(url)


def test_diff_fragments_are_escaped_inside_ins_and_del() -> None:
    """A fragment such as ``</ins><script>`` stays text inside its <ins>/<del>."""
    diff = word_diff("a </del><b>x</b> z", "a </ins><script>y z")
    markup = str(inline_diff(diff))
    assert "<script>" not in markup
    assert "script&gt;" in markup
    assert "&lt;/" in markup
    rows = side_by_side(diff)
    assert all("<script>" not in str(row.new) for row in rows)
    parsed = _parse(markup)
    assert {tag for tag, _ in parsed.pairs} <= {"ins", "del", "span"}


def test_side_by_side_rebuilds_both_texts() -> None:
    """The old column holds exactly the old paragraphs, the new column the new ones."""
    diff = word_diff("One.\n\nTwo.\n\nThree.\n", "One.\n\nTwo, changed.\n\nNew.\n\nThree.\n")
    rows = side_by_side(diff)

    def column(side: str) -> list[str]:
        cells = [str(getattr(row, side)) for row in rows]
        text = ["".join(_parse(c).text).replace("[deleted: ", "") for c in cells]
        return [re.sub(r"\[inserted: |\]", "", t) for t in text if t]

    assert column("old") == ["One.", "Two.", "Three."]
    assert column("new") == ["One.", "Two, changed.", "New.", "Three."]
    assert [row.changed for row in rows] == [False, True, True, False]


def test_render_refuses_other_objects() -> None:
    """Anything but a Comparison or a Timeline is a TypeError naming its type."""
    from cspo_archive.report import html

    with pytest.raises(TypeError, match="got 'x' that is a str"):
        html.render("x")  # type: ignore[arg-type]


# --- self-contained -----------------------------------------------------------------------


def test_no_external_resources() -> None:
    """No scripts, stylesheets, images, fonts or imports: the page stands alone."""
    for page in _all_pages():
        parsed = _parse(page)
        lowered = page.lower()
        assert "script" not in {tag for tag, _ in parsed.pairs}
        assert "link" not in {tag for tag, _ in parsed.pairs}
        assert "img" not in {tag for tag, _ in parsed.pairs}
        assert not any("src" in names for _, names in parsed.pairs)
        assert "@import" not in lowered
        assert "url(" not in lowered
        assert "@font-face" not in lowered
        for href in parsed.hrefs:
            assert href.startswith(("#", "https://", "http://"))


def test_external_links_are_plain_source_links() -> None:
    """The only outside links are the source URLs, with rel="noopener noreferrer"."""
    page = render(_bundled_comparison(), "html")
    links = re.findall(r'<a class="source" href="([^"]+)" rel="noopener noreferrer">', page)
    assert len(links) == 2
    assert all(u.startswith("https://www.gov.uk/") for u in links)
    assert len(links) == len([h for h in _parse(page).hrefs if not h.startswith("#")])


def test_in_page_anchors_resolve() -> None:
    """Every #anchor names an id on the page."""
    for page in _all_pages():
        ids = set(re.findall(r'\sid="([^"]+)"', page))
        targets = {h[1:] for h in _parse(page).hrefs if h.startswith("#")}
        assert targets <= ids, targets - ids


# --- accessibility and print ---------------------------------------------------------------


def test_accessible_structure() -> None:
    """lang is set, one h1, headings do not skip a level, every table has a caption and th."""
    for page in _all_pages():
        parsed = _parse(page)
        assert re.search(r'<html lang="en">', page)
        assert parsed.tags.count("h1") == 1
        levels = [int(tag[1]) for tag in parsed.tags if re.fullmatch(r"h[1-6]", tag)]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
        tables = re.findall(r"<table\b.*?</table>", page, flags=re.DOTALL)
        assert tables
        for table in tables:
            assert "<caption>" in table
            assert re.search(r'<th scope="(col|row)"', table)
            assert "<th>" not in table


def test_changes_are_not_shown_by_colour_alone() -> None:
    """Every <ins>/<del> carries a hidden text label, and the CSS strikes or underlines."""
    page = render(_bundled_comparison(), "html")
    assert page.count("<ins ") == page.count('<span class="vh">[inserted: </span>')
    assert page.count("<del ") == page.count('<span class="vh">[deleted: </span>')
    assert "text-decoration: line-through" in page
    assert "text-decoration: underline" in page
    assert "@media print" in page


def test_summary_comes_first() -> None:
    """The summary paragraph follows the h1 directly."""
    page = render(_bundled_comparison(), "html")
    assert re.search(r"</h1>\n<p class=\"summary\">Membership went from 7 to 10 nations", page)


def test_inexact_diff_is_flagged() -> None:
    """A diff cut short by its budget says so at the top of the page."""
    comparison = _bundled_comparison()
    inexact = attrs.evolve(comparison, diff=attrs.evolve(comparison.diff, exact=False))
    page = render(inexact, "html")
    head = page[: page.index('<nav class="toc"')]
    assert "The word diff is not exact" in head
    assert "The word diff is not exact" not in render(comparison, "html")


def test_timeline_chart_shows_unknown_membership() -> None:
    """A release without a member list is drawn as "unknown", never as a bar of zero."""
    page = render(_bundled_timeline(), "html")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title>" in svg
    assert "<desc>" in svg
    assert 'class="unknown"' in svg
    assert ">unknown</text>" in svg
    assert "(states 10)" in svg
    assert "R2 (2025-12-17): unknown" in svg


def test_empty_timeline() -> None:
    """A timeline of no releases renders a page that says so."""
    page = render(timeline([]), "html")
    assert "The timeline holds no releases." in page
    assert "<svg" not in page


def test_charts_show_who_joins_and_leaves_and_how_the_language_moves() -> None:
    """The timeline page charts members per release with joins (+) and departures
    (minus sign) marked and said in words, principles per release, and tone and
    modality over releases; the comparison charts its term shifts and marks the
    words that matched in principle evidence."""
    bundled = list(_bundled())
    page = render(timeline(bundled), "html")
    assert "Members in each release" in page
    assert "Italy joins in R3" in page
    assert page.count('class="mark-joined"') == 3
    assert "Principles stated in each release" in page
    assert "Tone over releases" in page
    assert "<polyline" in page
    # A nation that leaves: the last release lists one nation fewer.
    last = bundled[-1]
    fewer = attrs.evolve(
        last,
        id="2026-01-01-without-norway",
        metadata=attrs.evolve(
            last.metadata,
            published=attrs.evolve(last.metadata.published, value=dt.date(2026, 1, 1)),
            source_url="https://example.org/without-norway",
        ),
        text=(
            "In January the Combined Space Operations initiative comprises Australia, "
            "Canada, France, Germany, Italy, Japan, New Zealand, the United Kingdom and "
            "the United States, after Norway withdrew from the group over the winter.\n"
        ),
    )
    left = render(timeline([*bundled, fewer]), "html")
    assert "Norway joins in R3 and leaves in R4" in left
    assert 'class="mark-left"' in left
    comparison = render(_bundled_comparison(), "html")
    assert "Strongest term shifts" in comparison
    assert "<mark>" in comparison
