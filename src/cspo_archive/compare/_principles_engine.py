"""The engine behind :mod:`cspo_archive.compare.principles`: the pattern language,
taxonomy validation, and matching (imported on first use, not with the module).

The pattern language is defined by the regular expression each phrasing stands
for: :class:`Parser` writes it (``compile_phrasing`` returns it). Matching does
not compile those regular expressions (Python's compiler is pure Python, about a
millisecond per phrasing): :mod:`._principles_match` runs each phrasing as a small
program over the sentence's words that finds exactly what its regular expression
finds. A matcher finds, in a sentence, the leftmost match of any of its phrasings
(the first phrasing that fits at that position) that no exclusion overlaps:
exactly what one regular expression ``(?:p1)|(?:p2)|...`` finds.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from cspo_archive.compare import _principles_match as _match
from cspo_archive.compare._principles_match import (
    Index,
    PatternError,
    Phrasing,
    Text,
    first_match,
    fold,
)
from cspo_archive.compare.principles import GROUPS, Principle
from cspo_archive.exceptions import ArchiveFormatError

__all__ = ["Matcher", "Parser", "PatternError", "Phrasing", "Taxonomy", "build", "fold"]

# --- the pattern language: the regular expression of a phrasing ---------------------

_MAX_GAP = _match.MAX_GAP
_HYPHENS = _match.HYPHENS
_APOSTROPHES = _match.APOSTROPHES

#: Between neighbouring terms: any run of spaces and punctuation.
_SEP = r"\W+"
#: A word starts where no word (nor a word and a hyphen: a compound's tail) precedes.
WORD_START = rf"(?<!\w)(?<!\w[{_HYPHENS}])"
_WORD_END = r"(?!\w)"


@functools.cache
def token_re() -> re.Pattern[str]:
    """One token of a phrasing (compiled on first use)."""
    return re.compile(
        r"""
        (?P<space>\s+)
        | ~(?P<gap>\d+)
        | <(?P<either>\d+)>
        | (?P<punct>[{}\[\]|])
        | (?P<word>(?:(?:[^\W_]|['\u2019\-])\??|\((?:[^\W_]|['\u2019\-]|\|)*\)\??)+\*?)
        """,
        re.VERBOSE,
    )


@functools.cache
def _groups_in_word() -> re.Pattern[str]:
    return re.compile(r"(\([^()]*\))")


#: The letters a regex can begin with (lowercase), or None when it may begin with any.
_Firsts = frozenset[str] | None
#: What any match must contain: every clause holds, a clause when one of its
#: (case-folded) literals occurs. ``()`` requires nothing.
Needs = tuple[frozenset[str], ...]


def _letters(chars: str) -> str:
    if chars.isalnum():  # the common case: letters and digits stand for themselves
        return chars
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


def _union(sets: Sequence[_Firsts]) -> _Firsts:
    if any(first is None for first in sets):
        return None
    return frozenset().union(*(first for first in sets if first is not None))


def _elements(pieces: Sequence[str]) -> list[tuple[str, bool]]:
    """A word body (split at its groups) as elements: each letter, digit, hyphen,
    apostrophe or group, and whether it may match nothing (hyphens always may;
    a group may when one of its options holds only hyphens; anything may when a
    ``?`` follows it)."""
    elements: list[tuple[str, bool]] = []
    for piece in pieces:
        if piece.startswith("("):
            options = piece[1:-1].split("|")
            optional = any(all(char in _HYPHENS for char in option) for option in options)
            elements.append(("", optional))
            continue
        for char in piece:
            if char == "?":
                if elements:
                    elements[-1] = (elements[-1][0], True)
            else:
                elements.append((char, char in _HYPHENS))
    return elements


def _literal(elements: Sequence[tuple[str, bool]]) -> str | None:
    """The longest run of letters and digits every match of a word contains, folded."""
    best = run = ""
    for char, optional in elements:
        if optional or not char or char in _APOSTROPHES:
            run = ""
            continue
        run += char
        if len(run) > len(best):
            best = run
    return fold(best) if best else None


def word_regex(token: str) -> tuple[str, list[str]]:
    """The regex of one word of a phrasing, without its end check, and its body
    split at its groups (no validation)."""
    body = token.removesuffix("*")
    out = []
    pieces = [piece for piece in _groups_in_word().split(body) if piece]
    for piece in pieces:
        if piece.startswith("("):
            options = piece[1:-1].split("|")
            out.append("(?:" + "|".join(_letters(option) for option in options) + ")")
        else:
            out.append(_letters(piece))
    return "".join(out) + (r"\w*" if token.endswith("*") else ""), pieces


def may_be_empty(pieces: Sequence[str]) -> bool:
    """Whether a word (its body split at its groups) can match the empty string."""
    return all(optional for _, optional in _elements(pieces))


def _word(token: str) -> tuple[str, _Firsts, Needs]:
    body = token.removesuffix("*")
    regex, pieces = word_regex(token)
    if not body[:1].isalnum():
        msg = f"the word {token!r} must begin with a letter or a digit"
        raise PatternError(msg)
    elements = _elements(pieces)
    # A word that may match nothing (a final "*" adds no letter) is refused.
    if all(optional for _, optional in elements):
        msg = f"the word {token!r} can match nothing at all; give it at least one letter"
        raise PatternError(msg)
    firsts = None if body[1:2] == "?" else frozenset(body[0].lower())
    literal = _literal(elements)
    # No word-start check here: a phrasing's first word gets it where the phrasings
    # are combined, and later words follow a separator (which ends any word).
    return regex + _WORD_END, firsts, ((frozenset((literal,)),) if literal else ())


def tokens(phrasing: str) -> list[tuple[str, str]]:
    """The tokens of *phrasing* (kind, text), white space left out."""
    found = []
    position = 0
    while position < len(phrasing):
        match = token_re().match(phrasing, position)
        if match is None:
            msg = (
                f"unexpected {phrasing[position]!r} at character {position + 1}; words are "
                "letters, digits, hyphens and apostrophes, with (a|b) groups, ? and a final *"
            )
            raise PatternError(msg)
        kind = match.lastgroup or ""
        if kind != "space":
            found.append((kind, match.group(kind)))
        position = match.end()
    return found


def _any_of(options: Sequence[Needs]) -> Needs:
    """What any match of one of *options* must contain: one literal per option."""
    clause: set[str] = set()
    for needs in options:
        if not needs:
            return ()
        # The clause whose shortest literal is longest: the most telling one.
        clause.update(max(needs, key=lambda c: min(len(lit) for lit in c)))
    return (frozenset(clause),)


class Parser:
    """Recursive descent over the tokens of one phrasing, straight to regex text."""

    def __init__(self, phrasing: str) -> None:
        self.tokens = tokens(phrasing)
        self.position = 0

    def parse(self) -> tuple[str, _Firsts, Needs]:
        """The regex of the phrasing, the letters a match can begin with, and
        the literals any match contains."""
        # The top level has no closers: it runs to the end (a stray '}' or ']' raises).
        return self._sequence(top=True, closers=())

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _sequence(self, *, top: bool, closers: tuple[str, ...]) -> tuple[str, _Firsts, Needs]:
        # (kind, regex or gap size, first letters, literals needed)
        parts: list[tuple[str, str, _Firsts, Needs]] = []
        while (token := self._peek()) is not None and token[1] not in closers:
            kind, value = token
            self.position += 1
            if kind == "word":
                parts.append(("term", *_word(value)))
            elif kind in ("gap", "either"):
                if kind == "either" and not top:
                    msg = f"'<{value}>' may only stand at the top level of a phrasing"
                    raise PatternError(msg)
                size = int(value)
                if not 1 <= size <= _MAX_GAP:
                    mark = f"~{value}" if kind == "gap" else f"<{value}>"
                    msg = f"{mark!r}: the number of words must be from 1 to {_MAX_GAP}"
                    raise PatternError(msg)
                parts.append((kind, value, None, ()))
            elif value == "{":
                parts.append(("term", *self._alternatives("}")))
            elif value == "[":
                parts.append(("optional", *self._alternatives("]")))
            elif value in "}]":
                msg = f"unexpected {value!r} with nothing open to close"
                raise PatternError(msg)
            else:
                msg = f"unexpected {value!r}" + (
                    "; '|' separates alternatives only inside {...} or [...]"
                    if value == "|"
                    else ""
                )
                raise PatternError(msg)
        if closers and self._peek() is None:
            opener, closer = ("{", "}") if "}" in closers else ("[", "]")
            msg = f"{opener!r} is never closed with {closer!r}"
            raise PatternError(msg)
        either = [i for i, (kind, _, _, _) in enumerate(parts) if kind == "either"]
        if len(either) > 1:
            msg = "use '<N>' at most once per phrasing"
            raise PatternError(msg)
        if either:
            (i,) = either
            (left, left_firsts, left_needs), (right, right_firsts, right_needs) = (
                self._join(parts[:i]),
                self._join(parts[i + 1 :]),
            )
            gap = rf"(?:{_SEP}\w+){{0,{parts[i][1]}}}{_SEP}"
            regex = f"(?:{left}{gap}{right}|{right}{gap}{left})"
            return regex, _union([left_firsts, right_firsts]), left_needs + right_needs
        return self._join(parts)

    def _alternatives(self, closer: str) -> tuple[str, _Firsts, Needs]:
        options: list[tuple[str, _Firsts, Needs]] = []
        while True:
            options.append(self._sequence(top=False, closers=("|", closer)))
            # _sequence stops only at "|" or the closer (it raises at the end of input).
            self.position += 1
            if self.tokens[self.position - 1][1] == closer:
                regex = "(?:" + "|".join(regex for regex, _, _ in options) + ")"
                return (
                    regex,
                    _union([firsts for _, firsts, _ in options]),
                    _any_of([needs for _, _, needs in options]),
                )

    @staticmethod
    def _join(parts: Sequence[tuple[str, str, _Firsts, Needs]]) -> tuple[str, _Firsts, Needs]:
        if not parts:
            msg = "empty sequence (an empty alternative, '[]', or nothing beside '<N>')"
            raise PatternError(msg)
        if parts[0][0] != "term":
            msg = "a sequence must begin with a word or {...}, not an optional part or a gap"
            raise PatternError(msg)
        if parts[-1][0] == "gap":
            msg = "a gap '~N' must stand between two terms, not at the end"
            raise PatternError(msg)
        _, regex, firsts, needs = parts[0]
        gap = ""
        for kind, value, _, more in parts[1:]:
            if kind == "gap":
                if gap:
                    msg = "two gaps in a row; write one '~N' with the total"
                    raise PatternError(msg)
                gap = rf"(?:{_SEP}\w+){{0,{value}}}"
            elif kind == "optional":
                regex += f"{gap}(?:{_SEP}{value})?"
                gap = ""
            else:
                regex += f"{gap}{_SEP}{value}"
                needs += more
                gap = ""
        return regex, firsts, needs


# --- matching ----------------------------------------------------------------------


class Matcher:
    """Phrasings and exclusions: finds the first match that no exclusion overlaps."""

    __slots__ = ("_index", "exclude", "phrasings")

    def __init__(self, phrasings: tuple[Phrasing, ...], exclude: tuple[Phrasing, ...]) -> None:
        self.phrasings = phrasings
        self.exclude = exclude
        self._index: Index | None = None

    def find(self, text: str) -> str | None:
        """The leftmost match in *text* (at one position, the first phrasing's)
        that overlaps no match of an exclusion, or ``None``."""
        if self._index is None:
            self._index = Index([self.phrasings, self.exclude])
        prepared = Text(text)
        pairs = self._index.candidates(prepared)
        if 0 not in pairs:
            return None
        return first_match(prepared, self.phrasings, pairs[0], self.exclude, pairs.get(1, ()))


# --- taxonomy: validation and compilation -------------------------------------------


class Taxonomy:
    """A validated taxonomy: its principles and one matcher for each, and the markers."""

    __slots__ = ("_index", "markers", "matchers", "principles", "version")

    def __init__(
        self,
        version: str,
        principles: tuple[Principle, ...],
        matchers: tuple[Matcher, ...],
        markers: Matcher | None,
    ) -> None:
        self.version = version
        self.principles = principles
        self.matchers = matchers
        self.markers = markers
        self._index: Index | None = None

    def scan(self, text: str, *, markers: bool = False) -> tuple[list[str | None], str | None]:
        """What each matcher finds in the sentence *text* (``Matcher.find``), and
        what the markers find (only when no principle is found, unless *markers*)."""
        every = [*self.matchers, *([self.markers] if self.markers is not None else [])]
        if self._index is None:
            self._index = Index([g for m in every for g in (m.phrasings, m.exclude)])
        prepared = Text(text)
        pairs = self._index.candidates(prepared)
        found: list[str | None] = []
        for number, matcher in enumerate(every):
            if number == len(self.matchers) and not markers and any(found):
                break
            mine = pairs.get(2 * number)
            found.append(
                None
                if mine is None
                else first_match(
                    prepared,
                    matcher.phrasings,
                    mine,
                    matcher.exclude,
                    pairs.get(2 * number + 1, ()),
                )
            )
        marker = found[len(self.matchers)] if len(found) > len(self.matchers) else None
        return found[: len(self.matchers)], marker


def _is_slug(text: str) -> bool:
    """Whether *text* is lowercase ASCII letters and digits in runs joined by single hyphens."""
    return all(
        part.isascii() and part.isalnum() and part == part.lower() for part in text.split("-")
    )


def fail(message: str, source: str) -> ArchiveFormatError:
    """The error for an invalid taxonomy read from *source*."""
    return ArchiveFormatError(message, path=source)


def _text_field(entry: Mapping[str, Any], key: str, where: str, source: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        found = "nothing" if value is None else f"{value!r} that is a {type(value).__name__}"
        msg = f"{where}: '{key}' must be a non-empty string (got {found}); add {key} = \"...\""
        raise fail(msg, source)
    return value.strip()


def _phrasings(
    entry: Mapping[str, Any], key: str, where: str, source: str, *, required: bool
) -> tuple[Phrasing, ...]:
    value = entry.get(key, [] if not required else None)
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        kind = type(value).__name__
        msg = f"{where}: '{key}' must be a list of pattern strings (got {value!r} that is a {kind})"
        raise fail(msg, source)
    if required and not value:
        msg = f"{where}: '{key}' is empty; give at least one pattern"
        raise fail(msg, source)
    phrasings: list[Phrasing] = []
    for number, phrasing in enumerate(value, start=1):
        try:
            phrasings.append(Phrasing(phrasing))
        except PatternError as exc:
            msg = (
                f"{where}: {key} #{number} {phrasing!r} is not a valid pattern: {exc} "
                "(the pattern language is described at the top of cspo.principles.toml)"
            )
            raise fail(msg, source) from None
    return tuple(phrasings)


def _matcher(entry: Mapping[str, Any], key: str, where: str, source: str) -> Matcher:
    return Matcher(
        _phrasings(entry, key, where, source, required=True),
        _phrasings(entry, "exclude", where, source, required=False),
    )


def build(fingerprint: str, source: str) -> Taxonomy:
    """Validate and parse the ``[principles]`` table serialised as *fingerprint*."""
    table: Mapping[str, Any] = json.loads(fingerprint)
    version = table.get("version")
    if not isinstance(version, str) or not version.strip():
        msg = (
            f"[principles]: 'version' must be a non-empty string (got {version!r}); "
            'add version = "1"'
        )
        raise fail(msg, source)
    entries = table.get("principle")
    if not isinstance(entries, list) or not entries:
        msg = "[principles]: no [[principles.principle]] entries; add at least one"
        raise fail(msg, source)
    principles: list[Principle] = []
    matchers: list[Matcher] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"[[principles.principle]] #{number}"
        if not isinstance(entry, Mapping):
            msg = f"{where} must be a table (got {entry!r} that is a {type(entry).__name__})"
            raise fail(msg, source)
        principle_id = _text_field(entry, "id", where, source)
        if not _is_slug(principle_id):
            msg = (
                f"{where}: id {principle_id!r} is not a slug; use lowercase letters, digits "
                "and single hyphens, like 'international-law'"
            )
            raise fail(msg, source)
        where = f"{where} ({principle_id!r})"
        if principle_id in seen:
            msg = f"{where}: duplicate id, already used by entry #{seen[principle_id]}; rename one"
            raise fail(msg, source)
        seen[principle_id] = number
        label = _text_field(entry, "label", where, source)
        group = _text_field(entry, "group", where, source)
        if group not in GROUPS:
            choices = " or ".join(repr(g) for g in GROUPS)
            msg = f"{where}: group {group!r} is not {choices}"
            raise fail(msg, source)
        description = _text_field(entry, "description", where, source)
        principles.append(Principle(principle_id, label, group, description))
        matchers.append(_matcher(entry, "phrasings", where, source))
    markers_table = table.get("commitment_markers")
    markers = None
    if markers_table is not None:
        where = "[principles.commitment_markers]"
        if not isinstance(markers_table, Mapping):
            msg = f"{where} must be a table with 'phrasings' (got {markers_table!r})"
            raise fail(msg, source)
        markers = _matcher(markers_table, "phrasings", where, source)
    return Taxonomy(version.strip(), tuple(principles), tuple(matchers), markers)
