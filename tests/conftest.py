"""Shared fixtures: valid records and fresh archives, built without ingest."""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cspo_archive import Archive, Snapshot
from cspo_archive.testing import example_snapshot

pytest_plugins = ["pytester"]

SnapshotFactory = Callable[..., tuple[Snapshot, bytes]]

#: The bundled archive in this checkout, with its recipe and raw captures.
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"


@contextlib.contextmanager
def recorded_file_access(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record the first argument of every os.stat/lstat/open/listdir/scandir and open()
    call made inside the block (the calls still happen)."""
    touched: list[object] = []

    def recording(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            touched.append(args[0] if args else kwargs)
            return real(*args, **kwargs)

        return wrapper

    with monkeypatch.context() as patch:
        for name in ("stat", "lstat", "open", "listdir", "scandir"):
            patch.setattr(os, name, recording(getattr(os, name)))
        patch.setattr(builtins, "open", recording(builtins.open))
        yield touched


def python_output(code: str) -> str:
    """Run *code* in a fresh interpreter (this one) and return what it printed; a
    failure in the child fails the test with the child's standard error."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def seed_capture(name: str) -> bytes:
    """A seed capture's bytes, as kept in the bundled archive (found via the recipe)."""
    recipe = tomllib.loads((SNAPSHOTS / "recipe.toml").read_text(encoding="utf-8"))
    digests: dict[str, str] = {entry["name"]: entry["sha256"] for entry in recipe["capture"]}
    return (SNAPSHOTS / "captures" / digests[name]).read_bytes()


def build_snapshot(
    text: str = "The first paragraph.\n\nThe second paragraph.\n",
    *,
    snapshot_id: str = "2025-12-17-a-test-publication",
    title: str = "A test publication",
    published: dt.date = dt.date(2025, 12, 17),
    capture: bytes | None = None,
) -> tuple[Snapshot, bytes]:
    """A valid snapshot and the capture bytes its provenance names (with a source URL
    and a tag, so every metadata field the reports show has a value)."""
    return example_snapshot(
        text,
        snapshot_id=snapshot_id,
        title=title,
        published=published,
        capture=capture,
        source_url="https://www.gov.uk/government/news/a-test-publication",
        tags=("test",),
    )


@pytest.fixture
def snapshot_factory() -> SnapshotFactory:
    """Make valid snapshots (with their capture bytes) on demand."""
    return build_snapshot


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    """A new, empty, writable archive in a temporary folder."""
    return Archive.open(tmp_path / "archive", create=True)


# --- a local S3-compatible server (moto's server mode on 127.0.0.1) ----------------

#: The bucket every test against the local server writes under (a prefix each).
S3_BUCKET = "cspo-tests"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Any]:
    """moto's S3 server, started once for the session on 127.0.0.1, with the
    environment pointing boto3 and s3fs at it (so the CLI and spawned processes
    reach it too) and a bucket made. Skips, saying why, without moto[server]."""
    from s3server import s3_server as start
    from s3server import unavailable

    why = unavailable()
    if why is not None:
        pytest.skip(why)
    with start() as server, pytest.MonkeyPatch.context() as patch:
        for name, value in server.env.items():
            patch.setenv(name, value)
        server.create_bucket(S3_BUCKET)
        yield server


@pytest.fixture
def s3_url(s3_server: Any, request: pytest.FixtureRequest) -> str:
    """A URL under the session's bucket that no other test uses."""
    import hashlib

    name = hashlib.sha256(request.node.nodeid.encode("utf-8")).hexdigest()[:16]
    return f"s3://{S3_BUCKET}/{name}"


@pytest.fixture
def memory_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh ``memory://`` URL (fsspec's in-process store), emptied afterwards."""
    import hashlib

    import fsspec

    name = hashlib.sha256(request.node.nodeid.encode("utf-8")).hexdigest()[:16]
    fs = fsspec.filesystem("memory")
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"/{name}", recursive=True)
    yield f"memory://{name}/archive"
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"/{name}", recursive=True)
