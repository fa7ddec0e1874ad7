"""A Comparison or a Timeline as versioned JSON: the format for programs.

The document is the whole result, unstructured (dates as ISO 8601 strings,
enums by value, tuples as lists), wrapped in a small envelope that names the
format and its version::

    {
      "comparison": {...},            # or "timeline": {...}
      "generator": "cspo-archive",
      "generator_version": "0.1.0",
      "schema": "cspo-archive/comparison",   # or "cspo-archive/timeline"
      "schema_version": 3,
      "summary": "Membership went from 7 to 10 nations: ..."
    }

Every finding keeps its evidence (sentences with their text, number,
paragraph and character offsets; every word-diff op as ``[op, text]``), so a
program never needs the snapshots themselves. The JSON Schemas that describe
the format, property by property, ship with the package: :func:`schema`.

Output is stable: keys sorted, two-space indent, UTF-8 (no ``\\u`` escapes),
one final newline, floats as the records hold them (already rounded), no
timestamps and no paths; equal results give byte-identical documents.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

from cspo_archive._serialize import unstructure
from cspo_archive.analysis import Comparison, Timeline
from cspo_archive.report import UnknownFormatError
from cspo_archive.report._summary import comparison_summary, timeline_summary

__all__ = ["GENERATOR", "KINDS", "SCHEMA_VERSION", "SCHEMA_VERSIONS", "render", "schema", "to_data"]

#: The version of the JSON format (and of its schemas); raised on any incompatible change.
SCHEMA_VERSION = 3
#: Every version whose schemas ship (documents written by earlier releases validate
#: against their own version's schema).
SCHEMA_VERSIONS = (1, 2, 3)
#: The ``generator`` of every document.
GENERATOR = "cspo-archive"
#: The kinds of document, each with its schema ``schema/<kind>-<SCHEMA_VERSION>.json``.
KINDS = ("comparison", "timeline")


def _version() -> str:
    import cspo_archive

    version: str = cspo_archive.__version__
    return version


def _lists(value: Any) -> Any:
    """*value* with every tuple made a list, so the data equals its JSON round trip."""
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def to_data(result: Comparison | Timeline) -> dict[str, Any]:
    """The JSON document of *result* as plain builtins (dicts, lists, str, int, float, bool, None).

    ``json.loads(render(result)) == to_data(result)``. Raises :class:`TypeError`
    for anything but a :class:`~cspo_archive.Comparison` or a
    :class:`~cspo_archive.Timeline`.
    """
    value: object = result  # callers without type checking may pass anything
    if isinstance(value, Comparison):
        kind, summary = "comparison", comparison_summary(value)
    elif isinstance(value, Timeline):
        kind, summary = "timeline", timeline_summary(value)
    else:
        name = type(value).__name__
        msg = f"'result' must be a Comparison or a Timeline (got {value!r} that is a {name})"
        raise TypeError(msg)
    return {
        "schema": f"{GENERATOR}/{kind}",
        "schema_version": SCHEMA_VERSION,
        "generator": GENERATOR,
        "generator_version": _version(),
        "summary": summary,
        kind: _lists(unstructure(result)),
    }


def render(result: Comparison | Timeline) -> str:
    """*result* as a JSON document (see the module docstring), ending with a newline.

    Raises :class:`TypeError` for anything but a Comparison or a Timeline, and
    :class:`ValueError` if a number is not finite (JSON has no NaN).
    """
    text = json.dumps(
        to_data(result), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
    )
    return text + "\n"


@functools.cache
def _schema_text(kind: str, version: int) -> str:
    resource = importlib.resources.files("cspo_archive.report").joinpath(
        f"schema/{kind}-{version}.json"
    )
    return resource.read_text(encoding="utf-8")


def schema(kind: str = "comparison", version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``comparison`` or ``timeline`` document
    of format *version* (the current one by default; earlier ones ship too, so a
    document written by an earlier release still validates against its own).

    A fresh dict on every call (change it freely). Raises
    :class:`~cspo_archive.report.UnknownFormatError` (a :class:`ValueError`)
    for another *kind* or a version that does not exist.
    """
    if kind not in KINDS:
        choices = " or ".join(repr(k) for k in KINDS)
        msg = f"'kind' must be {choices} (got {kind!r} that is a {type(kind).__name__})"
        raise UnknownFormatError(msg)
    if version not in SCHEMA_VERSIONS or isinstance(version, bool):
        known = ", ".join(str(v) for v in SCHEMA_VERSIONS)
        msg = f"'version' must be one of {known} (got {version!r})"
        raise UnknownFormatError(msg)
    data: dict[str, Any] = json.loads(_schema_text(kind, version))
    return data
