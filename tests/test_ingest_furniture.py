"""Page furniture of other publishers, and the data file its rules live in.

The rules are in ``cspo_archive/profiles/ingest.toml``. Every capture here is
invented: a title, a few paragraphs about space-security cooperation, and the
furniture of US defense-department sites, canada.ca, defence.gov.au,
nzdf.mil.nz, ministries and news sites around them. Each test checks that the
publication's text is exactly its paragraphs and that each removal is recorded
with its kind; the negative tests check that sentences which look like
furniture stay in the text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import python_output
from cspo_archive.exceptions import ArchiveFormatError
from cspo_archive.ingestion import Ingested, ingest
from cspo_archive.ingestion._furniture import _rules, load_rules
from cspo_archive.ingestion._records import Furniture
from cspo_archive.model import DateSource, DocumentType
from cspo_archive.profiles import FOLDER

DATA_FILE = FOLDER / "ingest.toml"

TITLE = "Partners agree on rules for close approaches in orbit"
PARAGRAPHS = (
    "The partners agreed on shared rules for close approaches between satellites.",
    "Operators will give notice before any planned approach near another satellite.",
    "The rules take effect in the spring and will be reviewed every two years.",
)

# --- helpers -------------------------------------------------------------------------


def page(*blocks: str) -> bytes:
    """A capture of *blocks* (each one or more lines) separated by blank lines, as UTF-8."""
    return ("\n\n".join(blocks) + "\n").encode()


def text_of(*paragraphs: str) -> str:
    """The canonical text of a publication made of *paragraphs*."""
    return "\n\n".join(paragraphs) + "\n"


def removed(capture: Ingested) -> list[tuple[str, str]]:
    """(kind, text) of each removal, link targets left out."""
    return [(f.kind, f.text) for f in capture.furniture if f.kind != "link-target"]


#: A publication's title and text, and the (kind, text) of each removal.
Outcome = tuple[str, str, list[tuple[str, str]]]


def outcome(data: bytes) -> Outcome:
    """The title and text of the one publication *data* holds, and what was removed."""
    capture = ingest(data)
    (publication,) = capture.publications
    return publication.title, publication.text, removed(capture)


def kept(sentence: str) -> None:
    """Check that *sentence*, a paragraph between others, stays in the text whole."""
    data = page(TITLE, PARAGRAPHS[0], sentence, *PARAGRAPHS[1:])
    expected: Outcome = (TITLE, text_of(PARAGRAPHS[0], sentence, *PARAGRAPHS[1:]), [])
    assert expected == outcome(data)


# --- photos ------------------------------------------------------------------------------


def test_credit_with_its_caption_id_and_download_link_is_one_block() -> None:
    """A caption line, the credit just below it, the image id and the download link
    below that are one image-caption block."""
    caption = (
        "Guardians and allied officers review orbital data during the rehearsal.\n"
        "(U.S. Space Force photo by Senior Airman Jane Doe)\n"
        "250312-F-AB123-1001\n"
        "Download: Full Size (2.1 MB)"
    )
    data = page(TITLE, PARAGRAPHS[0], caption, PARAGRAPHS[1], PARAGRAPHS[2])
    capture = ingest(data)
    expected = (text_of(*PARAGRAPHS), [Furniture("image-caption", (5, 8), caption)])
    assert expected == (capture.publications[0].text, list(capture.furniture))


@pytest.mark.parametrize(
    "credit",
    [
        "(Photo by Staff Sgt. Jane Doe, U.S. Air Force)",
        "(U.S. Army photo by Spc. John Roe)",
        "(DOD photo)",
        "(Courtesy photo)",
        "(Photo courtesy of the National Space Agency)",
        "Photo: Department of Defence",
        "Photo credit: Department of National Defence",
        "Image: Defence",
        "Credit: New Zealand Defence Force",
        "Courtesy photo",
        "Photo by Jane Doe",
        "U.S. Navy photo by Petty Officer Jane Doe",
    ],
)
def test_credit_line_under_its_caption_takes_the_caption(credit: str) -> None:
    """A credit line directly below a one-line caption: both go, as one block."""
    caption = "Delegates tour the new combined operations floor in Canberra."
    data = page(TITLE, PARAGRAPHS[0], f"{caption}\n{credit}", PARAGRAPHS[1], PARAGRAPHS[2])
    expected = (TITLE, text_of(*PARAGRAPHS), [("image-caption", f"{caption}\n{credit}")])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "credit",
    [
        "(Photo by Staff Sgt. Jane Doe, U.S. Air Force)",
        "Photo: Department of Defence",
        "Credit: Royal Australian Air Force",
        "Courtesy photo",
    ],
)
def test_credit_line_alone_is_removed(credit: str) -> None:
    """A credit line with a blank line above it goes alone; the paragraph above stays."""
    data = page(TITLE, PARAGRAPHS[0], credit, PARAGRAPHS[1], PARAGRAPHS[2])
    expected = (TITLE, text_of(*PARAGRAPHS), [("image-caption", credit)])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "caption",
    [
        "Delegates tour the new operations floor. (Photo: Ministry of Defence)",
        "Guardians train at the range. (U.S. Space Force photo by Airman Jane Doe)",
        "Officers from five nations plan the rehearsal (DOD photo)",
        "Delegates gather in the hall before the talks. Photo: Defence Media",
        "Operators watch the launch | Photo by Jane Doe",
        "Guardians train at the range, March 12, 2025. 250312-F-AB123-1001",
    ],
)
def test_caption_with_its_credit_or_image_id_in_the_line_is_removed(caption: str) -> None:
    """A caption line that ends with its credit, or holds an image id, is image-caption."""
    data = page(TITLE, PARAGRAPHS[0], PARAGRAPHS[1], caption, PARAGRAPHS[2])
    expected = (TITLE, text_of(*PARAGRAPHS), [("image-caption", caption)])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("image-id", "250312-F-AB123-1001"),
        ("image-id", "VIRIN: 250312-F-AB123-1001"),
        ("image-download", "Download: Full Size (2.1 MB)"),
        ("image-download", "Download Image"),
        ("image-download", "Full Size (3.4 MB)"),
        ("image-download", "Download high-resolution image (JPG, 1.2 MB)"),
    ],
)
def test_image_ids_and_download_links_are_removed(kind: str, line: str) -> None:
    """An image id alone on a line, and an image download link, are furniture."""
    data = page(TITLE, PARAGRAPHS[0], line, PARAGRAPHS[1], PARAGRAPHS[2])
    expected = (TITLE, text_of(*PARAGRAPHS), [(kind, line)])
    assert expected == outcome(data)


def test_a_paragraph_above_a_credit_is_no_caption() -> None:
    """The last line of a paragraph of several lines is no caption: only the credit goes."""
    paragraph = "The partners agreed to share data\nabout objects in orbit."
    data = page(TITLE, f"{paragraph}\nPhoto: Defence Media", *PARAGRAPHS[1:])
    expected = (
        TITLE,
        text_of(paragraph, *PARAGRAPHS[1:]),
        [("image-caption", "Photo: Defence Media")],
    )
    assert expected == outcome(data)


def test_a_capture_without_blank_lines_loses_only_the_credit() -> None:
    """Without blank lines nothing sets a caption apart from text: only the credit goes."""
    caption = "Guardians review orbital data."
    lines = [TITLE, PARAGRAPHS[0], caption, "Photo: Defence", *PARAGRAPHS[1:]]
    data = ("\n".join(lines) + "\n").encode()
    expected = (
        TITLE,
        text_of(PARAGRAPHS[0], caption, *PARAGRAPHS[1:]),
        [("image-caption", "Photo: Defence")],
    )
    assert expected == outcome(data)


def test_a_title_above_a_credit_stays_the_title() -> None:
    """A heading (no full stop) is never a caption: the title stays when a credit follows it."""
    data = page(f"{TITLE}\nPhoto: Department of Defence", *PARAGRAPHS)
    expected = (TITLE, text_of(*PARAGRAPHS), [("image-caption", "Photo: Department of Defence")])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "The photo shows the delegates at the new headquarters.",
        "The partners shared images of the debris (see photo) with each other.",
        "Photos of the meeting are available on request.",
        "Credit for the idea goes to the Canadian delegation, said the minister.",
        "Image analysts from five nations will work side by side.",
    ],
)
def test_sentences_about_photos_stay(sentence: str) -> None:
    """Sentences that mention photos, images or credit are text."""
    kept(sentence)


# --- bylines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "byline",
    [
        "By Jane Doe, DOD News",
        "By Jane Doe | Defence Correspondent",
        "By Jane Doe and John Roe",
        "By Staff Sgt. Jane Q. Doe, Space Delta 2 Public Affairs",
        "Written by Jane Doe",
        "Story by John Roe",
        "Author: Jane Doe",
        "BY JANE DOE",
    ],
)
def test_bylines_are_removed(byline: str) -> None:
    """A short line naming the author, the names capitalised, is a byline."""
    data = page(TITLE, byline, *PARAGRAPHS)
    expected = (TITLE, text_of(*PARAGRAPHS), [("byline", byline)])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "By 2031, the partners aim to track every object larger than ten centimetres.",
        "By working together, the partners deter hostile acts in orbit.",
        "By Monday the Board will publish its outcomes.",
        "By December 2025 the partners had met nine times.",
        "By the end of the decade, the Initiative will have ten members.",
    ],
)
def test_sentences_starting_with_by_stay(sentence: str) -> None:
    """A sentence that happens to start with 'By' is text, not a byline."""
    kept(sentence)


# --- share, print, app and newsletter lines ------------------------------------------------


def test_share_print_app_and_newsletter_lines_are_removed() -> None:
    """Share, copy, e-mail and print links, and app and newsletter promotions, are furniture."""
    share = "Share on Facebook\nShare on X\nCopy link\nEmail this page\nPrint"
    promotions = [
        "Download our app",
        "Get the app",
        "Sign up to our daily briefing",
        "Subscribe to our newsletter",
        "Follow us on X, Facebook and LinkedIn",
    ]
    data = page(TITLE, share, *PARAGRAPHS, *promotions)
    removals = [
        ("share-links", "Share on Facebook"),
        ("share-links", "Share on X"),
        ("share-links", "Copy link"),
        ("share-links", "Email this page"),
        ("print-link", "Print"),
        *(("site-promotion", line) for line in promotions),
    ]
    expected = (TITLE, text_of(*PARAGRAPHS), removals)
    assert expected == outcome(data)


def test_share_block_takes_its_links() -> None:
    """'Share' alone and the social links below it are one share-links block."""
    data = page(TITLE, *PARAGRAPHS, "Share", "Facebook", "LinkedIn", "Email")
    expected = (TITLE, text_of(*PARAGRAPHS), [("share-links", "Share\nFacebook\nLinkedIn\nEmail")])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "Share information about threats quickly, the partners agreed.",
        "Print media covered the meeting widely.",
        "Follow the partners as they build resilience.",
        "Sign up for the CSpO briefing to be held in May, said the minister.",
        "Subscribe to the principles of responsible behaviour.",
    ],
)
def test_sentences_about_sharing_and_printing_stay(sentence: str) -> None:
    """Sentences that start like a share or promotion link are text."""
    kept(sentence)


# --- lists of other pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Most popular",
        "Most read",
        "Recommended",
        "Read more",
        "Read more:",
        "Related stories",
        "Related releases",
        "Related links",
        "More from Defence News",
        "You may also like",
        "Trending",
    ],
)
def test_lists_of_other_pages_are_removed(header: str) -> None:
    """A list header and the headlines below it are one related-links block."""
    headlines = ("Allies meet to agree on safe rules", "New centre tracks debris for ten nations")
    data = page(TITLE, *PARAGRAPHS, header, *headlines)
    expected = (TITLE, text_of(*PARAGRAPHS), [("related-links", "\n".join((header, *headlines)))])
    assert expected == outcome(data)


def test_a_list_between_paragraphs_ends_at_the_next_paragraph() -> None:
    """A list in the middle of the text ends where sentences start again."""
    block = "Most read\nBoard welcomes three new members\nPartners rehearse a satellite outage"
    data = page(TITLE, PARAGRAPHS[0], block, *PARAGRAPHS[1:])
    expected = (TITLE, text_of(*PARAGRAPHS), [("related-links", block)])
    assert expected == outcome(data)


def test_inline_read_more_line_is_removed() -> None:
    """'Read more: <headline>' in one line is related-links furniture."""
    line = "Read more: Allies publish a guide to safe manoeuvres"
    data = page(TITLE, PARAGRAPHS[0], line, *PARAGRAPHS[1:])
    expected = (TITLE, text_of(*PARAGRAPHS), [("related-links", line)])
    assert expected == outcome(data)


def test_list_headers_that_could_head_text_need_a_list() -> None:
    """A 'Recommended' heading over sentences, and 'Read more about ...', stay in the text."""
    paragraphs = (
        PARAGRAPHS[0],
        "Recommended",
        "The partners recommended a shared catalogue of objects in orbit.",
        "Read more about the principles in the annex.",
        *PARAGRAPHS[1:],
    )
    expected: Outcome = (TITLE, text_of(*paragraphs), [])
    assert expected == outcome(page(TITLE, *paragraphs))


# --- press aggregators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("12 March 2025 | Press release | Ministry of Defence", dt.date(2025, 3, 12)),
        ("Mar. 12, 2025 · News release", dt.date(2025, 3, 12)),
        ("Press release · 12 March 2025", None),
        ("Ministry of Defence | Mar. 12, 2025 | News", None),
    ],
)
def test_aggregator_date_line_is_removed(line: str, published: dt.date | None) -> None:
    """A date among short fields separated by '|' or '·' is furniture; a date that begins
    the line is the page's date of publication (one after other fields is not read)."""
    capture = ingest(page(TITLE, line, *PARAGRAPHS))
    (publication,) = capture.publications
    date = publication.published
    expected = (
        text_of(*PARAGRAPHS),
        [("press-aggregator", line)],
        None if published is None else (published, DateSource.STATED),
    )
    actual = (
        publication.text,
        removed(capture),
        None if date is None else (date.value, date.source),
    )
    assert expected == actual


def test_source_and_distributor_lines_are_removed() -> None:
    """'Source: ...' and 'Distributed by ...' lines are press-aggregator furniture."""
    source = "Source: Ministry of Defence"
    distributor = "Distributed by Press Wire on behalf of the Ministry of Defence."
    data = page(TITLE, *PARAGRAPHS, source, distributor)
    removals = [("press-aggregator", source), ("press-aggregator", distributor)]
    expected = (TITLE, text_of(*PARAGRAPHS), removals)
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "Source: The catalogue is compiled from the partners’ data.",
        "Source data for the catalogue came from the partners.",
        "Distributed by the Board to all members, the statement sets out the goals.",
    ],
)
def test_sentences_about_sources_stay(sentence: str) -> None:
    """A sentence about a source or a distribution is text."""
    kept(sentence)


# --- attachments -------------------------------------------------------------------------


def test_attachment_lines_are_removed() -> None:
    """A line with a file type and size anywhere in it is attachment furniture."""
    lines = [
        "Joint Statement from the Board (ODT, 968 KB)",
        "Download the statement (PDF, 245 KB)",
        "statement.pdf (120 KB)",
        "U.S. Space Command fact sheet [PDF 1.1MB]",
    ]
    data = page(TITLE, *PARAGRAPHS, *lines)
    expected = (TITLE, text_of(*PARAGRAPHS), [("attachment", line) for line in lines])
    assert expected == outcome(data)


def test_attachment_line_never_starts_a_publication() -> None:
    """An attachment line naming a publication type, with text after it, splits nothing
    (read as a heading, it would start a second publication)."""
    line = "Joint Statement from the Board (ODT, 968 KB)"
    data = page(TITLE, PARAGRAPHS[0], line, *PARAGRAPHS[1:])
    expected = (TITLE, text_of(*PARAGRAPHS), [("attachment", line)])
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "The annex (PDF, 245 KB) sets out the agreed principles.",
        "The partners published the annex (PDF, 245 KB).",
        "The Board met in Toulouse. Download the statement (PDF, 245 KB)",
    ],
)
def test_file_details_in_a_sentence_stay(sentence: str) -> None:
    """File details inside a sentence, or after one, leave the sentence in the text."""
    kept(sentence)


# --- addresses ---------------------------------------------------------------------------


def test_url_lines_are_removed() -> None:
    """A line that is only a web address, or a labelled short URL or permalink, is page-url."""
    lines = [
        "https://www.defense.gov/News/Releases/Release/Article/1234567/",
        "www.example.gov/x",
        "Short URL: https://go.example.gov/abc",
        "Permalink: https://example.gov/p/123",
    ]
    data = page(TITLE, *PARAGRAPHS, *lines)
    expected = (TITLE, text_of(*PARAGRAPHS), [("page-url", line) for line in lines])
    assert expected == outcome(data)


def test_a_sentence_with_an_address_stays() -> None:
    """A sentence that gives an address is text."""
    kept("The guide is published at https://www.example.gov/guide for all operators.")


# --- site banners and navigation ----------------------------------------------------------

US_BANNER = (
    "An official website of the United States government\n"
    "Here's how you know\n"
    "Official websites use .gov\n"
    "A .gov website belongs to an official government organization in the United States.\n"
    "Secure .gov websites use HTTPS\n"
    "A lock or https:// means you've safely connected to the .gov website. Share sensitive "
    "information only on official, secure websites."
)
COOKIES = (
    "We use cookies to make this site work and to understand how you use it.",
    "Accept all cookies",
    "Reject all cookies",
)


def test_us_banner_cookies_and_navigation_are_removed() -> None:
    """The US government banner, a cookie banner, skip and back-to-top links are furniture."""
    data = page(
        US_BANNER,
        "Skip to main content",
        "Official website of the Department of Defense",
        *COOKIES,
        TITLE,
        *PARAGRAPHS,
        "top of page",
        "Back to top",
    )
    removals = [
        ("site-banner", US_BANNER),
        ("skip-link", "Skip to main content"),
        ("site-banner", "Official website of the Department of Defense"),
        ("cookie-banner", "\n".join(COOKIES)),
        ("back-to-top", "top of page"),
        ("back-to-top", "Back to top"),
    ]
    expected = (TITLE, text_of(*PARAGRAPHS), removals)
    assert expected == outcome(data)


def test_canada_banner_and_language_toggle_are_removed() -> None:
    """'Government of Canada', 'Gouvernement du Canada' and 'Français' are furniture."""
    skip = "Skip to \u201cAbout government\u201d"
    banner = ["Government of Canada", "Gouvernement du Canada", "Français"]
    data = page(skip, *banner, TITLE, *PARAGRAPHS)
    removals = [
        ("skip-link", skip),
        ("site-banner", "Government of Canada"),
        ("site-banner", "Gouvernement du Canada"),
        ("language-toggle", "Français"),
    ]
    expected = (TITLE, text_of(*PARAGRAPHS), removals)
    assert expected == outcome(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "Government of Canada officials attended the talks as observers.",
        "The official website of the Initiative will host the statement.",
        "We use shared data to track debris.",
        "The partners said English and French texts are equally authentic.",
    ],
)
def test_sentences_about_governments_and_websites_stay(sentence: str) -> None:
    """Sentences that start like a banner are text."""
    kept(sentence)


# --- datelines ---------------------------------------------------------------------------


@pytest.mark.parametrize("dateline", ["OTTAWA, Ontario –", "WASHINGTON —", "CANBERRA, Australia –"])
@pytest.mark.parametrize("where", ["above the title", "before the text"])
def test_place_datelines_are_removed(dateline: str, where: str) -> None:
    """A place in capitals and a dash, alone above the title or the text, is furniture."""
    if where == "above the title":
        data = page(dateline, TITLE, *PARAGRAPHS)
    else:
        data = page(TITLE, dateline, *PARAGRAPHS)
    expected = (TITLE, text_of(*PARAGRAPHS), [("place-dateline", dateline)])
    assert expected == outcome(data)


def test_a_dateline_that_begins_a_paragraph_stays() -> None:
    """A dateline followed by the sentence in the same line is text."""
    kept("WASHINGTON — The partners met today to agree on shared rules.")


# --- the data file -------------------------------------------------------------------------


def test_every_entry_of_the_data_file_compiles() -> None:
    """Every entry of the shipped ingest.toml compiles (read from the TOML itself), with a
    valid kind, and ingest uses exactly those rules (read from the parsed JSON beside it)."""
    from_toml = load_rules(DATA_FILE)
    shipped = _rules()
    for pattern in from_toml.furniture:
        Furniture(pattern.kind, (1, 1), "")  # raises for a kind a removal cannot have
    expected = (
        str(DATA_FILE),
        [(p.kind, p.start.pattern, p.start.flags) for p in from_toml.furniture],
        dict(from_toml.labels),
    )
    actual = (
        shipped.source,
        [(p.kind, p.start.pattern, p.start.flags) for p in shipped.furniture],
        dict(shipped.labels),
    )
    assert expected == actual


def test_import_reads_no_rules() -> None:
    """Importing cspo_archive.ingestion reads and compiles nothing; the first ingest does."""
    code = (
        "import cspo_archive.ingestion as m; from cspo_archive.ingestion import _furniture as f; "
        "before = f._rules.cache_info().currsize; m.ingest(b'Title\\n\\nText here.\\n'); "
        "print(before, f._rules.cache_info().currsize)"
    )
    expected = "0 1"
    assert expected == python_output(code).strip()


VALID = """
[patterns]
words = '\\w+(?:\\s+\\w+)*'

[[furniture]]
kind = "skip-link"
start = 'skip\\s+to\\s+content'

[[furniture]]
kind = "share-links"
start = 'share:?'
follow = "words"
gap = true

[labels]
"news story" = "news-story"
"statement" = ""
"""


def test_a_valid_file_given_by_path_is_used(tmp_path: Path) -> None:
    """load_rules(path) compiles that file: its entries, shared patterns and labels."""
    path = tmp_path / "rules.toml"
    path.write_text(VALID, encoding="utf-8")
    rules = load_rules(path)
    follow = rules.furniture[1].follow
    expected = (
        str(path),
        ["skip-link", "share-links"],
        True,
        True,
        {"news story": DocumentType.NEWS_STORY, "statement": None},
    )
    actual = (
        rules.source,
        [p.kind for p in rules.furniture],
        follow is not None and follow.fullmatch("Facebook page") is not None,
        rules.any_start.fullmatch("Share:") is not None,
        dict(rules.labels),
    )
    assert expected == actual


THIRD = "rules.toml: the 3rd [[furniture]] entry (kind 'related-links'): "


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "start = 'related'\nfolow = 'x'",
            THIRD + "unknown key 'folow'; the keys are kind, start, follow",
        ),
        ("start = 'related(links'", THIRD + "'start' is not a valid regular expression"),
        (
            "start = 'related {when}'",
            THIRD + "'start' names an unknown placeholder {when}; use one of {date}",
        ),
        ("start = 'related'\ngap = 'yes'", THIRD + "'gap' is str 'yes'; write gap = true or false"),
        ("start = 'related'\nfollow = 'x'\nlimit = 0", THIRD + "'limit' is int 0; write limit ="),
        ("start = 'related'\ndates = 'later'", THIRD + "'dates' is str 'later'; write dates ="),
        ("start = 42", THIRD + "'start' is int 42, not a regex; write start = '<regex>'"),
        ("start = 'related'\nneeds_follow = true", THIRD + "'needs_follow' has no effect without"),
        ("follow = 'x'", THIRD + "'start' is missing; add start = '<regex>'"),
    ],
)
def test_broken_entry_is_a_format_error_naming_it(tmp_path: Path, entry: str, message: str) -> None:
    """A bad entry raises ArchiveFormatError naming the file, the entry (index and kind),
    what is wrong and the fix."""
    path = tmp_path / "rules.toml"
    text = VALID.replace("[labels]", f'[[furniture]]\nkind = "related-links"\n{entry}\n\n[labels]')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveFormatError) as caught:
        load_rules(path)
    error = str(caught.value)
    expected = (str(path), True, True)
    assert expected == (caught.value.path, error.startswith(str(tmp_path)), message in error)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("[patterns]", "[patterns]\nloop = '{loop}'"),
            "[patterns] entry 'loop': 'loop' names itself through its placeholders",
        ),
        (
            ("[patterns]", "[patterns]\ndate = 'x'"),
            "[patterns] entry 'date': the name is not usable as a placeholder",
        ),
        (
            ('"statement" = ""', '"Statement" = ""'),
            "[labels] entry 'Statement': labels are looked up in lower case",
        ),
        (
            ('"statement" = ""', '"statement" = "memo"'),
            "[labels] entry 'statement': the document type is str 'memo'",
        ),
        (("[labels]", "[label]"), "the table 'label': is not one this file may have"),
        (('kind = "skip-link"', 'kind = "Skip Link"'), "the 1st [[furniture]] entry: 'kind' is"),
    ],
)
def test_broken_tables_are_format_errors(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    """Bad shared patterns, labels, table names and kinds raise ArchiveFormatError saying where."""
    path = tmp_path / "rules.toml"
    path.write_text(VALID.replace(*change), encoding="utf-8")
    with pytest.raises(ArchiveFormatError, match=r"rules\.toml: ") as caught:
        load_rules(path)
    expected = True
    assert expected == (message in str(caught.value))


def test_unreadable_or_invalid_files_are_format_errors(tmp_path: Path) -> None:
    """A missing file, or one that is not TOML, raises ArchiveFormatError naming it."""
    with pytest.raises(ArchiveFormatError, match=r"missing\.toml: .*; check the path"):
        load_rules(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[furniture]\n", encoding="utf-8")
    with pytest.raises(ArchiveFormatError, match=r"broken\.toml is not valid TOML"):
        load_rules(broken)


# --- menus and organisation names above a title -------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Home News Media releases Speeches", "navigation"),
        ("Media | About us | Contact us | Search", "navigation"),
        ("Ministry of Defence", "organisation-name"),
        ("Department of National Defence", "organisation-name"),
        ("Office of the Prime Minister", "organisation-name"),
    ],
)
def test_a_menu_or_an_organisation_above_the_title_is_not_the_title(line: str, kind: str) -> None:
    """A menu run together or a ministry's name above the headline is furniture."""
    expected: Outcome = (TITLE, text_of(*PARAGRAPHS), [(kind, line)])
    assert outcome(page(line, TITLE, *PARAGRAPHS)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Home news and media releases were shared with the partners",
        "Department of Defense officials said the drill went well",
        "The Ministry of Defence welcomed the agreement.",
    ],
)
def test_sentences_about_menus_or_ministries_stay_text(sentence: str) -> None:
    """Sentences that begin like a menu or a ministry's name are text."""
    kept(sentence)
