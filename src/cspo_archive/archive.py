"""The :class:`Archive`: immutable snapshots on disk, verified on every read."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from cspo_archive import _serialize
from cspo_archive._storage import FORMAT_VERSION, Problem, Store, describe_os_error, seal_record
from cspo_archive._text import is_id, is_url, sha256_digest
from cspo_archive.exceptions import (
    AmbiguousIdError,
    ArchiveFormatError,
    ArchiveWriteError,
    IntegrityError,
    InvalidIdError,
    PinMismatchError,
    ReadOnlyArchiveError,
    SnapshotConflictError,
    SnapshotNotFoundError,
)
from cspo_archive.model import Snapshot, SnapshotRef

if TYPE_CHECKING:
    from cspo_archive._objects import ObjectStore
    from cspo_archive.analysis._profile import Profile
    from cspo_archive.statements import History, Statement

__all__ = ["Archive", "Problem", "Verification", "installed_bundled_path"]

#: Default seconds to wait for another writer before raising LockTimeoutError.
DEFAULT_LOCK_TIMEOUT = 30.0


@frozen
class Verification:
    """What :meth:`Archive.verify` checked and every problem it found."""

    archive: str
    snapshots: int
    captures: int
    problems: tuple[Problem, ...] = field(factory=tuple)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


class Archive:
    """A folder (or a bucket) of immutable, content-addressed snapshots.

    Open one with :meth:`open` or get the one shipped with the package with
    :meth:`bundled`. Iteration yields snapshots in publication order (date,
    then id); every snapshot returned has been re-verified against its digest.
    """

    def __init__(self, store: Store | ObjectStore, *, readonly: bool) -> None:
        self._store = store
        self.readonly = readonly
        #: How many leftovers of interrupted writes opening it removed (for the CLI).
        self._cleaned = 0

    # -- opening --

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        readonly: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        storage_options: Mapping[str, Any] | None = None,
    ) -> Archive:
        """Open the archive at *path*: a folder, or a URL in object storage.

        A URL (``s3://bucket/prefix``, ``gs://``, ``az://``, ``memory://``) opens the
        archive through fsspec (``pip install 'cspo-archive[s3]'``; gcsfs or adlfs for
        the others), with *storage_options* passed to its file system (``{"endpoint_url":
        ...}``, credentials; else the provider's environment variables). The layout is
        the one on disk; writers on several machines are kept apart by creating every
        object only if it is absent, so there is no lock and *lock_timeout* does not
        apply (see :mod:`cspo_archive._objects`). ``file://`` URLs open the folder.

        With ``create=True`` an empty archive is made if the folder holds none
        (an existing archive is opened as it is). ``readonly=True`` refuses
        every write. Raises :class:`ArchiveFormatError` if *path* is not an
        archive this version can read.

        Opening a writable archive removes what an interrupted writer left in
        ``.tmp/``, if there is anything and the write lock is free right now
        (it never waits; :meth:`gc` does the same and waits for the lock).

        The archive shipped inside the installed package
        (:func:`installed_bundled_path`) is never opened for writing: without
        ``readonly=True`` it raises :class:`ReadOnlyArchiveError`, however *path*
        is spelled (relative, through a symbolic link, with a trailing slash:
        resolved paths are compared), and so does a folder inside it. pip removes
        only the files it installed, so a snapshot written there would outlive a
        reinstall. A source checkout's ``snapshots/`` is not protected: it is
        written on purpose when releasing (see :meth:`bundled`).
        """
        store = _store_at(path, storage_options, lock_timeout=lock_timeout, readonly=readonly)
        if isinstance(store, Store) and not readonly:
            _refuse_installed_bundled(store.root)
        if create and not store.has_marker():
            if readonly:
                msg = f"cannot create an archive at '{store.location}' with readonly=True"
                raise ReadOnlyArchiveError(msg, archive=store.location)
            store.create()
        store.check_marker()
        archive = cls(store, readonly=readonly)
        archive._cleaned = store.clean_tmp_if_idle()
        return archive

    @staticmethod
    def exists_at(
        path: str | os.PathLike[str], *, storage_options: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether an archive (its ``archive.json``) is at *path*, a folder or a URL."""
        return _store_at(path, storage_options, lock_timeout=0, readonly=True).has_marker()

    @classmethod
    def bundled(cls) -> Archive:
        """The archive shipped inside the package (read-only).

        In an installed wheel it is ``cspo_archive/_bundled``
        (:func:`installed_bundled_path`), which :meth:`open` never opens for
        writing. In a source checkout or an editable install it is the
        repository's ``snapshots/``, which stays writable through :meth:`open`:
        developers add to it on purpose when releasing, with
        ``cspo-archive build snapshots/recipe.toml --archive snapshots``, and
        append the new files' lines to ``snapshots/RELEASED.sha256``.
        """
        here = Path(__file__).resolve().parent
        candidates = [installed_bundled_path(), here.parents[1] / "snapshots"]
        for candidate in candidates:
            if (candidate / "archive.json").is_file():
                return cls.open(candidate, readonly=True)
        tried = ", ".join(f"'{c}'" for c in candidates)
        msg = (
            f"the bundled archive was not found (looked in {tried}); the installation is "
            f"incomplete: reinstall cspo-archive"
        )
        raise ArchiveFormatError(msg, path=str(candidates[0]))

    # -- reading --

    @property
    def location(self) -> str:
        """Where the archive is: its folder, or its URL in object storage."""
        return self._store.location

    @property
    def path(self) -> Path:
        """The archive's root folder; an archive in object storage has none, and raises
        :class:`ArchiveFormatError` (use :attr:`location`)."""
        store = self._store
        if isinstance(store, Store):
            return store.root
        msg = (
            f"the archive at {store.location} is in object storage, not in a folder: use "
            f"Archive.location for where it is"
        )
        raise ArchiveFormatError(msg, path=store.location)

    @property
    def is_remote(self) -> bool:
        """Whether the archive is in object storage (opened by URL)."""
        return not isinstance(self._store, Store)

    def __repr__(self) -> str:
        mode = ", readonly" if self.readonly else ""
        return f"Archive('{self.location}'{mode})"

    def get(self, ref: str | SnapshotRef) -> Snapshot:
        """Return the snapshot *ref* names, re-verified.

        *ref* is an id, ``<id>@sha256:<hex>`` or a :class:`SnapshotRef`. A
        pinned reference whose digest differs raises :class:`PinMismatchError`.
        """
        parsed = ref if isinstance(ref, SnapshotRef) else SnapshotRef.parse(ref)
        snapshot = self._store.read(parsed.id)
        if parsed.digest is not None and parsed.digest != snapshot.digest:
            msg = (
                f"snapshot {parsed.id!r} in the archive at '{self.location}' is not the one "
                f"pinned: expected {parsed.digest} but the archive holds {snapshot.digest}; if the "
                f"new text is what you want, pin {snapshot.ref}, otherwise use an archive that "
                f"holds the pinned snapshot"
            )
            raise PinMismatchError(
                msg,
                snapshot_id=parsed.id,
                path=self.location,
                expected=parsed.digest,
                actual=snapshot.digest,
            )
        return snapshot

    def resolve(self, text: str) -> SnapshotRef:
        """Turn what a user typed (id, unique id prefix, or pinned ref) into a reference."""
        if "@" in text:
            return SnapshotRef.parse(text)
        if is_id(text) and self._store.exists(text):
            return SnapshotRef(text)
        if not text or any(c not in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in text):
            return SnapshotRef.parse(text)  # raises InvalidIdError with the reason
        matches = [i for i in self._store.ids() if i.startswith(text)]
        if len(matches) == 1:
            return SnapshotRef(matches[0])
        if not matches:
            raise self._store.not_found(text)
        shown = ", ".join(matches[:5]) + (
            f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        )
        msg = (
            f"{text!r} matches {len(matches)} snapshots in the archive at '{self.location}' "
            f"({shown}); type more of the id"
        )
        raise AmbiguousIdError(msg, prefix=text, matches=tuple(matches))

    def ids(self) -> list[str]:
        """Every snapshot id, in publication order (date, then id).

        Served by the archive's index (``.index``, derived data rebuilt from the
        records when missing or stale), so it does not read every snapshot; use
        :meth:`verify` or iterate to check them.
        """
        return [i for _, i in self._store.ordered()]

    def __iter__(self) -> Iterator[Snapshot]:
        """Every snapshot in publication order, each read and verified as it is reached."""
        store = self._store
        return (store.read(i) for _, i in store.ordered())

    def __len__(self) -> int:
        return len(self._store.ids())

    def __contains__(self, ref: object) -> bool:
        if isinstance(ref, Snapshot):
            ref = ref.ref
        if isinstance(ref, str):
            try:
                ref = SnapshotRef.parse(ref)
            except InvalidIdError:
                return False
        if not isinstance(ref, SnapshotRef) or not self._store.exists(ref.id):
            return False
        if ref.digest is None:
            return True
        try:
            return self.get(ref).digest == ref.digest
        except (IntegrityError, SnapshotNotFoundError):
            return False

    def with_text(self, digest: str) -> list[str]:
        """The ids of the snapshots whose text has this digest (``sha256:...``), in
        publication order: the same text added under several ids. Reads every
        snapshot's record (not its text)."""
        found = []
        for snapshot_id in self.ids():
            try:
                record, _ = self._store.read_record(snapshot_id)
            except (IntegrityError, ArchiveFormatError, SnapshotNotFoundError):
                continue  # verify reports it
            if record.get("digest") == digest:
                found.append(snapshot_id)
        return found

    def capture(self, digest: str) -> bytes:
        """The raw capture bytes with this digest, verified."""
        return self._store.read_capture(digest)

    # -- writing --

    def add(self, snapshot: Snapshot, *, capture: bytes | None = None) -> Snapshot:
        """Add *snapshot*; return the snapshot as stored.

        The raw capture its provenance names must be passed as *capture* unless
        the archive already holds it. Adding a snapshot that is already stored
        (same id, text and record) returns the stored one and writes nothing;
        a different snapshot under an existing id raises
        :class:`SnapshotConflictError`. The write is atomic: on any error the
        archive is left as it was.
        """
        self._check_writable()
        value: object = snapshot
        if not isinstance(value, Snapshot):
            msg = f"add() takes a Snapshot (got {snapshot!r} that is a {type(snapshot).__name__})"
            raise TypeError(msg)
        capture_digest = snapshot.provenance.capture_digest
        if capture is not None:
            actual = sha256_digest(capture)
            if actual != capture_digest:
                msg = (
                    f"the capture passed for snapshot {snapshot.id!r} is not the one its "
                    f"provenance names: expected {capture_digest} but got {actual}; pass the "
                    f"exact bytes the text was ingested from"
                )
                raise IntegrityError(
                    msg,
                    snapshot_id=snapshot.id,
                    path="<capture argument>",
                    expected=capture_digest,
                    actual=actual,
                )
        text_bytes = snapshot.text.encode("utf-8")
        record_bytes = seal_record(_record(snapshot))
        store = self._store
        with store.locked():
            store.clean_tmp()
            if store.exists(snapshot.id):
                return self._existing(snapshot)
            if capture is None and not store.has_capture(capture_digest):
                msg = (
                    f"snapshot {snapshot.id!r} comes from capture {capture_digest}, which the "
                    f"archive does not hold; pass its bytes: add(snapshot, capture=data)"
                )
                raise IntegrityError(
                    msg,
                    snapshot_id=snapshot.id,
                    path=f"captures/{capture_digest.removeprefix('sha256:')}",
                    expected=capture_digest,
                    actual=None,
                )
            new_capture = False
            try:
                if capture is not None:
                    new_capture = store.write_capture(capture, capture_digest)
                written = store.write_snapshot(snapshot.id, text_bytes, record_bytes)
            except BaseException as exc:
                # Leave the archive as it was: drop the capture this call added
                # and anything half-written, whatever interrupted us.
                if new_capture:
                    store.remove_capture(capture_digest)
                store.clean_tmp()
                if not isinstance(exc, OSError) or isinstance(exc, SnapshotConflictError):
                    raise
                where = str(exc.filename or self.location)
                raise ArchiveWriteError(store.write_failed(snapshot.id, exc), path=where) from exc
        if not written:  # another machine stored this id first: the same snapshot?
            return self._existing(snapshot)
        return self._store.read(snapshot.id)

    def gc(self) -> int:
        """Remove what interrupted writes left behind; return how many entries.

        On disk it waits for the write lock, so it never removes a write in progress.
        In object storage it removes texts left without their record by adds that
        began more than an hour ago.
        """
        self._check_writable()
        return self._store.gc()

    def verify(self, *, progress: Callable[..., None] | None = None) -> Verification:
        """Check every snapshot and capture, and every line of the records of document
        keys and withdrawals; return every problem found, not just the first.
        *progress* is called once per snapshot and capture checked."""
        problems, snapshots, captures = self._store.verify(progress)
        problems.extend(self._verify_documents())
        return Verification(self.location, snapshots, captures, tuple(problems))

    # -- documents and statements --

    def document_keys(self) -> dict[str, str]:
        """The document keys given by hand (:meth:`assign_document`), by snapshot id."""
        from cspo_archive import _documents

        found, _ = _documents.read(self._store, _documents.DOCUMENTS_FILE)
        return {snapshot_id: entry["document"] for snapshot_id, entry in found.items()}

    def document_key(self, ref: str | SnapshotRef) -> str:
        """The key of the document the snapshot *ref* names is a revision of (see
        :func:`cspo_archive.statements.document_keys`)."""
        from cspo_archive.statements import document_keys

        snapshot_id = self.get(ref).id
        return document_keys(self, self.document_keys())[snapshot_id]

    def assign_document(self, ref: str | SnapshotRef, key: str) -> None:
        """Say that the snapshot *ref* names is a revision of the document *key*
        (for a capture without a URL that tells its page): an append-only line in
        ``documents.jsonl``; the snapshot itself never changes. A URL is normalised.
        Giving the same key again does nothing; another key for a snapshot that has
        one raises :class:`SnapshotConflictError` (keys are never changed)."""
        from cspo_archive import _documents
        from cspo_archive.exceptions import InvalidMetadataError
        from cspo_archive.statements import normalise_url

        self._check_writable()
        why = _documents.check_key(key)
        if why is not None:
            msg = f"cannot give snapshot {str(ref)!r} the document key {key!r}: {why}"
            raise InvalidMetadataError(msg, field="document", value=key)
        if key.lower().startswith(("http://", "https://")):
            key = normalise_url(key)
        self._record(_documents.DOCUMENTS_FILE, ref, "document", key, {"document": key})

    def withdraw(self, ref: str | SnapshotRef, reason: str) -> None:
        """Withdraw the snapshot *ref* names (added by mistake): an append-only line in
        ``withdrawals.jsonl`` with *reason* and the time. It is left out of
        :meth:`current` (and the command line's default listings and comparisons);
        its bytes stay and every pin to it still verifies. Withdrawing again with the
        same reason does nothing; another reason raises :class:`SnapshotConflictError`."""
        import datetime as dt

        from cspo_archive import _documents
        from cspo_archive.exceptions import InvalidMetadataError

        self._check_writable()
        why = _documents.check_reason(reason)
        if why is not None:
            msg = f"cannot withdraw snapshot {str(ref)!r}: {why}"
            raise InvalidMetadataError(msg, field="reason", value=reason)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        entry = {"reason": reason, "withdrawn_at": now}
        self._record(_documents.WITHDRAWALS_FILE, ref, "reason", reason, entry)

    def withdrawals(self) -> dict[str, tuple[str, str]]:
        """The withdrawn snapshots: ``{id: (reason, withdrawn_at)}`` (ISO 8601, UTC)."""
        from cspo_archive import _documents

        found, _ = _documents.read(self._store, _documents.WITHDRAWALS_FILE)
        return {i: (entry["reason"], entry["withdrawn_at"]) for i, entry in found.items()}

    def current(self) -> Iterator[Snapshot]:
        """Every snapshot that is not withdrawn, in publication order, each verified."""
        withdrawn = self.withdrawals()
        store = self._store
        return (store.read(i) for _, i in store.ordered() if i not in withdrawn)

    def _record(
        self, name: str, ref: str | SnapshotRef, fixed: str, value: str, entry: dict[str, str]
    ) -> None:
        """Append *entry* about the snapshot *ref* names to the record *name*, unless
        the record already says *value* of it (then nothing; another value: conflict)."""
        from cspo_archive import _documents

        snapshot = self.get(ref)
        with self._store.locked():
            found, _ = _documents.read(self._store, name)
            if snapshot.id in found:
                self._record_again(name, snapshot.id, fixed, value, found)
                return
            try:
                _documents.append(
                    self._store, name, {"id": snapshot.id, "digest": snapshot.digest, **entry}
                )
            except FileExistsError:  # another machine recorded it a moment ago
                self._record_again(name, snapshot.id, fixed, value)
            except OSError as exc:
                msg = (
                    f"could not record {fixed} of snapshot {snapshot.id!r} in "
                    f"'{self.location}/{name}': {describe_os_error(exc)}; nothing was "
                    f"recorded if the file's last line is whole (cspo-archive verify says)"
                )
                raise ArchiveWriteError(msg, path=self.location) from exc

    def _record_again(
        self,
        name: str,
        snapshot_id: str,
        fixed: str,
        value: str,
        found: dict[str, dict[str, str]] | None = None,
    ) -> None:
        """Nothing if the record *name* already says *value* of the snapshot; else
        :class:`SnapshotConflictError` (these records are never changed)."""
        from cspo_archive import _documents

        if found is None:
            found, _ = _documents.read(self._store, name)
        given = found.get(snapshot_id, {}).get(fixed)
        if given == value:
            return
        msg = (
            f"{name} already gives snapshot {snapshot_id!r} the {fixed} {given!r} in "
            f"the archive at '{self.location}'; these records are never changed"
        )
        raise SnapshotConflictError(
            msg, snapshot_id=snapshot_id, existing=str(given), attempted=value
        )

    def statements(self) -> tuple[Statement, ...]:
        """The statements of the archive: copies of one text by several publishers,
        each with its revisions (see :mod:`cspo_archive.statements`)."""
        from cspo_archive.statements import group_statements

        return group_statements(self, self.document_keys())

    def history(self, key_or_id: str, *, profile: Profile | None = None) -> History:
        """The revisions of one document, oldest first, with what changed from each
        to the next: *key_or_id* is a snapshot id (or unique prefix), the page's URL
        or a document key. Raises :class:`DocumentNotFoundError` if nothing matches."""
        from cspo_archive.statements import history

        snapshots = list(self)
        ids = {s.id for s in snapshots}
        if key_or_id not in ids and not key_or_id.lower().startswith(("http://", "https://")):
            import contextlib

            with contextlib.suppress(InvalidIdError, SnapshotNotFoundError, AmbiguousIdError):
                key_or_id = self.resolve(key_or_id).id  # else not an id: a document key
        return history(snapshots, key_or_id, profile=profile, assigned=self.document_keys())

    def _verify_documents(self) -> list[Problem]:
        from cspo_archive import _documents

        problems: list[Problem] = []
        for rel in (_documents.DOCUMENTS_FILE, _documents.WITHDRAWALS_FILE):
            found, bad = _documents.read(self._store, rel)
            problems += bad
            for snapshot_id, entry in sorted(found.items()):
                digest, where = entry["digest"], entry["path"]
                if not is_id(snapshot_id) or not self._store.exists(snapshot_id):
                    msg = f"{where} names snapshot {snapshot_id!r}, which is not here"
                    problems.append(Problem("records", where, msg, snapshot_id=snapshot_id))
                    continue
                try:
                    actual = self._store.read(snapshot_id).digest
                except (IntegrityError, ArchiveFormatError):
                    continue  # reported by the snapshot checks
                if actual != digest:
                    msg = (
                        f"{where} names snapshot {snapshot_id!r} as {digest}, but the archive "
                        f"holds {actual}"
                    )
                    problems.append(
                        Problem(
                            "records",
                            where,
                            msg,
                            snapshot_id=snapshot_id,
                            expected=digest,
                            actual=actual,
                        )
                    )
        return problems

    # -- helpers --

    def _check_writable(self) -> None:
        if self.readonly:
            msg = (
                f"the archive at '{self.location}' is open read-only; to add snapshots, use a "
                f"writable copy: --archive PATH on the command line, Archive.open(path) in "
                f"Python (the bundled archive is never written)"
            )
            raise ReadOnlyArchiveError(msg, archive=self.location)

    def _existing(self, snapshot: Snapshot) -> Snapshot:
        existing = self._store.read(snapshot.id)
        if existing == snapshot:
            return existing
        differs = [
            name
            for name in ("text", "metadata", "provenance")
            if getattr(existing, name) != getattr(snapshot, name)
        ]
        if "text" in differs:
            at = next(
                (
                    i
                    for i, (a, b) in enumerate(zip(existing.digest, snapshot.digest, strict=True))
                    if a != b
                ),
                0,
            )
            texts = (
                f"the stored text is {existing.digest}, the attempted {snapshot.digest} (they "
                f"differ from character {at + 1} of the digest)"
            )
        else:
            texts = f"the text is the same ({existing.digest})"
        fields = [
            f"{part}.{f.name}"
            for part in ("metadata", "provenance")
            if part in differs
            for f in attrs.fields(type(getattr(existing, part)))
            if getattr(getattr(existing, part), f.name) != getattr(getattr(snapshot, part), f.name)
        ]
        changed = f"; {', '.join(fields)} differ" if fields else ""
        msg = (
            f"snapshot {snapshot.id!r} already exists with a different {' and '.join(differs)}: "
            f"{texts}{changed}; snapshots are never changed: add the correction as a new "
            f"snapshot with a new id"
        )
        raise SnapshotConflictError(
            msg, snapshot_id=snapshot.id, existing=existing.digest, attempted=snapshot.digest
        )


def _store_at(
    path: str | os.PathLike[str],
    storage_options: Mapping[str, Any] | None,
    *,
    lock_timeout: float,
    readonly: bool,
) -> Store | ObjectStore:
    """The store of the archive at *path*: a folder (``file://`` URLs too) or a URL."""
    if isinstance(path, str) and path[:7].lower() == "file://":
        from urllib.request import url2pathname

        path = url2pathname(path[7:].partition("?")[0])
    if isinstance(path, str) and is_url(path):
        from cspo_archive._objects import open_store

        return open_store(path, storage_options, readonly=readonly)
    if storage_options:
        msg = (
            f"storage_options apply to archives opened by URL (s3://...), not to the "
            f"folder '{path}'; leave them out"
        )
        raise TypeError(msg)
    return Store(Path(path), lock_timeout=lock_timeout, readonly=readonly)


def installed_bundled_path() -> Path:
    """The folder of the archive shipped inside the installed package, resolved.

    ``cspo_archive/_bundled`` next to the package's own modules (the wheel ships
    the repository's ``snapshots/`` there): ``Path(cspo_archive.__file__)
    .resolve().parent / "_bundled"``. In a source checkout or an editable install
    this folder does not exist, and the repository's ``snapshots/`` is not it.
    """
    # This module lives in the package's folder, as cspo_archive/__init__.py does.
    return Path(__file__).resolve().parent / "_bundled"


def _refuse_installed_bundled(root: Path) -> None:
    """Raise :class:`ReadOnlyArchiveError` if *root* is the installed package's
    bundled archive or a folder inside it (resolved paths, or the same folder)."""
    try:
        resolved = root.resolve()
        bundled = installed_bundled_path().resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: nothing can be opened there
        return
    if resolved == bundled:
        inside = False
    elif resolved.is_relative_to(bundled):
        inside = True
    else:
        try:  # the same folder under another name (a case-insensitive file system)
            if not resolved.samefile(bundled):
                return
        except OSError:  # one of them does not exist
            return
        inside = False
    import shlex  # only this error needs it

    shown = f"'{root}'" + ("" if str(root) == str(resolved) else f" (that is, '{resolved}')")
    what = (
        f"is inside the archive shipped inside the cspo-archive package, '{bundled}', which"
        if inside
        else "is the archive shipped inside the cspo-archive package, which"
    )
    msg = (
        f"{shown} {what} is never written (pip removes only the files it installed, so "
        f"a snapshot added there would outlive a reinstall); to add snapshots, "
        f"copy it: cp -r {shlex.quote(str(bundled))} ./my-archive, then "
        f"--archive ./my-archive (in Python: Archive.open('./my-archive')); to read it, "
        f"open it with readonly=True or use Archive.bundled()"
    )
    raise ReadOnlyArchiveError(msg, archive=str(root))


def _record(snapshot: Snapshot) -> dict[str, object]:
    return {
        "digest": snapshot.digest,
        "format_version": FORMAT_VERSION,
        "id": snapshot.id,
        "metadata": _serialize.unstructure(snapshot.metadata),
        "provenance": _serialize.unstructure(snapshot.provenance),
    }
