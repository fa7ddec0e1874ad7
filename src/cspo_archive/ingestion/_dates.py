"""Dates: the date shapes publishers print, and the dates a capture states."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Final, Literal

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.ingestion._lines import _line_range, _quote
from cspo_archive.model import DateSource, PublishedDate

if TYPE_CHECKING:
    from cspo_archive.ingestion._parse import _Parse

# --- dates -----------------------------------------------------------------------

_MONTHS: Final = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_TIME = (
    r"(?:\s*(?:,|\||-|–|at)?\s*\d{1,2}(?:[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?:\s+[a-z]{2,5})?)?"
)
#: A time some publishers print before the date ("9:41 AM GMT, 21 June 2024").
_TIME_FIRST = r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?\s*[,|]?\s+)?"
_DATE = (
    rf"{_TIME_FIRST}{_WEEKDAY}(?:[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}){_TIME}"
)
_DATE_RE = LazyPattern(_DATE, re.IGNORECASE)
#: A date, a dash and where it was issued, no sentence: "March 4, 2025 – Ottawa, Ontario
#: – National Defence". Read as a date only just below a title (see ``_split._datelines``).
_DATELINE_RE = LazyPattern(rf"(?:{_DATE})\s*(?:[–—|]|--?)\s*[^.!?]{{1,150}}", re.IGNORECASE)
_DMY = LazyPattern(r"([0-3]?\d)(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})", re.I)
_MDY = LazyPattern(r"([a-z]{3})[a-z]*\.?\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_ISO = LazyPattern(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = LazyPattern(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def _parse_date(text: str) -> dt.date | None:
    """Read a date matched by ``_DATE``; ``None`` if impossible or ambiguous.

    ``03/04/2025`` is ambiguous (3 April or March 4) and is not guessed.
    """
    try:
        if match := _ISO.search(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.search(text):
            a, b, year = int(match[1]), int(match[2]), int(match[3])
            if a > 12 >= b:
                return dt.date(year, b, a)
            if b > 12 >= a:
                return dt.date(year, a, b)
            return dt.date(year, a, a) if a == b else None
        if (match := _DMY.search(text)) and match[2].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        if (match := _MDY.search(text)) and match[1].lower() in _MONTHS:
            return dt.date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    except ValueError:
        return None
    return None


@frozen
class _Stated:
    role: Literal["published", "updated"]
    date: dt.date | None
    quote: str
    first: int  # line numbers
    last: int
    publication: int | None  # index of the publication it belongs to; None: the page


@frozen
class _Dates:
    """The dates a capture states, gathered once for all its publications."""

    page: tuple[_Stated, dt.date] | None  # the page's first stated publication date
    own: dict[int, tuple[_Stated, dt.date]]  # a publication's own date line
    updates: tuple[dt.date, ...]  # the page's updates, sorted, without repeats

    @classmethod
    def of(cls, parse: _Parse) -> _Dates:
        page: tuple[_Stated, dt.date] | None = None
        own: dict[int, tuple[_Stated, dt.date]] = {}
        updates: set[dt.date] = set()
        for stated in parse.stated:
            if stated.date is None:
                continue
            if stated.role == "updated":
                updates.add(stated.date)
            elif stated.publication is not None:
                own.setdefault(stated.publication, (stated, stated.date))
            elif page is None:
                page = (stated, stated.date)
        return cls(page, own, tuple(sorted(updates)))

    def of_publication(
        self, number: int, total: int
    ) -> tuple[PublishedDate | None, tuple[dt.date, ...], list[str]]:
        """Publication *number*'s date (its own date line, else the page's) and updates."""
        steps = []
        published: PublishedDate | None = None
        chosen = self.own.get(number, self.page)
        if chosen is not None:
            stated, date = chosen
            where = _line_range(stated.first, stated.last)
            note = f"stated in the capture: {_quote(stated.quote, 200)} ({where})"
            if stated.publication is None and total > 1:
                note += "; the date of the page, which applies to every publication on it"
            published = PublishedDate(date, DateSource.STATED, note)
            steps.append(f"published: {date.isoformat()} ({note})")
        updates = self.updates
        if published is not None:
            early = [d.isoformat() for d in updates if d < published.value]
            if early:
                ignored = ", ".join(early)
                steps.append(f"updated: ignored {ignored} (earlier than the published date)")
            updates = tuple(d for d in updates if d >= published.value)
        if updates:
            steps.append("updated: " + ", ".join(d.isoformat() for d in updates))
        return published, updates, steps
