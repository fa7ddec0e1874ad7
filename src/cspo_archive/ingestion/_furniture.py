"""Page furniture recognised by its lines, and the labels publishers print above titles.

The rules are data: ``cspo_archive/profiles/ingest.toml`` (its header documents
the layout). :func:`_rules` compiles the shipped rules once, on first use, into a
frozen :class:`_Rules`; :func:`load_rules` compiles those of another file (for
tests and for authors of rules). Nothing is read or compiled at import. Every
entry is checked: an unknown key, a value of the wrong type, an unknown
placeholder or a regex that does not compile raises
:class:`~cspo_archive.exceptions.ArchiveFormatError` naming the file, the entry
and the fix.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Literal

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import ArchiveFormatError
from cspo_archive.ingestion._dates import _DATE
from cspo_archive.model import DocumentType

__all__ = ["load_rules"]

# --- furniture patterns ----------------------------------------------------------


@frozen
class _Pattern:
    """A kind of page furniture found by its lines.

    ``start`` must match a whole line (case-insensitive, link syntax removed).
    ``follow`` lines after it belong to the block too (across blank lines if
    ``gap``; at most ``limit`` of them; a line that starts another pattern
    ends the block unless ``absorb``). ``needs_follow``: the start line alone
    is not furniture. ``paragraph``: the paragraph after the block belongs to
    it if its first line starts with this. ``reappear``: follow lines must
    reappear later in the capture (a contents list). ``notes``: a line after a
    bare date is its change note. ``above``: the line just above the start
    line belongs to the block if it matches this and is a paragraph of one line
    with no blank line before the start line (in a capture with blank lines).
    ``dates``: what a date in the block means.
    """

    kind: str
    start: re.Pattern[str]
    follow: re.Pattern[str] | None = None
    gap: bool = False
    limit: int = 10_000
    needs_follow: bool = False
    absorb: bool = False
    paragraph: re.Pattern[str] | None = None
    reappear: bool = False
    notes: bool = False
    dates: Literal["published", "updated", "history"] | None = None
    above: re.Pattern[str] | None = None


@frozen
class _Rules:
    """The compiled rules of one data file."""

    #: The file they were read from.
    source: str
    #: Page furniture recognised by its lines, in the order tried.
    furniture: tuple[_Pattern, ...]
    #: Matches (whole) any line that some entry's ``start`` matches.
    any_start: re.Pattern[str]
    #: Labels printed above a title, and the document type each means
    #: (``None``: a generic label; the title decides, else OTHER).
    labels: Mapping[str, DocumentType | None]


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_ENTRY_PREFIX = LazyPattern(r"(?:[-*•·]\s*|\d{1,2}[.)]\s*)")
_PUBLISHED = r"(?:first\s+|date\s+)?published(?:\s+on)?:?"
_UPDATED = r"(?:(?:last\s+)?updated|(?:date|last)\s+modified|modified)(?:\s+on)?:?"
_DATE_KEYWORD = LazyPattern(f"{_PUBLISHED}|{_UPDATED}", re.IGNORECASE)

#: The shared fragments a rule names as ``{date}``, ``{published}``, ``{updated}``:
#: each is a sequence (no alternation at its top level), substituted as written.
_FRAGMENTS: Final[Mapping[str, str]] = types.MappingProxyType(
    {"date": _DATE, "published": _PUBLISHED, "updated": _UPDATED}
)

# --- loading and checking the data file ------------------------------------------

_NAME: Final = "ingest"
_TABLES: Final = ("patterns", "furniture", "labels")
_REGEX_KEYS: Final = ("start", "follow", "paragraph", "above")
_FLAGS: Final = ("gap", "needs_follow", "absorb", "reappear", "notes")
_KEYS: Final = ("kind", *_REGEX_KEYS, *_FLAGS, "limit", "dates")
_NEEDS_FOLLOW: Final = ("gap", "limit", "needs_follow", "absorb", "reappear", "notes")
_DATES: Final = ("published", "updated", "history")
_KIND: Final = LazyPattern(r"[a-z]+(?:-[a-z]+)*")
_PATTERN_NAME: Final = LazyPattern(r"[a-z][a-z0-9_]*")
# A placeholder: a name in braces ({2} and {0,250} are repetition, not names).
_PLACEHOLDER: Final = LazyPattern(r"(?<!\\)\{([A-Za-z_]\w*)\}")


@functools.cache
def _rules() -> _Rules:
    """The shipped rules (``profiles/ingest.toml``), compiled on first use and kept."""
    from cspo_archive.profiles import FOLDER, load_table

    return _compile(load_table(_NAME), str(FOLDER / f"{_NAME}.toml"))


def load_rules(path: Path | None = None) -> _Rules:
    """The rules of the TOML file at *path*; the shipped ones (cached) if *path* is None.

    The file has the layout of ``profiles/ingest.toml``. Raises
    :class:`~cspo_archive.exceptions.ArchiveFormatError` naming the file, the
    entry and the fix if the file cannot be read, is not TOML or holds an
    invalid entry.
    """
    if path is None:
        return _rules()
    from cspo_archive.profiles import _parse_toml

    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the ingest rules file {path}: {exc.strerror or exc}; check the path"
        raise ArchiveFormatError(msg, path=str(path)) from exc
    return _compile(_parse_toml(path, raw), str(path))


def _error(source: str, where: str, problem: str, fix: str) -> ArchiveFormatError:
    return ArchiveFormatError(f"{source}: {where}: {problem}; {fix}", path=source)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
    return f"{number}{suffix or 'th'}"


def _describe(value: object) -> str:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{type(value).__name__} {shown}"


class _Compiler:
    """Checks and compiles one data file's tables; every error names *source*."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.given: dict[str, object] = {}  # [patterns] as written
        self.shared: dict[str, str] = {}  # [patterns]: name -> regex text, substituted
        self.compiled_shared: dict[str, re.Pattern[str]] = {}

    def error(self, where: str, problem: str, fix: str) -> ArchiveFormatError:
        return _error(self.source, where, problem, fix)

    def text(self, value: object, where: str, key: str, within: tuple[str, ...] = ()) -> str:
        """The regex text of *value* (a string or a list of alternatives), placeholders
        substituted; *within*: the shared patterns being substituted (to find cycles)."""
        if isinstance(value, str):
            parts = [value]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            parts = value
        else:
            raise self.error(
                where,
                f"{key!r} is {_describe(value)}, not a regex",
                f"write {key} = '<regex>' (a TOML literal string), or a list of such "
                f"strings (the alternatives)",
            )

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in _FRAGMENTS:
                return _FRAGMENTS[name]
            if name in within:
                cycle = " -> ".join((*within, name))
                raise self.error(
                    where,
                    f"{key!r} names itself through its placeholders ({cycle})",
                    "break the cycle: a shared pattern cannot contain itself",
                )
            if name in self.given:
                return f"(?:{self.shared_text(name, within)})"
            known = ", ".join(f"{{{n}}}" for n in (*_FRAGMENTS, *sorted(self.given)))
            raise self.error(
                where,
                f"{key!r} names an unknown placeholder {{{name}}}",
                f"use one of {known} (or define it in [patterns]); write \\{{ for a literal brace",
            )

        return _PLACEHOLDER().sub(substitute, "|".join(parts))

    def shared_text(self, name: str, within: tuple[str, ...] = ()) -> str:
        if name not in self.shared:
            where = f"[patterns] entry {name!r}"
            self.shared[name] = self.text(self.given[name], where, name, (*within, name))
        return self.shared[name]

    def regex(self, value: object, where: str, key: str) -> re.Pattern[str]:
        return self.compile(self.text(value, where, key), where, key)

    def compile(self, text: str, where: str, key: str) -> re.Pattern[str]:
        try:
            return _ci(text)
        except re.error as exc:
            shown = text if len(text) <= 300 else text[:297] + "..."
            raise self.error(
                where,
                f"{key!r} is not a valid regular expression ({exc}) in {shown!r}",
                "fix the regex (Python re syntax, matched case-insensitively against a whole "
                "line; the text quoted has its placeholders substituted)",
            ) from None

    def patterns(self, table: object) -> None:
        if not isinstance(table, dict):
            raise self.error(
                "[patterns]",
                f"is {_describe(table)}, not a table",
                "write [patterns] and below it name = '<regex>'",
            )
        for name in table:
            if _PATTERN_NAME.fullmatch(name) is None or name in _FRAGMENTS:
                raise self.error(
                    f"[patterns] entry {name!r}",
                    "the name is not usable as a placeholder"
                    + (" (it is a built-in fragment)" if name in _FRAGMENTS else ""),
                    "name it with lowercase letters, digits and '_', starting with a letter, "
                    f"and not {', '.join(_FRAGMENTS)}",
                )
        self.given = dict(table)
        for name in table:
            where = f"[patterns] entry {name!r}"
            self.compiled_shared[name] = self.compile(self.shared_text(name), where, name)

    def entry(self, number: int, entry: object) -> _Pattern:
        where = f"the {_ordinal(number)} [[furniture]] entry"
        if not isinstance(entry, dict):
            raise self.error(
                where, f"is {_describe(entry)}, not a table", "write [[furniture]] and its keys"
            )
        kind = entry.get("kind")
        if not isinstance(kind, str) or _KIND.fullmatch(kind) is None:
            raise self.error(
                where,
                "'kind' is missing" if kind is None else f"'kind' is {_describe(kind)}",
                'give it a lowercase hyphenated kind, like kind = "share-links"',
            )
        where = f"{where} (kind {kind!r})"
        unknown = [key for key in entry if key not in _KEYS]
        if unknown:
            raise self.error(
                where,
                f"unknown key {unknown[0]!r}",
                "the keys are " + ", ".join(_KEYS) + "; fix its spelling or remove it",
            )
        if "start" not in entry:
            raise self.error(where, "'start' is missing", "add start = '<regex>'")
        flags: dict[str, bool] = {}
        for key in _FLAGS:
            value = entry.get(key, False)
            if not isinstance(value, bool):
                raise self.error(
                    where, f"{key!r} is {_describe(value)}", f"write {key} = true or false"
                )
            flags[key] = value
        limit = entry.get("limit", 10_000)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise self.error(
                where, f"'limit' is {_describe(limit)}", "write limit = <a whole number, 1 or more>"
            )
        dates = entry.get("dates")
        if dates is not None and dates not in _DATES:
            raise self.error(
                where,
                f"'dates' is {_describe(dates)}",
                "write dates = " + " or ".join(f'"{d}"' for d in _DATES) + ", or leave it out",
            )
        if "follow" not in entry:
            given = [key for key in _NEEDS_FOLLOW if key in entry]
            if given:
                raise self.error(
                    where,
                    f"{given[0]!r} has no effect without 'follow'",
                    "add follow = '<regex>' (or the name of a shared pattern), or remove it",
                )
        follow: re.Pattern[str] | None = None
        value = entry.get("follow")
        if isinstance(value, str) and value in self.compiled_shared:
            follow = self.compiled_shared[value]
        elif value is not None:
            follow = self.regex(value, where, "follow")
        optional = {
            key: self.regex(entry[key], where, key)
            for key in ("paragraph", "above")
            if key in entry
        }
        return _Pattern(
            kind,
            self.regex(entry["start"], where, "start"),
            follow,
            gap=flags["gap"],
            limit=limit,
            needs_follow=flags["needs_follow"],
            absorb=flags["absorb"],
            paragraph=optional.get("paragraph"),
            reappear=flags["reappear"],
            notes=flags["notes"],
            dates=dates,
            above=optional.get("above"),
        )

    def labels(self, table: object) -> dict[str, DocumentType | None]:
        if not isinstance(table, dict):
            raise self.error(
                "[labels]", f"is {_describe(table)}, not a table", 'write [labels] "label" = "type"'
            )
        types_ = [t.value for t in DocumentType]
        labels: dict[str, DocumentType | None] = {}
        for label, value in table.items():
            where = f"[labels] entry {label!r}"
            if not label or label != " ".join(label.casefold().split()) or label.endswith(":"):
                raise self.error(
                    where,
                    "labels are looked up in lower case, single-spaced, without a final colon",
                    f'write it as "{" ".join(label.casefold().split()).rstrip(":")}"',
                )
            if not isinstance(value, str) or (value and value not in types_):
                raise self.error(
                    where,
                    f"the document type is {_describe(value)}",
                    "write one of " + ", ".join(f'"{t}"' for t in types_) + ', or "" for a '
                    "generic label",
                )
            labels[label] = DocumentType(value) if value else None
        return labels


def _compile(document: Mapping[str, Any], source: str) -> _Rules:
    """Check and compile the tables of a data file read from *source*."""
    compiler = _Compiler(source)
    unknown = [key for key in document if key not in _TABLES]
    if unknown:
        raise compiler.error(
            f"the table {unknown[0]!r}",
            "is not one this file may have",
            "the tables are [patterns], [[furniture]] and [labels]; fix its name or remove it",
        )
    compiler.patterns(document.get("patterns", {}))
    entries = document.get("furniture")
    if not isinstance(entries, list) or not entries:
        raise compiler.error(
            "[[furniture]]",
            "there are no entries" if entries is None else f"is {_describe(entries)}",
            "add one [[furniture]] table per kind of furniture",
        )
    furniture = tuple(compiler.entry(number, e) for number, e in enumerate(entries, start=1))
    labels = compiler.labels(document.get("labels", {}))
    return _Rules(
        source,
        furniture,
        _ci("|".join(f"(?:{p.start.pattern})" for p in furniture)),
        types.MappingProxyType(labels),
    )


class _Labels(Mapping[str, "DocumentType | None"]):
    """The shipped rules' labels, read on first use (importing reads nothing)."""

    def __getitem__(self, key: str) -> DocumentType | None:
        return _rules().labels[key]

    def __contains__(self, key: object) -> bool:
        return key in _rules().labels

    def __iter__(self) -> Iterator[str]:
        return iter(_rules().labels)

    def __len__(self) -> int:
        return len(_rules().labels)


#: Labels a publisher prints alone just above a title, and the document type
#: each means (``None``: a generic label; the title decides, else OTHER).
_LABELS: Final[Mapping[str, DocumentType | None]] = _Labels()
