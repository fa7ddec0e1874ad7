"""Lines: a decoded text split into lines with their offsets, link syntax read, and the
shapes of text a line can have (heading, end of a clause)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Final

from attrs import define

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import IngestError

_BREAK = LazyPattern(r"\r\n|\r|\n")

# --- lines -----------------------------------------------------------------------

# [text](target) and ![alt](target), with an optional "title"; a target may hold
# one level of balanced parentheses. Alternatives start with disjoint characters,
# so nothing backtracks badly.
_LINK = LazyPattern(
    r"!?\[([^\[\]\n]*)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\s*\)"
)
# Furniture patterns are tried only on lines this short.
_SHORT: Final = 300
#: Most lines of text (blank lines not counted) a capture may have. A publication
#: has a few thousand at most; the limit bounds the memory a capture can take
#: (each line is a record of a few hundred bytes) whatever its shape.
MAX_LINES: Final = 1_000_000


@define
class _Line:
    number: int  # 1-based line of the capture
    start: int  # offset of its first character in Decoded.text
    end: int  # offset just after its last character (line break excluded)
    norm: str  # NFC, stripped
    text: str  # norm with link syntax replaced by the link text
    links: tuple[tuple[str, str], ...]
    dead: tuple[str, ...]  # removed targets that lead nowhere, as '(#)'
    kind: str | None = None  # furniture kind once recognised


def _dead(target: str) -> bool:
    return not target or target.startswith("#") or target.lower().startswith("javascript:")


def _make_line(number: int, start: int, end: int, raw: str) -> _Line:
    norm = (raw if raw.isascii() else unicodedata.normalize("NFC", raw)).strip()
    if "](" not in norm:
        return _Line(number, start, end, norm, norm, (), ())
    links: list[tuple[str, str]] = []
    dead: list[str] = []

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if _dead(target):
            dead.append(f"({target})")
        else:
            links.append((match.group(1).strip(), target))
        return match.group(1)

    text = _LINK().sub(replace, norm).strip()
    return _Line(number, start, end, norm, text, tuple(links), tuple(dead))


def _split_lines(text: str, source: str = "<capture>") -> list[_Line]:
    """Split on CRLF, CR or LF, keeping offsets; form feeds become blank lines.

    A run of blank lines is kept as its first line only: every rule reads a run
    as one break, and memory and time then follow the lines of text, not the
    line breaks. More than :data:`MAX_LINES` lines of text raise
    :class:`~cspo_archive.exceptions.IngestError`.
    """
    lines: list[_Line] = []
    filled = 0

    def add(number: int, start: int, end: int) -> None:
        nonlocal filled
        raw = text[start:end]
        if (not raw or raw.isspace()) and lines and not lines[-1].norm:
            return
        line = _make_line(number, start, end, raw)
        if not line.norm:
            if lines and not lines[-1].norm:
                return
        else:
            filled += 1
            if filled > MAX_LINES:
                raise _too_many_lines(source, number, start)
        lines.append(line)

    has_form_feeds = "\x0c" in text
    number, start = 1, 0
    for match in _BREAK.finditer(text):
        end = match.start()
        if has_form_feeds:
            _add_pages(add, text, number, start, end)
        else:
            add(number, start, end)
        number, start = number + 1, match.end()
    _add_pages(add, text, number, start, len(text))
    return lines


def _add_pages(
    add: Callable[[int, int, int], None], text: str, number: int, start: int, end: int
) -> None:
    """Add a line holding form feeds as its pieces, with a blank line for each feed."""
    while (feed := text.find("\x0c", start, end)) >= 0:
        add(number, start, feed)
        add(number, feed, feed + 1)  # the feed itself: a blank line
        start = feed + 1
    add(number, start, end)


def _too_many_lines(source: str, number: int, offset: int) -> IngestError:
    msg = (
        f"cannot ingest {source}: it has more than {MAX_LINES:,} lines of text (line "
        f"{number}, at character offset {offset}, is one too many); a publication has far "
        f"fewer, so this is not a capture of one page: check that it is text, or split it"
    )
    return IngestError(msg, source=source)


# --- shapes of text --------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_FINAL = ".!?…\u3002\uff01\uff1f"  # and the ideographic full stop, fullwidth ! and ?
_MARKDOWN_HEADING = LazyPattern(r"#{1,6}\s+")
_BULLET = LazyPattern(r"[-*•·▪◦–—]\s")
_LETTER = LazyPattern(r"[^\W\d_]")
_LIST_MARKER = LazyPattern(r"(?:[a-z]{1,3}|[ivx]+)[.)]\s")
_ABBREVIATION_END = LazyPattern(r"(?:\b[A-Z]\.){2,}$")
_MAX_HEADING_WORDS: Final = 25


def _heading_text(text: str) -> str:
    return _MARKDOWN_HEADING().sub("", text, count=1) if text.startswith("#") else text


def _last_mark(text: str) -> str:
    """The last character, looking through closing quotes and brackets after a mark."""
    bare = text.rstrip(_CLOSERS)
    if bare and bare[-1] in _FINAL + ":;":
        return bare[-1]
    return text[-1] if text else ""


def _ends_clause(text: str) -> bool:
    return _last_mark(text) in _FINAL + ":;"


def _is_heading(text: str, *, lenient: bool = False) -> bool:
    """A heading: one short line, not starting lowercase, not ending a sentence.

    *lenient* (for a capture's first line of text) also accepts a question or
    exclamation, or an ending abbreviation like ``U.S.``.
    """
    text = _heading_text(text)
    if not text or len(text) > _SHORT or text[0].islower() or _BULLET.match(text):
        return False
    if _LETTER.search(text) is None or len(text.split()) > _MAX_HEADING_WORDS:
        return False
    mark = _last_mark(text)
    if mark in ":;,":
        return False
    if mark in _FINAL:
        return lenient and (mark in "?!" or _ABBREVIATION_END.search(text) is not None)
    return True


def _key(text: str) -> str:
    return " ".join(_heading_text(text).casefold().split())


def _quote(text: str, limit: int = 70) -> str:
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 3]}...'"


def _line_range(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"
