"""The archive's append-only record of document keys given by hand.

``documents.jsonl`` at the archive's root holds one JSON object per line,
``{"digest": ..., "document": ..., "id": ...}``: the snapshot (and the digest it
had when the key was given) and the key of the document it is a revision of, for
captures whose document cannot be told from their URL (a PDF read from a file, a
page without a canonical URL). Lines are only ever added; a snapshot's key is
never changed. :meth:`cspo_archive.Archive.verify` checks every line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Final

from cspo_archive._storage import Problem

DOCUMENTS_FILE: Final = "documents.jsonl"
#: The longest key accepted (a URL is rarely longer).
MAX_KEY: Final = 500


def check_key(key: object) -> str | None:
    """Why *key* cannot be a document key (``None``: it can)."""
    if not isinstance(key, str):
        return f"a document key is a str, got {type(key).__name__}"
    if not key or len(key) > MAX_KEY:
        return f"a document key has 1 to {MAX_KEY} characters, got {len(key)}"
    if any(c.isspace() or not c.isprintable() for c in key):
        return f"a document key has no white space or control characters, got {key!r}"
    return None


def read(root: Path) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """The keys given, by snapshot id (key, digest), and every malformed or
    conflicting line as a problem (the first key given for a snapshot holds)."""
    path = root / DOCUMENTS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    found: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw:
            continue
        where = f"{DOCUMENTS_FILE} line {number}"
        try:
            entry = json.loads(raw)
        except ValueError as exc:
            problems.append(Problem("documents", DOCUMENTS_FILE, f"{where} is not JSON: {exc}"))
            continue
        if not isinstance(entry, dict) or set(entry) != {"digest", "document", "id"}:
            msg = f"{where} must hold exactly digest, document and id; got {raw[:120]!r}"
            problems.append(Problem("documents", DOCUMENTS_FILE, msg))
            continue
        snapshot_id, key, digest = entry["id"], entry["document"], entry["digest"]
        why = check_key(key)
        if why is not None or not isinstance(snapshot_id, str) or not isinstance(digest, str):
            msg = f"{where} is malformed: {why or 'id and digest must be strings'}"
            problems.append(Problem("documents", DOCUMENTS_FILE, msg))
            continue
        if snapshot_id in found and found[snapshot_id][0] != key:
            msg = (
                f"{where} gives snapshot {snapshot_id!r} the document {key!r}, but an earlier "
                f"line gave it {found[snapshot_id][0]!r}; keys are never changed: remove the "
                f"later line"
            )
            problems.append(Problem("documents", DOCUMENTS_FILE, msg, snapshot_id=snapshot_id))
            continue
        found.setdefault(snapshot_id, (key, digest))
    return found, problems


def append(root: Path, snapshot_id: str, digest: str, key: str) -> None:
    """Add one line (the caller holds the archive's write lock and has checked it)."""
    line = json.dumps({"digest": digest, "document": key, "id": snapshot_id}, sort_keys=True)
    path = root / DOCUMENTS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
