"""Structuring and unstructuring records with cattrs, and the canonical JSON form.

One converter for the whole package: dates as ISO 8601 strings, enums by value,
tuples as lists, unknown keys refused (a field we do not know is either damage
or a newer format, and either way must not be silently dropped).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any, TypeVar

import cattrs

from cspo_archive.exceptions import CspoArchiveError

T = TypeVar("T")


def _structure_date(value: Any, _type: type) -> dt.date:
    if not isinstance(value, str):
        msg = f"expected an ISO 8601 date string like '2025-12-17' (got {value!r})"
        raise TypeError(msg)
    return dt.date.fromisoformat(value)


def _structure_datetime(value: Any, _type: type) -> dt.datetime:
    if not isinstance(value, str):
        msg = f"expected an ISO 8601 date-time string with offset (got {value!r})"
        raise TypeError(msg)
    return dt.datetime.fromisoformat(value)


def _structure_str(value: Any, _type: type) -> str:
    # cattrs would turn 12 into "12"; stored data must already be text.
    if not isinstance(value, str):
        msg = f"expected a string (got {value!r} that is a {type(value).__name__})"
        raise TypeError(msg)
    return value


def _structure_int(value: Any, _type: type) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"expected an integer (got {value!r} that is a {type(value).__name__})"
        raise TypeError(msg)
    return value


def make_converter() -> cattrs.Converter:
    """Return the package's converter (strict: unknown keys and wrong types refused)."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_unstructure_hook(tuple, list)
    # StrEnum members are str subclasses, which cattrs would pass through as they are;
    # plain data (JSON, YAML) wants the bare value.
    # (StrEnum's MRO puts str before Enum, so it needs its own, more specific hook.)
    conv.register_unstructure_hook(enum.Enum, lambda e: e.value)
    conv.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
    _omit_unset_later_fields(conv)
    return conv


def _omit_unset_later_fields(conv: cattrs.Converter) -> None:
    """Leave Provenance's fields added in 0.2 out of a record while they are None.

    A record made before they existed then keeps its exact bytes when it is
    made again (the bundled archive is rebuilt byte for byte from its recipe).
    """
    from cattrs.gen import make_dict_unstructure_fn, override

    from cspo_archive.model import Provenance

    omit = override(omit_if_default=True)
    conv.register_unstructure_hook(
        Provenance,
        make_dict_unstructure_fn(
            Provenance, conv, media_type=omit, extractor=omit, pages=omit, fetch=omit
        ),
    )


converter = make_converter()


def structure(data: Any, cls: type[T], *, what: str) -> T:
    """Structure *data* into *cls*; on failure raise ``ValueError`` with every problem.

    Our own validation errors (``CspoArchiveError``) raised inside attrs
    validators are re-raised as they are when they are the only problem.
    """
    try:
        return converter.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        ours = [e for e in _leaves(exc) if isinstance(e, CspoArchiveError)]
        if len(ours) == 1 and len(list(_leaves(exc))) == 1:
            raise ours[0] from exc
        problems = "; ".join(cattrs.transform_error(exc, path=what))
        raise ValueError(problems) from exc


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for sub in exc.exceptions for leaf in _leaves(sub)]
    return [exc]


def unstructure(obj: object) -> Any:
    """Unstructure an attrs record into JSON-ready builtins."""
    return converter.unstructure(obj)


def dumps(data: Any) -> bytes:
    """Canonical, human-readable JSON: sorted keys, 2-space indent, UTF-8, final newline.

    Deterministic for equal data, so files diff cleanly in git.
    """
    text = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")
