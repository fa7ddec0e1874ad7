"""Progress on standard error for long work, and only where a person is watching.

:func:`progress` gives a callback that counts work done. On a terminal (standard
error a TTY, ``TERM`` not ``dumb``) it drives a `tqdm` bar that appears only once
the work has taken :data:`DELAY` seconds, so quick commands print nothing; when
standard error is piped or redirected, the callback does nothing and `tqdm` is
never imported (it takes about 40 ms to import).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import Final

__all__ = ["DELAY", "Progress", "progress", "quiet"]

#: Seconds of work before a bar appears.
DELAY: Final = 0.5

#: Called with how many more items are done (and, optionally, what is being done).
Progress = Callable[..., None]


def quiet(count: int = 1, what: str | None = None) -> None:
    """A progress callback that shows nothing."""


def _watched() -> bool:
    stream = sys.stderr
    return (
        stream is not None
        and hasattr(stream, "isatty")
        and stream.isatty()
        and os.environ.get("TERM") != "dumb"
    )


@contextlib.contextmanager
def progress(description: str, total: int | None, *, unit: str = "item") -> Iterator[Progress]:
    """A callback ``done(count=1, what=None)`` for *total* items of work (``None``:
    unknown); a bar on a watched terminal, nothing otherwise. The bar is removed
    when the work ends."""
    if not _watched():
        yield quiet
        return
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        desc=description,
        unit=unit,
        file=sys.stderr,
        leave=False,
        delay=DELAY,
        dynamic_ncols=True,
    )

    def done(count: int = 1, what: str | None = None) -> None:
        if what is not None:
            bar.set_postfix_str(what, refresh=False)
        bar.update(count)

    try:
        yield done
    finally:
        bar.close()
