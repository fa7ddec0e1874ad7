"""The PDF reader: paragraphs out of real generated PDFs, furniture, facts, pages, errors."""

from __future__ import annotations

import datetime as dt
import io
import random

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import python_output
from cspo_archive.exceptions import IngestError, UndecodableContentError
from cspo_archive.ingestion import _pdf
from cspo_archive.ingestion._pdf import read_pdf
from cspo_archive.ingestion._source import Extraction, Stated
from pdf_fixtures import make_pdf, make_pdf_without_text, pdf_pages_of

# An invented statement (no real document is copied): a title heading, two
# sub-headings and six paragraphs, one of them running across the page break.
TITLE = "Joint Statement on Space Security Cooperation"
PAGE_1 = [
    f"# {TITLE}",
    "The Defence Ministers of Arcadia, Borealis, Caledonia and the Republic of Dunmore "
    "met in Port Vell on 4 December 2025 to reaffirm their commitment to a safe, secure "
    "and sustainable space domain.",
    "# Shared Principles",
    "The participants recognise that space systems underpin the prosperity and the "
    "security of their nations. They commit to act responsibly in orbit, to share the "
    "information that helps every operator avoid collisions, and never to create "
    "long-lived debris on purpose.",
    "They welcome the growing number of nations that publish the details of their space "
    "launches in advance, and call on all states to do the same.",
    "In the coming year the participants will widen the exchange of space domain "
    "awareness data between their operations centres, train their staff together in "
    "the procedures that make that exchange quick and reliable, and",
]
PAGE_2 = [
    "coordinate the response to any interference with the satellites on which their "
    "citizens depend, consistent with international law.",
    "# Next Steps",
    "The participants will meet again in the spring of 2026. They thank the Government "
    "of Dunmore for hosting this year\u2019s meeting \u2013 the fifth since the "
    "initiative began \u2013 and for its \u201cOpen Skies\u201d exhibition of small "
    "satellites.",
    "Issued in Port Vell, 4 December 2025.",
]
CROSSING = f"{PAGE_1[-1]} {PAGE_2[0]}"
EXPECTED = [
    TITLE,
    PAGE_1[1],
    "Shared Principles",
    PAGE_1[3],
    PAGE_1[4],
    CROSSING,
    "Next Steps",
    PAGE_2[2],
    PAGE_2[3],
]


def statement_pdf(**options: object) -> bytes:
    """The invented statement as a 2-page PDF with an 'OFFICIAL' header and page numbers."""
    arguments: dict[str, object] = {"title": TITLE, "header": "OFFICIAL"}
    arguments.update(options)
    return make_pdf([PAGE_1, PAGE_2], **arguments)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def statement() -> Extraction:
    return read_pdf(statement_pdf(), "statement.pdf")


# --- paragraphs ------------------------------------------------------------------------


def test_every_paragraph_comes_out_exactly(statement: Extraction) -> None:
    """Each heading and paragraph is one paragraph of the text, lines joined with a space,
    the paragraph broken by the page joined, and nothing else in the text."""
    expected = EXPECTED
    assert expected == statement.text.split("\n\n")


def test_extraction_says_what_made_it(statement: Extraction) -> None:
    """The media type, extractor (pypdf and its version) and encoding are recorded."""
    assert ("application/pdf", f"pypdf {pypdf.__version__}", "pdf text layer") == (
        statement.media_type,
        statement.extractor,
        statement.encoding,
    )


def test_header_and_page_numbers_are_removed_and_recorded(statement: Extraction) -> None:
    """The running header and the 'Page N of M' footers are gone from the text, and each
    kind is one step naming the pages and the first line removed; the rejoined page break
    is a step too."""
    expected = [
        "remove furniture: running-header (pages 1-2) 'OFFICIAL'",
        "remove furniture: page-number (pages 1-2) 'Page 1 of 2'",
        "rejoin paragraph across the page break (pages 1-2)",
    ]
    assert expected == [s for s in statement.steps if s.startswith(("remove furniture:", "rejoin"))]


def test_creation_date_is_a_step_not_a_publication_date(statement: Extraction) -> None:
    """The creation date is told in a step and never taken as the publication date."""
    step = (
        "pdf: created 2025-12-04 (document information /CreationDate; "
        "not taken as the publication date)"
    )
    expected = (True, None)
    assert expected == (step in statement.steps, statement.facts.published)


def test_same_paragraphs_without_space_between_paragraphs() -> None:
    """With no extra space between paragraphs, a paragraph's short last line ending a
    sentence, and the change from a bold heading, still separate them (every paragraph
    here ends on a short line: one ending near the margin could not be told apart)."""
    extraction = read_pdf(statement_pdf(paragraph_gap=0), "tight.pdf")
    expected = EXPECTED
    assert expected == extraction.text.split("\n\n")


def test_same_paragraphs_from_the_text_rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """When no line positions are known, the text rules (empty lines, short last lines,
    headings) give the same paragraphs, and the extract step says so."""
    monkeypatch.setattr(_pdf, "_place", lambda *_: None)
    extraction = read_pdf(statement_pdf(), "statement.pdf")
    expected = (EXPECTED, True)
    assert expected == (
        extraction.text.split("\n\n"),
        "positions unknown: text rules only" in extraction.steps[0],
    )


def test_running_header_equal_to_the_title_keeps_the_title() -> None:
    """A running header that repeats the title is removed from every page, but the title
    heading on page 1 (set elsewhere on the page) stays."""
    extraction = read_pdf(statement_pdf(header=TITLE), "statement.pdf")
    assert (EXPECTED, f"remove furniture: running-header (pages 1-2) '{TITLE}'") == (
        extraction.text.split("\n\n"),
        extraction.steps[1],
    )


def test_hyphens_at_line_ends() -> None:
    """A word split by a hyphen at a line end is rejoined without it when both sides are
    lowercase and the document does not write it hyphenated elsewhere; otherwise the
    hyphen stays and no space is added."""
    lines = "\n".join(
        [
            "The participants will improve the inter-",
            "operability of their systems, invest in long-",
            "term cooperation and study UN-",
            "led reviews of their tests.",
        ]
    )
    pdf = make_pdf([[lines, "They value long-term partnerships."]], footer_numbers=False)
    extraction = read_pdf(pdf, "hyphens.pdf")
    expected = [
        "The participants will improve the interoperability of their systems, invest in "
        "long-term cooperation and study UN-led reviews of their tests.",
        "They value long-term partnerships.",
    ]
    step = (
        "dehyphenate: 1 word split at a line end rejoined without the hyphen ('inter-operability')"
    )
    assert (expected, True) == (extraction.text.split("\n\n"), step in extraction.steps)


def test_single_page_marking_and_number_are_furniture() -> None:
    """On a one-page PDF nothing repeats, but a protective marking and a page number at
    the page's edges are still furniture."""
    pdf = make_pdf([["A short statement of support for open data."]], header="UNCLASSIFIED")
    extraction = read_pdf(pdf, "one.pdf")
    expected = (
        "A short statement of support for open data.",
        (
            "remove furniture: protective-marking (page 1) 'UNCLASSIFIED'",
            "remove furniture: page-number (page 1) 'Page 1 of 1'",
        ),
    )
    assert expected == (extraction.text, extraction.steps[1:3])


# --- pages -----------------------------------------------------------------------------


def test_page_starts(statement: Extraction) -> None:
    """Page 1 starts at 0; page 2 starts where its first line begins, inside the paragraph
    that runs across the page break."""
    assert (0, statement.text.index("coordinate the response")) == statement.page_starts


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (TITLE, (1, 1)),
        (CROSSING, (1, 2)),
        ("Next Steps", (2, 2)),
        (PAGE_2[3], (2, 2)),
    ],
)
def test_pdf_pages_of_a_paragraph(
    statement: Extraction, paragraph: str, expected: tuple[int, int]
) -> None:
    """pdf_pages_of gives the first and last page a paragraph's characters come from."""
    start = statement.text.index(paragraph)
    assert expected == pdf_pages_of(statement, start, start + len(paragraph))


def test_pdf_pages_of_edges(statement: Extraction) -> None:
    """A span ending just before page 2 is on page 1 only; one starting there is on page
    2; an empty span is on the page of its start; the whole text covers both pages."""
    page_2 = statement.page_starts[1]
    end = len(statement.text)
    expected = [(1, 1), (2, 2), (2, 2), (1, 1), (1, 2)]
    assert expected == [
        pdf_pages_of(statement, 0, page_2),
        pdf_pages_of(statement, page_2, page_2 + 1),
        pdf_pages_of(statement, page_2, page_2),
        pdf_pages_of(statement, 0, 0),
        pdf_pages_of(statement, 0, end),
    ]


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4), (0, 10**6)])
def test_pdf_pages_of_refuses_spans_outside_the_text(
    statement: Extraction, start: int, end: int
) -> None:
    """A span outside the text is a ValueError saying what is allowed."""
    with pytest.raises(ValueError, match=r"0 <= start <= end <= len\(text\)"):
        pdf_pages_of(statement, start, end)


def test_pdf_pages_of_needs_page_starts() -> None:
    """An extraction not read from a PDF has no pages to tell."""
    plain = Extraction(text="Some text", media_type="text/plain", extractor="x 1", encoding="utf-8")
    with pytest.raises(ValueError, match="page_starts are empty"):
        pdf_pages_of(plain, 0, 4)


# --- facts -----------------------------------------------------------------------------


def test_title_and_language_facts() -> None:
    """A real /Title is taken with where it was found; /Lang gives the language."""
    extraction = read_pdf(statement_pdf(lang="en-GB"), "statement.pdf")
    assert (Stated(TITLE, "PDF document information /Title"), "en-GB") == (
        extraction.facts.title,
        extraction.facts.language,
    )


@pytest.mark.parametrize(
    "title",
    [
        "Microsoft Word - draft.docx",
        "untitled",
        "Untitled-3",
        "statement_v3_final.pdf",
        "Document1",
    ],
)
def test_file_name_titles_are_not_taken(title: str) -> None:
    """A /Title that is a file name or a placeholder is not a title: it is not taken, and
    a step says so."""
    extraction = read_pdf(statement_pdf(title=title), "statement.pdf")
    step = (
        f"pdf: document information /Title '{title}' not taken (a file name or "
        "placeholder, not a title)"
    )
    expected = (None, True)
    assert expected == (extraction.facts.title, step in extraction.steps)


def test_no_title_no_language() -> None:
    """Without /Title and /Lang the facts are empty."""
    extraction = read_pdf(statement_pdf(title=None), "statement.pdf")
    expected = (None, None)
    assert expected == (extraction.facts.title, extraction.facts.language)


# --- longer documents ------------------------------------------------------------------

_WORDS = (
    "space orbit satellite launch debris awareness operator network ground station "
    "partner nation mission resilience capability cooperation exchange training exercise "
    "agreement protocol coordination security framework sustainable responsible domain "
    "information warning collision sensor tracking data centre ministry programme "
    "commitment principle behaviour environment access interference spectrum"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    for at in range(6, words - 2, 9):
        chosen[at] += ","
    return " ".join([chosen[0].capitalize(), *chosen[1:]]) + "."


def _document(rng: random.Random, paragraphs: int) -> tuple[list[str], list[str]]:
    """Paragraphs to write (headings marked '# ') and the paragraphs expected back."""
    written: list[str] = []
    for number in range(paragraphs):
        if number % 7 == 0:
            written.append(f"# {rng.choice(_WORDS).capitalize()} {rng.choice(_WORDS)}")
        written.append(_sentence(rng, rng.randint(25, 90)))
    return written, [p.removeprefix("# ") for p in written]


@pytest.mark.parametrize(("paragraphs", "least_pages"), [(14, 2), (330, 50)])
def test_long_generated_pdf(paragraphs: int, least_pages: int) -> None:
    """A generated PDF of 2 to 50 pages, paragraphs flowing across page breaks, reads
    back to its paragraphs, with one start per page and its furniture removed."""
    written, expected = _document(random.Random(paragraphs), paragraphs)  # noqa: S311 - test data
    data = make_pdf([written], header="Joint Statement on Orbital Cooperation")
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    extraction = read_pdf(data, "long.pdf")
    assert (True, expected, pages) == (
        pages >= least_pages,
        extraction.text.split("\n\n"),
        len(extraction.page_starts),
    )
    assert [
        f"remove furniture: running-header (pages 1-{pages}) "
        "'Joint Statement on Orbital Cooperation'",
        f"remove furniture: page-number (pages 1-{pages}) 'Page 1 of {pages}'",
    ] == [s for s in extraction.steps if s.startswith("remove furniture:")]


@st.composite
def _paragraph_lists(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(1, 8))
    written: list[str] = []
    for _ in range(count):
        if draw(st.booleans()):
            written.append(
                "# "
                + " ".join(
                    draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
                ).capitalize()
            )
        words = draw(st.lists(st.sampled_from(_WORDS), min_size=20, max_size=70))
        written.append(" ".join(words).capitalize() + ".")
    return written


@settings(max_examples=25, deadline=None)
@given(_paragraph_lists())
def test_generated_paragraphs_round_trip(written: list[str]) -> None:
    """Any list of paragraphs of plain words (and headings) written to a PDF, with a
    running header and page numbers, reads back to the same paragraphs."""
    data = make_pdf([written], header="OFFICIAL")
    expected = [p.removeprefix("# ") for p in written]
    assert expected == read_pdf(data, "generated.pdf").text.split("\n\n")


# --- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "it looks like an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"it starts with b'\x89PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "it looks like a ZIP file"),
    ],
)
def test_not_a_pdf(data: bytes, found: str) -> None:
    """Bytes without the PDF signature are refused, saying what they look like and what
    to do."""
    with pytest.raises(IngestError) as caught:
        read_pdf(data, "page.pdf")
    message = caught.value.message
    expected = (True, True, True, "page.pdf")
    assert expected == (
        message.startswith(
            "cannot read page.pdf as a PDF: it does not start with the PDF signature %PDF- ("
        ),
        found in message,
        message.endswith(
            "check that the capture is the PDF itself, or read it with the reader for its kind"
        ),
        caught.value.source,
    )


def test_empty_bytes() -> None:
    """Empty bytes are refused as empty."""
    with pytest.raises(IngestError, match=r"empty \(0 bytes\); capture it again"):
        read_pdf(b"", "empty.pdf")


def test_truncated_pdf() -> None:
    """A PDF cut short is refused as truncated, with pypdf's reason, what to do, and the
    pypdf error as the cause."""
    data = statement_pdf()
    with pytest.raises(IngestError) as caught:
        read_pdf(data[: len(data) // 2], "cut.pdf")
    message = caught.value.message
    expected = (True, True, True)
    assert expected == (
        message.startswith("cannot read cut.pdf as a PDF: "),
        message.endswith(
            "the file looks truncated (no %%EOF marker at its end): download it again "
            "and check its length"
        ),
        isinstance(caught.value.__cause__, pypdf.errors.PyPdfError),
    )


def test_damaged_pdf() -> None:
    """A PDF whose body is overwritten (its end intact) is refused as damaged, with a
    repair hint."""
    data = statement_pdf()
    damaged = data[:20] + b"\x00" * (len(data) - 60) + data[-40:]
    with pytest.raises(IngestError, match=r"the file is damaged: download it again, or repair"):
        read_pdf(damaged, "damaged.pdf")


def test_encrypted_pdf_needs_a_password() -> None:
    """A PDF that needs a password to open is refused, saying so and how to decrypt it."""
    locked = statement_pdf(user_password="s3cret")  # noqa: S106 - a test PDF's password
    with pytest.raises(IngestError) as caught:
        read_pdf(locked, "locked.pdf")
    expected = (
        "cannot read locked.pdf: the PDF is encrypted and needs a password to open; ask the "
        "publisher for an unprotected copy, or decrypt it with the password (e.g. qpdf "
        "--password=PASSWORD --decrypt protected.pdf open.pdf) and ingest that"
    )
    assert expected == caught.value.message


def test_owner_password_only_is_read() -> None:
    """A PDF encrypted with only an owner password (restrictions, no password to open)
    reads normally, and a step says it was encrypted."""
    restricted = statement_pdf(owner_password="owner")  # noqa: S106 - a test PDF's password
    extraction = read_pdf(restricted, "restricted.pdf")
    expected = (EXPECTED, True)
    assert expected == (
        extraction.text.split("\n\n"),
        any(s.startswith("pdf: encrypted with an empty user password") for s in extraction.steps),
    )


def test_no_text_layer() -> None:
    """A PDF whose pages have no text (a scan) is refused with the page count and how to
    add a text layer."""
    with pytest.raises(IngestError) as caught:
        read_pdf(make_pdf_without_text(3), "scan.pdf")
    expected = (
        "cannot ingest scan.pdf: it has 3 pages but no text layer (a scan?); run OCR on it "
        "and add the text, e.g. ocrmypdf scan.pdf searchable.pdf, then ingest the "
        "searchable copy"
    )
    assert expected == caught.value.message


def test_only_furniture_is_no_text_layer() -> None:
    """A scan whose only text is page numbers and a running header has no text layer."""
    data = make_pdf([[""], [""]], header="OFFICIAL")
    with pytest.raises(IngestError, match=r"2 pages but no text layer apart from page numbers"):
        read_pdf(data, "scan.pdf")


def test_unmapped_glyphs() -> None:
    """Glyphs a font does not map to characters are kept as U+FFFD and counted when few,
    and make the text layer unusable when many."""
    few = read_pdf(
        make_pdf([[f"A clear sentence. {'Words are readable here. ' * 5}\x01"]]), "few.pdf"
    )
    with pytest.raises(UndecodableContentError, match=r"run OCR on the pages instead"):
        read_pdf(make_pdf([["Garbled \x01\x02\x03\x04 text."]]), "garbled.pdf")
    expected = (1, True)
    assert expected == (few.replacement_characters, few.text.endswith("\ufffd"))


def test_pypdf_internal_errors_become_ingest_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any exception from pypdf's internals on a malformed file becomes an IngestError
    naming the page, with the original as its cause."""

    def fail(*_: object, **__: object) -> str:
        raise KeyError("/Font")

    monkeypatch.setattr(pypdf.PageObject, "extract_text", fail)
    with pytest.raises(IngestError, match=r"the text of page 1 cannot be read") as caught:
        read_pdf(statement_pdf(), "odd.pdf")
    assert isinstance(caught.value.__cause__, KeyError)


def test_importing_the_reader_does_not_import_pypdf() -> None:
    """pypdf is imported when a PDF is read, not when the module is imported."""
    code = "import sys, cspo_archive.ingestion._pdf; print('pypdf' in sys.modules)"
    expected = "False\n"
    assert expected == python_output(code)


def test_created_date_from_another_day() -> None:
    """The step gives the creation day as the PDF states it."""
    created = dt.datetime(2024, 2, 29, 23, 0, tzinfo=dt.UTC)
    extraction = read_pdf(statement_pdf(created=created), "statement.pdf")
    assert any(s.startswith("pdf: created 2024-02-29 ") for s in extraction.steps)
