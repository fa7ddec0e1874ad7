"""The HTML reports in a real browser, at a phone's width (390 px) and a desktop's (1280 px).

The page never scrolls sideways: a wide table or the chart scrolls inside its own
box; a reference wraps with a readable number of characters a line; the chart's
text is never drawn small, and its labels do not run into each other.

The browser is Debian's Chromium (``chromium`` or ``chromium-browser`` on the
PATH, or the executable named by ``CSPO_CHROMIUM``), driven headless by
Playwright for Python's sync API with ``executable_path`` set: Playwright
downloads no browser. The pages are opened from files (``file://``), so nothing
is served and nothing is fetched. Full-page screenshots are kept, for a look by
eye, in the folder named by ``CSPO_SCREENSHOTS`` or else in a temporary folder.
The module skips, saying why, when Playwright is not installed or no Chromium
is found.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cspo_archive import Archive, compare, timeline
from cspo_archive.report import render

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: A phone's viewport width and a desktop's, in CSS pixels.
PHONE, DESKTOP = 390, 1280
WIDTHS = (PHONE, DESKTOP)
#: The smallest size, in CSS pixels, at which any text of the chart may be drawn.
MIN_CHART_TEXT = 9.0
#: The fewest characters a line of a wrapped reference may show.
MIN_REF_CHARACTERS = 12


def _chromium() -> tuple[str | None, str]:
    """The Chromium executable to drive, or None and why none was found."""
    named = os.environ.get("CSPO_CHROMIUM")
    if named:
        found = shutil.which(named)
        return found, f"CSPO_CHROMIUM={named!r} is not an executable"
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found, (
        "no Chromium found (neither 'chromium' nor 'chromium-browser' is on the PATH): "
        "install Debian's chromium (apt-get install chromium) or set CSPO_CHROMIUM"
    )


CHROMIUM, NO_CHROMIUM = _chromium()
HAS_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None

pytestmark = [
    pytest.mark.skipif(
        not HAS_PLAYWRIGHT,
        reason="Playwright for Python is not installed (pip install playwright; it drives "
        "the system Chromium, so no browser download is needed)",
    ),
    pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM),
]


def _pages() -> dict[str, str]:
    """The reports under test, by name: both bundled reports and two fixtures' pages."""
    from statement_fixtures import snapshots

    archive = Archive.bundled()
    old, _statement, new = archive
    fixtures = snapshots()
    return {
        "bundled-comparison": render(compare(old, new), "html"),
        "bundled-timeline": render(timeline(archive), "html"),
        "copies-comparison": render(
            compare(fixtures["uk-copy.txt"], fixtures["us-copy.txt"]), "html"
        ),
        # Sixteen releases: a chart wider than a desktop's screen.
        "statements-timeline": render(timeline(fixtures.values()), "html"),
    }


PAGES = ("bundled-comparison", "bundled-timeline", "copies-comparison", "statements-timeline")
TIMELINES = ("bundled-timeline", "statements-timeline")


@pytest.fixture(scope="module")
def page_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each report written to a file of its own."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for name, html in _pages().items():
        files[name] = folder / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    assert set(files) == set(PAGES)
    return files


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: $CSPO_SCREENSHOTS if set, else a temporary folder."""
    named = os.environ.get("CSPO_SCREENSHOTS")
    if not named:
        return tmp_path_factory.mktemp("screenshots")
    folder = Path(named)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """The system Chromium, headless, started once for the module."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(
    browser: Browser, page_files: dict[str, Path]
) -> Iterator[Callable[[str, int], Page]]:
    """A function that opens a report in a new tab of the given viewport width."""
    opened: list[Page] = []

    def opener(name: str, width: int) -> Page:
        page = browser.new_page(viewport={"width": width, "height": 900})
        opened.append(page)
        page.goto(page_files[name].as_uri())
        return page

    yield opener
    for page in opened:
        page.close()


# JavaScript run in the page (the page itself has no script).

_OVERFLOW = """() => {
  const width = window.innerWidth;
  const sticksOut = e => e.getBoundingClientRect().right > width + 0.5;
  // The outermost elements wider than the window, outside any scrolling box.
  const outside = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('.scroll') && sticksOut(e) && !sticksOut(e.parentElement))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, outside};
}"""

_TABLE_BOXES = """() => [...document.querySelectorAll('table')].map(t => {
  const box = t.parentElement;
  return {
    caption: t.caption ? t.caption.textContent : '',
    inBox: box.matches('div.scroll'),
    overflowX: getComputedStyle(box).overflowX,
    boxRight: box.getBoundingClientRect().right,
    scrolls: box.scrollWidth > box.clientWidth,
  };
})"""

_REFERENCES = """() => {
  const context = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('.ref')].map(r => {
    context.font = getComputedStyle(r).font;
    const perLine = r.getBoundingClientRect().width / context.measureText('0').width;
    return {text: r.textContent, perLine};
  });
}"""

_CHART_TEXT = """() => [...document.querySelectorAll('svg.chart text')].map(t => {
  const m = t.getScreenCTM();
  const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  const box = t.getBoundingClientRect();
  return {
    text: t.textContent,
    size: parseFloat(getComputedStyle(t).fontSize) * scale,
    group: [...t.closest('svg').children].indexOf(t.closest('g')),
    box: [box.left, box.top, box.right, box.bottom],
  };
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_never_scrolls_sideways(
    open_page: Callable[[str, int], Page], screenshots: Path, name: str, width: int
) -> None:
    """At a phone's and a desktop's width the page is no wider than the window (no
    horizontal overflow): whatever is wider scrolls inside its own box. A full-page
    screenshot is saved either way."""
    page = open_page(name, width)
    page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
    found = page.evaluate(_OVERFLOW)
    assert found["innerWidth"] == width
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{name} at {width} px is {found['scrollWidth']} px wide; sticking out: {found['outside']}"
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_table_scrolls_in_its_own_box(
    open_page: Callable[[str, int], Page], name: str
) -> None:
    """On a phone every table sits in a box that scrolls sideways and fits the
    window; a table wider than that scrolls there (the comparisons have some)."""
    page = open_page(name, PHONE)
    tables = page.evaluate(_TABLE_BOXES)
    assert tables
    for table in tables:
        assert table["inBox"], f"not in a scrolling box: {table['caption']}"
        assert table["overflowX"] == "auto", table["caption"]
        assert table["boxRight"] <= PHONE, table["caption"]
    if name.endswith("comparison"):
        assert any(table["scrolls"] for table in tables)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_references_wrap_readably(
    open_page: Callable[[str, int], Page], name: str, width: int
) -> None:
    """A long reference (``id@sha256:<64 hex>``) may wrap anywhere, but it shows at
    least twelve characters a line (or all of it), never one character a line."""
    page = open_page(name, width)
    references = page.evaluate(_REFERENCES)
    assert references
    for reference in references:
        least = min(len(reference["text"]), MIN_REF_CHARACTERS)
        assert reference["perLine"] >= least - 0.5, (
            f"{reference['text']} shows {reference['perLine']:.1f} characters a line"
        )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", TIMELINES)
def test_chart_text_is_never_small(
    open_page: Callable[[str, int], Page], name: str, width: int
) -> None:
    """Every text of the membership chart is drawn at 9 px or more (its font size
    times the chart's scale), on a phone as on a desktop."""
    page = open_page(name, width)
    texts = page.evaluate(_CHART_TEXT)
    assert texts
    smallest = min(texts, key=lambda t: t["size"])
    assert smallest["size"] >= MIN_CHART_TEXT, (
        f"{smallest['text']!r} is drawn at {smallest['size']:.1f} px"
    )


@pytest.mark.parametrize("name", TIMELINES)
def test_chart_labels_do_not_overlap(open_page: Callable[[str, int], Page], name: str) -> None:
    """No text of one release in the chart runs into a text of another release, even
    with sixteen releases (the chart grows wider and scrolls instead)."""
    page = open_page(name, PHONE)
    texts = [t for t in page.evaluate(_CHART_TEXT) if t["group"] >= 0]
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["group"] == b["group"]:
                continue
            left_a, top_a, right_a, bottom_a = a["box"]
            left_b, top_b, right_b, bottom_b = b["box"]
            apart = right_a <= left_b or right_b <= left_a or bottom_a <= top_b or bottom_b <= top_a
            assert apart, f"{a['text']!r} runs into {b['text']!r}"
