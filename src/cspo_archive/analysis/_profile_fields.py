"""Reading a profile's tables with errors that name the file, the entry and the fix.

Each analysis builds its section of a :class:`~cspo_archive.analysis.Profile`
from its TOML table through a :class:`Fields` reader: every value is checked for
its type as it is read, and a wrong one raises
:class:`~cspo_archive.exceptions.ProfileError` saying which file, which entry,
what was expected, what was found and what to write instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cspo_archive.exceptions import ProfileError

__all__ = ["GIVEN", "NOTHING", "Fields"]

#: The source named for a profile built from a table in code, not read from a file.
GIVEN = "<profile given in code>"


#: The pattern of an absent rule: it matches nowhere.
NOTHING = re.compile(r"(?!)")


def _found(value: object) -> str:
    return "nothing" if value is None else f"{value!r} (a {type(value).__name__})"


class Fields:
    """One table of a profile (``where`` is its dotted name, ``source`` its file)."""

    __slots__ = ("data", "source", "where")

    def __init__(self, data: Mapping[str, Any], where: str, source: str) -> None:
        self.data = data
        self.where = where
        self.source = source

    def error(self, key: str | None, problem: str, fix: str) -> ProfileError:
        """The error for entry *key* of this table (the table itself if ``None``)."""
        entry = f"{self.where}.{key}" if key is not None else self.where
        shown = f"[{self.where}] {key}" if key is not None else f"[{self.where}]"
        return ProfileError(
            f"profile {self.source}: {shown}: {problem}; {fix}", path=self.source, entry=entry
        )

    def only(self, allowed: Iterable[str]) -> None:
        """Refuse any key not in *allowed* (a misspelt entry would be silently ignored)."""
        known = sorted(allowed)
        for key in self.data:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"the entries are {', '.join(known)}"
                )
                raise self.error(str(key), "is not an entry of this table", hint)

    def table(self, key: str) -> Fields:
        """The sub-table *key* (empty when absent)."""
        value = self.data.get(key, {})
        if not isinstance(value, Mapping):
            raise self.error(
                key, f"must be a table, got {_found(value)}", f"write it as [{self.where}.{key}]"
            )
        return Fields(value, f"{self.where}.{key}", self.source)

    def tables(self) -> Iterator[tuple[str, Fields]]:
        """Each entry of this table, which must all be tables."""
        for key in self.data:
            yield key, self.table(key)

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string (required when *default* is ``None``)."""
        value = self.data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                key, f"must be a non-empty string, got {_found(value)}", f'write {key} = "..."'
            )
        return value.strip()

    def strings(self, key: str, *, split: bool = False) -> tuple[str, ...]:
        """A list of strings (empty when absent); with *split*, one string of
        white-space-separated words is also accepted."""
        return self.value_strings(key, self.data.get(key, []), split=split)

    def value_strings(self, key: str, value: object, *, split: bool = False) -> tuple[str, ...]:
        """*value* (entry *key*) as a list of strings."""
        if split and isinstance(value, str):
            return tuple(value.split())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        shape = "a list of strings or one string of words" if split else "a list of strings"
        raise self.error(
            key, f"must be {shape}, got {_found(value)}", f'write {key} = ["...", "..."]'
        )

    def string_map(self, key: str) -> dict[str, str]:
        """A table of strings (empty when absent)."""
        table = self.table(key)
        for name, value in table.data.items():
            if not isinstance(value, str):
                raise table.error(
                    name, f"must be a string, got {_found(value)}", f'write {name} = "..."'
                )
        return dict(table.data)

    def lists(self, key: str, *, split: bool = False) -> dict[str, tuple[str, ...]]:
        """A table whose every entry is a list of strings (empty when absent)."""
        table = self.table(key)
        return {
            name: table.value_strings(name, value, split=split)
            for name, value in table.data.items()
        }

    def regex(self, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        """A regular expression, compiled now (so a broken one is named at load);
        an absent one matches nothing."""
        if key not in self.data:
            return NOTHING
        source = self.text(key)
        try:
            return re.compile(source, flags)
        except re.error as exc:
            raise self.error(
                key, f"is not a valid regular expression ({exc})", "correct the pattern"
            ) from None
