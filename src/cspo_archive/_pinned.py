"""The ``cspo_snapshots`` fixture's value: the pinned snapshots, read-only, by id or prefix."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cspo_archive.exceptions import CspoArchiveError

if TYPE_CHECKING:
    from cspo_archive.model import Snapshot


class PinLookupError(CspoArchiveError, KeyError):
    """A key names no pinned snapshot, or is a prefix of more than one.

    ``key`` is what was asked for, ``matches`` the pinned ids it is a prefix of
    (empty when none is), ``lock`` the lock file's path.
    """

    def __init__(self, message: str, *, key: object, matches: tuple[str, ...], lock: str) -> None:
        super().__init__(message)
        self.key = key
        self.matches = matches
        self.lock = lock

    # KeyError.__str__ would print the repr of the message.
    def __str__(self) -> str:
        return self.message


class PinnedSnapshots(Mapping[str, "Snapshot"]):
    """The snapshots a lock file pins, by id: a read-only mapping.

    Iteration, ``len`` and ``in`` are those of a dict of the pinned ids (in the
    lock's order). Looking up a key accepts what ``cspo-archive show`` does: an
    exact id first, else a unique prefix of one pinned id. A key that is a
    prefix of several pinned ids, or of none, raises :class:`PinLookupError` (a
    :class:`KeyError`) that lists the matches, or says the id is not pinned in
    the lock file and how to pin it.
    """

    __slots__ = ("_lock", "_snapshots")

    def __init__(self, snapshots: Mapping[str, Snapshot], lock: Path) -> None:
        self._snapshots = dict(snapshots)
        self._lock = lock

    @property
    def lock(self) -> Path:
        """The lock file the snapshots were pinned in."""
        return self._lock

    def __getitem__(self, key: object) -> Snapshot:
        found = self._snapshots.get(key) if isinstance(key, str) else None
        if found is not None:
            return found
        matches = (
            tuple(i for i in self._snapshots if i.startswith(key))
            if isinstance(key, str) and key
            else ()
        )
        if len(matches) == 1:
            return self._snapshots[matches[0]]
        if matches:
            shown = ", ".join(matches[:5]) + (
                f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            )
            msg = (
                f"{key!r} is a prefix of {len(matches)} snapshots pinned in the lock file "
                f"{self._lock} ({shown}); type more of the id"
            )
        else:
            msg = self._not_pinned(key)
        raise PinLookupError(msg, key=key, matches=matches, lock=str(self._lock))

    def _not_pinned(self, key: object) -> str:
        import shlex  # error path only

        pinned = list(self._snapshots)
        hint = ""
        if isinstance(key, str) and key and pinned:
            from cspo_archive._text import close_ids  # error path only

            close = close_ids(key, pinned)
            if close:
                hint = f" (did you mean {' or '.join(close)}?)"
        # The key itself when it can be typed as it is in a shell, else a placeholder.
        what = key if isinstance(key, str) and key and shlex.quote(key) == key else "ID"
        return (
            f"snapshot {key!r} is not pinned in the lock file {self._lock}, which pins "
            f"{len(pinned)} snapshot{'' if len(pinned) == 1 else 's'}{hint}; to use it, "
            f"pin it with: cspo-archive lock add {what}"
        )

    def __contains__(self, key: object) -> bool:
        return key in self._snapshots

    def __iter__(self) -> Iterator[str]:
        return iter(self._snapshots)

    def __len__(self) -> int:
        return len(self._snapshots)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} from {str(self._lock)!r}>"
