"""The HTML source reader (read_html): main content, the page's own facts, decoding,
site rules and errors, on fixture pages in the shapes of GOV.UK, defense.gov,
canada.ca, defence.gov.au and a news site (tests/data/pages, with expected.toml)."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
import re
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from pytest_regressions.data_regression import DataRegressionFixture

from conftest import python_output
from cspo_archive.exceptions import ArchiveFormatError, IngestError, UndecodableContentError
from cspo_archive.ingestion._html import _compile_sites, _quiet, _sites, read_html
from cspo_archive.ingestion._source import Extraction
from cspo_archive.profiles import FOLDER

PAGES = Path(__file__).parent / "data" / "pages"
EXPECTED: dict[str, Any] = tomllib.loads((PAGES / "expected.toml").read_text(encoding="utf-8"))
#: The HTML fixture pages (expected.toml also describes a Content API JSON file).
NAMES = sorted(name for name in EXPECTED if (PAGES / f"{name}.html").is_file())
#: A tag, a comment or a character reference left in the text.
MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")


@functools.cache
def extraction(name: str) -> Extraction:
    """The fixture page *name* read as the archive reads it: with its canonical URL."""
    data = (PAGES / f"{name}.html").read_bytes()
    return read_html(data, name, url=EXPECTED[name]["canonical"])


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an extraction's text (split on blank lines)."""
    return [p for p in text.removesuffix("\n").split("\n\n") if p.strip()]


def in_order(wanted: list[str], found: list[str]) -> list[str]:
    """The items of *wanted* that *found* holds in the same order (a greedy subsequence)."""
    kept, rest = [], iter(found)
    for item in wanted:
        if any(item == other for other in rest):
            kept.append(item)
    return kept


def page(body: str, head: str = "", *, lang: str = "en") -> str:
    """A small HTML page with *head* and *body*."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{head}\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


ARTICLE = (
    "<main><article><h1>Allies agree space principles</h1>"
    "<p>The ten partners agreed a set of principles for responsible behaviour in space, "
    "and a plan for putting them into practice over the coming year.</p>"
    "<p>Officials said the principles would guide the work of national operations "
    "centres and help partners share information quickly.</p></article></main>"
)


# --- the fixture pages -----------------------------------------------------------


def test_the_fixture_pages_are_there() -> None:
    """expected.toml describes the five HTML pages the reader is measured on."""
    expected = [
        "canada_ca_news",
        "defence_gov_au_release",
        "defense_gov_article",
        "govuk_news",
        "news_site_article",
    ]
    assert expected == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_expected_paragraph_in_order(name: str) -> None:
    """Every paragraph of the body (headings and list items too) is one paragraph of the
    text, in the page's order."""
    expected = EXPECTED[name]["paragraphs"]
    assert expected == in_order(expected, paragraphs(extraction(name).text))


@pytest.mark.parametrize("name", NAMES)
def test_the_title_heading_comes_first(name: str) -> None:
    """The text begins with the page's title heading: the line pipeline takes the first
    heading as the title."""
    assert EXPECTED[name]["title"] == paragraphs(extraction(name).text)[0]


@pytest.mark.parametrize("name", NAMES)
def test_no_furniture(name: str) -> None:
    """No furniture string of the page (navigation, bylines, captions, share bars,
    related links, attachments, dates...) is left in the text."""
    text = extraction(name).text
    assert [item for item in EXPECTED[name]["furniture"] if item in text] == []


@pytest.mark.parametrize("name", NAMES)
def test_nothing_but_paragraphs(name: str) -> None:
    """The text holds no markup and no character references, each paragraph is one line
    with its white space collapsed, and nothing else is in it (precision: every paragraph
    after the title is an expected one or the page's summary)."""
    text = extraction(name).text
    found = paragraphs(text)
    assert MARKUP.findall(text) == []
    assert found == [" ".join(p.split()) for p in found]
    assert text == "\n\n".join(found) + "\n"
    allowed = {*EXPECTED[name]["paragraphs"], EXPECTED[name].get("summary")}
    assert [p for p in found[1:] if p not in allowed] == []


@pytest.mark.parametrize("name", NAMES)
def test_facts(name: str) -> None:
    """The title, published date, canonical URL and language are the page's own, and the
    date's ``where`` names the element and shows the value the date was read from."""
    facts = extraction(name).facts
    expected = EXPECTED[name]
    assert facts.title is not None
    assert facts.published is not None
    actual = {
        "title": facts.title.value,
        "published": facts.published.value,
        "canonical": facts.canonical_url,
        "language": facts.language,
    }
    assert {
        "title": expected["title"],
        "published": dt.date.fromisoformat(expected["published"]),
        "canonical": expected["canonical"],
        "language": expected["language"],
    } == actual
    where = facts.published.where
    assert re.fullmatch(r"<meta \w+='[^']+' content='[^']+'>|JSON-LD \w+ datePublished '.+'", where)
    assert expected["published"] in where
    # Where expected.toml says the date is in a meta element, it is that element.
    stated = re.match(r"meta (\S+)", expected["published_from"])
    if stated is not None:
        assert f"'{stated.group(1)}'" in where


def _locked(extracted: Extraction) -> dict[str, Any]:
    """An extraction as plain data, library versions masked (they are not the page's)."""

    def unversioned(text: str) -> str:
        return re.sub(r"\b(lxml|trafilatura) \d+(?:\.\d+)+", r"\1 <version>", text)

    def plain(_inst: object, _field: object, value: object) -> object:
        if isinstance(value, enum.Enum):
            return value.value
        return value.isoformat() if isinstance(value, dt.date) else value

    return {
        "paragraphs": paragraphs(extracted.text),
        "facts": attrs.asdict(extracted.facts, value_serializer=plain),
        "steps": [unversioned(step) for step in extracted.steps],
        "extractor": unversioned(extracted.extractor),
        "encoding": extracted.encoding,
        "media_type": extracted.media_type,
    }


@pytest.mark.parametrize("name", NAMES)
def test_fixture_extraction_is_locked(name: str, data_regression: DataRegressionFixture) -> None:
    """Each fixture page's extraction (paragraphs, facts, steps) is exactly as reviewed;
    a change shows as a diff of tests/test_ingest_html/ (update with --force-regen)."""
    data_regression.check(_locked(extraction(name)))


@pytest.mark.parametrize("name", NAMES)
def test_site_rule_used_and_told(name: str) -> None:
    """The pages of a known publisher template are read by its site rule, the news site by
    trafilatura; the steps say which, and how many paragraphs it gave."""
    extracted = extraction(name)
    rule = {
        "govuk_news": "GOV.UK",
        "defense_gov_article": "US Department of Defense (DNN)",
        "canada_ca_news": "Canada.ca",
        "defence_gov_au_release": "Australian Department of Defence (Drupal)",
    }.get(name)
    told = [s for s in extracted.steps if s.startswith("extract: site rule")]
    if rule is None:
        assert (told, extracted.extractor.split()[0]) == ([], "trafilatura")
    else:
        assert [f"extract: site rule '{rule}'"] == [s.split(" (matched", 1)[0] for s in told]
        assert extracted.extractor.endswith(f"(site rule '{rule}')")
    count = len(paragraphs(extracted.text))
    assert (
        f"extract: main content by {extracted.extractor} ({count} paragraphs)"
        == extracted.steps[-1]
    )


# --- decoding --------------------------------------------------------------------


def test_windows_1252_declared_by_meta() -> None:
    """A page in windows-1252 that says so in a <meta http-equiv> is read in it (its
    'iso-8859-1' label is read as windows-1252, as browsers do), and the step says so."""
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    body = ARTICLE.replace("agreed a set", "agreed – at a café in Zürich – a set")
    extracted = read_html(page(body, head).encode("cp1252"), "w1252.html")
    assert extracted.encoding == "cp1252"
    assert "agreed – at a café in Zürich – a set" in extracted.text
    assert extracted.steps[0] == (
        "decode: cp1252 (declared by <meta http-equiv='Content-Type' content='text/html; "
        "charset=iso-8859-1'>; read as cp1252, as browsers read 'iso-8859-1')"
    )


def test_meta_charset() -> None:
    """``<meta charset>`` names the encoding when nothing else does."""
    body = ARTICLE.replace("agreed a set", "agreed, in Kraków, a set")
    extracted = read_html(page(body, '<meta charset="iso-8859-2">').encode("iso-8859-2"), "p")
    assert (extracted.encoding, "in Kraków, a set" in extracted.text) == ("iso8859-2", True)
    assert extracted.steps[0] == "decode: iso8859-2 (declared by <meta charset='iso-8859-2'>)"


def test_encoding_argument_is_the_content_type_charset() -> None:
    """The caller's charset (a Content-Type header's) is used and overrides the page's
    <meta>; without it the same bytes read otherwise (the euro sign is 0xA4 in
    ISO-8859-15, a currency sign in windows-1252)."""
    body = ARTICLE.replace("a plan for", "a plan costing 5 € for")
    data = page(body, '<meta charset="windows-1252">').encode("iso-8859-15")
    given = read_html(data, "p", encoding="ISO-8859-15")
    assert (given.encoding, "costing 5 € for" in given.text) == ("iso8859-15", True)
    assert given.steps[0] == (
        "decode: iso8859-15 (charset 'ISO-8859-15' given by the caller; "
        "the page's <meta charset='windows-1252'> is overridden)"
    )
    assert "costing 5 ¤ for" in read_html(data, "p").text


def test_byte_order_mark_wins() -> None:
    """A byte-order mark names the encoding, whatever the caller or the page says."""
    data = b"\xff\xfe" + page(ARTICLE, '<meta charset="utf-8">').encode("utf-16-le")
    extracted = read_html(data, "p", encoding="cp1252")
    assert extracted.encoding == "utf-16"
    assert extracted.steps[0].startswith("decode: utf-16 (byte-order mark; it overrides")


def test_wrong_meta_charset_is_detected_not_trusted() -> None:
    """A page that declares UTF-8 but is windows-1252 is read by detection, and the step
    says the declaration is wrong; a wrong charset from the caller is an error."""
    body = ARTICLE.replace("agreed a set", "agreed – at a café – a set")
    data = page(body, '<meta charset="utf-8">').encode("cp1252")
    extracted = read_html(data, "p")
    assert "agreed – at a café – a set" in extracted.text
    assert (
        extracted.steps[0]
        == "decode: cp1252 (<meta charset='utf-8'> is wrong: the bytes are not utf-8; detected)"
    )
    with pytest.raises(UndecodableContentError, match=r"not valid utf-8, the encoding given"):
        read_html(data, "p", encoding="utf-8")


# --- facts -----------------------------------------------------------------------


def test_relative_canonical_made_absolute() -> None:
    """A relative canonical link is made absolute against the page's URL; without a URL
    it is not stated, and the step says why."""
    data = page(ARTICLE, '<link rel="canonical" href="../news/allies?x=1">').encode()
    extracted = read_html(data, "p", url="https://www.example.org/en/archive/page.html")
    assert extracted.facts.canonical_url == "https://www.example.org/en/news/allies?x=1"
    alone = read_html(data, "p")
    assert alone.facts.canonical_url is None
    assert (
        "facts: <link rel='canonical' href='../news/allies?x=1'> is not an http(s) URL and "
        "no page URL was given to resolve it against; ignored"
    ) in alone.steps


def test_date_is_the_publishers_own_day() -> None:
    """23:30 in UTC-5 on 12 March is 12 March (the day the publisher states), not the
    13 March it is in UTC."""
    head = '<meta property="article:published_time" content="2025-03-12T23:30:00-05:00">'
    facts = read_html(page(ARTICLE, head).encode(), "p").facts
    assert facts.published is not None
    assert dt.date(2025, 3, 12) == facts.published.value


def test_published_sources_in_order() -> None:
    """Without article:published_time, the date comes from JSON-LD, then dcterms.issued,
    then DC.date.issued, then a <time datetime> in the article; each says where."""
    ld = (
        '<script type="application/ld+json">{"@graph": [{"@type": "WebSite"}, '
        '{"@type": "NewsArticle", "datePublished": "2024-01-02"}]}</script>'
    )
    dcterms = '<meta name="dcterms.issued" content="2024-01-03">'
    dc = '<meta name="DC.date.issued" content="2024-01-04">'
    time = ARTICLE.replace("</h1>", '</h1><time datetime="2024-01-05T10:00">5 Jan</time>')
    cases = [
        (ld + dcterms + dc, time, "JSON-LD NewsArticle datePublished '2024-01-02'"),
        (dcterms + dc, time, "<meta name='dcterms.issued' content='2024-01-03'>"),
        (dc, time, "<meta name='DC.date.issued' content='2024-01-04'>"),
        ("", time, "<time datetime='2024-01-05T10:00'> in <article>"),
        ("", ARTICLE, None),
    ]
    found = []
    for head, body, _ in cases:
        published = read_html(page(body, head).encode(), "p").facts.published
        found.append(None if published is None else published.where)
    assert [where for _, _, where in cases] == found


def test_updated_dates() -> None:
    """Updates come from article:modified_time, JSON-LD dateModified, dcterms.modified and
    <time property="dateModified">, each distinct date once, oldest first."""
    head = (
        '<meta property="article:modified_time" content="2024-02-03T08:00:00+01:00">'
        '<meta name="dcterms.modified" content="2024-02-01">'
    )
    body = (
        ARTICLE
        + '<dl><dt>Date modified:</dt><dd><time property="dateModified">2024-02-03</time></dd></dl>'
    )
    facts = read_html(page(body, head).encode(), "p").facts
    assert [
        (dt.date(2024, 2, 1), "<meta name='dcterms.modified' content='2024-02-01'>"),
        (
            dt.date(2024, 2, 3),
            "<meta property='article:modified_time' content='2024-02-03T08:00:00+01:00'>",
        ),
    ] == [(s.value, s.where) for s in facts.updated]


@pytest.mark.parametrize(
    ("head", "title", "where"),
    [
        (
            '<meta property="og:title" content="From Open Graph">',
            "From Open Graph",
            "<meta property='og:title'>",
        ),
        (
            '<script type="application/ld+json">{"@type": "Article", "headline": "From LD"}'
            "</script>",
            "From LD",
            "JSON-LD Article headline",
        ),
        ("", "Allies agree space principles", "first <h1>"),
    ],
)
def test_title_sources(head: str, title: str, where: str) -> None:
    """The title is og:title, else the JSON-LD article headline, else the first <h1>."""
    stated = read_html(page(ARTICLE, head + "<title>T</title>").encode(), "p").facts.title
    assert stated is not None
    assert (title, where) == (stated.value, stated.where)


@pytest.mark.parametrize(
    ("site_name", "expected"),
    [
        (
            "Example News",
            ("Allies agree", "<title> (suffix '| Example News' removed: it repeats og:site_name)"),
        ),
        (None, ("Allies agree | Example News", "<title>")),
    ],
)
def test_title_suffix_removed_only_when_stated(
    site_name: str | None, expected: tuple[str, str]
) -> None:
    """A <title>'s " | Site" suffix is removed only when og:site_name says it is the site's
    name: nothing is guessed."""
    head = "<title>Allies agree | Example News</title>"
    if site_name is not None:
        head += f'<meta property="og:site_name" content="{site_name}">'
    body = ARTICLE.replace("<h1>Allies agree space principles</h1>", "")
    stated = read_html(page(body, head).encode(), "p").facts.title
    assert stated is not None
    assert expected == (stated.value, stated.where)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("en_US", "en-US"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("fr-CA", "fr-CA"),
        ("english", None),
        ("{{ lang }}", None),
        ("", None),
        ("en-", None),
    ],
)
def test_language(lang: str, expected: str | None) -> None:
    """<html lang> is normalised to a BCP 47 tag as usually written; junk is no language."""
    assert expected == read_html(page(ARTICLE, lang=lang).encode(), "p").facts.language


def test_facts_not_stated_are_none() -> None:
    """A page that states nothing about itself has no facts but the <h1> title, and the
    steps list what it does not state."""
    extracted = read_html(page(ARTICLE, lang="").encode(), "p")
    assert (
        extracted.facts.published,
        extracted.facts.document_type,
        extracted.facts.updated,
        extracted.facts.canonical_url,
        extracted.facts.language,
        extracted.facts.publisher,
    ) == (None, None, (), None, None, None)
    assert "facts: not stated: published, canonical URL, language, publisher" in extracted.steps


# --- main content ----------------------------------------------------------------

#: What a page may hold inside a paragraph that is never text a reader sees.
INLINE_SECRETS = (
    "<script>var leak = 'SECRET-SCRIPT';</script>"
    "<style>.x::after { content: 'SECRET-STYLE'; }</style>"
    "<!-- SECRET-COMMENT -->"
    "<noscript>SECRET-NOSCRIPT</noscript>"
    "<svg><text>SECRET-SVG</text></svg>"
    "<span hidden>SECRET-HIDDEN-SPAN</span>"
)
#: The same between paragraphs, with templates, hidden blocks and form fields.
SECRETS = (
    INLINE_SECRETS + "<template><p>SECRET-TEMPLATE</p></template>"
    "<div hidden><p>SECRET-HIDDEN</p></div>"
    "<form><textarea>SECRET-TEXTAREA</textarea><select><option>SECRET-OPTION</option>"
    "</select><button>SECRET-BUTTON</button></form>"
)


@pytest.mark.parametrize(
    ("url", "extractor"),
    [
        (None, "trafilatura"),
        ("https://www.gov.uk/government/news/allies", "lxml"),
    ],
    ids=["trafilatura", "site-rule"],
)
def test_hostile_page_leaks_nothing(url: str | None, extractor: str) -> None:
    """Scripts, styles, comments, <noscript>, templates, hidden elements, SVG and form
    fields (in the head, around and inside the article) never reach the text, whichever
    extractor reads it."""
    body = (
        f"{SECRETS}<main><h1>Allies agree space principles</h1>"
        f'<div class="govuk-govspeak">{SECRETS}'
        "<p>The ten partners agreed a set of principles for responsible behaviour in "
        f"space, {INLINE_SECRETS}and a plan for putting them into practice.</p>{SECRETS}"
        "<p>Officials said the principles would guide the work of national operations "
        f"centres and help partners share information quickly.</p>{SECRETS}</div></main>"
    )
    extracted = read_html(page(body, SECRETS).encode(), "hostile.html", url=url)
    assert extractor == extracted.extractor.split()[0]
    assert re.findall(r"SECRET-\w+", extracted.text) == []
    assert MARKUP.findall(extracted.text) == []
    assert paragraphs(extracted.text) == [
        "Allies agree space principles",
        "The ten partners agreed a set of principles for responsible behaviour in space, "
        "and a plan for putting them into practice.",
        "Officials said the principles would guide the work of national operations centres "
        "and help partners share information quickly.",
    ]


def test_blocks_become_paragraphs() -> None:
    """Headings, paragraphs, list items, quotes and table rows are one paragraph each;
    two <br> in a row break a paragraph, one is a space; entities are decoded."""
    body = (
        "<main><h1>Title</h1><p>One &amp; two&nbsp;three\n   four.</p><h2>Sub</h2>"
        "<ul><li>First item</li><li>Second <b>bold</b> item</li></ul>"
        "<blockquote><p>A quote.</p></blockquote>"
        "<table><tr><th>Nation</th><th>Joined</th></tr><tr><td>Norway</td><td>2020</td>"
        "</tr></table><p>Line one<br>line two<br><br>New paragraph.</p></main>"
    )
    head = '<meta property="og:site_name" content="GOV.UK">'
    body = body.replace("<main>", '<main><div class="govuk-govspeak">').replace(
        "</main>", "</div></main>"
    )
    extracted = read_html(page(body, head).encode(), "p")
    assert paragraphs(extracted.text) == [
        "Title",
        "One & two three four.",
        "Sub",
        "First item",
        "Second bold item",
        "A quote.",
        "Nation | Joined",
        "Norway | 2020",
        "Line one line two",
        "New paragraph.",
    ]


def test_control_characters_written_as_references_are_dropped() -> None:
    """A control character a page writes as a character reference (``&#7;``) is in no
    fact and no paragraph, and the steps count it."""
    head = '<meta property="og:title" content="Allies&#7; agree">'
    body = ARTICLE.replace("agreed a set", "agreed&#7; a set")
    extracted = read_html(page(body, head).encode(), "p")
    assert extracted.facts.title is not None
    assert extracted.facts.title.value == "Allies agree"
    assert "The ten partners agreed a set of principles" in extracted.text
    assert "\x07" not in extracted.text
    expected = "parse: 2 control characters written as character references dropped (never text)"
    assert expected in extracted.steps


GOVUK_PAGE = page(
    '<main id="content"><h1>Allies agree space principles</h1>'
    '<p class="gem-c-lead-paragraph">The partners met in London.</p>'
    '<div class="gem-c-govspeak govuk-govspeak"><div class="govspeak">'
    "<p>The ten partners agreed a set of principles for responsible behaviour in space, "
    "and a plan for putting them into practice over the coming year.</p>"
    "<figure><img src='a.jpg' alt=''><figcaption>Delegates at the meeting.</figcaption>"
    "</figure>"
    "<p>Officials said the principles would guide the work of national operations centres "
    "and help partners share information quickly and reliably.</p>"
    '<section class="gem-c-attachment"><h3>Joint statement: February 2024</h3>'
    "<p>PDF, 245 KB, 4 pages</p></section>"
    "</div></div></main>"
)


def test_site_rule_against_no_rule() -> None:
    """The same GOV.UK-shaped page read from www.gov.uk uses the GOV.UK rule, whose
    removals (attachment block, figure) are counted in the steps; read from another host
    it is left to trafilatura, and no rule is told."""
    data = GOVUK_PAGE.encode()
    ruled = read_html(data, "p", url="https://www.gov.uk/government/news/allies")
    plain = read_html(data, "p", url="https://mirror.example.org/allies")
    assert [s for s in ruled.steps if s.startswith("extract: site rule")] == [
        "extract: site rule 'GOV.UK' (matched host www.gov.uk of the URL; select "
        "'main p.gem-c-lead-paragraph, main div.govuk-govspeak'; removed 2 elements: "
        "1 x 'section.gem-c-attachment', 1 x 'figure')"
    ]
    assert paragraphs(ruled.text) == [
        "Allies agree space principles",
        "The partners met in London.",
        "The ten partners agreed a set of principles for responsible behaviour in space, "
        "and a plan for putting them into practice over the coming year.",
        "Officials said the principles would guide the work of national operations centres "
        "and help partners share information quickly and reliably.",
    ]
    assert [s for s in plain.steps if s.startswith("extract: site rule")] == []
    assert plain.extractor.startswith("trafilatura ")


def test_site_rule_matched_by_site_name() -> None:
    """Without a URL, a page whose og:site_name is a rule's site name gets that rule."""
    head = '<meta property="og:site_name" content="GOV.UK">'
    extracted = read_html(GOVUK_PAGE.replace("<head>", "<head>" + head).encode(), "p")
    assert extracted.extractor.split()[0] == "lxml"
    assert "(matched og:site_name 'GOV.UK';" in " ".join(extracted.steps)


def test_site_rule_without_its_elements_falls_back() -> None:
    """A page on a rule's host without the rule's elements is read by trafilatura, and
    the steps say the rule found nothing."""
    extracted = read_html(page(ARTICLE).encode(), "p", url="https://www.gov.uk/x")
    assert extracted.extractor.startswith("trafilatura ")
    assert (
        "extract: site rule 'GOV.UK' (matched host www.gov.uk of the URL) found none of its "
        "select expressions in the page; main content left to trafilatura"
    ) in extracted.steps


# --- errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b'{"base_path": "/government/news/x", "details": {}}', "JSON"),
        (b"Allies agree space principles\n\nThe ten partners agreed.", "plain text"),
        (b'<?xml version="1.0"?><rss><channel></channel></rss>', "XML, not HTML"),
    ],
    ids=["pdf", "png", "jpeg", "zip", "json", "text", "rss"],
)
def test_not_html(data: bytes, looks_like: str) -> None:
    """Bytes that are not an HTML page are an IngestError saying what they look like."""
    with pytest.raises(IngestError) as caught:
        read_html(data, "capture.bin")
    assert caught.value.source == "capture.bin"
    assert str(caught.value).startswith(
        f"cannot read capture.bin as HTML: the bytes are not an HTML page, they look like "
        f"{looks_like}"
    )


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><footer>© 2024</footer>",
        "<main><h1>Allies agree space principles</h1></main>",
    ],
    ids=["empty", "only-navigation", "only-title"],
)
def test_no_main_content(body: str) -> None:
    """A page whose body has no article text is an IngestError naming its title and
    saying what to do, never an empty extraction or a library's traceback."""
    data = page(body, "<title>Allies agree space principles</title>").encode()
    with pytest.raises(
        IngestError,
        match=r"no main content found: the page titled 'Allies agree space principles' has "
        r"no article text in its body .*add a site rule for its template to "
        r"profiles/sites\.toml",
    ):
        read_html(data, "empty.html")


def test_hostile_nesting_is_an_error_not_a_loss() -> None:
    """A page nested deeper than lxml reads (256 levels) is an IngestError, not a page
    whose deeper part is silently lost."""
    deep = "<div>" * 300 + "<p>The deepest paragraph.</p>" + "</div>" * 300
    with pytest.raises(IngestError, match=r"lxml stopped reading it at line 7: excessive depth"):
        read_html(page(f"<main>{deep}</main>").encode(), "deep.html")


def test_empty_capture() -> None:
    """Zero bytes are an IngestError (from decoding)."""
    with pytest.raises(IngestError, match=r"capture is empty"):
        read_html(b"", "empty.html")


def test_trafilatura_logs_are_collected_not_printed(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """While trafilatura runs, what it logs is collected (to tell in steps), printed
    nowhere, and the loggers are restored afterwards."""
    logger = logging.getLogger("trafilatura.core")
    before = logging.getLogger("trafilatura").propagate
    with caplog.at_level(logging.WARNING), _quiet() as messages:
        logger.warning("discarding data: %s", "x")
    assert (messages, caplog.records, capsys.readouterr().err) == (["discarding data: x"], [], "")
    assert before == logging.getLogger("trafilatura").propagate


# --- site rules ------------------------------------------------------------------

RULES_PATH = str(FOLDER / "sites.toml")
GOOD_SITE = {"name": "Demo", "hosts": ["demo.example"], "select": ["//main"]}


def test_shipped_site_rules_load() -> None:
    """profiles/sites.toml loads and names the four publisher templates."""
    assert [site.name for site in _sites()] == [
        "GOV.UK",
        "US Department of Defense (DNN)",
        "Canada.ca",
        "Australian Department of Defence (Drupal)",
    ]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"site": [{**GOOD_SITE, "selct": ["//x"]}]},
            r"site rules file sites\.toml: \[\[site\]\] 1 \('Demo'\): unknown key 'selct'; "
            r"the keys are name, hosts, site_names, select, remove: fix its spelling",
        ),
        (
            {"sites": []},
            r"sites\.toml: top level: unknown key 'sites'; the file holds only \[\[site\]\]",
        ),
        (
            {"site": [{"name": "Demo", "hosts": ["demo.example"]}]},
            r"\[\[site\]\] 1 \('Demo'\): no 'select'; add select = \.\.\.",
        ),
        (
            {"site": [{**GOOD_SITE, "select": ["//div["]}]},
            r"\('Demo'\): select expression '//div\[' is neither a CSS selector nor XPath "
            r"1\.0 .*write a CSS selector such as 'main div\.govuk-govspeak', or XPath",
        ),
        (
            {"site": [{**GOOD_SITE, "remove": ["div..caption"]}]},
            r"remove expression 'div\.\.caption' is neither a CSS selector nor XPath 1\.0",
        ),
        (
            {"site": [{**GOOD_SITE, "select": ["(count(//p))"]}]},
            r"select expression '\(count\(//p\)\)' gives a float, not elements",
        ),
        (
            {"site": [{**GOOD_SITE, "hosts": ["https://demo.example/"]}]},
            r"host 'https://demo\.example/' is not a lowercase host name",
        ),
        (
            {"site": [{**GOOD_SITE, "hosts": "demo.example"}]},
            r"'hosts' is not a list of strings; write hosts = \[\"\.\.\.\"\]",
        ),
        (
            {"site": [GOOD_SITE, GOOD_SITE]},
            r"\[\[site\]\] 2 \('Demo'\): a second site named 'Demo'; rename one",
        ),
    ],
    ids=[
        "unknown-key",
        "unknown-table",
        "missing-key",
        "bad-xpath",
        "bad-css",
        "value-not-elements",
        "bad-host",
        "not-a-list",
        "duplicate",
    ],
)
def test_bad_site_rules(document: dict[str, Any], message: str) -> None:
    """A mistake in the site rules is an ArchiveFormatError naming the file, the site and
    the fix."""
    with pytest.raises(ArchiveFormatError, match=message) as caught:
        _compile_sites(document, RULES_PATH)
    assert caught.value.path == RULES_PATH


def test_lazy_imports() -> None:
    """Importing the ingest package loads neither lxml nor trafilatura, and the site rules
    are read on first use, not on import."""
    code = (
        "import sys, cspo_archive.ingestion, cspo_archive.ingestion._html as h\n"
        "print(sorted(m for m in ('lxml', 'trafilatura') if m in sys.modules),"
        " h._sites.cache_info().currsize)"
    )
    assert python_output(code) == "[] 0\n"
