"""Number and name formatting every report shares (pure functions, no Jinja2).

The Markdown and text renderers import only this module, so they never pay
for importing Jinja2; ``_env.py`` registers the same functions as filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from cspo_archive.analysis.membership import country_name

__all__ = ["join_names", "percent", "rate", "signed"]


def join_names(codes: Iterable[str] | None, *, empty: str = "none") -> str:
    """``("ITA", "JPN", "NOR")`` → ``"Italy (ITA), Japan (JPN) and Norway (NOR)"``."""
    if codes is None:
        return "unknown"
    names = [f"{country_name(c)} ({c})" for c in codes]
    if not names:
        return empty
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def percent(value: float, digits: int = 1) -> str:
    """``0.0664`` → ``"6.6%"`` (fixed digits, so output diffs cleanly)."""
    return f"{value * 100:.{digits}f}%"


def rate(value: float) -> str:
    """A rate per 1,000 words with one decimal: ``45.8015`` → ``"45.8"``."""
    return f"{value:.1f}"


def signed(value: float, digits: int = 1) -> str:
    """A change with its sign: ``31.34`` → ``"+31.3"``, ``-2`` → ``"-2.0"``."""
    return f"{value:+.{digits}f}"
