"""The state of one ingest: lines, the furniture found by its lines, blocks and their roles."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Literal

import attrs
from attrs import define

from cspo_archive.ingestion._dates import _DATE_RE, _DATELINE_RE, _parse_date, _Stated
from cspo_archive.ingestion._furniture import (
    _DATE_KEYWORD,
    _ENTRY_PREFIX,
    _LABELS,
    _PUBLISHED,
    _UPDATED,
    _Pattern,
    _rules,
)
from cspo_archive.ingestion._lines import (
    _LIST_MARKER,
    _SHORT,
    _ends_clause,
    _is_heading,
    _key,
    _Line,
    _line_range,
    _quote,
    _split_lines,
)
from cspo_archive.ingestion._records import Furniture


@define
class _Block:
    lines: list[int]  # indices into _Parse.lines
    kind: str = "text"  # text | heading | label | date (may change as roles are settled)
    #: Where a title from outside the text that this block repeats came from.
    hint: str | None = None


@define
class _Pub:
    heading: int  # block index (of the first block of text when the title is not in it)
    reasons: list[str] = attrs.Factory(list)
    labels: list[int] = attrs.Factory(list)  # label blocks above it
    #: A title from outside the text (given by the caller or stated by the page's
    #: metadata), when the text holds no line that is it: ``heading`` is then text.
    outside_title: str | None = None


class _Parse:
    """The state of one ingest: lines, furniture found, blocks and their roles."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = _split_lines(text, source)
        self.furniture: list[tuple[Furniture, str]] = []  # with a note for the steps
        self.stated: list[_Stated] = []
        self.undated: list[tuple[int, str]] = []  # (line, step) for dates not understood
        self.line_mode = self._no_blank_lines()
        #: Blocks of lines read one paragraph per line (see :meth:`_one_per_line`).
        self.split_lines: list[tuple[int, int]] = []
        self._last_index: dict[str, int] | None = None

    def last_index(self, key: str) -> int:
        """The last line whose key (see :func:`_key`) is *key*, or -1."""
        if self._last_index is None:  # only contents lists need it: built on demand
            self._last_index = {}
            for index, line in enumerate(self.lines):
                if line.text and len(line.text) <= _SHORT:
                    self._last_index[_key(_ENTRY_PREFIX.sub("", line.text))] = index
        return self._last_index.get(key, -1)

    # furniture found by its lines -------------------------------------------------

    def _no_blank_lines(self) -> bool:
        filled = [i for i, line in enumerate(self.lines) if line.text]
        if len(filled) < 3:
            return False
        return all(self.lines[i].text for i in range(filled[0], filled[-1] + 1))

    def _blank(self, index: int) -> bool:
        return not self.lines[index].text

    def _starts(self, index: int) -> _Pattern | None:
        text = self.lines[index].text
        if not text or len(text) > _SHORT:
            return None
        rules = _rules()  # the rules of profiles/ingest.toml, compiled on first use
        if rules.any_start.fullmatch(text) is None:
            return None
        return next((p for p in rules.furniture if p.start.fullmatch(text)), None)

    def find_line_furniture(self) -> None:
        index = 0
        while index < len(self.lines):
            pattern = self._starts(index)
            last = None if pattern is None else self._extent(pattern, index)
            if pattern is None or last is None:
                index += 1
                continue
            first = self._above(pattern, index)
            self._mark(pattern.kind, first, last)
            if pattern.dates is not None:
                self._collect_dates(pattern, first, last)
            index = last + 1

    def _above(self, pattern: _Pattern, first: int) -> int:
        """The block's first line: the line above *first* if it belongs to the block.

        It does if it matches ``pattern.above``, is not furniture yet, and is a
        paragraph of that one line with no blank line between it and *first*; a
        capture without blank lines has no such signal, so there it never does.
        """
        line = first - 1
        if pattern.above is None or self.line_mode or line < 0 or self._blank(line):
            return first
        text = self.lines[line].text
        if (
            self.lines[line].kind is not None
            or (line > 0 and not self._blank(line - 1))
            or len(text) > _SHORT
            or pattern.above.fullmatch(text) is None
        ):
            return first
        return line

    def _extent(self, pattern: _Pattern, first: int) -> int | None:
        last, taken, index = first, 0, first + 1
        seen: set[str] = set()
        after_date = False
        while pattern.follow is not None and index < len(self.lines) and taken < pattern.limit:
            if self._blank(index):
                if not pattern.gap or self.lines[index].kind is not None:
                    break
                index += 1
                continue
            text = self.lines[index].text
            fits = len(text) <= _SHORT and pattern.follow.fullmatch(text) is not None
            if fits and not pattern.absorb and self._starts(index) is not None:
                break
            if fits and pattern.reappear:
                key = _key(_ENTRY_PREFIX.sub("", text))
                fits = key not in seen and self.last_index(key) > index
                seen.add(key)
            if not fits:
                is_note = (
                    pattern.notes
                    and after_date
                    and len(text) <= _SHORT
                    and len(text.split()) <= 40
                    and self._starts(index) is None
                )
                if not is_note:
                    break
            after_date = fits and _DATE_RE.fullmatch(text.rstrip(".")) is not None
            last, taken, index = index, taken + 1, index + 1
        if pattern.needs_follow and taken == 0:
            return None
        if pattern.paragraph is not None:
            nxt = next((i for i in range(last + 1, len(self.lines)) if not self._blank(i)), None)
            if nxt is not None and pattern.paragraph.match(self.lines[nxt].text):
                last = nxt
                while (
                    not self.line_mode and last + 1 < len(self.lines) and not self._blank(last + 1)
                ):
                    last += 1
        return last

    def _mark(self, kind: str, first: int, last: int, note: str = "") -> None:
        texts = []
        for line in self.lines[first : last + 1]:
            line.kind = kind
            if line.norm:
                texts.append(line.norm)
        span = (self.lines[first].number, self.lines[last].number)
        self.furniture.append((Furniture(kind, span, "\n".join(texts)), note))

    def _collect_dates(self, pattern: _Pattern, first: int, last: int) -> None:
        previous: _Line | None = None
        filled = [line for line in self.lines[first : last + 1] if line.text]
        for position, line in enumerate(filled):
            match = _DATE_RE.search(line.text)
            if match is None:
                previous = line
                continue
            before = line.text[: match.start()].strip()
            after = line.text[match.end() :].strip(" .")
            quote, first_number = line.text, line.number
            keyword = before
            if not before and previous is not None and _DATE_KEYWORD.fullmatch(previous.text):
                keyword, quote, first_number = (
                    previous.text,
                    f"{previous.text} {line.text}",
                    (previous.number),
                )
            role: Literal["published", "updated"] | None
            if re.match(_PUBLISHED, keyword, re.I) or re.match(r"releas", keyword, re.I):
                role = "published"
            elif re.match(_UPDATED, keyword, re.I):
                role = "updated"
            elif keyword:
                role = None
            elif pattern.dates == "history":
                note = after or (filled[position + 1].text if position + 1 < len(filled) else "")
                role = "published" if re.search(r"first\s+published", note, re.I) else "updated"
            else:
                role = "published" if pattern.dates == "published" else "updated"
            if role is not None:
                self.state(role, match.group(), quote, first_number, line.number, None)
            previous = line

    def state(
        self,
        role: Literal["published", "updated"],
        date_text: str,
        quote: str,
        first: int,
        last: int,
        publication: int | None,
    ) -> None:
        date = _parse_date(date_text)
        if date is None:
            step = (
                f"date not used: {_quote(date_text)} ({_line_range(first, last)}) is ambiguous "
                f"(day and month order) or impossible"
            )
            self.undated.append((first, step))
        self.stated.append(_Stated(role, date, quote, first, last, publication))

    # blocks and their roles -------------------------------------------------------

    def blocks(self) -> list[_Block]:
        blocks: list[_Block] = []
        current: list[int] = []
        for index, line in enumerate(self.lines):
            if not line.text or line.kind is not None or (self.line_mode and current):
                if current:
                    blocks.append(_Block(current))
                current = []
            if line.text and line.kind is None:
                current.append(index)
        if current:
            blocks.append(_Block(current))
        blocks = [part for block in blocks for part in self._one_per_line(block)]
        for block in blocks:
            block.kind = self._classify(block)
        # A short line whose sentence goes on in the next block is a broken
        # paragraph, not a heading (the first heading is kept: it is the title).
        headings = [b for b in blocks if b.kind == "heading"]
        for block, nxt in pairwise(blocks):
            if block.kind == "heading" and block is not headings[0] and _continues(nxt, self):
                block.kind = "text"
        return blocks

    def _one_per_line(self, block: _Block) -> list[_Block]:
        """*block* as one block per line when its lines are not one paragraph wrapped:
        every line but the last ends a sentence (or is a heading) and the next starts
        with a capital letter or a digit, as in captures that put a paragraph, a
        title, a byline or a caption on each line with no blank line between them."""
        if len(block.lines) < 2:
            return [block]
        texts = [self.lines[i].text for i in block.lines]
        for text, nxt in pairwise(texts):
            if not (_ends_clause(text) or _is_heading(text)) or not (
                nxt[0].isupper() or nxt[0].isdigit()
            ):
                return [block]
        first, last = self.lines[block.lines[0]].number, self.lines[block.lines[-1]].number
        self.split_lines.append((first, last))
        return [_Block([i]) for i in block.lines]

    def text_of(self, block: _Block) -> str:
        return self.lines[block.lines[0]].text

    def _classify(self, block: _Block) -> str:
        if len(block.lines) > 1:
            return "text"
        text = self.text_of(block)
        if text.rstrip(":").casefold() in _LABELS:
            return "label"
        if _DATE_RE.fullmatch(text.rstrip(".")) or _DATELINE_RE.fullmatch(text):
            return "date"
        return "heading" if _is_heading(text) else "text"

    def numbers(self, block: _Block) -> tuple[int, int]:
        return self.lines[block.lines[0]].number, self.lines[block.lines[-1]].number

    def drop(self, block: _Block, kind: str, note: str = "") -> None:
        self._mark(kind, block.lines[0], block.lines[-1], note)
        block.kind = "furniture"


def _continues(block: _Block, parse: _Parse) -> bool:
    """Whether *block* begins lowercase, continuing a sentence (not a list item)."""
    text = parse.text_of(block)
    return text[0].islower() and _LIST_MARKER.match(text) is None
