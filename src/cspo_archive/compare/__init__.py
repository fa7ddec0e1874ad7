"""Comparison of releases: membership, principles, language and metadata.

``cspo_archive.compare`` is both this package (``compare.membership``,
``compare.principles``, ``compare.language``, ``compare.textdiff``) and the
function :func:`compare`: the package is callable, so
``from cspo_archive import compare; compare(old, new)`` works whichever was
imported first.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from cspo_archive.compare._compare import (
    Comparison,
    MetadataChange,
    NationHistory,
    PrincipleHistory,
    Release,
    Timeline,
    compare,
    timeline,
)
from cspo_archive.compare._sentences import Sentence, split_sentences

__all__ = [
    "Comparison",
    "MetadataChange",
    "NationHistory",
    "PrincipleHistory",
    "Release",
    "Sentence",
    "Timeline",
    "compare",
    "split_sentences",
    "timeline",
]


class _CallableModule(types.ModuleType):
    """Lets ``cspo_archive.compare(old, new)`` work even when it names this package."""

    def __call__(self, *args: Any, **kwargs: Any) -> Comparison:
        return compare(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
