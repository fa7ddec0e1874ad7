"""Word diff timing: ours against ``difflib`` on word tokens and ``git diff --word-diff``.

Generated prose (deterministic seed): paragraphs of about 80 words, 1% of the
words edited (replaced, removed or inserted) and a few sentences moved.
"""

from __future__ import annotations

import bisect
import difflib
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _textdiff_oracles import flat_word_diff, paragraph_word_diff, reference_dmp
from benchmarks._table import table
from cspo_archive import Archive
from cspo_archive.analysis import textdiff
from cspo_archive.analysis.textdiff import WordDiff, tokenize, word_diff

SEED = 20251217
SIZES = (1_000, 10_000, 100_000, 200_000)
#: The worst case: the same pairs with no paragraph break at all (one line).
ONE_LINE_SIZES = (100_000, 200_000)
#: Repeats per size (median reported); fewer for the large sizes.
REPEATS = {1_000: 7, 10_000: 5, 100_000: 5, 200_000: 5}
#: difflib.SequenceMatcher slows down fast with size (3 s at 20k words, 35 s at
#: 10k without its auto-junk heuristic): it runs up to this size only.
DIFFLIB_MAX_WORDS = 10_000
EDIT_RATE = 0.01
MOVED_SENTENCES = 3
PARAGRAPH_WORDS = 80

_SYLLABLES = "ka lo mi ne ru sa ti vo an el or us pre con sta tion ment ive".split()


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """*size* made-up words of one to four syllables."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def _zipf_weights(n: int) -> list[float]:
    """Zipf weights: the k-th word is k times rarer than the first, as in prose."""
    return [1.0 / (rank + 1) for rank in range(n)]


def make_pair(words: int, seed: int = SEED) -> tuple[str, str]:
    """An old text of about *words* words and a new one with 1% of them edited.

    Edits stay inside their paragraph (replace, remove or insert one word);
    a few sentences move to another paragraph. Paragraph breaks do not move.
    """
    rng = random.Random(f"{seed}-{words}")  # noqa: S311 - test data, not secrets
    vocabulary = _vocabulary(rng)
    stream = rng.choices(vocabulary, _zipf_weights(len(vocabulary)), k=words)
    # Paragraphs of sentences of 6-24 words, about 80 words a paragraph.
    paragraphs: list[list[list[str]]] = [[]]
    at = 0
    while at < len(stream):
        n = rng.randint(6, 24)
        if sum(map(len, paragraphs[-1])) >= PARAGRAPH_WORDS:
            paragraphs.append([])
        paragraphs[-1].append(stream[at : at + n])
        at += n
    marks = [[rng.choice(".....,;") for _ in p] for p in paragraphs]
    edited = [[list(s) for s in p] for p in paragraphs]
    for _ in range(max(1, round(words * EDIT_RATE))):
        sentence = rng.choice(rng.choice(edited))
        where = rng.randrange(len(sentence))
        action = rng.choice(("replace", "remove", "insert"))
        if action == "insert" or len(sentence) == 1:
            sentence.insert(where, rng.choice(vocabulary))
        elif action == "replace":
            sentence[where] = rng.choice(vocabulary)
        else:
            del sentence[where]
    edited_marks = [list(m) for m in marks]
    for _ in range(MOVED_SENTENCES):
        source = rng.randrange(len(edited))
        if len(edited[source]) < 2:
            continue
        index = rng.randrange(len(edited[source]))
        sentence, mark = edited[source].pop(index), edited_marks[source].pop(index)
        target = rng.randrange(len(edited))
        where = rng.randrange(len(edited[target]) + 1)
        edited[target].insert(where, sentence)
        edited_marks[target].insert(where, mark)
    return _render(paragraphs, marks), _render(edited, edited_marks)


def _render(paragraphs: list[list[list[str]]], marks: list[list[str]]) -> str:
    """Sentences as prose: capitalised, ended by their mark, a blank line between paragraphs."""
    out: list[str] = []
    for sentences, ends in zip(paragraphs, marks, strict=True):
        texts = [" ".join(s) for s in sentences]
        out.append(" ".join(t[0].upper() + t[1:] + end for t, end in zip(texts, ends, strict=True)))
    return "\n\n".join(out) + "\n"


def _median_seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of *repeats* runs of *action*."""
    times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _words(text: str) -> int:
    """Word tokens in *text*, counted as our diff counts them."""
    return word_diff("", text).words_new


def before(old: str, new: str) -> int:
    """Changed words by the previous paragraph step (every token coded, paragraphs of codes)."""
    diff = paragraph_word_diff(old, new)
    return diff.words_removed + diff.words_added


_GIT_WORD = re.compile(r"\S+")


def git_style_changed(diff: WordDiff) -> int:
    """Changed words of our diff counted over git's words (runs of non-space: "space,"
    is one word), as an alignment of those words.

    An old git word is kept when it lies inside one unchanged op and the same
    characters of the new text are exactly one whole git word there (not part
    of a longer one, not split by an insertion); kept words pair one to one,
    so changed = old words + new words - 2 x kept, the count git's own
    porcelain output gives for its alignment.
    """
    old, new = diff.old_text(), diff.new_text()
    starts: list[int] = []  # old offset where each unchanged op starts
    ends: list[int] = []
    shifts: list[int] = []  # new offset minus old offset inside it
    at_old = at_new = 0
    for op, text in diff.ops:
        if op == 0:
            starts.append(at_old)
            ends.append(at_old + len(text))
            shifts.append(at_new - at_old)
        if op <= 0:
            at_old += len(text)
        if op >= 0:
            at_new += len(text)
    new_words = {m.span() for m in _GIT_WORD.finditer(new)}
    kept = old_words = 0
    for m in _GIT_WORD.finditer(old):
        old_words += 1
        start, end = m.span()
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= ends[i] and (start + shifts[i], end + shifts[i]) in new_words:
            kept += 1
    return old_words + len(new_words) - 2 * kept


def minimal_changed_git_words(old: str, new: str) -> int:
    """The fewest changed git words any diff of *old* and *new* can have.

    Old words + new words - 2 x the longest common subsequence of the two
    texts' git words, computed exactly with the bit-parallel LCS of Hyyrö
    (2004) over Python integers: one bit per old word, a few big-integer
    operations per new word (seconds at 200,000 words, so run once per size).
    """
    a, b = old.split(), new.split()
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    a, b = a[head : len(a) - tail], b[head : len(b) - tail]
    if not a or not b:
        return len(a) + len(b)
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(a):
        positions.setdefault(word, []).append(i)
    masks: dict[str, int] = {}
    for word in set(b) & positions.keys():
        bits = bytearray((len(a) + 7) // 8)
        for i in positions[word]:
            bits[i >> 3] |= 1 << (i & 7)
        masks[word] = int.from_bytes(bits, "little")
    full = (1 << len(a)) - 1
    v = full  # a zero bit per matched old word
    for word in b:
        u = v & masks.get(word, 0)
        v = ((v + u) | (v - u)) & full
    common = len(a) - v.bit_count()
    return len(a) + len(b) - 2 * common


def git_changed_whitespace_words(porcelain: str) -> int:
    """Changed words in git's porcelain output, with git's own definition (runs of non-space)."""
    return sum(
        len(line[1:].split())
        for line in porcelain.splitlines()
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    )


def one_line(text: str) -> str:
    """*text* with its paragraph breaks replaced by spaces: one 1.3 MB line."""
    return text.replace("\n\n", " ")


def ours(old: str, new: str) -> int:
    """Changed words (removed + added) by :func:`word_diff`."""
    diff = word_diff(old, new)
    return diff.words_removed + diff.words_added


def flat(old: str, new: str) -> int:
    """Changed words by one flat word-level search (the paragraph step skipped)."""
    diff = flat_word_diff(old, new)
    return diff.words_removed + diff.words_added


def sequence_matcher(old: str, new: str) -> int:
    """Changed words by ``difflib.SequenceMatcher`` over the same tokens.

    With its default auto-junk heuristic (tokens making up over 1% of a long
    text, like the space, are never matched first): without it, it is quadratic.
    """
    a, b = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(None, a, b)
    changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed += _words("".join(a[i1:i2])) + _words("".join(b[j1:j2]))
    return changed


def git_word_diff(git: str, folder: Path) -> str:
    """``git diff --no-index --word-diff=porcelain`` of old.txt and new.txt in *folder*."""
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [git, "diff", "--no-index", "--word-diff=porcelain", "old.txt", "new.txt"],
        cwd=folder,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode not in (0, 1):  # 1: the files differ
        raise RuntimeError(result.stderr)
    return result.stdout


def git_changed_words(porcelain: str) -> int:
    """Changed words in git's porcelain word diff (its "-" and "+" lines), counted as ours."""
    removed: list[str] = []
    added: list[str] = []
    for line in porcelain.splitlines():
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])
    return _words(" ".join(removed)) + _words(" ".join(added))


def _fmt(seconds: float | None) -> str:
    return "skipped" if seconds is None else f"{seconds * 1000:,.0f} ms"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None else f"{a / b:.2f}"


def _git_time(git: str | None, old: str, new: str, repeats: int) -> tuple[float | None, str, str]:
    """git's median time on the pair; its changed words (git's own definition, our tokens)."""
    if git is None:
        return None, "-", "-"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "old.txt").write_text(old, encoding="utf-8")
        (folder / "new.txt").write_text(new, encoding="utf-8")
        seconds = _median_seconds(lambda: git_word_diff(git, folder), repeats)
        porcelain = git_word_diff(git, folder)
        return (
            seconds,
            str(git_changed_whitespace_words(porcelain)),
            str(git_changed_words(porcelain)),
        )


def run() -> list[dict[str, str]]:
    """Time every size (then the one-line worst case); one row of strings per case."""
    git = shutil.which("git")
    rows: list[dict[str, str]] = []
    cases = [(size, False) for size in SIZES] + [(size, True) for size in ONE_LINE_SIZES]
    minimal: dict[int, int] = {}  # one line has the same git words: computed once a size
    for size, flat_text in cases:
        old, new = make_pair(size)
        if flat_text:
            old, new = one_line(old), one_line(new)
        repeats = REPEATS[size]
        ours_s = _median_seconds(lambda: ours(old, new), repeats)  # noqa: B023 - called at once
        diff = word_diff(old, new)
        before_s = _median_seconds(
            lambda: before(old, new),  # noqa: B023 - called at once
            1 if size >= 100_000 else repeats,
        )
        flat_s: float | None = None
        if not flat_text:
            flat_s = _median_seconds(
                lambda: flat(old, new),  # noqa: B023 - called at once
                1 if size >= 100_000 else repeats,
            )
        difflib_s: float | None = None
        difflib_changed = "-"
        if size <= DIFFLIB_MAX_WORDS:
            difflib_s = _median_seconds(
                lambda: sequence_matcher(old, new),  # noqa: B023 - called at once
                repeats,
            )
            difflib_changed = str(sequence_matcher(old, new))
        git_s, git_changed, git_tokens = _git_time(git, old, new, repeats)
        ours_git_words = git_style_changed(diff)
        gap = "-" if git_changed == "-" else f"{ours_git_words / int(git_changed) - 1:+.1%}"
        if size not in minimal:
            minimal[size] = minimal_changed_git_words(old, new)
        rows.append(
            {
                "words": f"{size:,}",
                "layout": "one line" if flat_text else "paragraphs",
                "MB": f"{len(old.encode()) / 1e6:.2f}",
                "ours": _fmt(ours_s),
                "before": _fmt(before_s),
                "ours, flat": "-" if flat_s is None else _fmt(flat_s),
                "difflib": _fmt(difflib_s),
                "git": _fmt(git_s),
                "ours/git": _ratio(ours_s, git_s),
                "before/git": _ratio(before_s, git_s),
                "changed (ours, tokens)": str(diff.words_removed + diff.words_added),
                "changed (difflib, tokens)": difflib_changed,
                "changed (git, tokens)": git_tokens,
                "changed (ours, git words)": str(ours_git_words),
                "changed (git, git words)": git_changed,
                "ours vs git": gap,
                "fewest possible (git words)": str(minimal[size]),
                "exact": str(diff.exact),
                "repeats": str(repeats),
            }
        )
    return rows


#: The bundled pairs: (label, old id, new id); the first is what ``cspo-archive compare``
#: diffs.
BUNDLED_PAIRS = (
    (
        "news 2022 -> news 2025",
        "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations",
        "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe",
    ),
    (
        "news 2022 -> statement 2025",
        "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations",
        "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-principals-board-december-2025",
    ),
)
BUNDLED_REPEATS = 9


def reference(old: str, new: str) -> WordDiff:
    """:func:`word_diff` with diff-match-patch's own Myers search and semantic clean-up
    (no bit-parallel middle snakes, no one-pass clean-up): the code before them."""
    original = textdiff._new_dmp
    textdiff._new_dmp = reference_dmp
    try:
        return word_diff(old, new)
    finally:
        textdiff._new_dmp = original


def run_bundled() -> list[dict[str, str]]:
    """Time the word diff of the bundled pairs (short, mostly different texts)."""
    git = shutil.which("git")
    archive = Archive.bundled()
    rows: list[dict[str, str]] = []
    for label, old_id, new_id in BUNDLED_PAIRS:
        old, new = archive.get(old_id).text, archive.get(new_id).text
        ours_s = _median_seconds(lambda: word_diff(old, new), BUNDLED_REPEATS)  # noqa: B023
        reference_s = _median_seconds(lambda: reference(old, new), BUNDLED_REPEATS)  # noqa: B023
        git_s, git_changed, _ = _git_time(git, old, new, BUNDLED_REPEATS)
        diff = word_diff(old, new)
        rows.append(
            {
                "pair": label,
                "words (old, new)": f"{diff.words_old}, {diff.words_new}",
                "unchanged": f"{diff.similarity:.1%}",
                "ours": _fmt_ms(ours_s),
                "dmp search + clean-up": _fmt_ms(reference_s),
                "git": _fmt_ms(git_s),
                "dmp/ours": _ratio(reference_s, ours_s),
                "ours/git": _ratio(ours_s, git_s),
                "same result": str(reference(old, new) == diff),
                "changed (ours, git words)": str(git_style_changed(diff)),
                "changed (git, git words)": git_changed,
            }
        )
    return rows


def _fmt_ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.1f} ms"


def main() -> None:
    """Print the word diff benchmark tables."""
    print(
        "word_diff on the bundled pairs (a few hundred words each, mostly different); "
        f"median of {BUNDLED_REPEATS}; 'dmp search + clean-up' is the same diff with "
        "diff-match-patch's own Myers search and semantic clean-up"
    )
    print(table(run_bundled()))
    print()
    print(
        f"word_diff: generated prose, {EDIT_RATE:.0%} of words edited, "
        f"{MOVED_SENTENCES} sentences moved, paragraphs of ~{PARAGRAPH_WORDS} words "
        f"(seed {SEED}); median wall time; difflib (auto-junk on) up to "
        f"{DIFFLIB_MAX_WORDS:,} words only; 'ours, flat' skips the paragraph step "
        "(one run from 100k words); 'before' is the previous paragraph step (one run from "
        "100k words); 'one line' rows: the same pairs with every paragraph break replaced "
        "by a space"
    )
    print(table(run()))
