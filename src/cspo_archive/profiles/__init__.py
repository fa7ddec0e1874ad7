"""The data files: profiles (an initiative's vocabulary) and the ingestion rules.

A profile is a TOML file in this package (``cspo.toml`` for the Combined Space
Operations Initiative, ``artemis.toml`` for the Artemis Accords) with
``[profile]`` (name and version) and one table per analysis: ``[membership]``,
``[principles]``, ``[language]``. :func:`cspo_archive.load_profile` reads one
into a typed, validated :class:`~cspo_archive.Profile`. ``ingest.toml`` and
``sites.toml`` hold the ingestion's rules.

The TOML file is the source of truth. Beside it, ``<name>.json`` holds the same
data already parsed, with the SHA-256 of the TOML bytes it was made from:
``tomllib`` is pure Python: it reads ``cspo.toml`` in 6.3 ms, the JSON decoder
its parsed copy in 0.2 ms (medians of 9), saved by every command that reads a
profile. The JSON is used only while its digest matches
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

__all__ = ["load_table", "read_toml"]

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
        msg = f"{path} is not UTF-8 ({exc}); save it as UTF-8"
        raise ArchiveFormatError(msg, path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path} is not valid TOML: {exc}; correct it there"
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


def read_toml(path: Path) -> dict[str, Any]:
    """The table in the TOML file at *path*, with an error that names the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}; check the path"
        raise ArchiveFormatError(msg, path=str(path)) from None
    return _parse_toml(path, raw)


@functools.cache
def load_table(name: str = "cspo") -> dict[str, Any]:
    """The table of the data file *name* in this folder (cached; treat it as read-only)."""
    main = FOLDER / f"{name}.toml"
    if not name.isidentifier() or not main.is_file():
        available = sorted(p.stem for p in FOLDER.glob("*.toml"))
        msg = f"no data file {name!r}; available: {', '.join(available) or 'none'}"
        raise ArchiveFormatError(msg, path=str(main))
    raw = main.read_bytes()
    parsed = _parsed(main, _digest(raw))
    return parsed if parsed is not None else _parse_toml(main, raw)
