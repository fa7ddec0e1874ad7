"""Number and name formatting every report shares (pure functions, no Jinja2).

The Markdown and text renderers import only this module, so they never pay
for importing Jinja2; ``_env.py`` registers the same functions as filters.
"""

from __future__ import annotations

from collections.abc import Iterable

from cspo_archive.analysis.membership import Membership, MembershipChange, country_name

__all__ = ["join_names", "percent", "rate", "signed", "written_as"]


def written_as(change: MembershipChange, code: str) -> str:
    """How the text names a nation of a membership comparison ("the Republic of
    Korea"): as the new text first writes it, or the old one for a nation that
    left; the common name when neither text names it."""
    sides: tuple[Membership, ...] = (
        (change.old, change.new) if code in change.left else (change.new, change.old)
    )
    for side in sides:
        for mention in side.mentions:
            if mention.code == code:
                return mention.name
    return country_name(code)


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
