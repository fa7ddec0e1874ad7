"""The Jinja2 environments, with the shared formatting functions as filters."""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from cspo_archive.analysis.membership import country_name
from cspo_archive.report._format import join_names, percent, rate, signed

__all__ = ["environment"]


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
