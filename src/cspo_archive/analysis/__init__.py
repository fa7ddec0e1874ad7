"""The analyses behind :func:`cspo_archive.compare` and :func:`cspo_archive.timeline`:
membership (``analysis.membership``), principles (``analysis.principles``), language
(``analysis.language``) and the word diff (``analysis.textdiff``); the
:class:`Document` each text is prepared into once, and the :class:`Profile`
whose sections the analyses read.

The package is named apart from the function (it was ``cspo_archive.compare`` before
0.2, both a package and, by a swap of its module class, the function).
"""

from __future__ import annotations

from cspo_archive.analysis._compare import (
    Comparison,
    MetadataChange,
    NationHistory,
    PrincipleHistory,
    Release,
    Timeline,
    compare,
    timeline,
)
from cspo_archive.analysis._document import Document, Paragraph, Word
from cspo_archive.analysis._profile import Profile, load_profile
from cspo_archive.analysis._sentences import Sentence, split_sentences

__all__ = [
    "Comparison",
    "Document",
    "MetadataChange",
    "NationHistory",
    "Paragraph",
    "PrincipleHistory",
    "Profile",
    "Release",
    "Sentence",
    "Timeline",
    "Word",
    "compare",
    "load_profile",
    "split_sentences",
    "timeline",
]
