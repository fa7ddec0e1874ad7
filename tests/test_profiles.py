"""The data files: the TOML file is the truth; the parsed JSON beside it is only a faster copy.

The typed profile built from them is tested in ``test_profile.py``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cspo_archive import profiles
from cspo_archive.exceptions import ArchiveFormatError
from cspo_archive.profiles import FOLDER, load_table, parsed_document
from cspo_archive.profiles.__main__ import main as regenerate


@pytest.mark.parametrize("toml", sorted(FOLDER.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_parsed_profile_is_current(toml: Path) -> None:
    """Each shipped <name>.json is exactly what the generator makes from <name>.toml now."""
    shipped = toml.with_suffix(".json").read_text(encoding="utf-8")
    assert shipped == parsed_document(toml), (
        f"{toml.with_suffix('.json').name} is out of date with {toml.name}; "
        "run: python -m cspo_archive.profiles"
    )


def test_load_table_equals_the_toml() -> None:
    """load_table("cspo") gives exactly what tomllib reads from the TOML file."""
    expected = tomllib.loads((FOLDER / "cspo.toml").read_text(encoding="utf-8"))
    assert load_table("cspo") == expected


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A profiles folder with one profile and its current parsed JSON."""
    toml = tmp_path / "demo.toml"
    toml.write_text('[profile]\nname = "demo"\nversion = 1\n', encoding="utf-8")
    toml.with_suffix(".json").write_text(parsed_document(toml), encoding="utf-8")
    monkeypatch.setattr(profiles, "FOLDER", tmp_path)
    load_table.cache_clear()
    yield tmp_path
    load_table.cache_clear()  # the next test may read the real folder


def test_edited_toml_is_read_not_the_stale_json(folder: Path) -> None:
    """After the TOML changes, the stale JSON (other digest) is ignored and the TOML is read."""
    (folder / "demo.toml").write_text('[profile]\nname = "edited"\nversion = 2\n')
    assert load_table("demo") == {"profile": {"name": "edited", "version": 2}}


@pytest.mark.parametrize(
    "damage",
    ["", "{", "[]", '{"format": 99}', '{"format": 1, "source_digest": "sha256:00"}'],
)
def test_unusable_json_falls_back_to_the_toml(folder: Path, damage: str) -> None:
    """A missing, corrupt or foreign parsed JSON is ignored; the TOML is parsed instead."""
    (folder / "demo.json").write_text(damage)
    assert load_table("demo") == {"profile": {"name": "demo", "version": 1}}


def test_json_is_used_when_current(folder: Path) -> None:
    """While its digest matches the TOML bytes, the JSON's content is what loads."""
    json_path = folder / "demo.json"
    json_path.write_text(json_path.read_text().replace('"demo"', '"from-json"'))
    assert load_table("demo")["profile"]["name"] == "from-json"


def test_invalid_toml_is_a_format_error(folder: Path) -> None:
    """A profile that is not valid TOML raises ArchiveFormatError naming the file."""
    (folder / "demo.toml").write_text("[profile\n")
    with pytest.raises(ArchiveFormatError, match=r"demo\.toml is not valid TOML"):
        load_table("demo")


@pytest.mark.parametrize("name", ["nope", "../demo", ""])
def test_unknown_profile_lists_the_available_ones(folder: Path, name: str) -> None:
    """An unknown (or path-like) name raises ArchiveFormatError listing the data files there are."""
    with pytest.raises(ArchiveFormatError, match=r"no data file .*; available: demo"):
        load_table(name)


def test_regenerating_writes_only_what_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """python -m cspo_archive.profiles writes a missing or stale JSON ("wrote X from Y")
    and leaves a current one alone ("X is up to date")."""
    toml = tmp_path / "demo.toml"
    toml.write_text('[profile]\nname = "demo"\nversion = 1\n', encoding="utf-8")
    target = tmp_path / "demo.json"

    regenerate(tmp_path)
    assert capsys.readouterr().out == "wrote demo.json from demo.toml\n"
    assert target.read_text(encoding="utf-8") == parsed_document(toml)

    written = target.stat().st_mtime_ns
    os.utime(target, ns=(written - 10**9, written - 10**9))  # a rewrite would move it on
    regenerate(tmp_path)
    assert capsys.readouterr().out == "demo.json is up to date\n"
    assert target.stat().st_mtime_ns == written - 10**9

    toml.write_text('[profile]\nname = "demo"\nversion = 2\n', encoding="utf-8")
    regenerate(tmp_path)
    assert capsys.readouterr().out == "wrote demo.json from demo.toml\n"
    assert target.read_text(encoding="utf-8") == parsed_document(toml)
