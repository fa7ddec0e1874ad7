"""Regular expressions compiled on first use.

Python's regular expression compiler is pure Python: compiling a pattern costs
far more than matching it on a short text, and a module that compiles its
patterns at import makes every command pay for patterns it may never use.
A :class:`LazyPattern` keeps the source and compiles it once, when first used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import AnyStr, Generic

__all__ = ["LazyPattern"]


class LazyPattern(Generic[AnyStr]):
    """``re.compile(source, flags)``, done on first use and kept.

    Call it for the compiled pattern, or use the common methods directly.
    """

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: AnyStr, flags: int = 0) -> None:
        self.source: AnyStr = source
        self.flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    def __call__(self) -> re.Pattern[AnyStr]:
        """The compiled pattern (compiled now if this is the first use)."""
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    @property
    def is_compiled(self) -> bool:
        """Whether the pattern has been compiled (used) yet."""
        return self._compiled is not None

    def __repr__(self) -> str:
        state = "compiled" if self.is_compiled else "not compiled yet"
        return f"LazyPattern({self.source!r}, {self.flags!r}) ({state})"

    def search(self, text: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.search`."""
        return self().search(text, pos)

    def match(self, text: AnyStr, pos: int = 0) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.match`."""
        return self().match(text, pos)

    def fullmatch(self, text: AnyStr) -> re.Match[AnyStr] | None:
        """As :meth:`re.Pattern.fullmatch`."""
        return self().fullmatch(text)

    def finditer(self, text: AnyStr) -> Iterator[re.Match[AnyStr]]:
        """As :meth:`re.Pattern.finditer`."""
        return self().finditer(text)

    def sub(self, replacement: AnyStr, text: AnyStr) -> AnyStr:
        """As :meth:`re.Pattern.sub` with a replacement string."""
        return self().sub(replacement, text)
