"""The archive's append-only records about snapshots: document keys and withdrawals.

Two JSON Lines files at the archive's root, one object per line, each naming a
snapshot (``id``) and the digest it had when the line was written (``digest``):

* ``documents.jsonl`` (``{"digest", "document", "id"}``): the key of the document
  the snapshot is a revision of, for captures whose document cannot be told from
  their URL (a PDF read from a file, a page without a canonical URL);
* ``withdrawals.jsonl`` (``{"digest", "id", "reason", "withdrawn_at"}``): a
  snapshot added by mistake, hidden from default listings and comparisons. Its
  bytes stay, and every pin to it still verifies.

In object storage, where nothing can be appended without a lock spanning machines,
each line is an object of its own, ``documents/<id>.json`` or
``withdrawals/<id>.json``, created only if absent; both forms are read wherever
the archive is (an archive copied between a bucket and a disk keeps its records).

Lines are only ever added, and what a line says of a snapshot is never changed:
a later line that says otherwise is a problem :meth:`cspo_archive.Archive.verify`
reports, as is a malformed line, a snapshot that is not there or a digest that
differs.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Final, Protocol

from cspo_archive._storage import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

DOCUMENTS_FILE: Final = "documents.jsonl"
WITHDRAWALS_FILE: Final = "withdrawals.jsonl"
#: The fields of each file's lines, and the one that must never change.
FIELDS: Final = {
    DOCUMENTS_FILE: (frozenset({"digest", "document", "id"}), "document"),
    WITHDRAWALS_FILE: (frozenset({"digest", "id", "reason", "withdrawn_at"}), "reason"),
}
#: The folder of one-object-per-line records, for each file.
FOLDERS: Final = {DOCUMENTS_FILE: "documents", WITHDRAWALS_FILE: "withdrawals"}
#: The longest key or reason accepted.
MAX_TEXT: Final = 500


def check_key(key: object) -> str | None:
    """Why *key* cannot be a document key (``None``: it can)."""
    if not isinstance(key, str):
        return f"a document key is a str, got {type(key).__name__}"
    if not key or len(key) > MAX_TEXT:
        return f"a document key has 1 to {MAX_TEXT} characters, got {len(key)}"
    if any(c.isspace() or not c.isprintable() for c in key):
        return f"a document key has no white space or control characters, got {key!r}"
    return None


def check_reason(reason: object) -> str | None:
    """Why *reason* cannot be a withdrawal's reason (``None``: it can)."""
    if not isinstance(reason, str) or not reason.strip():
        return "a withdrawal needs a reason: a line of text saying why"
    if len(reason) > MAX_TEXT or any(not c.isprintable() for c in reason):
        return f"a reason is one printable line of at most {MAX_TEXT} characters"
    return None


def _check_line(name: str, entry: dict[str, object]) -> str | None:
    if not isinstance(entry["id"], str) or not isinstance(entry["digest"], str):
        return "id and digest must be strings"
    if name == DOCUMENTS_FILE:
        return check_key(entry["document"])
    why = check_reason(entry["reason"])
    if why is None:
        try:
            dt.datetime.fromisoformat(str(entry["withdrawn_at"]))
        except ValueError:
            why = f"withdrawn_at must be an ISO 8601 time, got {entry['withdrawn_at']!r}"
    return why


class RecordStore(Protocol):
    """What reading and adding records needs of a store (on disk or in a bucket)."""

    def read_optional(self, rel: str) -> bytes | None: ...

    def list_records(self, folder: str) -> list[tuple[str, bytes]]: ...

    def append_record(self, name: str, snapshot_id: str, line: bytes) -> None: ...


def read(store: RecordStore, name: str) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The lines of the record *name* (the file's lines, then its folder's objects), by
    snapshot id (the first line about a snapshot holds; ``"path"`` added to each says
    where it is), and every malformed or contradicting line as a problem."""
    data = store.read_optional(name)
    found: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    if data is not None:
        lines = ((name, f"{name} line {n}", raw) for n, raw in enumerate(data.split(b"\n"), 1))
        _parse(name, lines, found, problems)
    objects = store.list_records(FOLDERS[name])
    _parse(name, ((rel, rel, raw.rstrip(b"\n")) for rel, raw in objects), found, problems)
    return found, problems


def _parse(
    name: str,
    lines: Iterable[tuple[str, str, bytes]],
    found: dict[str, dict[str, str]],
    problems: list[Problem],
) -> None:
    """Read ``(path, where, line)`` of the record *name* into *found* and *problems*."""
    fields, fixed = FIELDS[name]
    for rel, where, raw in lines:
        if not raw:
            continue
        try:
            entry = json.loads(raw)
        except ValueError as exc:
            problems.append(Problem("records", rel, f"{where} is not JSON: {exc}"))
            continue
        if not isinstance(entry, dict) or set(entry) != fields:
            expected = ", ".join(sorted(fields))
            msg = f"{where} must hold exactly {expected}; got {raw[:120]!r}"
            problems.append(Problem("records", rel, msg))
            continue
        why = _check_line(name, entry)
        if why is None and rel != name and rel != f"{FOLDERS[name]}/{entry['id']}.json":
            why = f"it is about snapshot {entry['id']!r}, so its name must be {entry['id']}.json"
        if why is not None:
            problems.append(Problem("records", rel, f"{where} is malformed: {why}"))
            continue
        snapshot_id = entry["id"]
        if snapshot_id in found and found[snapshot_id][fixed] != entry[fixed]:
            msg = (
                f"{where} says {fixed} {entry[fixed]!r} of snapshot {snapshot_id!r}, but an "
                f"earlier line said {found[snapshot_id][fixed]!r}; these records are never "
                f"changed: remove the later line"
            )
            problems.append(Problem("records", rel, msg, snapshot_id=snapshot_id))
            continue
        # "path": the file or object the line is in (for verify's messages).
        found.setdefault(snapshot_id, {**{k: str(v) for k, v in entry.items()}, "path": rel})


def append(store: RecordStore, name: str, entry: dict[str, str]) -> None:
    """Add one line about ``entry["id"]`` (the caller has checked that the record says
    nothing of it yet); ``FileExistsError`` if another writer just recorded it."""
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
    store.append_record(name, entry["id"], line.encode("utf-8"))
