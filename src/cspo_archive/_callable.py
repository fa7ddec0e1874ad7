"""Modules that share their name with their main function (``ingest``, ``compare``).

``from cspo_archive import ingest`` should give the function, but once the
module ``cspo_archive.ingest`` has been imported, Python binds that name on the
package to the *module*. Making the module callable (delegating to the
function) keeps ``ingest(data)`` working whichever was imported first, while
``import cspo_archive.ingest as module`` still gives the module.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_module_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Make ``sys.modules[module_name]`` callable as *function*."""

    class _CallableModule(types.ModuleType):
        __doc__ = function.__doc__

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    sys.modules[module_name].__class__ = _CallableModule
