"""The engine behind :mod:`cspo_archive.analysis.principles`: the taxonomy's
records, the pattern language, taxonomy validation, and matching. The taxonomy
is built on first use; nothing is compiled at import.

The pattern language is defined by the regular expression each phrasing stands
for: :class:`Parser` writes it (``compile_phrasing`` returns it), with the
literal runs of letters and digits every match must contain. A matcher finds,
in a sentence, the leftmost match of any of its phrasings (the first phrasing
that fits at that position) that no exclusion overlaps: exactly what one
regular expression ``(?:p1)|(?:p2)|...`` finds. It runs each phrasing's own
regular expression (Python's ``re``, ignoring case), compiled on first need and
kept for the process, and only the phrasings whose literals all occur in the
text being read: Python's regular expression compiler is pure Python (about a
millisecond per phrasing) and is the expensive part.

The pre-filter (:meth:`Phrasing.possible`) tests each literal as a substring of
a folded copy of the text (:func:`fold`). It may only leave out a phrasing that
certainly cannot match, so folding must send every character that ``re``
ignoring case takes for a literal's letter to that letter. Literals are kept to
ASCII letters and digits (a non-ASCII letter ends a run; a word with none
requires nothing), because beyond ASCII ``re``'s case equivalences are its own
(kept in a private table) and differ from ``str.lower`` and ``str.casefold``.
Outside ASCII exactly four characters match an ASCII letter or digit ignoring
case: U+0130 and U+0131 (dotted capital and dotless small i) match ``i``,
U+017F (long s) matches ``s`` and U+212A (Kelvin sign) matches ``k`` (a test
checks this for every code point). :func:`fold` maps those four to their
letters and lowercases the rest, character by character, so a match of the
regex always leaves its literals in the folded text.

Timing, medians of 15 alternating runs, before (a word engine, since removed,
that ran each phrasing without compiling it but read ``re``'s private case
table) and after (this module): the first ``extract_principles`` of each
bundled text in a fresh process (taxonomy parsing included), and
``python -m cspo_archive compare``::

    first extract_principles   before    after
    news 2022                  20.6 ms   22.6 ms
    joint statement 2025       21.0 ms   21.9 ms
    news 2025                  18.4 ms   19.2 ms
    compare (whole command)   308.2 ms  292.9 ms
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.exceptions import ProfileError

__all__ = [
    "GROUPS",
    "Matcher",
    "Parser",
    "PatternError",
    "Phrasing",
    "Principle",
    "Taxonomy",
    "build",
    "fold",
]

#: The two kinds of taxonomy entry, for any coalition: the principles it is founded
#: on and the commitments it makes again and again (the JSON schema lists them).
GROUPS = ("guiding-principle", "commitment")


@frozen
class Principle:
    """One entry of the taxonomy: a guiding principle or a recurring commitment."""

    id: str
    label: str
    group: str
    description: str


class PatternError(Exception):
    """A phrasing does not follow the pattern language (message says why)."""


# --- the pattern language: the regular expression of a phrasing ---------------------

_MAX_GAP = 20
_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019"
#: Between neighbouring terms: any run of spaces and punctuation.
_SEP = r"\W+"
#: A word starts where no word (nor a word and a hyphen: a compound's tail) precedes.
WORD_START = rf"(?<!\w)(?<!\w[{_HYPHENS}])"
_WORD_END = r"(?!\w)"


#: One token of a phrasing.
token_re = LazyPattern(
    r"""
    (?P<space>\s+)
    | ~(?P<gap>\d+)
    | <(?P<either>\d+)>
    | (?P<punct>[{}\[\]|])
    | (?P<word>(?:(?:[^\W_]|['\u2019\-])\??|\((?:[^\W_]|['\u2019\-]|\|)*\)\??)+\*?)
    """,
    re.VERBOSE,
)
#: The groups of a word's body (split at them).
_group_re = LazyPattern(r"(\([^()]*\))")


#: What any match must contain: every clause holds, a clause when one of its
#: literals (ASCII, lowercase) occurs. ``()`` requires nothing.
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
    """The longest run of ASCII letters and digits every match of a word
    contains, lowercase (see :func:`fold` for why only ASCII)."""
    best = run = ""
    for char, optional in elements:
        if optional or not char or char in _APOSTROPHES or not char.isascii():
            run = ""
            continue
        run += char
        if len(run) > len(best):
            best = run
    return best.lower() if best else None


def word_regex(token: str) -> tuple[str, list[str]]:
    """The regex of one word of a phrasing, without its end check, and its body
    split at its groups (no validation)."""
    body = token.removesuffix("*")
    out = []
    pieces = [piece for piece in _group_re().split(body) if piece]
    for piece in pieces:
        if piece.startswith("("):
            options = piece[1:-1].split("|")
            out.append("(?:" + "|".join(_letters(option) for option in options) + ")")
        else:
            out.append(_letters(piece))
    return "".join(out) + (r"\w*" if token.endswith("*") else ""), pieces


def _word(token: str) -> tuple[str, Needs]:
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
    literal = _literal(elements)
    # No word-start check here: a phrasing's first word gets it where the phrasings
    # are combined, and later words follow a separator (which ends any word).
    return regex + _WORD_END, ((frozenset((literal,)),) if literal else ())


def tokens(phrasing: str) -> list[tuple[str, str]]:
    """The tokens of *phrasing* (kind, text), white space left out."""
    found = []
    position = 0
    while position < len(phrasing):
        match = token_re.match(phrasing, position)
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

    def parse(self) -> tuple[str, Needs]:
        """The regex of the phrasing and the literals any match contains."""
        # The top level has no closers: it runs to the end (a stray '}' or ']' raises).
        return self._sequence(top=True, closers=())

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _sequence(self, *, top: bool, closers: tuple[str, ...]) -> tuple[str, Needs]:
        # (kind, regex or gap size, literals needed)
        parts: list[tuple[str, str, Needs]] = []
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
                parts.append((kind, value, ()))
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
        either = [i for i, (kind, _, _) in enumerate(parts) if kind == "either"]
        if len(either) > 1:
            msg = "use '<N>' at most once per phrasing"
            raise PatternError(msg)
        if either:
            (i,) = either
            (left, left_needs), (right, right_needs) = (
                self._join(parts[:i]),
                self._join(parts[i + 1 :]),
            )
            gap = rf"(?:{_SEP}\w+){{0,{parts[i][1]}}}{_SEP}"
            regex = f"(?:{left}{gap}{right}|{right}{gap}{left})"
            return regex, left_needs + right_needs
        return self._join(parts)

    def _alternatives(self, closer: str) -> tuple[str, Needs]:
        options: list[tuple[str, Needs]] = []
        while True:
            options.append(self._sequence(top=False, closers=("|", closer)))
            # _sequence stops only at "|" or the closer (it raises at the end of input).
            self.position += 1
            if self.tokens[self.position - 1][1] == closer:
                regex = "(?:" + "|".join(regex for regex, _ in options) + ")"
                return regex, _any_of([needs for _, needs in options])

    @staticmethod
    def _join(parts: Sequence[tuple[str, str, Needs]]) -> tuple[str, Needs]:
        if not parts:
            msg = "empty sequence (an empty alternative, '[]', or nothing beside '<N>')"
            raise PatternError(msg)
        if parts[0][0] != "term":
            msg = "a sequence must begin with a word or {...}, not an optional part or a gap"
            raise PatternError(msg)
        if parts[-1][0] == "gap":
            msg = "a gap '~N' must stand between two terms, not at the end"
            raise PatternError(msg)
        _, regex, needs = parts[0]
        gap = ""
        for kind, value, more in parts[1:]:
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
        return regex, needs


# --- the pre-filter: literals in a folded copy of the text --------------------------

#: The characters outside ASCII that ``re`` ignoring case takes for an ASCII letter
#: or digit, each to that letter (``test_fold_covers_every_ascii_equivalent``
#: checks every code point).
_ASCII_TWINS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


def fold(text: str) -> str:
    """*text* for the literal test: ASCII letters lowercase, and the four other
    characters ``re`` ignoring case takes for an ASCII letter made that letter.

    Each character is folded on its own (``str.lower`` looks at its neighbours
    only for the capital sigma), so wherever a regex ignoring case matches an
    ASCII literal in *text*, the lowercase literal occurs in the folded text.
    Other characters are only lowercased; the literal test never looks for them.
    """
    if text.isascii():
        return text.lower()
    return text.translate(_ASCII_TWINS).lower()


class Phrasing:
    """One phrasing: its regular expression (compiled on first use) and the
    literals every match holds (each clause of *needs*: one of its literals).

    Raises :class:`PatternError` when *phrasing* is not valid."""

    __slots__ = ("_pattern", "needs")

    def __init__(self, phrasing: str) -> None:
        regex, needs = Parser(phrasing).parse()
        self.needs: Needs = needs
        self._pattern = LazyPattern(WORD_START + regex, re.IGNORECASE)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex, word start included, ignoring case."""
        return self._pattern()

    def possible(self, folded: str, seen: dict[str, bool]) -> bool:
        """Whether the text folded to *folded* (:func:`fold`) holds every literal a
        match needs (*seen* caches the substring tests of one text)."""
        for clause in self.needs:
            for literal in clause:
                found = seen.get(literal)
                if found is None:
                    found = seen[literal] = literal in folded
                if found:
                    break
            else:
                return False
        return True


class Matcher:
    """Phrasings and exclusions: finds the first match that no exclusion overlaps."""

    __slots__ = ("exclude", "phrasings")

    def __init__(self, phrasings: tuple[Phrasing, ...], exclude: tuple[Phrasing, ...]) -> None:
        self.phrasings = phrasings
        self.exclude = exclude

    def bind(self, folded: str, seen: dict[str, bool]) -> BoundMatcher | None:
        """The matcher for one text (folded to *folded*): only the phrasings and
        exclusions that can match in it, compiled; ``None`` when none can."""
        patterns = [p.pattern for p in self.phrasings if p.possible(folded, seen)]
        if not patterns:
            return None
        exclude = [p.pattern for p in self.exclude if p.possible(folded, seen)]
        return BoundMatcher(patterns, exclude)


class BoundMatcher:
    """A matcher's compiled phrasings and exclusions that can match in one text."""

    __slots__ = ("exclude", "patterns")

    def __init__(self, patterns: list[re.Pattern[str]], exclude: list[re.Pattern[str]]) -> None:
        self.patterns = patterns
        self.exclude = exclude

    def find(self, text: str) -> str | None:
        """The leftmost match in *text* (a sentence of the text this is bound to;
        at one position, the first phrasing's) that overlaps no match of an
        exclusion, or ``None``."""
        first = _first(self.patterns, text, 0)
        if first is None:
            return None
        excluded = _spans(self.exclude, text)
        while first is not None:
            start, end = first.span()
            if not any(start < x_end and x_start < end for x_start, x_end in excluded):
                return first.group(0)
            first = _first(self.patterns, text, start + 1)
        return None


def _first(patterns: Sequence[re.Pattern[str]], text: str, position: int) -> re.Match[str] | None:
    """What ``(?:p1)|(?:p2)|...`` finds searching *text* from *position*: the
    leftmost match, and at one position the first pattern's."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        match = pattern.search(text, position)
        if match is not None and (best is None or match.start() < best.start()):
            best = match
    return best


def _spans(patterns: Sequence[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    """The spans ``finditer`` of ``(?:p1)|(?:p2)|...`` gives: each search starts
    where the previous match ended (no phrasing matches the empty string)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (match := _first(patterns, text, position)) is not None:
        spans.append(match.span())
        position = max(match.end(), match.start() + 1)
    return spans


# --- taxonomy: validation and compilation -------------------------------------------


@frozen(eq=False)
class Taxonomy:
    """A profile's ``[principles]`` section, validated: its version, its
    principles, one matcher for each, and the commitment markers.

    Built with :meth:`from_table`; each phrasing is compiled to a regular
    expression only when a text holds the words it needs.
    """

    version: str
    principles: tuple[Principle, ...]
    matchers: tuple[Matcher, ...]
    markers: Matcher | None
    #: Words just before a matched phrase that make it a topic, not a stance ("the
    #: potential placement of ...", "concerns about ...").
    topic_before: re.Pattern[str] | None = None
    #: A sentence matching this (a site banner) is never evidence.
    not_evidence: re.Pattern[str] | None = None
    #: A sentence naming another grouping's context (``other_context``) and not the
    #: initiative's (``own_context``) states no principle of the initiative.
    other_context: re.Pattern[str] | None = None
    own_context: re.Pattern[str] | None = None

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str) -> Taxonomy:
        """Validate and parse a ``[principles]`` table read from *source*."""
        return build(table, source)

    def bind(self, folded: str) -> tuple[list[BoundMatcher | None], BoundMatcher | None]:
        """Each matcher, and the markers, bound to a text folded to *folded*
        (:meth:`Matcher.bind`): ``None`` for those that cannot match anywhere in it."""
        seen = dict[str, bool]()
        matchers = [matcher.bind(folded, seen) for matcher in self.matchers]
        markers = self.markers.bind(folded, seen) if self.markers is not None else None
        return matchers, markers


def _is_slug(text: str) -> bool:
    """Whether *text* is lowercase ASCII letters and digits in runs joined by single hyphens."""
    return all(
        part.isascii() and part.isalnum() and part == part.lower() for part in text.split("-")
    )


def fail(message: str, source: str) -> ProfileError:
    """The error for an invalid taxonomy read from *source* (*message* names the entry)."""
    return ProfileError(f"profile {source}: {message}", path=source, entry="principles")


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
                "(the pattern language is described above [principles] in profiles/cspo.toml)"
            )
            raise fail(msg, source) from None
    return tuple(phrasings)


def _matcher(entry: Mapping[str, Any], key: str, where: str, source: str) -> Matcher:
    return Matcher(
        _phrasings(entry, key, where, source, required=True),
        _phrasings(entry, "exclude", where, source, required=False),
    )


def build(table: Mapping[str, Any], source: str) -> Taxonomy:
    """Validate and parse a profile's ``[principles]`` table read from *source*."""
    unknown = sorted(set(table) - {"version", "principle", "commitment_markers", *_STANCE})
    if unknown:
        msg = (
            f"[principles]: {unknown[0]!r} is not an entry of this table; the entries are "
            f"version, principle, commitment_markers and {', '.join(_STANCE)}"
        )
        raise fail(msg, source)
    stance = {key: _regex(table, key, source) for key in _STANCE}
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
    return Taxonomy(
        version.strip(),
        tuple(principles),
        tuple(matchers),
        markers,
        topic_before=stance["topic_before"],
        not_evidence=stance["not_evidence"],
        other_context=stance["other_context"],
        own_context=stance["own_context"],
    )


#: The optional regular expressions that tell a stance from a topic (see cspo.toml).
_STANCE = ("topic_before", "not_evidence", "other_context", "own_context")


def _regex(table: Mapping[str, Any], key: str, source: str) -> re.Pattern[str] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        msg = f"[principles]: {key!r} must be a regular expression (got {value!r}); write one"
        raise fail(msg, source)
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise fail(
            f"[principles]: {key!r} is not a valid regular expression ({exc}); correct it", source
        ) from None
