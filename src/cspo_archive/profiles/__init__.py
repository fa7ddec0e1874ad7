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
    data: dict[str, Any] = {}
    # The profile is cspo.toml; while an analysis is being developed its table may
    # live in a fragment beside it (cspo.<area>.toml). Tables must not collide.
    fragments = sorted(
        (p for p in folder.iterdir() if p.name.startswith(f"{name}.") and p.name.endswith(".toml")),
        key=lambda p: (p.name != f"{name}.toml", p.name),
    )
    for fragment in fragments:
        try:
            part = tomllib.loads(fragment.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            msg = f"profile file {fragment.name} is not valid TOML: {exc}"
            raise ArchiveFormatError(msg, path=str(fragment)) from exc
        clash = sorted(set(part) & set(data))
        if clash:
            msg = f"profile file {fragment.name} redefines the tables {clash}"
            raise ArchiveFormatError(msg, path=str(fragment))
        data.update(part)
    return data
