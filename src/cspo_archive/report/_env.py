"""The Jinja2 environments and the filters every report shares."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import jinja2

from cspo_archive.compare.membership import country_name

__all__ = ["environment", "join_names", "percent", "rate"]


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


@functools.cache
def environment(kind: str) -> jinja2.Environment:
    """The environment for ``html`` (autoescaping on) or ``markdown``/``text`` (off).

    Undefined names are errors (StrictUndefined), so a template typo cannot
    silently drop a section.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cspo_archive.report", "templates"),
        # Markdown and text are not HTML: their templates escape with their own filters.
        autoescape=kind == "html",  # noqa: S701
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Any] = {
        "country": country_name,
        "names": join_names,
        "percent": percent,
        "rate": rate,
        "signed": signed,
    }
    env.filters.update(filters)
    return env
