"""The PDF reader: a PDF's text layer as paragraphs, its running furniture removed.

:func:`read_pdf` turns the bytes of a PDF into an
:class:`~cspo_archive.ingestion._source.Extraction` whose text the line pipeline
reads: paragraphs and headings separated by blank lines, the pages in order,
separated by a blank line. ``Extraction.page_starts`` (read with ``_source.pages_of``)
tell which pages a span of that text came from.

**Extraction mode.** pypdf's *plain* mode (``page.extract_text()``) is used,
with a ``visitor_text`` callback that gives, for each line, where its
baseline is, the size of its font and whether the font is bold. The *layout*
mode was tried and not chosen for ordinary one-column statements: it pads
text to a fixed-width grid (runs of spaces inside lines, centred lines
indented), and it shows a vertical gap as blank lines only by a fixed rule
(``int(baseline distance / font height) - 1`` blank lines), so paragraphs
spaced by less than a font height run together while double-spaced lines are
all split apart; it was also somewhat slower on the test PDFs. Plain mode
gives words and spaces by pypdf's best-tested rules, and the positions let
this module measure the document's own line pitch instead of assuming one.
When the positions cannot be matched to the text (a pypdf that reports them
differently), the rules below run on the text alone.

**Paragraphs.** The lines of a page are joined into paragraphs with a space
(a word split by a hyphen at a line end is rejoined without the hyphen only
when it is clearly one word: lowercase letters on both sides, and the document
does not write it hyphenated elsewhere; otherwise the hyphen stays and no
space is added). A new paragraph starts:

- after a vertical gap clearly larger (x1.3) than the document's typical
  baseline distance for the font size, or where the font size changes, or
  the text jumps back up the page;
- at an indented first line after a line that ends a sentence;
- at a bullet (``•``), or a dash after a line that ends a clause;
- where a line ends with sentence-final punctuation, the next starts with an
  uppercase letter or a digit, and the line is clearly shorter (under 3/4)
  than the document's typical line width (a paragraph's short last line);
- around headings (a short line, no final punctuation, not starting
  lowercase): before one that follows the end of a clause, and after one
  when the next line is set differently (bold to regular, capitals to mixed
  case) or, with no positions known, does not start lowercase;
- where the text layer has an empty line (used only when positions are not
  known).

A paragraph that runs across a page break is joined when the page ends
mid-sentence and the next page starts lowercase (or the last line runs to
the margin); the page's start offset then points into the joined paragraph.

**Furniture.** Running headers and footers (a line at the same place in the
top or bottom three lines of more than half the pages, at least two), page
numbers ("3", "- 3 -", "Page 3 of 7", "3 / 7") and protective markings
("OFFICIAL", "UNCLASSIFIED") at the top or bottom of a page are removed and
recorded as steps: ``remove furniture: page-number (pages 1-2) 'Page 1 of 2'``.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from attrs import define, field, frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive._validators import LANGUAGE_RE
from cspo_archive.exceptions import IngestError, UndecodableContentError
from cspo_archive.ingestion._decode import _as_bytes
from cspo_archive.ingestion._lines import _ends_clause, _is_heading, _quote
from cspo_archive.ingestion._source import Extraction, PageFacts, Stated

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

__all__ = ["read_pdf"]

MEDIA_TYPE: Final = "application/pdf"

#: Lines this many at the top and at the bottom of a page may be furniture.
_EDGE: Final = 3
#: A running header is at the same height on each page, give or take this (points).
_SAME_PLACE: Final = 3.0
#: Longer lines are never running headers or footers.
_MAX_FURNITURE_CHARS: Final = 200
#: A gap this many times the typical baseline distance separates paragraphs.
_GAP_FACTOR: Final = 1.3
#: A font this much larger or smaller than the line before starts a paragraph.
_SIZE_CHANGE: Final = 1.15
#: A line shorter than this share of the typical line width is short.
_SHORT_LINE: Final = 0.75
#: More unreadable characters than this share of the text: the text layer is unusable.
_MAX_UNMAPPED: Final = 0.01
#: The PDF signature must start within this many bytes (as PDF readers allow).
_SIGNATURE_WINDOW: Final = 1024

_SPACES = LazyPattern(r"[ \t\r\x0b\x0c\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Controls that are not white space: a glyph the font does not map to a character.
_UNMAPPED = LazyPattern(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_PAGE_NUMBER = LazyPattern(
    r"(?:(?:page|p\.|pg\.?)\s*\|?\s*)?[-–—]?\s*(?:\d{1,4}|(?-i:(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})))"
    r"\s*[-–—]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*\|\s*page)?",
    re.IGNORECASE,
)
_MARKING = LazyPattern(
    r"(?:official(?:[\s:-]+sensitive)?|unclassified(?:\s*/+\s*(?:fouo|for\s+official\s+use"
    r"\s+only|non\s+classifi[ée]))?|non\s+classifi[ée]|cui|controlled\s+unclassified"
    r"\s+information)",
    re.IGNORECASE,
)
_DIGITS = LazyPattern(r"\d+")
_BOLD = LazyPattern(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_BULLET_START = LazyPattern("[•▪◦●■‣\u2043]\\s")
_DASH_START = LazyPattern(r"[-–—]\s")
_WORD = LazyPattern(r"[^\W\d_]+")
_HYPHENATED = LazyPattern(r"[^\W\d_]+(?:-[^\W\d_]+)+")
_LAST_WORD = LazyPattern(r"[^\W\d_]+$")
_PDF_DATE = LazyPattern(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_FILE_NAME_TITLE = LazyPattern(
    r"(?:microsoft\s+(?:word|powerpoint|excel)\s+-\s+.*|.*\.(?:docx?|dotx?|pdf|pptx?|xlsx?|odt"
    r"|rtf|txt|indd|qxd|tex|dvi|html?|ps|eps|pages)|[a-z]:\\.*|/.*|untitled(?:[\s-]*\d+)?"
    r"|untitled\s+document|document\s*\d*|slide\s*\d*|presentation\d*|powerpoint\s+presentation)",
    re.IGNORECASE,
)
_LIGATURES: Final = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
}
_OPENERS: Final = "\"'“\u2018«([¿¡"


@define
class _PdfLine:
    """One line of a page's text layer, with where it was drawn (when known)."""

    text: str
    x: float | None = None
    y: float | None = None  # baseline, PDF units up from the bottom of the page
    size: float | None = None  # font height in PDF units
    bold: bool = False
    blank_before: bool = False  # an empty line precedes it in the text layer

    @property
    def placed(self) -> bool:
        return self.y is not None and self.size is not None


@frozen
class _Measures:
    """What is typical of the document's lines: width, size, baseline distance."""

    width: float  # characters x font size (font size 1 where unknown)
    size: float
    leading: float | None  # baseline distance inside a paragraph / font size
    margins: tuple[float | None, ...]  # left edge of the text, per page


@define
class _Counts:
    ligatures: int = 0
    bullets: int = 0
    dehyphenated: list[str] = field(factory=list)  # as written: 'govern-ment'


# --- the entry points ------------------------------------------------------------------


def read_pdf(data: bytes, source: str) -> Extraction:
    """Read the text layer of a PDF capture as paragraphs.

    The text is pypdf's plain-mode text of each page with the positions of its
    lines (not layout mode: see the module docstring for why), made into
    paragraphs by the rules there. ``page_starts`` holds the offset in the
    text where each page's text begins (a page with no text after furniture
    removal starts where the next page does). The document
    information ``/Title`` becomes ``facts.title`` when it is a real title
    (not empty, not a file name such as ``Microsoft Word - draft.docx``, not
    "untitled"); the catalog's ``/Lang`` becomes ``facts.language``. The
    creation date is recorded as a step only: it is not a publication date.

    Raises :class:`~cspo_archive.exceptions.IngestError` naming *source* for
    bytes that are not a PDF, a damaged or truncated PDF, one that needs a
    password, and one with no text layer (a scan); and
    :class:`~cspo_archive.exceptions.UndecodableContentError` when the text
    layer's fonts leave more than 1% of its glyphs unmapped to characters
    (fewer are kept as U+FFFD and counted). pypdf's own errors
    never escape: each becomes one of these, with the original as its cause.
    """
    data = _as_bytes(data, source)
    _check_signature(data, source)
    import pypdf  # here, not at the top: only reading a PDF pays for importing pypdf

    steps: list[str] = []
    reader = _open(data, source, steps)
    try:
        pages = list(reader.pages)
    except MemoryError:
        raise
    except Exception as exc:
        raise _damaged(source, data, exc, "its page tree cannot be read") from exc
    if not pages:
        msg = f"cannot ingest {source}: the PDF has no pages; capture the document again"
        raise IngestError(msg, source=source)
    counts = _Counts()
    lines = [
        _page_lines(page, number, source, data, counts) for number, page in enumerate(pages, 1)
    ]
    if not any(lines):
        raise _no_text_layer(source, len(pages), furniture_only=False)
    positioned = sum(1 for page in lines for line in page if line.placed)
    total = sum(len(page) for page in lines)
    lines, furniture_steps = _remove_furniture(lines)
    if not any(lines):
        raise _no_text_layer(source, len(pages), furniture_only=True)

    measures = _measures(lines)
    page_paragraphs = [_paragraphs(page, measures, index) for index, page in enumerate(lines)]
    paragraphs, join_steps = _join_pages(page_paragraphs, measures)
    text, page_starts = _assemble(paragraphs, len(pages), _dehyphenator(lines), counts)

    if positioned == total:
        how = "with line positions"
    elif positioned:
        how = f"with line positions for {positioned} of {total} lines"
    else:
        how = "positions unknown: text rules only"
    steps.insert(
        0,
        f"extract: pypdf {pypdf.__version__} text layer, plain mode ({how}), "
        f"{len(pages)} page{'s' if len(pages) != 1 else ''}; lines joined into paragraphs",
    )
    steps.extend(furniture_steps)
    steps.extend(join_steps)
    steps.extend(_count_steps(counts))
    replaced = _check_mapped(text, page_starts, source)
    if replaced:
        steps.append(
            f"pdf: {replaced} glyph{'s' if replaced != 1 else ''} the fonts do not map to "
            f"characters, kept as U+FFFD"
        )
    facts = _facts(reader, steps)
    return Extraction(
        text=text,
        media_type=MEDIA_TYPE,
        extractor=f"pypdf {pypdf.__version__}",
        encoding="pdf text layer",
        facts=facts,
        steps=tuple(steps),
        page_starts=tuple(page_starts),
        replacement_characters=replaced,
    )


# --- opening ---------------------------------------------------------------------------


def _check_signature(data: bytes, source: str) -> None:
    if not data:
        msg = f"cannot read {source} as a PDF: the capture is empty (0 bytes); capture it again"
        raise IngestError(msg, source=source)
    if b"%PDF-" in data[: _SIGNATURE_WINDOW + 5]:
        return
    head = data[:200].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        looks = "it looks like an HTML page (an error or login page?)"
    elif head.startswith((b"<?xml", b"<")):
        looks = "it looks like XML or HTML"
    elif head.startswith((b"{", b"[")):
        looks = "it looks like JSON"
    elif data.startswith(b"PK\x03\x04"):
        looks = "it looks like a ZIP file (a Word or OpenDocument file?)"
    else:
        looks = f"it starts with {data[:16]!r}"
    msg = (
        f"cannot read {source} as a PDF: it does not start with the PDF signature %PDF- "
        f"({looks}); check that the capture is the PDF itself, or read it with the reader "
        f"for its kind"
    )
    raise IngestError(msg, source=source)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = f"{type(exc).__name__}: {text}" if not text.startswith(type(exc).__name__) else text
    return text if len(text) <= 200 else text[:197] + "..."


def _damaged(source: str, data: bytes, exc: BaseException, what: str = "") -> IngestError:
    if b"%%EOF" not in data[-_SIGNATURE_WINDOW:]:
        hint = (
            "the file looks truncated (no %%EOF marker at its end): download it again and "
            "check its length"
        )
    else:
        hint = (
            "the file is damaged: download it again, or repair it (e.g. qpdf damaged.pdf "
            "repaired.pdf) and ingest the repaired copy"
        )
    where = f" ({what})" if what else ""
    msg = f"cannot read {source} as a PDF: {_reason(exc)}{where}; {hint}"
    return IngestError(msg, source=source)


def _open(data: bytes, source: str, steps: list[str]) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except MemoryError:
        raise
    except Exception as exc:
        raise _damaged(source, data, exc) from exc
    if not encrypted:
        return reader
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        msg = (
            f"cannot read {source}: the PDF is encrypted with AES and pypdf needs the "
            f"'cryptography' package to decrypt it ({_reason(exc)}); install it "
            f"(pip install cryptography) and ingest the file again"
        )
        raise IngestError(msg, source=source) from exc
    except MemoryError:
        raise
    except Exception as exc:
        raise _damaged(source, data, exc, "its encryption cannot be read") from exc
    if not opened:
        msg = (
            f"cannot read {source}: the PDF is encrypted and needs a password to open; ask "
            f"the publisher for an unprotected copy, or decrypt it with the password (e.g. "
            f"qpdf --password=PASSWORD --decrypt protected.pdf open.pdf) and ingest that"
        )
        raise IngestError(msg, source=source)
    steps.append(
        "pdf: encrypted with an empty user password (owner restrictions only); opened "
        "without a password"
    )
    return reader


def _no_text_layer(source: str, pages: int, *, furniture_only: bool) -> IngestError:
    plural = "s" if pages != 1 else ""
    found = (
        "no text layer apart from page numbers and running headers"
        if furniture_only
        else "no text layer"
    )
    msg = (
        f"cannot ingest {source}: it has {pages} page{plural} but {found} (a scan?); run "
        f"OCR on it and add the text, e.g. ocrmypdf scan.pdf searchable.pdf, then ingest "
        f"the searchable copy"
    )
    return IngestError(msg, source=source)


# --- lines of a page -------------------------------------------------------------------


def _page_lines(
    page: PageObject, number: int, source: str, data: bytes, counts: _Counts
) -> list[_PdfLine]:
    pieces: list[tuple[str, Any, Any, Any, Any]] = []

    def visit(text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        pieces.append((text, cm, tm, font, size))

    try:
        text = page.extract_text(visitor_text=visit)
    except MemoryError:
        raise
    except Exception as exc:
        raise _damaged(source, data, exc, f"the text of page {number} cannot be read") from exc
    if "".join(piece[0] for piece in pieces if isinstance(piece[0], str)) != text:
        return _lines_of([(part, None) for part in text.split("\n")], counts)
    # A line's left edge is where its first piece is drawn; its baseline, size and
    # weight are those of its longest piece (not of a bullet or a first bold word).
    rows: list[tuple[str, _Place | None]] = []
    parts: list[str] = []
    first: _Place | None = None
    main: _Place | None = None
    longest = 0

    def end_line() -> None:
        place = main
        if place is not None and first is not None:
            place = _Place(first.x, place.y, place.size, place.bold)
        rows.append(("".join(parts), place))

    for piece_text, cm, tm, font, size in pieces:
        for k, segment in enumerate(piece_text.split("\n")):
            if k:
                end_line()
                parts, first, main, longest = [], None, None, 0
            parts.append(segment)
            weight = len(segment) - segment.count(" ")
            if weight and (first is None or weight > longest):
                place = _place(cm, tm, font, size)
                if first is None:
                    first = place
                if place is not None and weight > longest:
                    main, longest = place, weight
    end_line()
    return _lines_of(rows, counts)


@frozen
class _Place:
    x: float
    y: float
    size: float
    bold: bool


def _place(cm: Any, tm: Any, font: Any, size: Any) -> _Place | None:
    """Where a piece of text is drawn, when it is drawn upright."""
    try:
        a, b, c, d, e, f = (float(v) for v in cm)
        ta, tb, tc, td, te, tf = (float(v) for v in tm)
        height = float(size)
    except (TypeError, ValueError):
        return None
    m0, m1 = ta * a + tb * c, ta * b + tb * d
    m2, m3 = tc * a + td * c, tc * b + td * d
    x, y = te * a + tf * c + e, te * b + tf * d + f
    height *= math.hypot(m2, m3)
    if m0 <= 0 or m3 <= 0 or abs(m1) > 0.1 * m0 or abs(m2) > 0.1 * m3:
        return None  # rotated, mirrored or skewed text: no baseline to compare
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(height)) or height <= 0:
        return None
    name = ""
    try:
        if font is not None:
            name = str(font.get("/BaseFont", ""))
    except Exception:  # noqa: BLE001 (a malformed font dictionary is only not bold)
        name = ""
    return _Place(x, y, height, _BOLD.search(name) is not None)


def _clean(text: str, counts: _Counts) -> str:
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return text
    if not text.isascii():
        ligatures = sum(text.count(chr(code)) for code in _LIGATURES)
        if ligatures:
            counts.ligatures += ligatures
            text = text.translate(_LIGATURES)
        # A symbol font's bullet (Symbol, Wingdings) is read as a private-use character.
        if "\ue000" <= text[0] <= "\uf8ff" and (len(text) == 1 or text[1] == " "):
            counts.bullets += 1
            text = "•" + text[1:]
    return _UNMAPPED.sub("\ufffd", text)


def _lines_of(rows: Sequence[tuple[str, _Place | None]], counts: _Counts) -> list[_PdfLine]:
    lines: list[_PdfLine] = []
    blank = False
    for raw, place in rows:
        text = _clean(raw, counts)
        if not text:
            blank = bool(lines)
            continue
        if place is None:
            lines.append(_PdfLine(text, blank_before=blank))
        else:
            lines.append(
                _PdfLine(text, place.x, place.y, place.size, place.bold, blank_before=blank)
            )
        blank = False
    return lines


# --- furniture -------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.casefold().split()))


def _top_down(lines: Sequence[_PdfLine]) -> list[int]:
    """Indices of *lines* from the top of the page down (by position when all are known)."""
    order = list(range(len(lines)))
    if lines and all(line.placed for line in lines):
        order.sort(key=lambda i: -(lines[i].y or 0.0))
    return order


def _same_place(occurrences: list[tuple[int, int, float | None]]) -> list[tuple[int, int]]:
    """The largest set of occurrences, one per page, at the same height."""
    if any(y is None for _, _, y in occurrences):
        chosen = occurrences
    else:
        ordered = sorted(occurrences, key=lambda o: o[2] or 0.0)
        best: list[tuple[int, int, float | None]] = []
        low = 0
        for high in range(len(ordered)):
            while (ordered[high][2] or 0.0) - (ordered[low][2] or 0.0) > 2 * _SAME_PLACE:
                low += 1
            window = ordered[low : high + 1]
            if len({p for p, _, _ in window}) > len({p for p, _, _ in best}):
                best = window
        chosen = best
    seen: dict[int, int] = {}
    for page, index, _ in chosen:
        seen.setdefault(page, index)
    return list(seen.items())


def _remove_furniture(
    pages: list[list[_PdfLine]],
) -> tuple[list[list[_PdfLine]], list[str]]:
    """Remove page numbers, running headers and footers and markings at the page edges."""
    orders = [_top_down(lines) for lines in pages]
    occurrences: dict[tuple[str, str], list[tuple[int, int, float | None]]] = {}
    for page, (lines, order) in enumerate(zip(pages, orders, strict=True)):
        for side, indices in (("header", order[:_EDGE]), ("footer", order[::-1][:_EDGE])):
            for index in indices:
                line = lines[index]
                if len(line.text) <= _MAX_FURNITURE_CHARS:
                    key = _furniture_key(line.text)
                    occurrences.setdefault((side, key), []).append((page, index, line.y))
    running: dict[tuple[int, int], str] = {}
    for (side, _), found in occurrences.items():
        same = _same_place(found)
        if len(same) >= 2 and 2 * len(same) > len(pages):
            for page, index in same:
                running.setdefault((page, index), f"running-{side}")

    removed: dict[tuple[str, str], tuple[list[int], str]] = {}
    kept: list[list[_PdfLine]] = []
    for page, (lines, order) in enumerate(zip(pages, orders, strict=True)):
        drop: set[int] = set()
        for indices in (order[:_EDGE], order[::-1][:_EDGE]):
            for index in indices:
                if index in drop:
                    continue
                text = lines[index].text
                kind = running.get((page, index))
                if _PAGE_NUMBER.fullmatch(text) is not None:
                    kind = "page-number"
                elif kind is None and _MARKING.fullmatch(text) is not None:
                    kind = "protective-marking"
                if kind is None:
                    break
                drop.add(index)
                pages_of, _ = removed.setdefault((kind, _furniture_key(text)), ([], text))
                if not pages_of or pages_of[-1] != page + 1:
                    pages_of.append(page + 1)
        kept.append([line for index, line in enumerate(lines) if index not in drop])
    steps = [
        f"remove furniture: {kind} ({_page_list(numbers)}) {_quote(text, 60)}"
        for (kind, _), (numbers, text) in removed.items()
    ]
    return kept, steps


def _page_list(numbers: Sequence[int]) -> str:
    """``page 2``, ``pages 1-3``, ``pages 1-3, 5``."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
    return f"page {text}" if len(numbers) == 1 else f"pages {text}"


# --- paragraphs ------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _measures(pages: Sequence[Sequence[_PdfLine]]) -> _Measures:
    sizes = [line.size for page in pages for line in page if line.size is not None]
    size = _median(sizes) or 1.0
    widths = sorted(len(line.text) * (line.size or size) for page in pages for line in page)
    width = widths[min(len(widths) - 1, (3 * len(widths)) // 4)] if widths else 1.0
    ratios: list[float] = []
    for page in pages:
        for above, below in itertools.pairwise(page):
            if above.placed and below.placed:
                a, b = above.size or 1.0, below.size or 1.0
                ratio = ((above.y or 0.0) - (below.y or 0.0)) / b
                if max(a, b) / min(a, b) < _SIZE_CHANGE and 0.5 < ratio < 4:
                    ratios.append(ratio)
    all_x = [line.x for page in pages for line in page if line.x is not None]
    default_margin = _median(all_x)
    margins: list[float | None] = []
    for page in pages:
        xs = [line.x for line in page if line.x is not None]
        margins.append(_median(xs) if len(xs) >= 5 else default_margin)
    # The baseline distance inside paragraphs: a low quantile, so that a document of
    # many one-line paragraphs (where most distances are paragraph gaps) still shows it.
    ratios.sort()
    leading = ratios[len(ratios) // 10] if ratios else None
    return _Measures(width, size, leading, tuple(margins))


def _short(line: _PdfLine, measures: _Measures) -> bool:
    return len(line.text) * (line.size or measures.size) < _SHORT_LINE * measures.width


def _starts_lower(text: str) -> bool:
    return text[:1].islower()


def _starts_upper(text: str) -> bool:
    bare = text.lstrip(_OPENERS)
    return bool(bare) and (bare[0].isupper() or bare[0].isdigit())


def _heading_like(line: _PdfLine, measures: _Measures) -> bool:
    return _short(line, measures) and _is_heading(line.text)


def _capitals(text: str) -> bool:
    return text.isupper() and sum(c.isalpha() for c in text) >= 2


def _breaks(before: _PdfLine, line: _PdfLine, measures: _Measures, margin: float | None) -> bool:
    """Whether *line* starts a new paragraph after *before* (the module's rules)."""
    placed = before.placed and line.placed
    if placed:
        a, b = before.size or 1.0, line.size or 1.0
        if max(a, b) / min(a, b) >= _SIZE_CHANGE:
            return True
        drop = (before.y or 0.0) - (line.y or 0.0)
        if drop < -0.5 * b:
            return True
        if measures.leading is not None and drop > _GAP_FACTOR * measures.leading * max(a, b):
            return True
        if (
            margin is not None
            and line.x is not None
            and line.x > margin + b
            and _ends_clause(before.text)
            and _starts_upper(line.text)
        ):
            return True
    elif line.blank_before:
        return True
    if _BULLET_START.match(line.text) or (
        _DASH_START.match(line.text) and _ends_clause(before.text)
    ):
        return True
    if (
        _ends_clause(before.text)
        and _starts_upper(line.text)
        and (_short(before, measures) or _heading_like(line, measures))
    ):
        return True
    if _heading_like(before, measures) and not _starts_lower(line.text):
        if not placed:
            return True
        if before.bold != line.bold or (_capitals(before.text) and not _capitals(line.text)):
            return True
    return False


def _paragraphs(lines: Sequence[_PdfLine], measures: _Measures, page: int) -> list[list[_PdfLine]]:
    paragraphs: list[list[_PdfLine]] = []
    margin = measures.margins[page]
    for line in lines:
        if paragraphs and not _breaks(paragraphs[-1][-1], line, measures, margin):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


_Paragraph = list[tuple[int, _PdfLine]]  # (page index, line)


def _join_pages(
    pages: list[list[list[_PdfLine]]], measures: _Measures
) -> tuple[list[_Paragraph], list[str]]:
    """The paragraphs of all pages, a paragraph running across a page break joined."""
    paragraphs: list[_Paragraph] = []
    steps: list[str] = []
    previous_page = -1
    for page, page_paragraphs in enumerate(pages):
        for k, paragraph in enumerate(page_paragraphs):
            lines = [(page, line) for line in paragraph]
            if k == 0 and paragraphs and _runs_on(paragraphs[-1], paragraph, measures):
                steps.append(
                    f"rejoin paragraph across the page break (pages {previous_page + 1}-{page + 1})"
                )
                paragraphs[-1].extend(lines)
            else:
                paragraphs.append(lines)
        if page_paragraphs:
            previous_page = page
    return paragraphs, steps


def _runs_on(before: _Paragraph, after: Sequence[_PdfLine], measures: _Measures) -> bool:
    last, first = before[-1][1], after[0]
    if _ends_clause(last.text) or _BULLET_START.match(first.text):
        return False
    if _starts_lower(first.text):
        return True
    if len(before) == 1 and _heading_like(last, measures):
        return False
    return not _short(last, measures) and not _heading_like(first, measures)


# --- text ------------------------------------------------------------------------------


def _dehyphenator(pages: Sequence[Sequence[_PdfLine]]) -> Callable[[str, str], bool]:
    """A test of whether ``left-`` at a line end and ``right`` are one word split.

    The document's words are gathered on the first call only: most PDFs of
    statements have no hyphen at a line end at all.
    """
    hyphenated: set[str] = set()
    words: set[str] = set()

    def gather() -> None:
        for page in pages:
            for line in page:
                folded = line.text.casefold()
                words.update(m.group() for m in _WORD.finditer(folded))
                for match in _HYPHENATED.finditer(folded):
                    parts = match.group().split("-")
                    hyphenated.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))

    def split_word(left: str, right: str) -> bool:
        found = _LAST_WORD.search(left)
        after = _WORD.match(right)
        if found is None or after is None:
            return True
        if not words:
            gather()
        a, b = found.group().casefold(), after.group().casefold()
        return f"{a}-{b}" not in hyphenated or f"{a}{b}" in words

    return split_word


def _joint(left: str, right: str, split_word: Callable[[str, str], bool]) -> tuple[str, str, bool]:
    """*left* as it goes into the text, what separates it from *right*, and whether a
    hyphen splitting a word was removed."""
    if left.endswith("\u00ad"):
        return left[:-1], "", True
    if len(left) >= 2 and left[-1] in "-\u2010" and not left[-2].isspace():
        if left[-2].islower() and right[:1].islower() and split_word(left[:-1], right):
            return left[:-1], "", True
        return left, "", False
    if len(left) >= 2 and left[-1] in "–—" and not left[-2].isspace():
        return left, "", False
    return left, " ", False


def _assemble(
    paragraphs: list[_Paragraph],
    page_count: int,
    split_word: Callable[[str, str], bool],
    counts: _Counts,
) -> tuple[str, list[int]]:
    parts: list[str] = []
    length = 0
    starts: list[int | None] = [None] * page_count
    for paragraph in paragraphs:
        if parts:
            parts.append("\n\n")
            length += 2
        for k, (page, line) in enumerate(paragraph):
            if starts[page] is None:
                starts[page] = length
            text = line.text
            separator = ""
            if k + 1 < len(paragraph):
                following = paragraph[k + 1][1].text
                joined, separator, split = _joint(text, following, split_word)
                if split:
                    counts.dehyphenated.append(f"{text.split()[-1]}{following.split()[0]}")
                text = joined
            parts.extend((text, separator))
            length += len(text) + len(separator)
    text = "".join(parts)
    next_start = len(text)
    filled: list[int] = []
    for start in reversed(starts):
        next_start = next_start if start is None else start
        filled.append(next_start)
    filled.reverse()
    return text, filled


def _count_steps(counts: _Counts) -> list[str]:
    steps = []
    if counts.dehyphenated:
        n = len(counts.dehyphenated)
        examples = ", ".join(_quote(word, 40) for word in counts.dehyphenated[:3])
        steps.append(
            f"dehyphenate: {n} word{'s' if n != 1 else ''} split at a line end rejoined "
            f"without the hyphen ({examples}{', ...' if n > 3 else ''})"
        )
    if counts.ligatures:
        steps.append(f"pdf: {counts.ligatures} ligature character(s) written as letters (ﬁ: fi)")
    if counts.bullets:
        steps.append(f"pdf: {counts.bullets} symbol-font bullet(s) read as '•'")
    return steps


def _check_mapped(text: str, page_starts: Sequence[int], source: str) -> int:
    replaced = text.count("\ufffd")
    if not replaced:
        return 0
    visible = sum(1 for c in text if not c.isspace())
    if replaced > _MAX_UNMAPPED * visible:
        first = text.index("\ufffd")
        page = max(1, bisect_right(page_starts, first))
        msg = (
            f"cannot ingest {source}: its text layer does not map the glyphs of its fonts to "
            f"characters ({replaced} of {visible} characters, {replaced / visible:.1%}, are "
            f"unreadable; the first on page {page}); the fonts lack a usable ToUnicode map, "
            f"so run OCR on the pages instead (e.g. ocrmypdf --force-ocr in.pdf out.pdf) and "
            f"ingest the result"
        )
        raise UndecodableContentError(msg, source=source)
    return replaced


# --- facts -----------------------------------------------------------------------------


def _facts(reader: PdfReader, steps: list[str]) -> PageFacts:
    title: Stated | None = None
    language: str | None = None
    try:
        info = reader.metadata
        raw_title = info.title if info is not None else None
        created = info.get("/CreationDate") if info is not None else None
        created = created.get_object() if created is not None else None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 (the facts are optional: say why none are taken)
        steps.append(f"pdf: document information unreadable ({_reason(exc)}); no facts taken")
        raw_title, created = None, None
    if isinstance(raw_title, str):
        cleaned = " ".join(_UNMAPPED.sub(" ", raw_title).split())
        if cleaned and _FILE_NAME_TITLE.fullmatch(cleaned) is None:
            title = Stated(cleaned, "PDF document information /Title")
        elif cleaned:
            steps.append(
                f"pdf: document information /Title {_quote(cleaned, 60)} not taken (a file "
                f"name or placeholder, not a title)"
            )
    _creation_step(reader, created, steps)
    try:
        lang = reader.root_object.get("/Lang")
        lang = lang.get_object() if lang is not None else None
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 (an unreadable /Lang is only not taken)
        lang = None
    if isinstance(lang, str) and lang.strip():
        tag = lang.strip().replace("_", "-")
        primary, _, rest = tag.partition("-")
        tag = primary.lower() + (f"-{rest}" if rest else "")
        if LANGUAGE_RE.fullmatch(tag) is not None:
            language = tag
        else:
            steps.append(
                f"pdf: catalog /Lang {_quote(lang.strip(), 40)} not taken (not a BCP 47 tag)"
            )
    return PageFacts(title=title, language=language)


def _creation_step(reader: PdfReader, created: object, steps: list[str]) -> None:
    day: dt.date | None = None
    where = "document information /CreationDate"
    if isinstance(created, str):
        match = _PDF_DATE.match(created.strip())
        if match is not None:
            try:
                day = dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
            except ValueError:
                day = None
    if day is None and created is None:
        try:
            xmp = reader.xmp_metadata
            stamp = xmp.xmp_create_date if xmp is not None else None
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 (XMP is optional)
            stamp = None
        if isinstance(stamp, dt.datetime):
            day, where = stamp.date(), "XMP xmp:CreateDate"
    if day is not None:
        steps.append(f"pdf: created {day.isoformat()} ({where}; not taken as the publication date)")
