"""Real PDFs for the PDF reader's tests, written with fpdf2.

The core font Helvetica is used with the Windows-1252 encoding, which fpdf2
writes as ``/WinAnsiEncoding``: curly quotes and the en and em dash are then
real characters of the text layer (latin-1, the default, has none of them).
A character Windows-1252 lacks makes fpdf2 raise: keep test texts within it.
"""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

from cspo_archive.ingestion._source import Extraction, pages_of

__all__ = ["CREATED", "make_pdf", "make_pdf_without_text"]

#: The creation date written in every generated PDF, so the bytes are reproducible.
CREATED = dt.datetime(2025, 12, 4, 9, 30, tzinfo=dt.UTC)

_BODY_SIZE = 11
_LINE_HEIGHT = 6  # mm, for the body text
_HEADING_SIZE = 14


def _new_pdf(created: dt.datetime) -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_creation_date(created)
    return pdf


def make_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    header: str | None = None,
    footer_numbers: bool = True,
    width: int = 170,
    paragraph_gap: float = 4,
    align: str = "J",
    lang: str | None = None,
    created: dt.datetime = CREATED,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A PDF whose pages hold *pages*, each a list of paragraphs; return its bytes.

    Each inner list starts on a new page (a list too long for one page flows
    on to the next, as a word processor would). A paragraph is wrapped by
    ``multi_cell`` in a column *width* mm wide (justified unless *align* says
    otherwise), so its lines break where the width ends, and is followed by
    *paragraph_gap* mm of space. A paragraph starting ``"# "`` is a heading,
    in bold 14 pt; one holding ``"\\n"`` is written line by line as given
    (to place a hyphen at a line end). *header* is printed at the top of
    every page and, with *footer_numbers*, ``Page N of M`` at the bottom.
    *title* and *lang* go into the document information ``/Title`` and the
    catalog's ``/Lang``. With *user_password* (or only *owner_password*) the
    PDF is encrypted with RC4, which pypdf decrypts without extra packages.
    """
    pdf = _new_pdf(created)
    if title is not None:
        pdf.set_title(title)
    if lang is not None:
        pdf.set_lang(lang)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(
            owner_password=owner_password or "owner-secret", user_password=user_password
        )

    def print_header() -> None:
        if header is not None:
            pdf.set_font("Helvetica", size=9)
            pdf.cell(0, 8, header, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)

    def print_footer() -> None:
        if footer_numbers:
            pdf.set_y(-15)
            pdf.set_font("Helvetica", size=9)
            pdf.cell(0, 10, f"Page {pdf.page_no()} of {{nb}}", align="C")

    pdf.header = print_header  # type: ignore[method-assign]
    pdf.footer = print_footer  # type: ignore[method-assign]
    for paragraphs in pages:
        pdf.add_page()
        for paragraph in paragraphs:
            if paragraph.startswith("# "):
                pdf.set_font("Helvetica", "B", _HEADING_SIZE)
                pdf.multi_cell(width, 8, paragraph[2:], align="L", new_x="LMARGIN", new_y="NEXT")
            elif "\n" in paragraph:
                pdf.set_font("Helvetica", size=_BODY_SIZE)
                for line in paragraph.split("\n"):
                    pdf.cell(width, _LINE_HEIGHT, line, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", size=_BODY_SIZE)
                pdf.multi_cell(
                    width, _LINE_HEIGHT, paragraph, align=align, new_x="LMARGIN", new_y="NEXT"
                )
            pdf.ln(paragraph_gap)
    return bytes(pdf.output())


def make_pdf_without_text(n_pages: int, *, created: dt.datetime = CREATED) -> bytes:
    """A PDF of *n_pages* pages that only have drawn rectangles: no text layer (as a scan)."""
    pdf = _new_pdf(created)
    for page in range(n_pages):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        for row in range(10):
            pdf.rect(20, 20 + 24 * row, 170 - 10 * ((row + page) % 4), 8, style="F")
    return bytes(pdf.output())


def pdf_pages_of(extraction: Extraction, start: int, end: int) -> tuple[int, int]:
    """The first and last page (1-based) that ``extraction.text[start:end]`` covers
    (a test helper: the pipeline calls ``_source.pages_of`` directly).

    An empty span (``start == end``) is on the page of *start*. Raises
    :class:`ValueError` for an extraction with no ``page_starts`` (not read
    from a PDF) or a span outside its text.
    """
    starts = extraction.page_starts
    if not starts:
        msg = (
            "pdf_pages_of needs an extraction read from a PDF (its page_starts are empty); "
            "pass the Extraction that read_pdf returned"
        )
        raise ValueError(msg)
    if not 0 <= start <= end <= len(extraction.text):
        msg = (
            f"span [{start}, {end}) is not inside the extraction's text of "
            f"{len(extraction.text)} characters; pass 0 <= start <= end <= len(text)"
        )
        raise ValueError(msg)
    return pages_of(starts, start, end)
