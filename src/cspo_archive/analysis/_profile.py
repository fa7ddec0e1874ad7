"""Profiles, typed: an initiative's vocabulary, validated and compiled once.

A :class:`Profile` has one section per analysis: ``membership``
(:class:`~cspo_archive.analysis.membership.MembershipRules`), ``principles``
(:class:`~cspo_archive.analysis.principles.Taxonomy`) and ``language``
(:class:`~cspo_archive.analysis.language.LanguageRules`). Each analysis takes
its own section; :func:`~cspo_archive.compare` and
:func:`~cspo_archive.timeline` take the whole profile and hand every analysis
its section, so a custom profile reaches all of them.

A profile is read from a TOML file (the bundled ones are in
``cspo_archive/profiles/``: ``cspo.toml``, ``artemis.toml``) or built from a
table in code. Every entry is checked as it is read: an error names the file,
the entry, what was expected and found, and what to write instead
(:class:`~cspo_archive.exceptions.ProfileError`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from cspo_archive.analysis._principles_engine import Taxonomy
from cspo_archive.analysis._profile_fields import GIVEN, Fields
from cspo_archive.analysis.language import LanguageRules
from cspo_archive.analysis.membership import MembershipRules
from cspo_archive.exceptions import ProfileError

__all__ = ["Profile", "load_profile"]

_SECTIONS = ("profile", "membership", "principles", "language")


@frozen(eq=False)
class Profile:
    """An initiative's vocabulary: its name and version, and one section per analysis."""

    name: str
    version: str
    description: str
    #: The file it was read from, or ``<profile given in code>``.
    source: str
    membership: MembershipRules = field(repr=False)
    principles: Taxonomy = field(repr=False)
    language: LanguageRules = field(repr=False)

    @classmethod
    def from_table(cls, table: Mapping[str, Any], *, source: str = GIVEN) -> Profile:
        """Validate and compile a profile given as a table (what ``tomllib`` reads
        from a profile file): ``[profile]`` with ``name`` and ``version``, then
        ``[membership]``, ``[principles]`` and ``[language]``.

        A missing analysis table is an empty section except ``[principles]``,
        which needs at least one principle.
        """
        given: object = table  # callers without type checking may pass anything
        if not isinstance(given, Mapping):
            kind = type(given).__name__
            msg = f"profile {source}: must be a table, got {given!r:.80} (a {kind}); give a dict"
            raise ProfileError(msg, path=source, entry="")
        top = Fields(table, "", source)
        for key in table:
            if key not in _SECTIONS:
                msg = (
                    f"profile {source}: [{key}] is not a section; the sections are "
                    f"{', '.join(f'[{s}]' for s in _SECTIONS)}"
                )
                raise ProfileError(msg, path=source, entry=str(key))
        header = Fields(top.table("profile").data, "profile", source)
        header.only(("name", "version", "description"))
        if "principles" not in table:
            msg = (
                f'profile {source}: no [principles] table; add one with version = "1" '
                "and at least one [[principles.principle]]"
            )
            raise ProfileError(msg, path=source, entry="principles")
        return cls(
            name=header.text("name"),
            version=_version(header),
            description=header.text("description", "(no description)"),
            source=source,
            membership=MembershipRules.from_table(top.table("membership").data, source),
            principles=Taxonomy.from_table(top.table("principles").data, source),
            language=LanguageRules.from_table(top.table("language").data, source),
        )

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Profile:
        """Read, validate and compile the profile in the TOML file at *path*."""
        from cspo_archive.profiles import read_toml

        where = Path(path)
        return cls.from_table(read_toml(where), source=str(where))


def _version(header: Fields) -> str:
    value = header.data.get("version")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return header.text("version")


def load_profile(name: str = "cspo") -> Profile:
    """The bundled profile *name* (``cspo`` or ``artemis``), read and compiled once."""
    return _load(name)


@functools.cache
def _load(name: str) -> Profile:
    from cspo_archive.profiles import FOLDER, load_table

    path = FOLDER / f"{name}.toml"
    bundled = sorted(p.stem for p in FOLDER.glob("*.toml") if b"[profile]" in p.read_bytes())
    if name not in bundled:
        kind = "a data file of the ingestion" if path.is_file() else "not a bundled profile"
        msg = (
            f"{name!r} is {kind}; the bundled profiles are {', '.join(bundled)} "
            "(or read your own: --profile FILE.toml on the command line, "
            "Profile.from_file(path) in Python)"
        )
        raise ProfileError(msg, path=str(path), entry="profile")
    return Profile.from_table(load_table(name), source=str(path))
