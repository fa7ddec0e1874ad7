"""Profiles: an initiative's vocabulary as data, not code.

A profile is a TOML file in this package (``cspo.toml`` for the Combined Space
Operations Initiative) with one top-level table per analysis: ``[profile]``
(name and version), ``[membership]``, ``[principles]``, ``[language]``. Each
analysis reads only its own table.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from cspo_archive.exceptions import ArchiveFormatError

__all__ = ["load_profile"]


@functools.cache
def load_profile(name: str = "cspo") -> dict[str, Any]:
    """Load the profile *name* (cached; treat the result as read-only)."""
    folder = resources.files(__package__)
    main = folder / f"{name}.toml"
    if not main.is_file():
        available = sorted(
            p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
        )
        msg = f"no profile {name!r}; available: {', '.join(available) or 'none'}"
        raise ArchiveFormatError(msg, path=str(main))
    try:
        data = tomllib.loads(main.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        msg = f"profile file {main.name} is not valid TOML: {exc}"
        raise ArchiveFormatError(msg, path=str(main)) from exc
    return data
