"""pytest plugin: pinned snapshots as fixtures, verified before any test uses them.

Installed with cspo-archive and inert unless used: it adds the ``--cspo-lock``
option and two fixtures, and touches no file until one of them is requested or
the option is given.

* ``cspo_lock``: the project's :class:`~cspo_archive.pins.LockFile`
  (``--cspo-lock PATH``, else ``cspo-archive.lock`` in the rootdir).
* ``cspo_snapshots``: a read-only mapping ``{id: Snapshot}`` of every pin of the
  lock, all verified first, all-or-nothing. Like ``cspo-archive show``, it takes
  an id or a unique id prefix; an id the lock does not pin raises a
  :class:`KeyError` that names the lock file and says how to pin it
  (``cspo-archive lock add ID``), a prefix of several pins one that lists them.

A pin that does not verify fails with the library's own message (which
snapshot, both digests, what to do), not a traceback. With ``--cspo-lock``
given, the whole session stops before the first test when any pin fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from cspo_archive._pinned import PinnedSnapshots
    from cspo_archive.pins import LockFile

_OPTION = "--cspo-lock"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cspo-archive", "pinned CSpO snapshots")
    group.addoption(
        _OPTION,
        metavar="PATH",
        default=None,
        help="cspo-archive lock file to verify before the session and serve to the "
        "cspo_snapshots fixture (default: cspo-archive.lock in the rootdir, checked only "
        "when a test uses the fixture)",
    )


def _lock_path(config: pytest.Config) -> Path:
    given = config.getoption(_OPTION)
    if given:
        path = Path(given)
        return path if path.is_absolute() else Path(config.invocation_params.dir) / path
    return Path(config.rootpath) / "cspo-archive.lock"


def _verified(config: pytest.Config) -> PinnedSnapshots:
    """Verify every pin once per session; return the snapshots or raise a clean failure."""
    cached: PinnedSnapshots | None = getattr(config, "_cspo_snapshots", None)
    if cached is not None:
        return cached
    from cspo_archive._pinned import PinnedSnapshots
    from cspo_archive.exceptions import CspoArchiveError
    from cspo_archive.pins import open_archive, read_lock, verify_lock

    path = _lock_path(config)
    try:
        result = verify_lock(path)
        if not result.ok:
            pytest.fail(f"cspo-archive: {result.report()}", pytrace=False)
        lock = read_lock(path)
        archive = open_archive(lock.archive, path.parent)
        snapshots = PinnedSnapshots({ref.id: archive.get(ref) for ref in lock.entries}, path)
    except CspoArchiveError as exc:
        pytest.fail(f"cspo-archive: {exc}", pytrace=False)
    config._cspo_snapshots = snapshots  # type: ignore[attr-defined]
    return snapshots


def pytest_sessionstart(session: pytest.Session) -> None:
    if session.config.getoption(_OPTION):
        try:
            _verified(session.config)
        except pytest.fail.Exception as exc:
            raise pytest.UsageError(str(exc.msg)) from None


@pytest.fixture(scope="session")
def cspo_lock(pytestconfig: pytest.Config) -> LockFile:
    """The project's lock file, read (not yet verified)."""
    from cspo_archive.exceptions import CspoArchiveError
    from cspo_archive.pins import read_lock

    try:
        return read_lock(_lock_path(pytestconfig))
    except CspoArchiveError as exc:
        pytest.fail(f"cspo-archive: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def cspo_snapshots(pytestconfig: pytest.Config) -> PinnedSnapshots:
    """Every snapshot the lock pins, by id or unique id prefix, verified (the session fails
    if any pin fails); read-only."""
    return _verified(pytestconfig)
