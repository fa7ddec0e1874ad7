"""Principles: which of the initiative's principles a text states, with the
sentences that state them, and what changed between two releases.

The taxonomy is data: the ``[principles]`` table of the profile
(``profiles/cspo.principles.toml``), whose header documents the small pattern
language each phrasing is written in. Patterns are compiled to regular
expressions once per taxonomy, on first use.

Each finding points back to its evidence: every :class:`PrincipleHit` holds the
sentences (:class:`~cspo_archive.compare._sentences.Sentence`, with offsets)
that state the principle and the phrase matched in each. A sentence that makes
a commitment ("remain committed", "will not stand by") but states no principle
of the taxonomy is kept as an unclassified :class:`Commitment`, so a principle
the taxonomy does not know yet is never invisible.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from cspo_archive.compare._sentences import Sentence, split_sentences
from cspo_archive.exceptions import ArchiveFormatError

__all__ = [
    "Commitment",
    "Principle",
    "PrincipleChange",
    "PrincipleHit",
    "Principles",
    "PrinciplesChange",
    "compare_principles",
    "compile_phrasing",
    "extract_principles",
    "load_taxonomy",
]

GROUPS = ("guiding-principle", "commitment")
STATUSES = ("added", "dropped", "retained", "reworded")


# --- records ---------------------------------------------------------------------


@frozen
class Principle:
    """One entry of the taxonomy: a guiding principle or a recurring commitment."""

    id: str
    label: str
    group: str
    description: str


@frozen
class PrincipleHit:
    """A principle a text states: every sentence stating it, in text order,
    and the phrase matched in each (``matches[i]`` is found in ``evidence[i]``)."""

    principle: Principle
    evidence: tuple[Sentence, ...]
    matches: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many sentences state the principle."""
        return len(self.evidence)


@frozen
class Commitment:
    """A sentence that makes a commitment (``marker`` is the phrase that shows
    it) but states no principle of the taxonomy."""

    sentence: Sentence
    marker: str


@frozen
class Principles:
    """The principles one text states (taxonomy order) and its unclassified commitments."""

    taxonomy_version: str
    hits: tuple[PrincipleHit, ...]
    unclassified: tuple[Commitment, ...]

    def get(self, principle_id: str) -> PrincipleHit | None:
        """The hit for *principle_id*, or ``None`` when the text does not state it."""
        for hit in self.hits:
            if hit.principle.id == principle_id:
                return hit
        return None


@frozen
class PrincipleChange:
    """How one principle fares between two texts.

    ``status`` is ``"added"`` (only in the new text), ``"dropped"`` (only in
    the old), ``"retained"`` (in both, stated by the same sentences) or
    ``"reworded"`` (in both, stated by different sentences).
    """

    principle: Principle
    status: str
    old_evidence: tuple[Sentence, ...]
    new_evidence: tuple[Sentence, ...]
    old_count: int
    new_count: int


@frozen
class PrinciplesChange:
    """Every principle present in either text, in taxonomy order, with its status."""

    old: Principles
    new: Principles
    changes: tuple[PrincipleChange, ...]
    new_unclassified: tuple[Commitment, ...]

    def _with(self, status: str) -> tuple[PrincipleChange, ...]:
        return tuple(change for change in self.changes if change.status == status)

    @property
    def added(self) -> tuple[PrincipleChange, ...]:
        """Principles the new text states and the old one does not."""
        return self._with("added")

    @property
    def dropped(self) -> tuple[PrincipleChange, ...]:
        """Principles the old text states and the new one does not."""
        return self._with("dropped")

    @property
    def retained(self) -> tuple[PrincipleChange, ...]:
        """Principles both texts state in the same sentences."""
        return self._with("retained")

    @property
    def reworded(self) -> tuple[PrincipleChange, ...]:
        """Principles both texts state, in different sentences."""
        return self._with("reworded")


# --- the pattern language ----------------------------------------------------------

_MAX_GAP = 20
_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019"
#: Between neighbouring terms: any run of spaces and punctuation.
_SEP = r"\W+"
#: A word starts where no word (nor a word and a hyphen: a compound's tail) precedes.
_WORD_START = rf"(?<!\w)(?<!\w[{_HYPHENS}])"
_WORD_END = r"(?!\w)"
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | ~(?P<gap>\d+)
    | <(?P<either>\d+)>
    | (?P<punct>[{}\[\]|])
    | (?P<word>(?:(?:[^\W_]|['\u2019\-])\??|\((?:[^\W_]|['\u2019\-]|\|)*\)\??)+\*?)
    """,
    re.VERBOSE,
)


class _PatternError(Exception):
    """A phrasing does not follow the pattern language (message says why)."""


def _letters(chars: str) -> str:
    out = []
    for char in chars:
        if char in _HYPHENS:
            out.append(rf"(?:[{_HYPHENS}]|\s)?")
        elif char in _APOSTROPHES:
            out.append(f"[{_APOSTROPHES}]")
        elif char == "?":
            out.append("?")
        else:
            out.append(re.escape(char))
    return "".join(out)


#: The letters a regex can begin with (lowercase), or None when it may begin with any.
_Firsts = frozenset[str] | None


def _union(sets: Sequence[_Firsts]) -> _Firsts:
    if any(first is None for first in sets):
        return None
    return frozenset().union(*(first for first in sets if first is not None))


def _word(token: str) -> tuple[str, _Firsts]:
    stem = token.endswith("*")
    body = token.removesuffix("*")
    out = []
    for piece in re.split(r"(\([^()]*\))", body):
        if piece.startswith("("):
            options = piece[1:-1].split("|")
            out.append("(?:" + "|".join(_letters(option) for option in options) + ")")
        else:
            out.append(_letters(piece))
    if not body[:1].isalnum():
        msg = f"the word {token!r} must begin with a letter or a digit"
        raise _PatternError(msg)
    regex = "".join(out) + (r"\w*" if stem else "")
    if re.fullmatch(regex, "", re.IGNORECASE) is not None:
        msg = f"the word {token!r} can match nothing at all; give it at least one letter"
        raise _PatternError(msg)
    firsts = None if body[1:2] == "?" else frozenset(body[0].lower())
    # No word-start check here: a phrasing's first word gets it where the phrasings
    # are combined, and later words follow a separator (which ends any word).
    return regex + _WORD_END, firsts


def _tokens(phrasing: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    while position < len(phrasing):
        match = _TOKEN.match(phrasing, position)
        if match is None:
            msg = (
                f"unexpected {phrasing[position]!r} at character {position + 1}; words are "
                "letters, digits, hyphens and apostrophes, with (a|b) groups, ? and a final *"
            )
            raise _PatternError(msg)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens of one phrasing, straight to regex text."""

    def __init__(self, phrasing: str) -> None:
        self.tokens = _tokens(phrasing)
        self.position = 0

    def parse(self) -> tuple[str, _Firsts]:
        """The regex of the phrasing and the letters a match can begin with."""
        # The top level has no closers: it runs to the end (a stray '}' or ']' raises).
        return self._sequence(top=True, closers=())

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _sequence(self, *, top: bool, closers: tuple[str, ...]) -> tuple[str, _Firsts]:
        parts: list[tuple[str, str, _Firsts]] = []  # (kind, regex or gap size, first letters)
        while (token := self._peek()) is not None and token[1] not in closers:
            kind, value = token
            self.position += 1
            if kind == "word":
                parts.append(("term", *_word(value)))
            elif kind in ("gap", "either"):
                if kind == "either" and not top:
                    msg = f"'<{value}>' may only stand at the top level of a phrasing"
                    raise _PatternError(msg)
                size = int(value)
                if not 1 <= size <= _MAX_GAP:
                    mark = f"~{value}" if kind == "gap" else f"<{value}>"
                    msg = f"{mark!r}: the number of words must be from 1 to {_MAX_GAP}"
                    raise _PatternError(msg)
                parts.append((kind, value, None))
            elif value == "{":
                parts.append(("term", *self._alternatives("}")))
            elif value == "[":
                parts.append(("optional", *self._alternatives("]")))
            elif value in "}]":
                msg = f"unexpected {value!r} with nothing open to close"
                raise _PatternError(msg)
            else:
                msg = f"unexpected {value!r}" + (
                    "; '|' separates alternatives only inside {...} or [...]"
                    if value == "|"
                    else ""
                )
                raise _PatternError(msg)
        if closers and self._peek() is None:
            opener, closer = ("{", "}") if "}" in closers else ("[", "]")
            msg = f"{opener!r} is never closed with {closer!r}"
            raise _PatternError(msg)
        either = [i for i, (kind, _, _) in enumerate(parts) if kind == "either"]
        if len(either) > 1:
            msg = "use '<N>' at most once per phrasing"
            raise _PatternError(msg)
        if either:
            (i,) = either
            (left, left_firsts), (right, right_firsts) = (
                self._join(parts[:i]),
                self._join(parts[i + 1 :]),
            )
            gap = rf"(?:{_SEP}\w+){{0,{parts[i][1]}}}{_SEP}"
            regex = f"(?:{left}{gap}{right}|{right}{gap}{left})"
            return regex, _union([left_firsts, right_firsts])
        return self._join(parts)

    def _alternatives(self, closer: str) -> tuple[str, _Firsts]:
        options: list[tuple[str, _Firsts]] = []
        while True:
            options.append(self._sequence(top=False, closers=("|", closer)))
            # _sequence stops only at "|" or the closer (it raises at the end of input).
            self.position += 1
            if self.tokens[self.position - 1][1] == closer:
                regex = "(?:" + "|".join(regex for regex, _ in options) + ")"
                return regex, _union([firsts for _, firsts in options])

    @staticmethod
    def _join(parts: Sequence[tuple[str, str, _Firsts]]) -> tuple[str, _Firsts]:
        if not parts:
            msg = "empty sequence (an empty alternative, '[]', or nothing beside '<N>')"
            raise _PatternError(msg)
        if parts[0][0] != "term":
            msg = "a sequence must begin with a word or {...}, not an optional part or a gap"
            raise _PatternError(msg)
        if parts[-1][0] == "gap":
            msg = "a gap '~N' must stand between two terms, not at the end"
            raise _PatternError(msg)
        _, regex, firsts = parts[0]
        gap = ""
        for kind, value, _ in parts[1:]:
            if kind == "gap":
                if gap:
                    msg = "two gaps in a row; write one '~N' with the total"
                    raise _PatternError(msg)
                gap = rf"(?:{_SEP}\w+){{0,{value}}}"
            elif kind == "optional":
                regex += f"{gap}(?:{_SEP}{value})?"
                gap = ""
            else:
                regex += f"{gap}{_SEP}{value}"
                gap = ""
        return regex, firsts


def compile_phrasing(phrasing: str) -> str:
    """The regular expression (text) of one *phrasing*; raises ``ValueError`` if invalid.

    Exposed for tests and for authors of taxonomies.
    """
    try:
        return _WORD_START + _Parser(phrasing).parse()[0]
    except _PatternError as exc:
        raise ValueError(str(exc)) from None


# --- taxonomy: validation and compilation -------------------------------------------


@frozen
class _Matcher:
    """Compiled phrasings and exclusions: finds the first match that no exclusion overlaps."""

    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None

    def find(self, text: str) -> str | None:
        excluded = (
            [m.span() for m in self.exclude.finditer(text)] if self.exclude is not None else []
        )
        position = 0
        while (match := self.pattern.search(text, position)) is not None:
            start, end = match.span()
            if not any(start < x_end and x_start < end for x_start, x_end in excluded):
                return match.group(0)
            position = start + 1
        return None


@frozen
class _Taxonomy:
    version: str
    principles: tuple[Principle, ...]
    matchers: tuple[_Matcher, ...]
    markers: _Matcher | None


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DEFAULT_SOURCE = "cspo_archive/profiles/cspo.principles.toml"


def _fail(message: str, source: str) -> ArchiveFormatError:
    return ArchiveFormatError(message, path=source)


def _text_field(entry: Mapping[str, Any], key: str, where: str, source: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        found = "nothing" if value is None else f"{value!r} that is a {type(value).__name__}"
        msg = f"{where}: '{key}' must be a non-empty string (got {found}); add {key} = \"...\""
        raise _fail(msg, source)
    return value.strip()


def _patterns(
    entry: Mapping[str, Any], key: str, where: str, source: str, *, required: bool
) -> re.Pattern[str] | None:
    value = entry.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        kind = type(value).__name__
        msg = f"{where}: '{key}' must be a list of pattern strings (got {value!r} that is a {kind})"
        raise _fail(msg, source)
    if required and not value:
        msg = f"{where}: '{key}' is empty; give at least one pattern"
        raise _fail(msg, source)
    regexes: list[str] = []
    firsts: list[_Firsts] = []
    for number, phrasing in enumerate(value, start=1):
        try:
            regex, first = _Parser(phrasing).parse()
        except _PatternError as exc:
            msg = (
                f"{where}: {key} #{number} {phrasing!r} is not a valid pattern: {exc} "
                "(the pattern language is described at the top of cspo.principles.toml)"
            )
            raise _fail(msg, source) from None
        regexes.append(regex)
        firsts.append(first)
    if not regexes:
        return None
    # Every phrasing begins with a word, and every word with a letter or digit: test
    # the word start and (when known) the first letter once, not once per phrasing.
    letters = _union(firsts)
    start = r"(?=\w)" if letters is None else "(?=[" + re.escape("".join(sorted(letters))) + "])"
    combined = "|".join(f"(?:{r})" for r in regexes)
    try:
        return re.compile(f"{_WORD_START}{start}(?:{combined})", re.IGNORECASE)
    except re.error as exc:  # pragma: no cover - the parser only emits valid regexes
        msg = f"{where}: '{key}' does not compile ({exc})"
        raise _fail(msg, source) from None


def _matcher(entry: Mapping[str, Any], key: str, where: str, source: str) -> _Matcher:
    pattern = _patterns(entry, key, where, source, required=True)
    assert pattern is not None
    return _Matcher(pattern, _patterns(entry, "exclude", where, source, required=False))


def _build(table: Mapping[str, Any], source: str) -> _Taxonomy:
    version = table.get("version")
    if not isinstance(version, str) or not version.strip():
        msg = (
            f"[principles]: 'version' must be a non-empty string (got {version!r}); "
            'add version = "1"'
        )
        raise _fail(msg, source)
    entries = table.get("principle")
    if not isinstance(entries, list) or not entries:
        msg = "[principles]: no [[principles.principle]] entries; add at least one"
        raise _fail(msg, source)
    principles: list[Principle] = []
    matchers: list[_Matcher] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"[[principles.principle]] #{number}"
        if not isinstance(entry, Mapping):
            msg = f"{where} must be a table (got {entry!r} that is a {type(entry).__name__})"
            raise _fail(msg, source)
        principle_id = _text_field(entry, "id", where, source)
        if _SLUG.fullmatch(principle_id) is None:
            msg = (
                f"{where}: id {principle_id!r} is not a slug; use lowercase letters, digits "
                "and single hyphens, like 'international-law'"
            )
            raise _fail(msg, source)
        where = f"{where} ({principle_id!r})"
        if principle_id in seen:
            msg = f"{where}: duplicate id, already used by entry #{seen[principle_id]}; rename one"
            raise _fail(msg, source)
        seen[principle_id] = number
        label = _text_field(entry, "label", where, source)
        group = _text_field(entry, "group", where, source)
        if group not in GROUPS:
            choices = " or ".join(repr(g) for g in GROUPS)
            msg = f"{where}: group {group!r} is not {choices}"
            raise _fail(msg, source)
        description = _text_field(entry, "description", where, source)
        principles.append(Principle(principle_id, label, group, description))
        matchers.append(_matcher(entry, "phrasings", where, source))
    markers_table = table.get("commitment_markers")
    markers = None
    if markers_table is not None:
        where = "[principles.commitment_markers]"
        if not isinstance(markers_table, Mapping):
            msg = f"{where} must be a table with 'phrasings' (got {markers_table!r})"
            raise _fail(msg, source)
        markers = _matcher(markers_table, "phrasings", where, source)
    return _Taxonomy(version.strip(), tuple(principles), tuple(matchers), markers)


@functools.lru_cache(maxsize=32)
def _compiled(version: str, fingerprint: str, source: str) -> _Taxonomy:
    """Compile a taxonomy once per (version, content); *version* keys the cache readably."""
    del version  # part of the key only; the content decides
    return _build(json.loads(fingerprint), source)


def _taxonomy(profile: Mapping[str, Any] | None) -> _Taxonomy:
    if profile is None:
        from cspo_archive.profiles import load_profile

        profile, source = load_profile(), _DEFAULT_SOURCE
    else:
        source = "<profile given to cspo_archive.compare.principles>"
    table = profile.get("principles")
    if not isinstance(table, Mapping):
        msg = "the profile has no [principles] table; add one (see profiles/cspo.principles.toml)"
        raise _fail(msg, source)
    try:
        fingerprint = json.dumps(table, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        msg = f"[principles] holds a value that is not text, a number, a list or a table ({exc})"
        raise _fail(msg, source) from None
    return _compiled(str(table.get("version")), fingerprint, source)


# --- the API -----------------------------------------------------------------------


def load_taxonomy(profile: Mapping[str, Any] | None = None) -> tuple[Principle, ...]:
    """The principles of *profile*'s taxonomy (the bundled CSpO profile by default).

    Raises :class:`~cspo_archive.exceptions.ArchiveFormatError` naming the
    entry and the fix when the taxonomy is invalid.
    """
    return _taxonomy(profile).principles


def extract_principles(text: str, profile: Mapping[str, Any] | None = None) -> Principles:
    """The principles *text* states, each with every sentence stating it.

    A sentence may state several principles. A sentence with a commitment
    marker and no principle becomes an unclassified :class:`Commitment`.
    Never raises on any text (only on an invalid taxonomy).
    """
    taxonomy = _taxonomy(profile)
    found: list[list[tuple[Sentence, str]]] = [[] for _ in taxonomy.principles]
    unclassified: list[Commitment] = []
    for sentence in split_sentences(text):
        stated = False
        for evidence, matcher in zip(found, taxonomy.matchers, strict=True):
            phrase = matcher.find(sentence.text)
            if phrase is not None:
                evidence.append((sentence, phrase))
                stated = True
        if not stated and taxonomy.markers is not None:
            marker = taxonomy.markers.find(sentence.text)
            if marker is not None:
                unclassified.append(Commitment(sentence, marker))
    hits = tuple(
        PrincipleHit(
            principle,
            tuple(sentence for sentence, _ in evidence),
            tuple(phrase for _, phrase in evidence),
        )
        for principle, evidence in zip(taxonomy.principles, found, strict=True)
        if evidence
    )
    return Principles(taxonomy.version, hits, tuple(unclassified))


def _normal(sentence: Sentence) -> str:
    return " ".join(sentence.text.split())


def _order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Merge two subsequences of one taxonomy order, keeping the order of each."""
    common = set(old) & set(new)
    merged: list[str] = []
    i = 0
    for principle_id in new:
        if principle_id in common:
            while i < len(old) and old[i] != principle_id:
                if old[i] not in common:
                    merged.append(old[i])
                i += 1
            i += 1
        merged.append(principle_id)
    merged.extend(p for p in old[i:] if p not in common)
    return merged


def compare_principles(
    old: Principles, new: Principles, profile: Mapping[str, Any] | None = None
) -> PrinciplesChange:
    """What changed in the principles stated from *old* to *new*.

    Both should come from the same taxonomy version (``old.taxonomy_version``
    and ``new.taxonomy_version`` are kept in the result). Changes follow the
    order of *profile*'s taxonomy (the bundled one by default); principles it
    does not know follow, in the order of the two texts' taxonomy. Evidence
    sentences are compared by their text with runs of white space made single.
    """
    old_hits = {hit.principle.id: hit for hit in old.hits}
    new_hits = {hit.principle.id: hit for hit in new.hits}
    rank = {principle.id: i for i, principle in enumerate(load_taxonomy(profile))}
    merged = {p: i for i, p in enumerate(_order(list(old_hits), list(new_hits)))}
    changes = []
    for principle_id in sorted(merged, key=lambda p: (rank.get(p, len(rank)), merged[p])):
        before, after = old_hits.get(principle_id), new_hits.get(principle_id)
        old_evidence = before.evidence if before is not None else ()
        new_evidence = after.evidence if after is not None else ()
        if after is not None:
            principle = after.principle
            if before is None:
                status = "added"
            elif [_normal(s) for s in old_evidence] == [_normal(s) for s in new_evidence]:
                status = "retained"
            else:
                status = "reworded"
        else:
            principle, status = old_hits[principle_id].principle, "dropped"
        changes.append(
            PrincipleChange(
                principle,
                status,
                old_evidence,
                new_evidence,
                len(old_evidence),
                len(new_evidence),
            )
        )
    known = {_normal(c.sentence) for c in old.unclassified}
    known.update(_normal(s) for hit in old.hits for s in hit.evidence)
    fresh = tuple(c for c in new.unclassified if _normal(c.sentence) not in known)
    return PrinciplesChange(old, new, tuple(changes), fresh)
