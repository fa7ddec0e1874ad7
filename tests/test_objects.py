"""Archives in object storage: fsspec's ``memory://`` for the layout and the rules,
the local S3 server (moto, marked ``s3``) for what a real bucket does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import fsspec
import pytest

from conftest import S3_BUCKET, build_snapshot, python_output
from cspo_archive import (
    Archive,
    ArchiveFormatError,
    IntegrityError,
    InvalidIdError,
    ReadOnlyArchiveError,
    SnapshotConflictError,
    SnapshotNotFoundError,
    SnapshotRef,
    StorageError,
    pins,
)
from cspo_archive._objects import STALE_SECONDS, ObjectStore, _atomic_create
from cspo_archive.cli import main

TEXT_A = "The ministers met in the capital.\n\nThey agreed a short statement.\n"
TEXT_B = "A second publication, about something else.\n"


def _memory() -> Any:
    return fsspec.filesystem("memory")


def _objects(url: str) -> dict[str, bytes]:
    """Every object under a memory:// URL, by path relative to it."""
    fs = _memory()
    root = "/" + url.removeprefix("memory://")
    return {p[len(root) + 1 :]: fs.cat_file(p) for p in fs.find(root)}


def _files(root: Path) -> dict[str, bytes]:
    """Every file of an archive folder, by path relative to it (no lock or index)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def _seeded(url: str) -> tuple[Archive, Any, Any]:
    archive = Archive.open(url, create=True)
    a, ca = build_snapshot(TEXT_A, snapshot_id="2025-01-01-alpha", capture=b"capture a")
    b, cb = build_snapshot(TEXT_B, snapshot_id="2025-02-01-beta", capture=b"capture b")
    archive.add(a, capture=ca)
    archive.add(b, capture=cb)
    return archive, a, b


# --- layout --------------------------------------------------------------------------


def test_layout_and_bytes_are_those_on_disk(memory_url: str, tmp_path: Path) -> None:
    """The same snapshots added on disk and in memory:// give the same paths with the
    same bytes (records about snapshots aside: on disk one file, here one object each)."""
    _seeded(memory_url)
    _seeded(str(tmp_path / "disk"))
    assert _objects(memory_url) == _files(tmp_path / "disk")


def test_an_archive_copied_between_disk_and_bucket_opens_and_verifies(
    memory_url: str, tmp_path: Path
) -> None:
    """A folder uploaded object by object verifies in the bucket, and a bucket downloaded
    to a folder verifies on disk, its one-object records included."""
    disk, a, _ = _seeded(str(tmp_path / "disk"))
    disk.withdraw(a.id, "added twice")
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    for rel, data in _files(tmp_path / "disk").items():
        fs.pipe_file(f"{root}/{rel}", data)
    uploaded = Archive.open(memory_url)
    assert uploaded.verify().ok
    assert uploaded.withdrawals()[a.id][0] == "added twice"
    assert [s.id for s in uploaded.current()] == ["2025-02-01-beta"]
    uploaded.assign_document(a.id, "urn:example:doc")
    back = tmp_path / "back"
    for rel, data in _objects(memory_url).items():
        (back / rel).parent.mkdir(parents=True, exist_ok=True)
        (back / rel).write_bytes(data)
    downloaded = Archive.open(back)
    assert downloaded.verify().ok
    assert downloaded.document_keys() == {a.id: "urn:example:doc"}
    assert downloaded.withdrawals() == uploaded.withdrawals()


def test_location_repr_and_path(memory_url: str) -> None:
    """A bucket archive says where it is by URL; it has no folder, and says so."""
    archive = Archive.open(memory_url, create=True)
    assert archive.location == memory_url
    assert archive.is_remote
    assert repr(archive) == f"Archive('{memory_url}')"
    with pytest.raises(ArchiveFormatError, match="object storage, not in a folder"):
        _ = archive.path


# --- opening ---------------------------------------------------------------------------


def test_opening_what_is_not_an_archive_says_how_to_make_one(memory_url: str) -> None:
    """No archive.json under the URL: ArchiveFormatError naming the URL and create=True."""
    with pytest.raises(ArchiveFormatError, match=r"no archive at .*create=True"):
        Archive.open(memory_url)
    assert not Archive.exists_at(memory_url)


def test_create_refuses_a_prefix_that_holds_other_objects(memory_url: str) -> None:
    """An archive is made only under an empty prefix: other objects are listed, nothing
    is written."""
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    fs.pipe_file(f"{root}/notes.txt", b"mine")
    with pytest.raises(ArchiveFormatError, match=r"not empty \(1 object: notes.txt\)"):
        Archive.open(memory_url, create=True)
    assert _objects(memory_url) == {"notes.txt": b"mine"}


def test_readonly_refuses_to_create_or_write(memory_url: str) -> None:
    """readonly=True creates nothing and adds nothing."""
    with pytest.raises(ReadOnlyArchiveError):
        Archive.open(memory_url, create=True, readonly=True)
    Archive.open(memory_url, create=True)
    archive = Archive.open(memory_url, readonly=True)
    snapshot, capture = build_snapshot(TEXT_A)
    with pytest.raises(ReadOnlyArchiveError):
        archive.add(snapshot, capture=capture)
    assert sorted(_objects(memory_url)) == ["archive.json"]


def test_bad_urls_and_options_are_clear_errors(tmp_path: Path) -> None:
    """An unknown protocol, a URL with no bucket, and storage options for a folder are
    each refused with what to give instead."""
    with pytest.raises(StorageError, match="give a URL fsspec knows"):
        Archive.open("nosuchprotocol://bucket/archive")
    with pytest.raises(StorageError, match="names no bucket or path"):
        Archive.open("s3://")
    with pytest.raises(TypeError, match="storage_options apply to archives opened by URL"):
        Archive.open(tmp_path, storage_options={"anon": True})


def test_file_urls_open_the_folder(tmp_path: Path) -> None:
    """file:// is the folder on disk, with its lock and atomic renames."""
    archive = Archive.open((tmp_path / "a").as_uri(), create=True)
    assert not archive.is_remote
    assert archive.path == tmp_path / "a"


# --- writing ---------------------------------------------------------------------------


def test_adding_the_same_snapshot_again_keeps_one_copy(memory_url: str) -> None:
    """Same id, same text and record: the stored snapshot is returned, nothing written."""
    archive, a, _ = _seeded(memory_url)
    before = _objects(memory_url)
    assert archive.add(a, capture=b"capture a") == a
    assert _objects(memory_url) == before


def test_a_different_snapshot_under_a_taken_id_conflicts(memory_url: str) -> None:
    """Another text under a stored id: SnapshotConflictError, as on disk; nothing changes."""
    archive, a, _ = _seeded(memory_url)
    before = _objects(memory_url)
    other, capture = build_snapshot("Another text.\n", snapshot_id=a.id, capture=b"other")
    with pytest.raises(SnapshotConflictError, match="already exists with a different text"):
        archive.add(other, capture=capture)
    after = _objects(memory_url)
    assert {k: v for k, v in after.items() if not k.startswith("captures/")} == {
        k: v for k, v in before.items() if not k.startswith("captures/")
    }


def test_losing_the_race_for_the_record_to_the_same_snapshot_succeeds(
    memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another machine stored the same snapshot between our look and our write: the
    add returns it (one copy). With another snapshot, the same conflict as on disk."""
    archive = Archive.open(memory_url, create=True)
    store = archive._store
    a, ca = build_snapshot(TEXT_A, snapshot_id="2025-01-01-alpha", capture=b"capture a")
    Archive.open(memory_url).add(a, capture=ca)  # the other machine, first
    monkeypatch.setattr(store, "exists", lambda snapshot_id: False)  # we looked before it
    assert archive.add(a, capture=ca) == a
    other, co = build_snapshot(TEXT_B, snapshot_id=a.id, capture=b"capture o")
    with pytest.raises(SnapshotConflictError) as info:
        archive.add(other, capture=co)
    assert info.value.existing == a.digest
    assert info.value.attempted == other.digest


def test_an_interrupted_add_is_invisible_and_completed_by_adding_again(
    memory_url: str,
) -> None:
    """A text written without its record (the add stopped between them) is no snapshot:
    get says not found, ids leave it out, verify reports it as incomplete; adding the
    same snapshot again completes it; another text under that id conflicts, naming both."""
    archive = Archive.open(memory_url, create=True)
    a, ca = build_snapshot(TEXT_A, snapshot_id="2025-01-01-alpha", capture=b"capture a")
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    fs.pipe_file(f"{root}/items/{a.id}/text.txt", a.text.encode())
    with pytest.raises(SnapshotNotFoundError):
        archive.get(a.id)
    assert archive.ids() == []
    problems = archive.verify().problems
    assert [(p.kind, p.path) for p in problems] == [("incomplete", f"items/{a.id}/text.txt")]
    other, co = build_snapshot(TEXT_B, snapshot_id=a.id, capture=b"capture o")
    with pytest.raises(SnapshotConflictError, match="being added with another text") as info:
        archive.add(other, capture=co)
    assert info.value.existing == a.digest
    assert info.value.attempted == other.digest
    assert archive.add(a, capture=ca) == a
    assert archive.verify().ok


def test_gc_removes_only_stale_texts_without_records(memory_url: str) -> None:
    """gc leaves snapshots, captures and young leftovers (an add may be in progress) and
    removes a text left without its record once it is older than an hour."""
    archive, _, _ = _seeded(memory_url)
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    fs.pipe_file(f"{root}/items/2025-03-01-left/text.txt", b"left behind\n")
    before = _objects(memory_url)
    assert archive.gc() == 0
    after = _objects(memory_url)
    assert set(after) - set(before) == {".index"}  # gc also refreshes the index
    assert {k: v for k, v in after.items() if k != ".index"} == before
    before = after
    store = archive._store
    assert isinstance(store, ObjectStore)
    assert store.gc(now=time.time() + STALE_SECONDS + 60) == 1
    after = _objects(memory_url)
    assert set(before) - set(after) == {"items/2025-03-01-left/text.txt"}
    assert archive.verify().ok


def test_a_storage_without_atomic_create_is_refused_for_writing(memory_url: str) -> None:
    """A backend whose exclusive create would be fsspec's check-then-write fallback is
    refused for writing (two machines could both pass the check); reading works."""
    from fsspec.implementations.memory import MemoryFileSystem
    from fsspec.spec import AbstractFileSystem

    _seeded(memory_url)

    class CheckThenWrite(MemoryFileSystem):  # type: ignore[misc]
        protocol = "checkthenwrite"
        pipe_file = AbstractFileSystem.pipe_file

    class NoMode(MemoryFileSystem):  # type: ignore[misc]
        protocol = "nomode"

        def pipe_file(self, path: str, value: bytes, **kwargs: Any) -> None:
            """An older override: would take mode= in kwargs and overwrite anyway."""
            super().pipe_file(path, value)

    fs = CheckThenWrite(skip_instance_cache=True)
    assert not _atomic_create(fs)
    assert not _atomic_create(NoMode(skip_instance_cache=True))
    assert _atomic_create(_memory())
    root = "/" + memory_url.removeprefix("memory://")
    archive = Archive(
        ObjectStore("checkthenwrite:/" + root, fs, root, readonly=False), readonly=False
    )
    assert archive.verify().ok
    c, cc = build_snapshot("Third.\n", snapshot_id="2025-03-01-gamma", capture=b"c")
    with pytest.raises(Exception, match="cannot create an object only if it is absent") as info:
        archive.add(c, capture=cc)
    assert isinstance(info.value, OSError)
    assert "2025-03-01-gamma" not in archive


# --- reading and verifying ----------------------------------------------------------


def test_reads_recheck_every_digest(memory_url: str) -> None:
    """A text or a record changed in the bucket after it was read once is caught on the
    next get, by iteration and by verify (nothing read is trusted from before)."""
    archive, a, _ = _seeded(memory_url)
    assert archive.get(a.id) == a
    assert archive.ids() == [a.id, "2025-02-01-beta"]
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    path = f"{root}/items/{a.id}/text.txt"
    fs.pipe_file(path, a.text.replace("capital", "kapital").encode())
    with pytest.raises(IntegrityError, match="does not match its recorded digest"):
        archive.get(a.id)
    with pytest.raises(IntegrityError):
        list(archive)
    assert [p.kind for p in archive.verify().problems] == ["integrity"]


def test_verify_lists_every_problem(memory_url: str) -> None:
    """Damage of every kind at once, each reported once with its path."""
    archive, a, b = _seeded(memory_url)
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    record = fs.cat_file(f"{root}/items/{b.id}/snapshot.json")
    fs.pipe_file(f"{root}/items/{b.id}/snapshot.json", record.replace(b"OGL", b"CCB"))
    fs.rm_file(f"{root}/captures/{a.provenance.capture_digest.removeprefix('sha256:')}")
    fs.pipe_file(f"{root}/items/{a.id}/notes.txt", b"x")
    fs.pipe_file(f"{root}/items/Not-An-Id/text.txt", b"x")
    fs.pipe_file(f"{root}/captures/{'0' * 64}", b"not these bytes")
    fs.pipe_file(f"{root}/captures/readme", b"x")
    fs.pipe_file(f"{root}/withdrawals/{a.id}.json", b"{not json")
    problems = archive.verify().problems
    found = sorted((p.kind, p.path) for p in problems)
    assert found == sorted(
        [
            ("integrity", f"items/{b.id}/snapshot.json"),
            ("missing-capture", f"captures/{a.provenance.capture_digest.removeprefix('sha256:')}"),
            ("unexpected", f"items/{a.id}/notes.txt"),
            ("unexpected", "items/Not-An-Id"),
            ("capture", f"captures/{'0' * 64}"),
            ("unexpected", "captures/readme"),
            ("records", f"withdrawals/{a.id}.json"),
        ]
    )


def test_released_list_is_checked_in_the_bucket(memory_url: str) -> None:
    """RELEASED.sha256 in a bucket: a listed file that changed and a snapshot it does not
    list are both reported, with advice that fits a bucket."""
    import hashlib

    archive, a, b = _seeded(memory_url)
    objects = _objects(memory_url)
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {rel}"
        for rel, data in sorted(objects.items())
        if rel.startswith(("items/", "captures/"))
        and b.id not in rel
        and b.provenance.capture_digest.removeprefix("sha256:") not in rel
    ]
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    fs.pipe_file(f"{root}/RELEASED.sha256", ("\n".join(lines) + "\n").encode())
    assert [p.kind for p in archive.verify().problems] == ["unreleased", "unreleased"]
    fs.pipe_file(f"{root}/items/{a.id}/text.txt", b"changed\n")
    kinds = sorted(p.kind for p in archive.verify().problems)
    assert kinds == ["integrity", "released", "unreleased", "unreleased"]
    assert any(memory_url + "/RELEASED.sha256" in p.message for p in archive.verify().problems)


def test_hostile_ids_make_no_request(memory_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Traversal, separators and controls in an id are refused before the storage is
    asked anything."""
    archive, _, _ = _seeded(memory_url)
    store = archive._store
    assert isinstance(store, ObjectStore)
    calls: list[str] = []
    for name in ("cat_file", "info", "find", "pipe_file", "rm_file", "ls", "exists", "open"):
        real = getattr(store.fs, name)

        def record(*args: Any, _name: str = name, _real: Any = real, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(store.fs, name, record)
    for value in ("../x", "a/../../b", "/etc/passwd", "x\x00", "..%2f", "A", "a b", ""):
        with pytest.raises(InvalidIdError):
            archive.get(value)
        assert value not in archive
        with pytest.raises(InvalidIdError):
            archive.withdraw(value, "hostile")
    assert calls == []


def test_records_about_snapshots_are_one_object_each(memory_url: str) -> None:
    """withdraw and assign_document create documents/<id>.json and withdrawals/<id>.json;
    the same again does nothing, another value conflicts, a misnamed object is reported."""
    archive, a, _ = _seeded(memory_url)
    archive.withdraw(a.id, "a duplicate")
    archive.withdraw(a.id, "a duplicate")
    with pytest.raises(SnapshotConflictError):
        archive.withdraw(a.id, "another reason")
    archive.assign_document(a.id, "urn:example:statement")
    objects = _objects(memory_url)
    withdrawal = json.loads(objects[f"withdrawals/{a.id}.json"])
    assert withdrawal["reason"] == "a duplicate"
    assert json.loads(objects[f"documents/{a.id}.json"])["document"] == "urn:example:statement"
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    fs.pipe_file(f"{root}/documents/2025-02-01-beta.json", objects[f"documents/{a.id}.json"])
    problems = archive.verify().problems
    assert [(p.kind, p.path) for p in problems] == [("records", "documents/2025-02-01-beta.json")]
    assert "its name must be 2025-01-01-alpha.json" in problems[0].message


def test_losing_the_race_to_record_a_withdrawal(
    memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another machine withdrew the snapshot between our read and our write: the same
    reason is success, another reason the usual conflict."""
    from cspo_archive import _documents

    archive, a, b = _seeded(memory_url)
    Archive.open(memory_url).withdraw(a.id, "same")
    Archive.open(memory_url).withdraw(b.id, "theirs")
    real = _documents.read
    first = {"left": 1}

    def stale_first_read(store: Any, name: str) -> Any:
        """The first read misses what the other machine just wrote; later ones see it."""
        if first["left"]:
            first["left"] -= 1
            return {}, []
        return real(store, name)

    monkeypatch.setattr(_documents, "read", stale_first_read)
    archive.withdraw(a.id, "same")  # the create finds the object there: the same reason
    first["left"] = 1
    with pytest.raises(SnapshotConflictError, match="'theirs'"):
        archive.withdraw(b.id, "mine")


# --- the local S3 server -------------------------------------------------------------


@pytest.mark.s3
def test_s3_round_trip_readable_with_the_providers_tools(s3_url: str, s3_server: Any) -> None:
    """Open, add, get, verify on S3; boto3 sees the disk layout and the text as stored."""
    import boto3

    archive, a, b = _seeded(s3_url)
    assert archive.get(a.id) == a
    assert archive.ids() == [a.id, b.id]
    assert archive.verify().ok
    prefix = s3_url.removeprefix(f"s3://{S3_BUCKET}/")
    client = boto3.client("s3")
    keys = sorted(
        o["Key"][len(prefix) + 1 :]
        for o in client.list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix + "/")["Contents"]
    )
    assert keys[:2] == [".index", "archive.json"]
    assert f"items/{a.id}/text.txt" in keys
    body = client.get_object(Bucket=S3_BUCKET, Key=f"{prefix}/items/{a.id}/text.txt")["Body"]
    assert body.read().decode("utf-8") == a.text


@pytest.mark.s3
def test_s3_refuses_to_overwrite(s3_url: str) -> None:
    """The server itself refuses a second create of a key (If-None-Match: *): the same
    snapshot added again is a no-op, another one a conflict, the object unchanged."""
    archive, a, _ = _seeded(s3_url)
    store = archive._store
    assert isinstance(store, ObjectStore)
    with pytest.raises(FileExistsError):
        store.fs.pipe_file(f"{store.root}/items/{a.id}/text.txt", b"overwrite", mode="create")
    other, co = build_snapshot("Other text.\n", snapshot_id=a.id, capture=b"other capture")
    with pytest.raises(SnapshotConflictError):
        archive.add(other, capture=co)
    assert archive.get(a.id) == a


@pytest.mark.s3
def test_s3_missing_bucket_and_unreachable_server_are_clear(s3_server: Any) -> None:
    """A bucket that does not exist says how to make it; a server that does not answer
    is a StorageError naming the object and what to check, never a botocore traceback."""
    with pytest.raises(StorageError, match="bucket or container does not exist"):
        Archive.open("s3://cspo-no-such-bucket/archive", create=True)
    options = {
        "endpoint_url": "http://127.0.0.1:9",
        "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 1},
        "skip_instance_cache": True,
    }
    with pytest.raises(StorageError) as info:
        Archive.open(f"s3://{S3_BUCKET}/unreachable", storage_options=options)
    message = str(info.value)
    assert "s3://cspo-tests/unreachable/archive.json" in message
    assert "AWS_ENDPOINT_URL" in message
    assert isinstance(info.value, OSError)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspo_archive", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.s3
def test_s3_command_line_add_list_verify_and_lock(
    s3_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """add, list and verify take an s3:// --archive; a lock made against it names the
    URL, verifies, and serves its snapshots."""
    source = tmp_path / "statement.txt"
    source.write_text("Ministers met today.\n\nThey agreed to meet again.\n", encoding="utf-8")
    code = main(
        [
            "add",
            str(source),
            "--archive",
            s3_url,
            "--title",
            "Ministers meet",
            "--published",
            "2025-06-01",
            "--type",
            "news-story",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"created a new archive at {s3_url}" in err
    assert main(["list", "--archive", s3_url]) == 0
    out, _ = capsys.readouterr()
    assert f"1 snapshot in {s3_url}" in out
    assert main(["verify", "--archive", s3_url]) == 0
    capsys.readouterr()
    snapshot_id = Archive.open(s3_url).ids()[0]
    lock = tmp_path / "cspo-archive.lock"
    assert main(["lock", "add", snapshot_id, "--archive", s3_url, "--lock", str(lock)]) == 0
    capsys.readouterr()
    assert pins.read_lock(lock).archive == s3_url
    assert main(["lock", "verify", "--lock", str(lock)]) == 0
    assert pins.verify_lock(lock).ok


@pytest.mark.s3
def test_s3_pytest_plugin_serves_pins_from_a_bucket(s3_url: str, pytester: pytest.Pytester) -> None:
    """A project whose lock pins snapshots in a bucket gets them, verified, through the
    cspo_snapshots fixture; a pin the bucket does not hold fails the session early."""
    _, a, _ = _seeded(s3_url)
    lock = pins.LockFile(s3_url).with_entries([a.ref])
    pins.write_lock(pytester.path / "cspo-archive.lock", lock)
    pytester.makepyfile(
        f"""
        def test_pinned(cspo_snapshots):
            assert cspo_snapshots["{a.id}"].text == {a.text!r}
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    wrong = SnapshotRef(a.id, a.digest[:-4] + "0000")
    pins.write_lock(
        pytester.path / "cspo-archive.lock", pins.LockFile(s3_url).with_entries([wrong])
    )
    result = pytester.runpytest_subprocess()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*do not verify against s3://*", "*is not the one pinned*"])


# --- what a local archive does not load ------------------------------------------------


def test_a_local_archive_loads_no_object_storage_code() -> None:
    """Opening, reading and verifying a folder, and the main command, import neither
    fsspec nor s3fs nor the object store."""
    code = (
        "import sys\n"
        "from cspo_archive import Archive\n"
        "from cspo_archive.cli import main\n"
        "archive = Archive.bundled()\n"
        "assert archive.verify().ok and len(list(archive)) == 3\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['compare'])\n"
        "print(sorted(m for m in ('fsspec', 's3fs', 'botocore', 'cspo_archive._objects')"
        " if m in sys.modules))\n"
    )
    assert python_output(code).strip() == "[]"


def test_without_fsspec_a_url_says_what_to_install() -> None:
    """Where fsspec is not installed, opening a URL says which extra to install."""
    code = (
        "import sys\n"
        "sys.modules['fsspec'] = None\n"
        "sys.modules['fsspec.core'] = None\n"
        "from cspo_archive import Archive, StorageError\n"
        "try:\n"
        "    Archive.open('s3://bucket/archive')\n"
        "except StorageError as exc:\n"
        "    print(exc)\n"
    )
    assert "pip install 'cspo-archive[s3]'" in python_output(code)


# --- the index object ---------------------------------------------------------------------


def test_the_index_serves_the_order_and_is_never_trusted_for_integrity(
    memory_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writable handle that lists writes .index (dates by id); a fresh handle lists
    from it without reading a record; a read-only one never writes it; a damaged index
    is ignored and rewritten; a snapshot the index does not know is read; verify ignores
    the index, and reads still check every digest."""
    archive, a, b = _seeded(memory_url)
    fs = _memory()
    root = "/" + memory_url.removeprefix("memory://")
    assert Archive.open(memory_url, readonly=True).ids() == [a.id, b.id]
    assert ".index" not in _objects(memory_url)
    assert archive.ids() == [a.id, b.id]
    index = _objects(memory_url)[".index"].decode("ascii")
    assert index.splitlines()[1:] == [f"2025-12-17 {a.id}", f"2025-12-17 {b.id}"]
    fresh = Archive.open(memory_url, readonly=True)
    store = fresh._store
    assert isinstance(store, ObjectStore)
    read: list[str] = []
    real = store.read_record

    def recorded(snapshot_id: str) -> Any:
        read.append(snapshot_id)
        return real(snapshot_id)

    monkeypatch.setattr(store, "read_record", recorded)
    assert fresh.ids() == [a.id, b.id]
    assert read == []
    c, cc = build_snapshot("Third.\n", snapshot_id="2024-01-01-gamma", capture=b"c")
    archive.add(c, capture=cc)
    assert fresh.ids() == ["2024-01-01-gamma", a.id, b.id]
    assert read == ["2024-01-01-gamma"]
    fs.pipe_file(f"{root}/.index", b"not an index")
    assert Archive.open(memory_url).ids() == ["2024-01-01-gamma", a.id, b.id]
    assert _objects(memory_url)[".index"].startswith(b"cspo-archive-index 1 ")
    assert archive.verify().ok


def test_gc_writes_the_index(memory_url: str) -> None:
    """gc, the maintenance command, leaves an up-to-date .index for read-only handles."""
    archive, a, b = _seeded(memory_url)
    assert ".index" not in _objects(memory_url)
    assert archive.gc() == 0
    index = _objects(memory_url)[".index"].decode("ascii")
    assert index.splitlines()[1:] == [f"2025-12-17 {a.id}", f"2025-12-17 {b.id}"]


def test_gc_command_cleans_a_bucket(memory_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """cspo-archive gc --archive URL removes stale leftovers and says how many."""
    _seeded(memory_url)
    assert main(["gc", "--archive", memory_url]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == f"removed 0 leftovers of interrupted adds from {memory_url}"
