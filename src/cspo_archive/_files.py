"""Writing a user's file (a report, a lock file) whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* (UTF-8, LF) to *path* atomically: a reader sees the old file or the new.

    The temporary file sits beside the target, is fsynced and renamed over it;
    it gets the usual permissions (0666 less the umask), not mkstemp's 0600.
    Raises :class:`OSError` (nothing left behind) if any step fails.
    """
    target = Path(path).resolve()
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        tmp.replace(target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
