"""Matching phrasings without compiling regular expressions.

The pattern language is defined by the regular expression each phrasing stands
for (``_principles_engine.Parser`` writes it). Python's regular expression
compiler is pure Python and takes about a millisecond per phrasing, so here
each phrasing is parsed straight to a small program over the characters of a
sentence that finds exactly what its regular expression finds: the same match
at the same position, with the same end (the first path of the regular
expression's backtracking that succeeds).

How each construct runs (*p* is a position in the sentence):

* a word is the ordered list of strings it can stand for, each written case
  folded (:func:`fold`), with ``-`` or a space for a hyphen slot and ``'`` for an
  apostrophe: the product of its letters, optional letters (``x?``: with, then
  without), hyphen slots (one hyphen or white space character, then nothing; the
  reverse for ``-?``, a lazy ``??``), apostrophes and groups (their options in
  order), duplicates dropped. A form matches where the sentence, folded the same
  way, starts with it and no word character follows; ``*`` then takes the rest
  of the word run. The forms are tried in that order, which is the order in
  which the regular expression's backtracking tries them;
* a word whose forms are all letters and digits, or ``{a|b}`` made only of such
  words, is a set lookup: such a form must be a whole run of word characters
  (a term always starts after a non-word character, and must end before one),
  so at most one end is possible;
* ``\\W+`` between terms takes the whole run of non-word characters (a term
  that must begin with a letter or digit can start nowhere else), or tries each
  shorter run, longest first, before a term that may begin with a hyphen or an
  apostrophe;
* ``~N`` (``(?:\\W+\\w+){0,N}``) takes whole runs, as many as it can first;
  ``[x]`` tries ``x`` first, then nothing; ``{x|y}`` and ``<N>`` try their
  alternatives in order.

A match can only start where a word run starts (a phrasing's first words all
begin with a letter or digit), so each sentence's word runs are looked up once
in an index of the first words of every phrasing, and each phrasing is tried
only where its first word fits, and only if the sentence holds, for each later
term that every match needs, one of the words it can begin with. A phrasing
that could begin with a non-word
character, or with a word of more than a few hundred forms, and every phrasing
when this Python's case-folding table is unknown, runs its regular expression
instead (compiled on first use), with the same results.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

MAX_GAP = 20
HYPHENS = "-\u2010\u2011"
APOSTROPHES = "'\u2019"
#: Words with more forms than this run their phrasing's regular expression.
_MAX_FORMS = 256

#: What the rest of a match does from an end position: the match's end, or None.
Cont = Callable[[int], "int | None"]


class PatternError(Exception):
    """A phrasing does not follow the pattern language (message says why)."""


class _InvalidError(Exception):
    """The fast parser met something it does not accept (the regex parser says why)."""


# --- case folding ------------------------------------------------------------------


@functools.cache
def _table() -> dict[int, int] | None:
    """Characters the regular expression engine takes as the same letter when
    ignoring case beyond plain lowercase (U+0073 and U+017F, the two small
    sigmas...), each mapped to one representative, from the engine's own table.

    ``None`` if this Python has no such table (``re._casefix`` is private): then
    every phrasing runs its regular expression, which is slower but gives the
    same results.
    """
    try:
        casefix: Any = importlib.import_module("re._casefix")
        extra: Mapping[int, Iterable[int]] = casefix._EXTRA_CASES
    except (ImportError, AttributeError):  # pragma: no cover - CPython 3.11-3.14 have it
        return None
    classes: dict[int, set[int]] = {}
    for code, others in extra.items():
        merged = {code, *others}
        for member in list(merged):
            merged |= classes.get(member, set())
        for member in merged:
            classes[member] = merged
    return {code: min(members) for code, members in classes.items() if code != min(members)}


def fold(text: str) -> str:
    """*text* with every character as the regular expression engine compares it
    when ignoring case (its simple lowercase, one representative per group of
    equivalent letters); same length as *text*."""
    # U+0130 is the one character whose str.lower() is not its simple lowercase.
    return text.replace("\u0130", "i").lower().translate(_table() or {})


@functools.cache
def _marks() -> dict[int, str]:
    """Folded text to matched text: hyphens to ``-``, apostrophes to ``'``."""
    return {ord(char): "-" for char in HYPHENS[1:]} | {ord(char): "'" for char in APOSTROPHES[1:]}


@functools.cache
def _space_re() -> re.Pattern[str]:
    return re.compile(r"\s")


@functools.cache
def _runs_re() -> re.Pattern[str]:
    return re.compile(r"\w+")


@functools.cache
def _split_re() -> re.Pattern[str]:
    """The tokens of a phrasing, roughly: ``~N``, ``<N>``, a bracket or bar, or a
    word (checked by :func:`_word`; anything odd goes to the exact tokenizer)."""
    return re.compile(r"~\d+|<\d+>|[{}\[\]|]|(?:[^\s~<>{}\[\]|()]|\([^()]*\))+")


def _is_word(char: str) -> bool:
    """Whether *char* is a word character (``\\w``) to the regular expression engine."""
    return char.isalnum() or char == "_"


# --- a sentence, prepared ----------------------------------------------------------


class Text:
    """A sentence prepared for matching: its folded form (hyphens as ``-``,
    apostrophes as ``'``, white space as a space; same length), its runs of word
    characters (``\\w+``: where they start and end, and each folded under its
    start) and the set of those words."""

    __slots__ = ("ends", "folded", "n", "starts", "text", "vocabulary", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        if text.isascii():  # no letter folds beyond lowercase; no odd hyphen or apostrophe
            folded = text.lower()
            if not folded.isprintable():  # tabs, line breaks and other white space
                folded = _space_re().sub(" ", folded)
        else:
            folded = _space_re().sub(" ", fold(text).translate(_marks()))
        self.folded = folded
        starts: list[int] = []
        ends: list[int] = []
        words: dict[int, str] = {}
        for match in _runs_re().finditer(text):
            start, end = match.span()
            starts.append(start)
            ends.append(end)
            words[start] = folded[start:end]
        self.starts = starts
        self.ends = ends
        self.words = words
        self.vocabulary = set(words.values())

    def next_run(self, position: int) -> int:
        """Where the first run of word characters after *position* starts (or the end)."""
        j = bisect.bisect_right(self.starts, position)
        return self.starts[j] if j < len(self.starts) else self.n

    def run_end(self, position: int) -> int:
        """Where the run of word characters holding *position* ends."""
        return self.ends[bisect.bisect_right(self.starts, position) - 1]

    def word_start(self, start: int) -> bool:
        """Whether no word and hyphen (a compound's head) precedes the run at *start*."""
        return not (
            start >= 2 and self.text[start - 1] in HYPHENS and _is_word(self.text[start - 2])
        )


def _end(end: int) -> int:
    return end


# --- programs ----------------------------------------------------------------------


class _Node:
    """A part of a phrasing: ``m(text, p, k)`` tries it at *p*, each way in the
    regular expression's order, calling *k* with where it ends; the first result
    of *k* that is not None is the result."""

    __slots__ = ("alnum_first",)

    #: Whether every match begins with a letter or a digit.
    alnum_first: bool

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        raise NotImplementedError

    def firsts(self) -> list[_Node]:
        """The words a match can begin with."""
        return [self]


class _Simple(_Node):
    """Words whose forms are letters and digits only: the whole run at *p* must
    be one of *exact* or begin with one of *prefixes* (the forms of ``x*``)."""

    __slots__ = ("exact", "prefixes")

    def __init__(self, exact: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.alnum_first = True
        self.exact = exact
        self.prefixes = prefixes

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        word = text.words.get(p)
        if word is not None and (word in self.exact or word.startswith(self.prefixes)):
            return k(p + len(word))
        return None


class _Word(_Node):
    """A word with hyphen slots or apostrophes: its forms, tried in order. Like
    :class:`_Simple`, *exact* and *prefixes* hold the runs a match begins with."""

    __slots__ = ("exact", "forms", "prefixes", "star")

    def __init__(self, forms: tuple[str, ...], star: bool) -> None:
        self.alnum_first = all(form[0].isalnum() for form in forms)
        self.forms = forms
        self.star = star
        exact: set[str] = set()
        prefixes: list[str] = []
        for form in forms:
            run = _runs_re().match(form)
            head = run.group() if run is not None else ""
            if head == form and star:
                prefixes.append(head)
            else:
                exact.add(head)
        self.exact = frozenset(exact)
        self.prefixes = tuple(prefixes)

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        folded, source, n = text.folded, text.text, text.n
        for form in self.forms:
            if not folded.startswith(form, p):
                continue
            end = p + len(form)
            if end < n and _is_word(source[end]):
                if not self.star:
                    continue
                end = text.run_end(end)
            result = k(end)
            if result is not None:
                return result
        return None


class _Alt(_Node):
    """``{x|y}``: each alternative in order."""

    __slots__ = ("options",)

    def __init__(self, options: Sequence[_Node]) -> None:
        self.alnum_first = all(option.alnum_first for option in options)
        self.options = tuple(options)

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        for option in self.options:
            result = option.m(text, p, k)
            if result is not None:
                return result
        return None

    def firsts(self) -> list[_Node]:
        return [first for option in self.options for first in option.firsts()]


class _Seq(_Node):
    """Parts one after the other."""

    __slots__ = ("nodes",)

    def __init__(self, nodes: Sequence[_Node]) -> None:
        self.alnum_first = nodes[0].alnum_first
        self.nodes = tuple(nodes)

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        return self._run(text, 0, p, k)

    def _run(self, text: Text, i: int, p: int, k: Cont) -> int | None:
        if i == len(self.nodes) - 1:
            return self.nodes[i].m(text, p, k)
        return self.nodes[i].m(text, p, lambda end: self._run(text, i + 1, end, k))

    def firsts(self) -> list[_Node]:
        return self.nodes[0].firsts()


class _Sep(_Node):
    """``\\W+`` and then *x*."""

    __slots__ = ("x",)

    def __init__(self, x: _Node) -> None:
        self.alnum_first = False
        self.x = x

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        if p >= text.n or _is_word(text.text[p]):
            return None
        q = text.next_run(p)
        if self.x.alnum_first:
            return self.x.m(text, q, k) if q < text.n else None
        for start in range(q, p, -1):
            result = self.x.m(text, start, k)
            if result is not None:
                return result
        return None


class _Opt(_Node):
    """``(?:\\W+x)?``: with *x* first, then without."""

    __slots__ = ("sep",)

    def __init__(self, x: _Node) -> None:
        self.alnum_first = False
        self.sep = _Sep(x)

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        result = self.sep.m(text, p, k)
        return result if result is not None else k(p)


class _Gap(_Node):
    """``(?:\\W+\\w+){0,N}``: as many whole runs as possible first."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        self.alnum_first = False
        self.size = size

    def m(self, text: Text, p: int, k: Cont) -> int | None:
        ends = [p]
        source, n, starts = text.text, text.n, text.starts
        j = bisect.bisect_right(starts, p)
        position = p
        for _ in range(self.size):
            if position >= n or _is_word(source[position]) or j >= len(starts):
                break
            position = text.ends[j]
            ends.append(position)
            j += 1
        for end in reversed(ends):
            result = k(end)
            if result is not None:
                return result
        return None


# --- parsing -----------------------------------------------------------------------


@functools.cache
def _pieces_re() -> re.Pattern[str]:
    """The pieces of a word: a run of letters and digits, a group, a hyphen or an
    apostrophe, a ``?``, or anything else (not a word)."""
    return re.compile(r"([^\W_]+)|(\([^()]*\))|(['\u2019-])|(\?)|(.)", re.DOTALL)


def _lower(chars: str) -> str:
    return chars.lower() if chars.isascii() else fold(chars)


def _chars_forms(chars: str) -> list[str]:
    """The forms of a group's option (letters, digits, hyphens and apostrophes)."""
    if chars.isalnum():
        return [_lower(chars)]
    forms = [""]
    for char in chars:
        if char in HYPHENS:
            more = ["-", " ", ""]
        elif char in APOSTROPHES:
            more = ["'"]
        elif char.isalnum():
            more = [_lower(char)]
        else:
            raise _InvalidError
        forms = [form + extra for form in forms for extra in more]
    return forms


@functools.cache
def _word(token: str) -> _Node | None:
    """The program of one word of a phrasing, or None when it has too many forms.

    Raises ``_InvalidError`` when the token is not a word of the language (then the
    exact tokenizer, and the regex parser's message, take over).
    """
    star = token.endswith("*")
    body = token[:-1] if star else token
    if body.isalnum():  # the common case: letters and digits only
        form = _lower(body)
        return _Simple(frozenset(() if star else (form,)), (form,) if star else ())
    if not body[:1].isalnum():
        raise _InvalidError
    every: tuple[str, ...]
    group = body.find("(")
    if group > 0 and body[-1] == ")" and body.find("(", group + 1) < 0:
        # Common: letters and one final group of letters, "deter(|s|red|ring)".
        inner = body[group + 1 : -1]
        if body[:group].isalnum() and inner.replace("|", "").isalnum():
            head = _lower(body[:group])
            every = tuple(dict.fromkeys(head + _lower(option) for option in inner.split("|")))
            return _Simple(frozenset(() if star else every), every if star else ())
    elif body[-1] == "?" and len(body) > 2 and body[:-1].isalnum():  # "threats?"
        form = _lower(body[:-1])
        every = (form, form[:-1])
        return _Simple(frozenset(() if star else every), every if star else ())
    # Each element's forms in the order the regex tries them; "?" makes the
    # element before it optional: greedy (with, then without), but lazy after a
    # hyphen, whose regex is already optional (then "??": without, then with).
    options: list[list[str]] = []
    kind = ""  # of the element before: letters, group, hyphen, apostrophe, or "?"
    for letters, group, mark, optional, _other in _pieces_re().findall(body):
        if optional:
            if kind == "?":
                raise _InvalidError
            last = options[-1]
            if kind == "letters" and len(last[0]) > 1:  # only the last letter is optional
                options[-1] = [last[0][:-1]]
                options.append([last[0][-1], ""])
            elif kind == "hyphen":
                options[-1] = ["", "-", " "]
            else:
                last.append("")
            kind = "?"
        elif letters:
            options.append([_lower(letters)])
            kind = "letters"
        elif group:
            forms: list[str] = []
            for option in group[1:-1].split("|"):
                forms.extend(_chars_forms(option))
            options.append(forms)
            kind = "group"
        elif mark:
            kind = "hyphen" if mark in HYPHENS else "apostrophe"
            options.append(["-", " ", ""] if kind == "hyphen" else ["'"])
        else:
            raise _InvalidError
    if all("" in forms for forms in options):
        raise _InvalidError  # it can match nothing at all
    count = 1
    for forms in options:
        count *= len(forms)
    if count > _MAX_FORMS:
        return None
    every = tuple(dict.fromkeys("".join(parts) for parts in itertools.product(*options)))
    if all(form.isalnum() for form in every):
        return _Simple(frozenset(() if star else every), every if star else ())
    return _Word(every, star)


def _program(tokens: list[str]) -> _Node | None:
    """The program of a phrasing from its tokens, or None if a word has too many
    forms; raises ``_InvalidError`` where the regex parser raises."""
    parser = _Parser(tokens)
    program = parser.sequence(top=True, closer="")
    return None if parser.too_big else program


class _Parser:
    """Recursive descent over the tokens of one phrasing (``~2``, ``<3>``, a bracket
    or bar, or a word), to a program: the grammar and the checks of the regex
    parser, whose messages are used."""

    __slots__ = ("position", "tokens", "too_big")

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.too_big = False

    def sequence(self, *, top: bool, closer: str) -> _Node:
        tokens = self.tokens
        # (kind, node or gap size): kind is "term", "optional", "gap" or "either".
        parts: list[tuple[str, _Node | int]] = []
        while self.position < len(tokens):
            token = tokens[self.position]
            if closer and token in (closer, "|"):
                break
            self.position += 1
            first = token[0]
            if first == "~" or first == "<":
                size = int(token[1:] if first == "~" else token[1:-1])
                if (first == "<" and not top) or not 1 <= size <= MAX_GAP:
                    raise _InvalidError
                parts.append(("gap" if first == "~" else "either", size))
            elif first == "{" or first == "[":
                node = self._alternatives("}" if first == "{" else "]")
                parts.append(("term" if first == "{" else "optional", node))
            elif first in "}]|":
                raise _InvalidError
            else:
                word = _word(token)
                if word is None:
                    self.too_big = True
                    word = _Simple(frozenset(), ())
                parts.append(("term", word))
        else:
            if closer:
                raise _InvalidError  # never closed
        either = [i for i, (kind, _) in enumerate(parts) if kind == "either"]
        if not either:
            return self._join(parts)
        if len(either) > 1:
            raise _InvalidError
        (i,) = either
        left, right, most = self._join(parts[:i]), self._join(parts[i + 1 :]), parts[i][1]
        assert isinstance(most, int)
        return _Alt([_Seq([left, _Gap(most), _Sep(right)]), _Seq([right, _Gap(most), _Sep(left)])])

    def _alternatives(self, closer: str) -> _Node:
        tokens = self.tokens
        options: list[_Node] = []
        while True:
            # An alternative that is one word (the common case) needs no sequence.
            position = self.position
            if position + 1 < len(tokens) and tokens[position + 1] in ("|", closer):
                token = tokens[position]
                word = None if token[0] in "~<{}[]|" else _word(token)
                if word is not None:
                    options.append(word)
                    self.position += 1
                else:
                    options.append(self.sequence(top=False, closer=closer))
            else:
                options.append(self.sequence(top=False, closer=closer))
            self.position += 1
            if tokens[self.position - 1] == closer:
                break
        if all(isinstance(option, _Simple) for option in options):
            if len(options) == 1:
                return options[0]
            simple = [option for option in options if isinstance(option, _Simple)]
            return _Simple(
                frozenset().union(*(option.exact for option in simple)),
                tuple(dict.fromkeys(p for option in simple for p in option.prefixes)),
            )
        return options[0] if len(options) == 1 else _Alt(options)

    @staticmethod
    def _join(parts: Sequence[tuple[str, _Node | int]]) -> _Node:
        if not parts or parts[0][0] != "term" or parts[-1][0] == "gap":
            raise _InvalidError
        first = parts[0][1]
        assert isinstance(first, _Node)
        nodes: list[_Node] = [first]
        gap = 0
        for kind, value in parts[1:]:
            if isinstance(value, int):
                if gap:
                    raise _InvalidError  # two gaps in a row
                gap = value
                continue
            if gap:
                nodes.append(_Gap(gap))
                gap = 0
            nodes.append(_Opt(value) if kind == "optional" else _Sep(value))
        return nodes[0] if len(nodes) == 1 else _Seq(nodes)


def parse(phrasing: str) -> _Node | None:
    """The program of *phrasing*, or None when it must run its regular expression
    (a word of too many forms, a first word that may begin with a non-word
    character, or case folding unknown). Raises :class:`PatternError` (the regex
    parser's message) when *phrasing* is not valid."""
    tokens = _split_re().findall(phrasing)
    try:
        if sum(map(len, tokens)) != len("".join(phrasing.split())):
            raise _InvalidError  # something the quick tokenizer skipped
        program = _program(tokens)
    except _InvalidError:  # unusual spelling, or invalid: tokenize as the regex parser does
        from cspo_archive.compare import _principles_engine as engine

        marks = {"gap": "~{}", "either": "<{}>"}
        tokens = [marks.get(kind, "{}").format(text) for kind, text in engine.tokens(phrasing)]
        try:
            program = _program(tokens)
        except _InvalidError:
            engine.Parser(phrasing).parse()  # raises PatternError with its message
            msg = f"{phrasing!r} is refused by the matcher but not by the regex parser"
            raise AssertionError(msg) from None  # pragma: no cover - they agree (tested)
    if program is None or _table() is None:
        return None
    if not all(first.alnum_first for first in program.firsts()):
        return None
    return program


# --- phrasings, groups, the index -----------------------------------------------


class Phrasing:
    """One parsed phrasing: its program, or its regular expression (compiled on
    first use) when it has no program; and words a sentence must hold for it to
    match there (each of *needs* is a set of words, one of which must occur)."""

    __slots__ = ("_needs", "_pattern", "phrasing", "program")

    def __init__(self, phrasing: str) -> None:
        self.phrasing = phrasing
        self.program = parse(phrasing)
        self._pattern: re.Pattern[str] | None = None
        self._needs: tuple[frozenset[str], ...] | None = None

    @property
    def needs(self) -> tuple[frozenset[str], ...]:
        """Sets of words a sentence must hold one of each for the program to match
        in it (worked out on first use); the first word, found by the index, is
        left out."""
        if self._needs is None:
            needs = _needs(self.program) if self.program is not None else set()
            first = _clause(self.program.firsts()) if self.program is not None else None
            if first is not None:
                needs.discard(first)
            self._needs = tuple(needs)
        return self._needs

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex, word start included, ignoring case."""
        if self._pattern is None:
            from cspo_archive.compare import _principles_engine as engine

            regex = engine.WORD_START + engine.Parser(self.phrasing).parse()[0]
            self._pattern = re.compile(regex, re.IGNORECASE)
        return self._pattern

    def at(self, text: Text, start: int) -> int | None:
        """Where the match starting at *start* ends, or None."""
        if self.program is not None:
            for clause in self._needs if self._needs is not None else self.needs:
                if text.vocabulary.isdisjoint(clause):
                    return None
            return self.program.m(text, start, _end)
        match = self.pattern.match(text.text, start)
        return match.end() if match is not None else None


def _clause(words: Sequence[_Node]) -> frozenset[str] | None:
    """The whole runs a match of one of *words* starts with, or None when one of
    them may start with a mere beginning of a run (``x*``)."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for word in words:
        _heads(word, exact, prefixes)
    return None if prefixes else frozenset(exact)


def _needs(node: _Node) -> set[frozenset[str]]:
    """Sets of words every match of *node* holds one of."""
    if isinstance(node, _Simple | _Word):
        return set() if node.prefixes else {node.exact}
    if isinstance(node, _Seq):
        needs = _needs(node.nodes[0])
        for part in node.nodes[1:]:
            if isinstance(part, _Sep):
                needs |= _needs(part.x)
        return needs
    if not isinstance(node, _Alt):
        return set()
    needs = set.intersection(*(_needs(option) for option in node.options))
    clause = _clause(node.firsts())
    if clause is not None:
        needs.add(clause)
    return needs


#: One phrasing of one group: (group, phrasing's index in the group).
Ref = tuple[int, int]


class Index:
    """The first words of the phrasings of several groups (each a list of
    phrasings), to find where each phrasing can start in a sentence."""

    __slots__ = ("_cache", "exact", "fallback", "groups", "lengths", "prefixes")

    def __init__(self, groups: Sequence[Sequence[Phrasing]]) -> None:
        self.groups = [tuple(group) for group in groups]
        self.exact: dict[str, list[Ref]] = {}
        self.prefixes: dict[str, list[Ref]] = {}
        self.fallback: list[Ref] = []
        for g, group in enumerate(self.groups):
            for i, phrasing in enumerate(group):
                if phrasing.program is None:
                    self.fallback.append((g, i))
                    continue
                exact: set[str] = set()
                prefixes: set[str] = set()
                for first in phrasing.program.firsts():
                    _heads(first, exact, prefixes)
                for head in exact:
                    self.exact.setdefault(head, []).append((g, i))
                for head in prefixes:
                    self.prefixes.setdefault(head, []).append((g, i))
        self.lengths = sorted({len(head) for head in self.prefixes})
        self._cache: dict[str, tuple[Ref, ...]] = {}

    def _refs(self, word: str) -> tuple[Ref, ...]:
        refs = self._cache.get(word)
        if refs is None:
            found = self.exact.get(word, [])
            for length in self.lengths:
                if length > len(word):
                    break
                more = self.prefixes.get(word[:length])
                if more is not None:
                    found = [*found, *more]
            refs = self._cache[word] = tuple(sorted(set(found))) if found else ()
        return refs

    def candidates(self, text: Text) -> dict[int, list[tuple[int, int]]]:
        """For each group with a phrasing that may match in *text*: the (start,
        phrasing) pairs to try, in order."""
        found: dict[int, list[tuple[int, int]]] = {}
        for start, word in text.words.items():
            refs = self._refs(word)
            if refs and text.word_start(start):
                for g, i in refs:
                    pairs = found.get(g)
                    if pairs is None:
                        found[g] = [(start, i)]
                    else:
                        pairs.append((start, i))
        if self.fallback:
            for g, i in self.fallback:
                pattern = self.groups[g][i].pattern
                pairs = found.setdefault(g, [])
                match = pattern.search(text.text)
                while match is not None:
                    pairs.append((match.start(), i))
                    match = pattern.search(text.text, match.start() + 1)
                pairs.sort()
        return found


def _heads(node: _Node, exact: set[str], prefixes: set[str]) -> None:
    """Add the runs of word characters a match of the word *node* can begin with:
    whole runs to *exact*, beginnings of runs to *prefixes*."""
    assert isinstance(node, _Simple | _Word)
    exact.update(node.exact)
    prefixes.update(node.prefixes)


def first_match(
    text: Text,
    phrasings: Sequence[Phrasing],
    pairs: Sequence[tuple[int, int]],
    exclude: Sequence[Phrasing],
    exclude_pairs: Sequence[tuple[int, int]],
) -> str | None:
    """What ``(?:p1)|(?:p2)|...`` finds first in *text* that overlaps no match of
    the exclusions (found one after another, as ``finditer`` of their
    alternation does): the leftmost match, at one position the first phrasing's;
    when that match is excluded, the search goes on from the next position."""
    excluded: list[tuple[int, int]] | None = None
    decided = -1
    for start, i in pairs:
        if start == decided:
            continue
        end = phrasings[i].at(text, start)
        if end is None:
            continue
        decided = start
        if excluded is None:
            excluded = spans(text, exclude, exclude_pairs)
        if not any(start < x_end and x_start < end for x_start, x_end in excluded):
            return text.text[start:end]
    return None


def spans(
    text: Text, phrasings: Sequence[Phrasing], pairs: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans ``finditer`` of ``(?:p1)|(?:p2)|...`` gives: each search starts
    where the previous match ended (no phrasing matches the empty string)."""
    found: list[tuple[int, int]] = []
    position = 0
    for start, i in pairs:
        if start < position:
            continue
        end = phrasings[i].at(text, start)
        if end is not None:
            found.append((start, end))
            position = end
    return found
