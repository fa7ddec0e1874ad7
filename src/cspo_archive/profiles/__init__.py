"""Profiles: an initiative's vocabulary as data, not code.

A profile is a TOML file in this package (``cspo.toml`` for the Combined Space
Operations Initiative) with one top-level table per analysis: ``[profile]``
(name and version), ``[membership]``, ``[principles]``, ``[language]``. Each
analysis reads only its own table.

The TOML file is the source of truth. Beside it, ``<name>.json`` holds the same
data already parsed, with the SHA-256 of the TOML bytes it was made from:
``tomllib`` is pure Python and takes milliseconds on a profile this size, the
JSON decoder a fraction of one. The JSON is used only while its digest matches
the TOML file's bytes, so an edited profile is never read stale; regenerate it
with ``python -m cspo_archive.profiles`` (a test fails while it is out of date).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from cspo_archive.exceptions import ArchiveFormatError

__all__ = ["load_profile"]

#: The folder of the profiles (a plain package folder, also inside a wheel).
FOLDER = Path(__file__).parent
#: Version of the parsed-profile JSON layout.
PARSED_FORMAT = 1


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import tomllib  # only when the parsed JSON is missing or stale

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        msg = f"profile file {path.name} is not UTF-8 ({exc}); save it as UTF-8"
        raise ArchiveFormatError(msg, path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"profile file {path.name} is not valid TOML: {exc}"
        raise ArchiveFormatError(msg, path=str(path)) from exc


def _parsed(path: Path, source_digest: str) -> dict[str, Any] | None:
    """The profile from its parsed JSON beside *path*, if that was made from these bytes."""
    try:
        document = json.loads(path.with_suffix(".json").read_bytes())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(document, dict)
        or document.get("format") != PARSED_FORMAT
        or document.get("source_digest") != source_digest
        or not isinstance(document.get("profile"), dict)
    ):
        return None
    profile: dict[str, Any] = document["profile"]
    return profile


def parsed_document(path: Path) -> str:
    """The parsed-profile JSON for the TOML file at *path*, as text (sorted, stable)."""
    raw = path.read_bytes()
    document = {
        "format": PARSED_FORMAT,
        "source": path.name,
        "source_digest": _digest(raw),
        "profile": _parse_toml(path, raw),
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@functools.cache
def load_profile(name: str = "cspo") -> dict[str, Any]:
    """Load the profile *name* (cached; treat the result as read-only)."""
    main = FOLDER / f"{name}.toml"
    if not name.isidentifier() or not main.is_file():
        available = sorted(p.stem for p in FOLDER.glob("*.toml"))
        msg = f"no profile {name!r}; available: {', '.join(available) or 'none'}"
        raise ArchiveFormatError(msg, path=str(main))
    raw = main.read_bytes()
    parsed = _parsed(main, _digest(raw))
    return parsed if parsed is not None else _parse_toml(main, raw)
