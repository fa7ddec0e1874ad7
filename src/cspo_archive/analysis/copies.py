"""Copies of one statement: how alike two texts are, and how two copies differ.

One joint statement is published by several governments, each with its own title
and lead around the same body, sometimes a paragraph short and spelled the
American way; one page is revised after it is first published. This module says
whether two texts are copies of one statement and what differs between them.

*Words* are those of :class:`~cspo_archive.analysis.Document`, folded: lower
case, and British and American spellings folded to one form by the rules of
``profiles/spelling.toml`` ("behaviour" and "behavior", "defence" and
"defense", "-ise" and "-ize"), so a difference of spelling is never a change.

*Similarity* (:func:`similarity`) is the share of the shorter text's shingles
(runs of :data:`SHINGLE` folded words) that the other text holds too: a copy
with its own title and lead, or a paragraph left out, keeps nearly all of the
body's shingles; two statements written from one template share only the
template's. Texts of fewer than :data:`MIN_SHINGLES` shingles are never copies.
The threshold :data:`COPY_THRESHOLD` is set from the labelled pairs in
``tests/data/statements`` (see ``tests/test_copies.py``, which prints every
pair's similarity and fails if the threshold does not separate them).

:func:`near_duplicate_groups` groups many texts at once without comparing every
pair: an inverted index from each shingle to the documents that hold it, where a
shingle that more than :data:`COMMON_SHINGLE` documents hold (a site's template,
a stock phrase) is left out of both the index and the counts; the time grows
with the texts times the documents a shingle is shared by, not with the square
of the texts (``benchmarks/bench_statements.py``).

:func:`compare_copies` reports how two copies differ: paragraphs one has and the
other has not, sentences reworded, and words spelled differently, counted apart.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Final, TypeVar

from attrs import field, frozen

from cspo_archive.analysis._document import Document, _word_re, prepared

__all__ = [
    "COMMON_SHINGLE",
    "COPY_THRESHOLD",
    "MIN_SHINGLES",
    "SHINGLE",
    "CopyDifferences",
    "Reworded",
    "SpellingVariant",
    "compare_copies",
    "fold_word",
    "near_duplicate_groups",
    "shingles",
    "similarity",
]

#: Words per shingle.
SHINGLE: Final = 5
#: Fewer shingles than this and a text is too short to call a copy of anything.
MIN_SHINGLES: Final = 12
#: Two texts are copies of one statement from this similarity up (see the module).
COPY_THRESHOLD: Final = 0.5
#: A shingle held by more documents than this is a template or a stock phrase:
#: it says nothing about which statement a text is, and is left out.
COMMON_SHINGLE: Final = 64
#: Two sentences or paragraphs are one reworded from the other from this share of
#: common words (Dice coefficient of their folded words) up.
REWORDED: Final = 0.5

K = TypeVar("K", bound=Hashable)


@frozen
class SpellingVariant:
    """A word the two texts spell differently ("behaviour" / "behavior"), and how often."""

    old: str
    new: str
    count: int = field()

    @count.validator
    def _positive(self, _attribute: object, value: int) -> None:
        if value < 1:
            msg = f"a spelling variant is counted at least once (got {value})"
            raise ValueError(msg)


@frozen
class Reworded:
    """A sentence of the old text and the sentence of the new one it became."""

    old: str
    new: str


@frozen
class CopyDifferences:
    """How two copies of one statement (or two revisions of one page) differ.

    ``omitted`` are the old text's paragraphs the new one does not have, ``added``
    the new text's paragraphs the old one does not have, ``replaced`` a paragraph
    of the old text and the wholly different one that stands in its place in the
    new (a quote swapped); ``reworded`` the sentences of paragraphs both have that
    changed wording; ``spelling`` the
    words spelled differently in text that is otherwise the same (never counted
    as a change). ``same_paragraphs`` counts the paragraphs both have, word for
    word up to spelling.
    """

    similarity: float
    same_paragraphs: int
    omitted: tuple[str, ...]
    added: tuple[str, ...]
    replaced: tuple[Reworded, ...]
    reworded: tuple[Reworded, ...]
    spelling: tuple[SpellingVariant, ...]

    @property
    def identical(self) -> bool:
        """Whether the texts are the same up to spelling."""
        return not (self.omitted or self.added or self.replaced or self.reworded)


# --- words ------------------------------------------------------------------------


@functools.cache
def _spelling() -> tuple[Mapping[str, str], tuple[tuple[re.Pattern[str], str], ...]]:
    from cspo_archive.exceptions import ArchiveFormatError
    from cspo_archive.profiles import FOLDER, load_table

    table = load_table("spelling")
    words = table.get("words", {})
    rules = table.get("rules", [])
    where = FOLDER / "spelling.toml"
    if not isinstance(words, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in words.items()
    ):
        msg = f"{where}: [words] must map British words to American ones; correct it there"
        raise ArchiveFormatError(msg, path=str(where))
    compiled: list[tuple[re.Pattern[str], str]] = []
    for number, rule in enumerate(rules, 1):
        if not (
            isinstance(rule, list) and len(rule) == 2 and all(isinstance(r, str) for r in rule)
        ):
            msg = (
                f"{where}: rule #{number} must be [pattern, replacement], got {rule!r}; "
                f"correct it there"
            )
            raise ArchiveFormatError(msg, path=str(where))
        try:
            compiled.append((re.compile(rule[0]), rule[1]))
        except re.error as exc:
            msg = f"{where}: rule #{number} is not a valid regular expression ({exc}); correct it"
            raise ArchiveFormatError(msg, path=str(where)) from None
    return {k.lower(): v.lower() for k, v in words.items()}, tuple(compiled)


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """*word* in lower case with British and American spellings folded to one form
    (``profiles/spelling.toml``): "Behaviour" and "behavior" fold alike."""
    lower = word.lower().replace("\u2019", "'")
    words, rules = _spelling()
    if lower in words:
        return words[lower]
    for pattern, replacement in rules:
        if pattern.match(lower):
            return pattern.sub(replacement, lower)
    return lower


def _folded_words(document: Document) -> list[str]:
    return [fold_word(w.text) for w in document.words]


def shingles(text: str | Document) -> frozenset[int]:
    """The shingles of *text*: each run of :data:`SHINGLE` folded words, hashed.

    A ``str`` is read word by word without being split into sentences first (the
    words are the same: no word crosses a sentence's end). Kept for speed: 1,000
    generated 300-word texts shingle in 0.35 s this way, 0.52 s through their
    Documents (``benchmarks/bench_statements.py``'s texts)."""
    if isinstance(text, Document):
        words = _folded_words(text)
    else:
        words = [fold_word(m.group()) for m in _word_re().finditer(text)]
    return frozenset(hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def _containment(a: frozenset[int], b: frozenset[int]) -> float:
    smaller = min(len(a), len(b))
    if smaller < MIN_SHINGLES:
        return 0.0
    return len(a & b) / smaller


def similarity(a: str | Document, b: str | Document) -> float:
    """How much of the shorter text the longer one holds, from 0 to 1 (see the module)."""
    return _containment(shingles(a), shingles(b))


# --- many texts at once -----------------------------------------------------------


def near_duplicate_groups(
    texts: Mapping[K, frozenset[int]],
    *,
    document: Callable[[K], Hashable] | None = None,
    threshold: float = COPY_THRESHOLD,
) -> list[list[K]]:
    """Group the texts (by key, with their :func:`shingles`) that are copies of one
    another, directly or through others; each text is in exactly one group.

    *document* names the document each text is a revision of (default: itself):
    revisions of one document are always one group, and a shingle counts once per
    document when deciding whether it is common. The result does not depend on
    the order of *texts*: groups and their members come sorted.
    """
    import gc

    # Kept for speed: the index holds millions of small objects that the cyclic
    # collector would scan again and again as it grows; with collection paused
    # (nothing here makes a cycle), grouping the 10,000 generated snapshots of
    # benchmarks/bench_statements.py takes 3.4 s instead of 5.5 s.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _groups(texts, owner=document or (lambda key: key), threshold=threshold)
    finally:
        if collecting:
            gc.enable()


def _groups(
    texts: Mapping[K, frozenset[int]], *, owner: Callable[[K], Hashable], threshold: float
) -> list[list[K]]:
    keys = sorted(texts, key=repr)
    # How many documents hold each shingle (a document's revisions count once).
    by_document: dict[Hashable, set[int]] = {}
    for key in keys:
        by_document.setdefault(owner(key), set()).update(texts[key])
    held: Counter[int] = Counter()
    for shingle_set in by_document.values():
        held.update(shingle_set)
    del by_document
    common = {s for s, count in held.items() if count > COMMON_SHINGLE}
    del held
    kept = {key: texts[key] - common if common else texts[key] for key in keys}

    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first_of: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        doc = owner(key)
        if doc in first_of:
            join(first_of[doc], i)
        else:
            first_of[doc] = i

    # Each shingle's texts so far: one index (most shingles are in one text), or a list.
    postings: dict[int, int | list[int]] = {}
    for i, key in enumerate(keys):
        overlap: Counter[int] = Counter()
        mine = kept[key]
        for shingle in mine:
            earlier = postings.get(shingle)
            if earlier is None:
                postings[shingle] = i
            elif isinstance(earlier, int):
                overlap[earlier] += 1
                postings[shingle] = [earlier, i]
            else:
                overlap.update(earlier)
                earlier.append(i)
        for j, shared in overlap.items():
            smaller = min(len(mine), len(kept[keys[j]]))
            if smaller >= MIN_SHINGLES and shared / smaller >= threshold:
                join(i, j)
    groups: dict[int, list[K]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(root(i), []).append(key)
    return sorted(groups.values(), key=lambda group: repr(group[0]))


# --- two copies -------------------------------------------------------------------


def _dice(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    shared = sum((Counter(a) & Counter(b)).values())
    return 2 * shared / (len(a) + len(b))


def _align(
    old: Sequence[tuple[str, ...]], new: Sequence[tuple[str, ...]]
) -> list[tuple[int | None, int | None]]:
    """Pairs (old index, new index) in order: equal units, then in each stretch
    that differs, the most alike pairs from :data:`REWORDED` up; ``None`` stands
    for a unit the other text does not have."""
    import difflib  # only comparing copies needs it

    pairs: list[tuple[int | None, int | None]] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend((i1 + k, j1 + k) for k in range(i2 - i1))
            continue
        # In a stretch that differs, pair each old unit with the most alike new
        # one after the last paired (the order of the text is kept).
        j = j1
        for i in range(i1, i2):
            best, best_score = None, REWORDED
            for candidate in range(j, j2):
                score = _dice(old[i], new[candidate])
                if score >= best_score and (best is None or score > best_score):
                    best, best_score = candidate, score
            if best is None:
                pairs.append((i, None))
                continue
            pairs.extend((None, k) for k in range(j, best))
            pairs.append((i, best))
            j = best + 1
        pairs.extend((None, k) for k in range(j, j2))
    return pairs


def compare_copies(old: str | Document, new: str | Document) -> CopyDifferences:
    """How *new* differs from *old*, two copies of one statement or two revisions
    of one page: paragraphs omitted and added, sentences reworded, and words
    spelled differently (counted apart, never as a change). Deterministic."""
    before, after = prepared(old), prepared(new)
    old_words, new_words = before.words, after.words
    old_folded, new_folded = _folded_words(before), _folded_words(after)

    old_paragraphs = _word_ranges(before)
    new_paragraphs = _word_ranges(after)
    old_keys = [tuple(old_folded[a:b]) for a, b in old_paragraphs]
    new_keys = [tuple(new_folded[a:b]) for a, b in new_paragraphs]

    omitted: list[str] = []
    added: list[str] = []
    replaced: list[Reworded] = []
    reworded: list[Reworded] = []
    spelled: Counter[tuple[str, str]] = Counter()
    same = 0

    def spelling(old_range: tuple[int, int], new_range: tuple[int, int]) -> None:
        """Count the words spelled differently where the folded words agree."""
        import difflib

        a, b = old_range
        c, d = new_range
        matcher = difflib.SequenceMatcher(None, old_folded[a:b], new_folded[c:d], autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                first = old_words[a + block.a + k].text
                second = new_words[c + block.b + k].text
                if first.lower() != second.lower():
                    spelled[(first.lower(), second.lower())] += 1

    def text_of(document: Document, index: int) -> str:
        paragraph = document.paragraphs[index]
        return document.text[paragraph.start : paragraph.end]

    pairs = _align(old_keys, new_keys)
    for n, (i, j) in enumerate(pairs):
        if j is None:
            assert i is not None
            following = pairs[n + 1] if n + 1 < len(pairs) else (0, 0)
            if following[0] is None and following[1] is not None:
                # A paragraph out and another in at its place: one replaced by the other.
                replaced.append(Reworded(text_of(before, i), text_of(after, following[1])))
                pairs[n + 1] = (-1, -1)
            else:
                omitted.append(text_of(before, i))
            continue
        if i is None:
            added.append(text_of(after, j))
            continue
        if i == -1:  # taken as a replacement above
            continue
        spelling(old_paragraphs[i], new_paragraphs[j])
        if old_keys[i] == new_keys[j]:
            same += 1
            continue
        reworded.extend(_reworded_sentences(before, after, i, j))

    variants = tuple(
        SpellingVariant(a, b, n)
        for (a, b), n in sorted(spelled.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return CopyDifferences(
        similarity=round(similarity(before, after), 4),
        same_paragraphs=same,
        omitted=tuple(omitted),
        added=tuple(added),
        replaced=tuple(replaced),
        reworded=tuple(reworded),
        spelling=variants,
    )


def _word_ranges(document: Document) -> list[tuple[int, int]]:
    """Each paragraph's range of words (indexes into ``document.words``)."""
    ranges: list[tuple[int, int]] = []
    words = document.words
    position = 0
    for paragraph in document.paragraphs:
        start = position
        while position < len(words) and words[position].sentence < paragraph.last:
            position += 1
        ranges.append((start, position))
    return ranges


def _reworded_sentences(before: Document, after: Document, i: int, j: int) -> list[Reworded]:
    """The sentences of paragraph *i* of *before* and *j* of *after* that changed:
    a sentence paired with its rewording, or standing alone (the other side empty)."""
    old_paragraph, new_paragraph = before.paragraphs[i], after.paragraphs[j]
    old_sentences = before.sentences[old_paragraph.first : old_paragraph.last]
    new_sentences = after.sentences[new_paragraph.first : new_paragraph.last]
    old_keys = [tuple(fold_word(w.text) for w in before.words_of(s)) for s in old_sentences]
    new_keys = [tuple(fold_word(w.text) for w in after.words_of(s)) for s in new_sentences]
    found: list[Reworded] = []
    for a, b in _align(old_keys, new_keys):
        if a is not None and b is not None and old_keys[a] == new_keys[b]:
            continue
        found.append(
            Reworded(
                old_sentences[a].text if a is not None else "",
                new_sentences[b].text if b is not None else "",
            )
        )
    return found
