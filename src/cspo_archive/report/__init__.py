"""Reports: a Comparison or a Timeline as Markdown, self-contained HTML, JSON or text.

``render(result, format)`` is the one entry point; each format lives in its own
module (``markdown``, ``html``, ``json``, ``text``) and is imported on first use.
Reports are rendered from the result objects only; every piece of text that
came from a publication or its metadata is escaped for the target format.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cspo_archive.exceptions import CspoArchiveError

if TYPE_CHECKING:
    from cspo_archive.analysis import Comparison, Timeline

__all__ = ["FORMATS", "UnknownFormatError", "render"]

#: Format names and their aliases → the module that renders them.
FORMATS = {
    "markdown": "markdown",
    "md": "markdown",
    "html": "html",
    "json": "json",
    "text": "text",
    "txt": "text",
}


class UnknownFormatError(CspoArchiveError, ValueError):
    """A report format that does not exist was asked for."""


def render(result: Comparison | Timeline, format: str = "markdown", *, color: bool = False) -> str:  # noqa: A002
    """Render *result* as ``markdown`` (``md``), ``html``, ``json`` or ``text`` (``txt``).

    ``color`` applies to ``text`` only (ANSI colours for a terminal).
    """
    module_name = FORMATS.get(format.lower() if isinstance(format, str) else "")
    if module_name is None:
        choices = ", ".join(sorted(FORMATS))
        msg = f"unknown report format {format!r}; choose one of {choices}"
        raise UnknownFormatError(msg)
    module = importlib.import_module(f"cspo_archive.report.{module_name}")
    if module_name == "text":
        output: str = module.render(result, color=color)
    else:
        output = module.render(result)
    return output
