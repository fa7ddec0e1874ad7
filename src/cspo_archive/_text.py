"""Digests, ids and canonical text: the small rules every other module relies on."""

from __future__ import annotations

import datetime
import hashlib
import unicodedata

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import InvalidIdError

#: The only digest algorithm; written ``sha256:<64 lowercase hex>`` (pooch style).
DIGEST_PREFIX = "sha256:"
DIGEST_RE = LazyPattern(r"sha256:[0-9a-f]{64}")

#: Longest id accepted. Leaves room under every file system's 255-byte name limit
#: and keeps ids readable in tables and lock files.
MAX_ID_LENGTH = 128
_ID_RE = LazyPattern(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Names Windows will not create, whatever the extension: the archive is meant to
# be cloned anywhere.
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_ALLOWED_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def sha256_digest(data: bytes) -> str:
    """Return ``sha256:<hex>`` of *data*."""
    return DIGEST_PREFIX + hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str:
    """Return the digest of *text*'s UTF-8 bytes (the snapshot digest).

    Lone surrogates (which no valid text holds, and which validation refuses)
    are passed through rather than raising here, so that the caller's validator
    can report them properly.
    """
    return sha256_digest(text.encode("utf-8", "surrogatepass"))


def is_digest(value: object) -> bool:
    """Whether *value* is a well-formed ``sha256:<64 lowercase hex>`` string."""
    return isinstance(value, str) and DIGEST_RE.fullmatch(value) is not None


def check_id(value: object) -> str:
    """Return *value* if it is a valid snapshot id, else raise :class:`InvalidIdError`.

    A valid id is 1 to 128 characters of lowercase ASCII letters and digits in
    groups joined by single hyphens (``2025-12-17-uk-meets-...``). That rules
    out, before any file is touched, every path trick: separators, ``..``,
    drive letters, percent-encoding, NUL and control characters, white space,
    Unicode look-alikes and names Windows reserves.
    """
    hint = "make one from a title with cspo_archive.make_id(title, published)"
    if not isinstance(value, str):
        msg = f"snapshot id must be a str (got {value!r} that is a {type(value).__name__}); {hint}"
        raise InvalidIdError(msg, value=value)
    if not value:
        raise InvalidIdError(f"snapshot id must not be empty; {hint}", value=value)
    if len(value) > MAX_ID_LENGTH:
        msg = (
            f"snapshot id is {len(value)} characters long, more than the "
            f"{MAX_ID_LENGTH} allowed (got {value[:40]!r}...); shorten it"
        )
        raise InvalidIdError(msg, value=value)
    if _ID_RE.fullmatch(value) is None:
        bad = next(((i, c) for i, c in enumerate(value) if c not in _ALLOWED_ID_CHARS), None)
        if bad is not None:
            where = f"character {bad[1]!r} (U+{ord(bad[1]):04X}) at position {bad[0]}"
        else:
            where = "a hyphen at the start or end, or two hyphens in a row"
        msg = (
            f"snapshot id {value!r} is not valid: ids are lowercase ASCII letters and "
            f"digits in groups joined by single hyphens, but it has {where}; {hint}"
        )
        raise InvalidIdError(msg, value=value)
    if value in _WINDOWS_RESERVED:
        msg = f"snapshot id {value!r} is a device name some systems reserve; choose another"
        raise InvalidIdError(msg, value=value)
    return value


def is_url(location: str) -> bool:
    """Whether *location* is a URL (``scheme://...``, the scheme two or more letters and
    digits, so a Windows drive is not one) rather than a folder."""
    scheme, sep, _ = location.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.isascii() and scheme.isalnum()


def is_id(value: object) -> bool:
    """Whether *value* is a valid snapshot id (see :func:`check_id`)."""
    try:
        check_id(value)
    except InvalidIdError:
        return False
    return True


_APOSTROPHES = LazyPattern(r"['\u2019\u02bc]")
_NON_SLUG = LazyPattern(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = MAX_ID_LENGTH) -> str:
    """Turn *title* into an id-safe slug, cut at a word boundary.

    Accents are folded (``é`` → ``e``), apostrophes dropped (``Principals’`` →
    ``principals``), every other run of non-alphanumerics becomes one hyphen.
    """
    folded = unicodedata.normalize("NFKD", title)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _APOSTROPHES.sub("", folded.lower())
    # Every character that is not an ASCII letter or digit (dashes, punctuation,
    # letters of other scripts) separates words.
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-")


def make_id(title: str, published: datetime.date) -> str:
    """Return the archive's id for a publication: ``<YYYY-MM-DD>-<slug of title>``.

    >>> make_id("UK meets with international coalition", datetime.date(2025, 12, 17))
    '2025-12-17-uk-meets-with-international-coalition'
    """
    prefix = published.isoformat()
    slug = slugify(title, MAX_ID_LENGTH - len(prefix) - 1)
    return check_id(f"{prefix}-{slug}" if slug else prefix)


# --- canonical text -------------------------------------------------------------

_LINE_BREAKS = LazyPattern(r"\r\n|\r")
_BLANK_RUNS = LazyPattern(r"\n{3,}")
# C0 and C1 controls other than tab and line feed have no place in a publication's
# text; DEL likewise.
_FORBIDDEN_CONTROLS = LazyPattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = LazyPattern(r"[\ud800-\udfff]")


def canonicalize(text: str) -> str:
    """Return *text* in the archive's canonical form.

    NFC; LF line endings; no white space at line ends; no blank lines at the
    start or end; paragraphs separated by exactly one blank line; one final
    LF. Control characters are not removed here: :func:`canonical_problem`
    reports them, and ingest refuses them with a clear error.
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    return text + "\n" if text else ""


def canonical_problem(text: str) -> str | None:
    """Say why *text* is not canonical, or return ``None`` if it is."""
    if not text.strip():
        return "it is empty or only white space"
    match = _FORBIDDEN_CONTROLS.search(text)
    if match is not None:
        char = match.group()
        return f"it contains control character U+{ord(char):04X} at offset {match.start()}"
    match = _SURROGATES.search(text)
    if match is not None:
        char = match.group()
        return f"it contains a lone surrogate U+{ord(char):04X} at offset {match.start()}"
    canonical = canonicalize(text)
    if canonical == text:
        return None
    at = next(
        (i for i, (a, b) in enumerate(zip(text, canonical, strict=False)) if a != b),
        min(len(text), len(canonical)),
    )
    return (
        f"it is not in canonical form (NFC, LF line endings, no trailing white space, "
        f"one blank line between paragraphs, one final newline); first difference at "
        f"offset {at}"
    )


_ID_DATE = LazyPattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: At most this many ids are scored for "did you mean" suggestions.
SUGGESTION_POOL = 600


def close_ids(query: str, ids: list[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to *n* ids like *query* (whole, or as far as *query* goes: a mistyped
    prefix), best first, for "did you mean" hints.

    Scored with ``difflib`` over every id, when there are at most
    :data:`SUGGESTION_POOL`. Beyond that, scoring every id would take seconds on a
    large archive (about 10 s for 100,000), so only a bounded pool is scored: the
    ids that sort next to *query* (a typo late in the id), those with the same
    date (a typo in the slug), and those with the same slug (a typo in the date).
    """
    import bisect  # error path only
    import itertools

    if len(ids) <= SUGGESTION_POOL:
        return _close(query, ids, n=n, cutoff=cutoff)
    ordered = sorted(ids)
    share = SUGGESTION_POOL // 3
    at = bisect.bisect_left(ordered, query)
    pool = set(ordered[max(0, at - share // 2) : at + share // 2])
    date, slug = query[:10], query[11:]
    if _ID_DATE.fullmatch(date):
        start = bisect.bisect_left(ordered, date)
        pool.update(i for i in ordered[start : start + share] if i.startswith(date))
    if slug:
        pool.update(itertools.islice((i for i in ordered if i[11:] == slug), share))
    return _close(query, sorted(pool), n=n, cutoff=cutoff)


#: A query this long may be a mistyped prefix (shorter ones match too much).
_PREFIX_AT_LEAST = 12


def _close(query: str, ids: list[str], *, n: int, cutoff: float) -> list[str]:
    """The ids most like *query*, as a whole or, for a mistyped prefix ("2025-12-17-uk-
    meats"), as far as *query* goes: each id scores the better of the two."""
    import difflib

    scored: list[tuple[float, str]] = []
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(query)
    prefix = len(query) >= _PREFIX_AT_LEAST
    for candidate in ids:
        best = 0.0
        for text in (candidate, candidate[: len(query)]) if prefix else (candidate,):
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                best = max(best, matcher.ratio())
        if best >= cutoff:
            scored.append((best, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [candidate for _, candidate in scored[:n]]


def counted(count: int, noun: str) -> str:
    """ "1 paragraph added", "2 paragraphs added": *count* and *noun*, its first word
    taking an s when the count is not one."""
    if count == 1:
        return f"{count} {noun}"
    head, space, rest = noun.partition(" ")
    return f"{count} {head}s{space}{rest}"
