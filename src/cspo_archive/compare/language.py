"""How the language moved between two releases: words, keyness, tone, modality,
people, places and documents referred to.

:func:`analyse_language` reads one text into a :class:`Language`;
:func:`compare_language` compares two of them into a :class:`LanguageChange`.
All vocabularies (stopwords, tone lexicons, modal verbs, ranks and titles,
places, documents) are data in the profile's ``[language]`` table
(``profiles/cspo.language.toml``), compiled once per profile.

Words
    A word is a run of letters (digits allowed after the first letter), with
    inner apostrophes (``don't``) and hyphens (``multi-domain``) kept whole;
    text is lowercased, curly apostrophes made straight and a possessive ``'s``
    dropped (``UK's`` → ``uk``). Initialisms written with dots stay one word
    (``U.S.`` → ``u.s.``). Numbers (``2031``, ``£1.4``, ``2-4``) are not words:
    they are counted nowhere. ``words`` is the number of words, stopwords included.

Keyness (:func:`keyness`)
    Log-likelihood G² (Rayson & Garside 2000), two corpora: with ``a``/``b``
    the term's counts and ``c1``/``c2`` the word totals of old/new,
    ``E1 = c1·(a+b)/(c1+c2)``, ``E2 = c2·(a+b)/(c1+c2)`` and
    ``G² = 2·(a·ln(a/E1) + b·ln(b/E2))`` (a zero count adds nothing).
    Effect size: Hardie's (2014) log ratio, ``log2((b/c2)/(a/c1))``, positive
    when the term is more frequent in the new text; a zero count is replaced by
    0.5 so the ratio stays finite (an empty text's total is taken as 1).
    Significance: G² ≥ 6.63 is ``p<0.01``, G² ≥ 3.84 ``p<0.05`` (one degree of
    freedom), else ``ns``. With texts of a few hundred words few terms reach
    significance; the statistic is reported as it is.
    Terms are words and two-word terms (consecutive words of one sentence with
    no punctuation between them, neither word a stopword nor a number). Both are
    normalised by the text's word total.

Tone and modality
    Lexicon entries match words (``threat*`` is a prefix; ``international law``
    a phrase on consecutive words); at each word the longest entry of a category
    wins and its words are used up. Each modal counts on its own ("remain
    committed" also counts as "commit"). "May" capitalised in mid-sentence is the
    month, not the modal.

People
    A person is a name (two to five capitalised words, none of them in
    ``not_name_words``) introduced by a rank (``Air Vice-Marshal``,
    ``Gen.``), an honorific (``the Hon``, ``Dr``), a civilian title written
    before it (``Defence Secretary Ben Wallace``), or followed by a title
    (``Gary Martin, Director Operational Policy, said``). A title is taken
    from after the name (``, Commander UK Space Command,``) or else just before
    the rank (``Chief of Space Operations Gen. Chance Saltzman``). Across two
    releases, people with the same surname and compatible given names (equal,
    one a prefix of at least three letters of the other — ``Harv``/``Harvey``
    — a nickname in the profile, or an initial) are the same person.

Places
    A gazetteer entry, or a capitalised name after ``in``/``at``/``near``, cut
    at the first word of ``not_place_words`` (unless it ends with a place head
    such as ``Base``); an all-capitals first word only if it is a listed prefix
    (``RAF``). Names inside a person's name are skipped.

Documents
    The variants of each document in ``[language.references]``, matched
    case-sensitively on whole words; a year just before or after is included.

Nothing here raises on any input text.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

from cspo_archive.compare._sentences import Sentence, split_sentences
from cspo_archive.exceptions import ArchiveFormatError

__all__ = [
    "Language",
    "LanguageChange",
    "ModalChange",
    "ModalRate",
    "Person",
    "PersonChange",
    "Place",
    "Reference",
    "TermShift",
    "ToneChange",
    "ToneRate",
    "analyse_language",
    "compare_language",
    "keyness",
]

#: Critical values of chi-squared with one degree of freedom.
G2_P01 = 6.63
G2_P05 = 3.84
#: Count used in place of zero in the log ratio (Hardie 2014).
ZERO_CORRECTION = 0.5
_DIGITS = 4


# --- records -------------------------------------------------------------------------


@frozen
class TermShift:
    """A term used more or less often in the new text than in the old one.

    ``log_ratio`` is log2 of new/old normalised frequency (zero counts taken as
    0.5); ``direction`` is ``"more"`` or ``"less"`` (in the new text);
    ``significance`` is ``"p<0.01"``, ``"p<0.05"`` or ``"ns"``.
    """

    term: str
    old_count: int
    new_count: int
    old_per_1000: float
    new_per_1000: float
    g2: float
    log_ratio: float
    direction: str
    significance: str


@frozen
class ToneRate:
    """How often one tone category's words occur: ``terms`` are the words that
    matched and their counts (most frequent first, then alphabetically)."""

    category: str
    count: int
    per_1000: float
    terms: tuple[tuple[str, int], ...]


@frozen
class ModalRate:
    """How often one modal (``will``, ``must``, ``commit``...) occurs."""

    modal: str
    count: int
    per_1000: float


@frozen
class Person:
    """A named person, with rank and title as written, and the sentence naming them."""

    name: str
    rank: str | None
    title: str | None
    sentence: Sentence


@frozen
class Place:
    """A named place and the sentence it is named in."""

    name: str
    sentence: Sentence


@frozen
class Reference:
    """A document referred to: its canonical name, the words used, and the sentence."""

    document: str
    as_written: str
    sentence: Sentence


@frozen
class Language:
    """The language of one text.

    ``vocabulary`` and ``bigrams`` are ``(term, count)`` pairs sorted by term,
    stopwords and numbers left out; ``words`` counts every word.
    """

    words: int
    vocabulary: tuple[tuple[str, int], ...]
    tone: tuple[ToneRate, ...]
    modality: tuple[ModalRate, ...]
    people: tuple[Person, ...]
    places: tuple[Place, ...]
    references: tuple[Reference, ...]
    bigrams: tuple[tuple[str, int], ...] = ()


@frozen
class ToneChange:
    """The change in one tone category's rate: ``change`` is new - old (per 1,000
    words); ``relative_change`` is ``change / old`` (``None`` when old is 0)."""

    category: str
    old_per_1000: float
    new_per_1000: float
    change: float
    relative_change: float | None = None


@frozen
class ModalChange:
    """The change in one modal's count and rate (``change`` is new - old per 1,000)."""

    modal: str
    old_count: int
    new_count: int
    old_per_1000: float
    new_per_1000: float
    change: float


@frozen
class PersonChange:
    """One person across two releases.

    ``status``: ``"same"`` (same rank and title), ``"changed"`` (a new rank or
    title: promoted, moved or retitled), ``"added"`` (only in the new text:
    ``name_old`` is ``None``) or ``"removed"`` (only in the old one).
    """

    name_old: str | None
    name_new: str | None
    rank_old: str | None
    rank_new: str | None
    title_old: str | None
    title_new: str | None
    status: str


@frozen
class LanguageChange:
    """How the language moved from ``old`` to ``new``.

    ``appeared``/``disappeared`` are words (not stopwords, not numbers) found
    only in the new/old text; ``term_shifts`` the ``top`` terms by G² (zero G²
    left out); ``references_*`` are canonical document names.
    """

    old: Language
    new: Language
    term_shifts: tuple[TermShift, ...]
    appeared: tuple[str, ...]
    disappeared: tuple[str, ...]
    tone: tuple[ToneChange, ...]
    modality: tuple[ModalChange, ...]
    people: tuple[PersonChange, ...]
    references_added: tuple[str, ...]
    references_dropped: tuple[str, ...]
    references_kept: tuple[str, ...]


# --- keyness -------------------------------------------------------------------------


def _per_1000(count: float, total: int) -> float:
    return count * 1000.0 / total if total > 0 else 0.0


def _xlnx(observed: int, expected: float) -> float:
    return observed * math.log(observed / expected) if observed > 0 and expected > 0 else 0.0


def _check_counts(name: str, counts: Mapping[str, int], total: int) -> None:
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        msg = f"{name}_total must be a non-negative int (got {total!r})"
        raise ValueError(msg)
    for term, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= total:
            msg = (
                f"{name}_counts[{term!r}] must be an int between 0 and {name}_total={total} "
                f"(got {count!r})"
            )
            raise ValueError(msg)


def keyness(
    old_counts: Mapping[str, int],
    new_counts: Mapping[str, int],
    old_total: int,
    new_total: int,
) -> list[TermShift]:
    """G² and log ratio of every term whose normalised frequency differs.

    Sorted by G² (highest first), then by the size of the log ratio, then by
    term. Terms equally frequent (per word) in both texts are left out: they
    did not shift. Raises :class:`ValueError` if a count is negative or larger
    than its total.
    """
    _check_counts("old", old_counts, old_total)
    _check_counts("new", new_counts, new_total)
    both = old_total + new_total
    shifts: list[TermShift] = []
    for term in set(old_counts) | set(new_counts):
        a = old_counts.get(term, 0)
        b = new_counts.get(term, 0)
        if a * new_total == b * old_total or a + b == 0:
            continue
        expected_old = old_total * (a + b) / both
        expected_new = new_total * (a + b) / both
        g2 = max(0.0, 2.0 * (_xlnx(a, expected_old) + _xlnx(b, expected_new)))
        ratio = (
            (b or ZERO_CORRECTION)
            / max(new_total, 1)
            / ((a or ZERO_CORRECTION) / max(old_total, 1))
        )
        old_rate = a / old_total if old_total else 0.0
        new_rate = b / new_total if new_total else 0.0
        significance = "p<0.01" if g2 >= G2_P01 else "p<0.05" if g2 >= G2_P05 else "ns"
        shifts.append(
            TermShift(
                term=term,
                old_count=a,
                new_count=b,
                old_per_1000=round(_per_1000(a, old_total), _DIGITS),
                new_per_1000=round(_per_1000(b, new_total), _DIGITS),
                g2=round(g2, _DIGITS),
                log_ratio=round(math.log2(ratio), _DIGITS),
                direction="more" if new_rate > old_rate else "less",
                significance=significance,
            )
        )
    shifts.sort(key=lambda s: (-s.g2, -abs(s.log_ratio), s.term))
    return shifts


# --- the compiled profile --------------------------------------------------------------

_PatternTokens = tuple[tuple[str, bool], ...]  # (text, is_prefix) per token


@frozen
class _Lexicon:
    """Entries of one category, compiled: (pattern tokens, entry) longest first."""

    name: str
    entries: tuple[tuple[_PatternTokens, str], ...]


@frozen
class _Compiled:
    stopwords: frozenset[str]
    tone: tuple[_Lexicon, ...]
    modality: tuple[_Lexicon, ...]
    prefix_re: re.Pattern[str] | None
    prefix_kind: Mapping[str, tuple[str, str]]  # normalised prefix -> (kind, canonical)
    title_heads: frozenset[str]
    not_name: frozenset[str]
    nicknames: Mapping[str, frozenset[str]]
    gazetteer_re: re.Pattern[str] | None
    place_prefixes: frozenset[str]
    place_heads: frozenset[str]
    not_place: frozenset[str]
    reference_re: re.Pattern[str] | None
    reference_names: Mapping[str, str]


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        msg = f"profile table [{where}.{key}] must be a table (got {type(value).__name__})"
        raise ArchiveFormatError(msg, path=f"profile:[{where}.{key}]")
    return value


def _words(value: Any, where: str) -> list[str]:
    """A word list: a TOML array of strings, or one string of whitespace-separated words."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    msg = f"profile entry {where} must be a list of strings (got {value!r})"
    raise ArchiveFormatError(msg, path=f"profile:{where}")


def _norm_word(word: str) -> str:
    return word.lower().replace("\u2019", "'").replace("\u2018", "'")


def _pattern(entry: str) -> _PatternTokens:
    tokens = []
    for raw in _norm_word(entry).split():
        prefix = raw.endswith("*")
        tokens.append((raw.rstrip("*"), prefix))
    return tuple(tokens)


def _lexicon(name: str, entries: Iterable[str]) -> _Lexicon:
    compiled = {(_pattern(e), e) for e in entries if _pattern(e)}
    ordered = sorted(compiled, key=lambda pe: (-len(pe[0]), pe[1]))
    return _Lexicon(name, tuple(ordered))


def _flexible(phrase: str) -> str:
    """A regex for *phrase* in which runs of spaces and hyphens are interchangeable."""
    parts = [re.escape(p) for p in re.split(r"[\s\-\u2010\u2011]+", phrase.strip()) if p]
    return r"[\s\-\u2010\u2011]+".join(parts)


def _alternation(phrases: Iterable[str]) -> str:
    unique = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(_flexible(p) for p in unique if p.strip())


def _key(text: str) -> str:
    return " ".join(re.split(r"[\s\-\u2010\u2011]+", text.strip())).casefold()


@functools.lru_cache(maxsize=16)
def _compile(serialised: str) -> _Compiled:
    data: Mapping[str, Any] = json.loads(serialised)
    where = "language"
    stopwords = frozenset(
        _norm_word(w) for w in _words(_table(data, "stopwords", where).get("words", []), where)
    )
    tone = tuple(
        _lexicon(name, _words(spec.get("terms", []), f"language.tone.{name}.terms"))
        for name, spec in _table(data, "tone", where).items()
        if isinstance(spec, Mapping)
    )
    modality = tuple(
        _lexicon(name, _words(entries, f"language.modality.{name}"))
        for name, entries in _table(data, "modality", where).items()
    )
    ranks = _table(data, "ranks", where)
    prefix_kind: dict[str, tuple[str, str]] = {}
    for canonical, variants in _table(ranks, "military", "language.ranks").items():
        for variant in [canonical, *_words(variants, f"language.ranks.military.{canonical}")]:
            prefix_kind.setdefault(_key(variant), ("rank", canonical))
    for honorific in _words(ranks.get("honorifics", []), "language.ranks.honorifics"):
        prefix_kind[_key(honorific)] = ("honorific", honorific)
    for title in _words(ranks.get("civilian", []), "language.ranks.civilian"):
        prefix_kind[_key(title)] = ("title", title)
    # Multi-word variants are listed in the data, so keep them whole: split only lists
    # given as one string.
    military = _table(ranks, "military", "language.ranks")
    written = [
        v
        for canonical, variants in military.items()
        for v in [canonical, *(variants if isinstance(variants, list) else [])]
    ]
    written += list(ranks.get("honorifics", [])) + list(ranks.get("civilian", []))
    alternation = _alternation(w for w in written if isinstance(w, str))
    prefix_re = re.compile(rf"(?<![\w\-.])(?:{alternation})(?![\w\-])") if alternation else None
    nicknames = {
        _norm_word(k): frozenset(_norm_word(v) for v in _words(vs, f"nicknames.{k}"))
        for k, vs in _table(ranks, "nicknames", "language.ranks").items()
    }
    places = _table(data, "places", where)
    gazetteer = _words_list(places.get("gazetteer", []))
    gazetteer_alt = _alternation(gazetteer)
    refs = _table(data, "references", where)
    reference_names: dict[str, str] = {}
    for canonical, variants in refs.items():
        for variant in [*_words_list(variants)]:
            reference_names.setdefault(_key(variant), canonical)
    reference_alt = _alternation(v for vs in refs.values() for v in _words_list(vs))
    return _Compiled(
        stopwords=stopwords,
        tone=tone,
        modality=modality,
        prefix_re=prefix_re,
        prefix_kind=prefix_kind,
        title_heads=frozenset(
            _norm_word(w) for w in _words(ranks.get("title_heads", []), "title_heads")
        ),
        not_name=frozenset(_words(ranks.get("not_name_words", []), "not_name_words")),
        nicknames=nicknames,
        gazetteer_re=re.compile(rf"(?<![\w\-])(?:{gazetteer_alt})(?![\w\-])")
        if gazetteer_alt
        else None,
        place_prefixes=frozenset(_words(places.get("prefixes", []), "places.prefixes")),
        place_heads=frozenset(_words(places.get("place_heads", []), "places.place_heads")),
        not_place=frozenset(_words(places.get("not_place_words", []), "places.not_place_words")),
        reference_re=re.compile(
            rf"(?<![\w\-])(?P<pre>(?:19|20)\d\d\s+)?(?P<core>{reference_alt})"
            rf"(?P<post>\s+(?:19|20)\d\d)?(?![\w\-])"
        )
        if reference_alt
        else None,
        reference_names=reference_names,
    )


def _words_list(value: Any) -> list[str]:
    """A list of phrases (kept whole); a lone string is one phrase."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    msg = f"profile entry must be a list of strings (got {value!r})"
    raise ArchiveFormatError(msg, path="profile:[language]")


def _compiled(profile: Mapping[str, Any] | None) -> _Compiled:
    if profile is None:
        return _default_compiled()
    table = profile.get("language", profile)
    if not isinstance(table, Mapping):
        msg = f"the profile's [language] must be a table (got {type(table).__name__})"
        raise ArchiveFormatError(msg, path="profile:[language]")
    return _compile(json.dumps(table, sort_keys=True, default=str))


@functools.cache
def _default_compiled() -> _Compiled:
    from cspo_archive.profiles import load_profile

    return _compiled(load_profile())


# --- words -----------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_WORD_RE = re.compile(
    rf"(?:{_LETTER}\.){{2,}}"  # U.S., U.K., e.g.
    rf"|[^\W_](?:[\w]|['\u2019](?=[^\W_])|[\-\u2010\u2011](?=[^\W_]))*"
)
_HAS_LETTER = re.compile(_LETTER)
_POSSESSIVE = re.compile(r"'s$")


@frozen
class _Token:
    word: str  # normalised
    raw: str
    start: int  # offset in the sentence
    end: int
    joined: bool  # only white space since the previous word of the sentence


def _tokens(sentence: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end: int | None = None
    for match in _WORD_RE.finditer(sentence):
        raw = match.group()
        gap_clean = previous_end is not None and not sentence[previous_end : match.start()].strip()
        previous_end = match.end()
        if not _HAS_LETTER.search(raw):
            tokens.append(_Token("", raw, match.start(), match.end(), gap_clean))
            continue
        word = _POSSESSIVE.sub("", _norm_word(raw).replace("\u2010", "-").replace("\u2011", "-"))
        tokens.append(_Token(word, raw, match.start(), match.end(), gap_clean))
    return tokens


# --- lexicon matching ----------------------------------------------------------------


def _token_matches(word: str, pattern: tuple[str, bool]) -> bool:
    text, prefix = pattern
    return word.startswith(text) if prefix else word == text


def _candidates(lexicon: _Lexicon, word: str) -> list[tuple[_PatternTokens, str]]:
    """The entries whose first token can match *word*, longest first."""
    return [entry for entry in lexicon.entries if _token_matches(word, entry[0][0])]


def _count_lexicon(lexicon: _Lexicon, sentences: Sequence[list[_Token]]) -> Counter[str]:
    """Matched surface terms and counts (longest entry first, words used once)."""
    found: Counter[str] = Counter()
    cache: dict[str, list[tuple[_PatternTokens, str]]] = {}
    for tokens in sentences:
        i = 0
        while i < len(tokens):
            step = 1
            word = tokens[i].word
            if word:
                if word not in cache:
                    cache[word] = _candidates(lexicon, word)
                for pattern, _entry in cache[word]:
                    n = len(pattern)
                    window = tokens[i : i + n]
                    if len(window) == n and all(
                        t.word and t.joined and _token_matches(t.word, p)
                        for t, p in zip(window[1:], pattern[1:], strict=True)
                    ):
                        found[" ".join(t.word for t in window)] += 1
                        step = n
                        break
            i += step
    return found


def _is_month_may(token: _Token, index: int) -> bool:
    return token.raw == "May" and index > 0


# --- people ----------------------------------------------------------------------------

_UP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_LOW = r"[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f]"
_NAME_WORD = (
    rf"(?:{_UP}\.|(?:Mc|Mac|O['\u2019]|D['\u2019])?{_UP}{_LOW}+(?:{_UP}{_LOW}+)?"
    rf"(?:['\u2019\-]{_UP}?{_LOW}+)*)"
)
_PARTICLE = r"(?:de|du|da|di|van|von|der|den|la|le|del|dos|bin|al)"
_SUFFIX = r"(?:Jr\.?|Sr\.?|II|III|IV)"
_NAME_RE = re.compile(
    rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,4}}"
    rf"(?:,?[ \t]+{_SUFFIX}(?![\w]))?(?![\w\-])"
)
_NAME_ANYWHERE = re.compile(rf"(?<![\w\-.'\u2019])(?:{_NAME_RE.pattern})")
_FULL_WORD = re.compile(rf"{_UP}{_LOW}")
_INITIAL = re.compile(rf"{_UP}\.")
_TITLE_AFTER = re.compile(
    r"(?:[ \t]+[A-Z]{2,6}(?![\w\-.]))*"  # post-nominals: MP, AO, CSC, OBE
    r"\s*,\s+([^,:;()\[\]\"\u201c\u201d]{2,160}?)"
    r"(?=\s*(?:[,:;()]|$)|\s+(?:said|says|added|stated|told|noted)\b)"
)
_CONNECTORS = frozenset({"of", "for", "the", "and", "de", "du", "des"})
_CAP_TOKEN = re.compile(r"^[A-Z\u00c0-\u00de][\w'\u2019.\-]*$")
_SAID = re.compile(r"\s*(?:,\s*)?(?:said|says|added|stated|noted|explained|commented)\b|\s*:")


@frozen
class _Found:
    name: str
    rank: str | None
    title: str | None
    start: int
    end: int


def _clean_title(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().rstrip(".").strip()


def _title_ok(title: str, heads: frozenset[str]) -> bool:
    words = [_norm_word(w).strip(".,'\u2019") for w in title.split()]
    words = [w.removesuffix("'s") for w in words]
    if not words or len(words) > 14:
        return False
    return any(w in heads for w in words[:4])


def _name_tokens(name: str, compiled: _Compiled) -> list[str]:
    """The leading valid words of a matched name (suffixes kept, possessive dropped)."""
    words = name.replace(",", " ").split()
    kept: list[str] = []
    for word in words:
        bare = re.sub(r"['\u2019]s$", "", word)
        if bare in compiled.not_name or _norm_word(bare) in compiled.title_heads:
            break
        kept.append(bare)
        if bare != word:  # a possessive ends the name
            break
    while kept and (_INITIAL.fullmatch(kept[-1]) or re.fullmatch(_PARTICLE, kept[-1])):
        kept.pop()
    return kept


def _full_words(tokens: Sequence[str]) -> int:
    return sum(1 for t in tokens if _FULL_WORD.match(t) and not re.fullmatch(_SUFFIX, t))


def _title_after(sentence: str, end: int, compiled: _Compiled) -> str | None:
    match = _TITLE_AFTER.match(sentence, end)
    if match is None:
        return None
    title = _clean_title(match.group(1))
    return title if _title_ok(title, compiled.title_heads) else None


def _title_before(sentence: str, start: int, compiled: _Compiled) -> str | None:
    """A title written just before *start* ("Chief of Space Operations Gen. ...")."""
    before = sentence[:start].rstrip()
    if before.endswith(","):
        before = before[:-1].rstrip()
    words = before.split()[-10:]
    taken: list[str] = []
    for word in reversed(words):
        if word.lower() in _CONNECTORS or (_CAP_TOKEN.match(word) and not word.endswith(",")):
            taken.append(word)
        else:
            break
    taken.reverse()
    while taken and taken[0].lower() in _CONNECTORS:
        taken.pop(0)
    title = _clean_title(" ".join(taken))
    return title if title and _title_ok(title, compiled.title_heads) else None


def _modifiers_before(sentence: str, start: int, compiled: _Compiled) -> list[str]:
    """Capitalised words just before a title ("Defence" in "Defence Secretary")."""
    taken: list[str] = []
    for word in reversed(sentence[:start].split()[-4:]):
        if not _CAP_TOKEN.match(word) or word.endswith((",", ".", ":", ";")):
            break
        taken.append(word)
    taken.reverse()
    while taken and _norm_word(taken[0]) in compiled.stopwords:
        taken.pop(0)
    return taken


def _civilian(sentence: str, match: re.Match[str], compiled: _Compiled) -> _Found | None:
    """``Minister for Defence Richard Marles``: the title runs on, the name ends it."""
    spans = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", sentence[match.end() :])]
    run: list[tuple[str, int, int]] = []
    for word, s, _e in spans[:12]:
        bare = word if _INITIAL.fullmatch(word) else word.rstrip(',;:.)\u201d"')
        if bare.lower() in _CONNECTORS or bare.lower() == "state" or _CAP_TOKEN.match(bare):
            run.append((bare, s + match.end(), s + match.end() + len(bare)))
        else:
            break
        if bare != word and not _INITIAL.fullmatch(word):
            break
    # The name is the longest trailing run of name words.
    name_part: list[tuple[str, int, int]] = []
    for item in reversed(run):
        word = item[0]
        ok = (
            word not in compiled.not_name
            and _norm_word(word) not in compiled.title_heads
            and word.lower() not in _CONNECTORS
            and (_NAME_WORD_FULL.fullmatch(word) or re.fullmatch(_SUFFIX, word))
        )
        if not ok:
            break
        name_part.append(item)
    name_part.reverse()
    if _full_words([w for w, _, _ in name_part]) < 2 or len(name_part) > 5:
        return None
    title_words = [w for w, _, _ in run[: len(run) - len(name_part)]]
    pre_words = _modifiers_before(sentence, match.start(), compiled)
    title = _clean_title(" ".join([*pre_words, match.group(), *title_words]))
    return _Found(
        " ".join(w for w, _, _ in name_part), None, title, match.start(), name_part[-1][2]
    )


_NAME_WORD_FULL = re.compile(rf"{_NAME_WORD}")


def _people_in(sentence: str, compiled: _Compiled) -> list[_Found]:
    found: list[_Found] = []
    taken_until = -1
    if compiled.prefix_re is not None:
        for match in compiled.prefix_re.finditer(sentence):
            if match.start() < taken_until:
                continue
            kind = compiled.prefix_kind.get(_key(match.group()), ("rank", ""))[0]
            if kind == "title":
                person = _civilian(sentence, match, compiled)
                if person is not None:
                    found.append(person)
                    taken_until = person.end
                continue
            gap = re.match(r"[ \t]+", sentence[match.end() :])
            if gap is None:
                continue
            name_match = _NAME_RE.match(sentence, match.end() + gap.end())
            if name_match is None:
                continue
            tokens = _name_tokens(name_match.group(), compiled)
            full = _full_words(tokens)
            strong = " " in match.group().strip() or "." in match.group()
            if full < 2 and not (full == 1 and strong and kind == "rank"):
                continue
            name = " ".join(tokens)
            end = sentence.index(tokens[-1], name_match.start()) + len(tokens[-1])
            title = _title_after(sentence, end, compiled) or _title_before(
                sentence, match.start(), compiled
            )
            rank = match.group() if kind == "rank" else None
            found.append(_Found(name, rank, title, match.start(), end))
            taken_until = end
    # Names followed by a title: "Gary Martin, Director Operational Policy, said".
    for name_match in _NAME_ANYWHERE.finditer(sentence):
        if any(f.start <= name_match.start() < f.end for f in found):
            continue
        tokens = _name_tokens(name_match.group(), compiled)
        if _full_words(tokens) < 2 or len(tokens) != len(
            name_match.group().replace(",", " ").split()
        ):
            continue
        title = _title_after(sentence, name_match.end(), compiled)
        if title is None:
            continue
        found.append(_Found(" ".join(tokens), None, title, name_match.start(), name_match.end()))
    found.sort(key=lambda f: f.start)
    return found


def _given_and_surname(name: str) -> tuple[str, str]:
    words = [w for w in name.split() if not re.fullmatch(_SUFFIX, w)]
    if not words:
        return "", ""
    surname = _norm_word(words[-1])
    given = _norm_word(words[0]).rstrip(".") if len(words) > 1 else ""
    return given, surname


def _given_compatible(a: str, b: str, nicknames: Mapping[str, frozenset[str]]) -> bool:
    if not a or not b or a == b:
        return True
    if len(a) == 1 or len(b) == 1:  # an initial
        return a[0] == b[0]
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return long_ in nicknames.get(short, frozenset()) or short in nicknames.get(long_, frozenset())


def _same_person(a: str, b: str, compiled: _Compiled) -> bool:
    given_a, surname_a = _given_and_surname(a)
    given_b, surname_b = _given_and_surname(b)
    return (
        bool(surname_a)
        and surname_a == surname_b
        and _given_compatible(given_a, given_b, compiled.nicknames)
    )


# --- places and references --------------------------------------------------------------

_PLACE_AFTER = re.compile(
    r"(?<![\w\-])(?:[Ii]n|[Aa]t|[Nn]ear)[ \t]+"
    r"([A-Z\u00c0-\u00de][\w'\u2019\-]*(?:[ \t]+[A-Z\u00c0-\u00de][\w'\u2019\-]*){0,4})"
)


def _places_in(
    sentence: str, compiled: _Compiled, skip: Sequence[tuple[int, int]]
) -> list[tuple[int, str]]:
    places: dict[int, str] = {}
    if compiled.gazetteer_re is not None:
        for match in compiled.gazetteer_re.finditer(sentence):
            places[match.start()] = match.group()
    for match in _PLACE_AFTER.finditer(sentence):
        start = match.start(1)
        if any(s <= start < e for s, e in skip) or any(
            s <= start < s + len(p) for s, p in places.items()
        ):
            continue
        words = [re.sub(r"['\u2019]s$", "", w) for w in match.group(1).split()]
        if words[-1] in compiled.place_heads:
            kept = words
        else:
            kept = []
            for word in words:
                if word in compiled.not_place:
                    break
                kept.append(word)
        if not kept:
            continue
        first = kept[0]
        titlecase = len(first) > 1 and first[1:2].islower()
        if not titlecase and first not in compiled.place_prefixes:
            continue
        if not titlecase and len(kept) < 2:
            continue
        places[start] = " ".join(kept)
    return sorted(places.items())


def _references_in(sentence: str, compiled: _Compiled) -> list[tuple[str, str]]:
    if compiled.reference_re is None:
        return []
    found = []
    for match in compiled.reference_re.finditer(sentence):
        canonical = compiled.reference_names.get(_key(match.group("core")))
        if canonical is not None:
            found.append((canonical, re.sub(r"\s+", " ", match.group())))
    return found


# --- analysis ----------------------------------------------------------------------------


def _rate(count: int, words: int) -> float:
    return round(_per_1000(count, words), _DIGITS)


def _sorted_terms(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _merge_people(found: Iterable[tuple[_Found, Sentence]], compiled: _Compiled) -> list[Person]:
    """One record per person: the mention with most detail (rank, title), first first."""
    groups: list[list[tuple[_Found, Sentence]]] = []
    for item in found:
        for group in groups:
            if _same_person(group[0][0].name, item[0].name, compiled):
                group.append(item)
                break
        else:
            groups.append([item])
    people = []
    for group in groups:
        best = max(
            enumerate(group),
            key=lambda ie: (ie[1][0].rank is not None, ie[1][0].title is not None, -ie[0]),
        )[1]
        names = sorted((f.name for f, _ in group), key=lambda n: (-len(n), n))
        people.append(Person(names[0], best[0].rank, best[0].title, best[1]))
    return people


def analyse_language(text: str, profile: Mapping[str, Any] | None = None) -> Language:
    """Read *text* into a :class:`Language` using *profile* (default: ``cspo``).

    *profile* is a whole profile (its ``[language]`` table is used) or the
    ``[language]`` table itself.
    """
    compiled = _compiled(profile)
    sentences = split_sentences(text)
    stop = compiled.stopwords
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    token_lists: list[list[_Token]] = []
    modal_lists: list[list[_Token]] = []
    words = 0
    found_people: list[tuple[_Found, Sentence]] = []
    places: list[Place] = []
    references: list[Reference] = []
    for sentence in sentences:
        tokens = _tokens(sentence.text)
        token_lists.append(tokens)
        modal_lists.append(
            [
                _Token("", t.raw, t.start, t.end, t.joined) if _is_month_may(t, i) else t
                for i, t in enumerate(tokens)
            ]
        )
        previous: _Token | None = None
        for token in tokens:
            if token.word:
                words += 1
                if token.word not in stop:
                    unigrams[token.word] += 1
                    if (
                        previous is not None
                        and previous.word
                        and previous.word not in stop
                        and token.joined
                    ):
                        bigrams[f"{previous.word} {token.word}"] += 1
            previous = token
        people = _people_in(sentence.text, compiled)
        found_people.extend((p, sentence) for p in people)
        for canonical, written in _references_in(sentence.text, compiled):
            references.append(Reference(canonical, written, sentence))
        skip = [(p.start, p.end) for p in people]
        for _start, name in _places_in(sentence.text, compiled, skip):
            places.append(Place(name, sentence))
    tone = []
    for lexicon in compiled.tone:
        counts = _count_lexicon(lexicon, token_lists)
        total = sum(counts.values())
        tone.append(ToneRate(lexicon.name, total, _rate(total, words), _sorted_terms(counts)))
    modality = []
    for lexicon in compiled.modality:
        total = sum(_count_lexicon(lexicon, modal_lists).values())
        modality.append(ModalRate(lexicon.name, total, _rate(total, words)))
    return Language(
        words=words,
        vocabulary=tuple(sorted(unigrams.items())),
        tone=tuple(tone),
        modality=tuple(modality),
        people=tuple(_merge_people(found_people, compiled)),
        places=tuple(places),
        references=tuple(references),
        bigrams=tuple(sorted(bigrams.items())),
    )


# --- comparison ---------------------------------------------------------------------------


def _norm_title(title: str | None) -> str | None:
    if title is None:
        return None
    text = re.sub(r"\s+", " ", title.replace(".", "")).strip().casefold()
    return text.removeprefix("the ")


def _canonical_rank(rank: str | None, compiled: _Compiled) -> str | None:
    if rank is None:
        return None
    return compiled.prefix_kind.get(_key(rank), ("rank", rank))[1]


def _compare_people(old: Language, new: Language, compiled: _Compiled) -> Iterator[PersonChange]:
    unmatched = list(new.people)
    for person in old.people:
        match = next((p for p in unmatched if p.name == person.name), None) or next(
            (p for p in unmatched if _same_person(person.name, p.name, compiled)), None
        )
        if match is None:
            yield PersonChange(person.name, None, person.rank, None, person.title, None, "removed")
            continue
        unmatched.remove(match)
        same = _canonical_rank(person.rank, compiled) == _canonical_rank(
            match.rank, compiled
        ) and _norm_title(person.title) == _norm_title(match.title)
        yield PersonChange(
            person.name,
            match.name,
            person.rank,
            match.rank,
            person.title,
            match.title,
            "same" if same else "changed",
        )
    for person in unmatched:
        yield PersonChange(None, person.name, None, person.rank, None, person.title, "added")


def compare_language(old: Language, new: Language, *, top: int = 20) -> LanguageChange:
    """How the language moved from *old* to *new* (the ``top`` term shifts by G²)."""
    compiled = _default_compiled()
    old_counts = dict(old.vocabulary) | dict(old.bigrams)
    new_counts = dict(new.vocabulary) | dict(new.bigrams)
    shifts = [s for s in keyness(old_counts, new_counts, old.words, new.words) if s.g2 > 0]
    old_words = {t for t, _ in old.vocabulary}
    new_words = {t for t, _ in new.vocabulary}
    old_tone = {t.category: t for t in old.tone}
    new_tone = {t.category: t for t in new.tone}
    tone = []
    for category in [*old_tone, *(c for c in new_tone if c not in old_tone)]:
        before = old_tone[category].per_1000 if category in old_tone else 0.0
        after = new_tone[category].per_1000 if category in new_tone else 0.0
        change = round(after - before, _DIGITS)
        relative = round(change / before, _DIGITS) if before else None
        tone.append(ToneChange(category, before, after, change, relative))
    old_modal = {m.modal: m for m in old.modality}
    new_modal = {m.modal: m for m in new.modality}
    modality = []
    for modal in [*old_modal, *(m for m in new_modal if m not in old_modal)]:
        a = old_modal.get(modal, ModalRate(modal, 0, 0.0))
        b = new_modal.get(modal, ModalRate(modal, 0, 0.0))
        modality.append(
            ModalChange(
                modal, a.count, b.count, a.per_1000, b.per_1000, round(b.per_1000 - a.per_1000, 4)
            )
        )
    old_refs = {r.document for r in old.references}
    new_refs = {r.document for r in new.references}
    return LanguageChange(
        old=old,
        new=new,
        term_shifts=tuple(shifts[: max(top, 0)]),
        appeared=tuple(sorted(new_words - old_words)),
        disappeared=tuple(sorted(old_words - new_words)),
        tone=tuple(tone),
        modality=tuple(modality),
        people=tuple(_compare_people(old, new, compiled)),
        references_added=tuple(sorted(new_refs - old_refs)),
        references_dropped=tuple(sorted(old_refs - new_refs)),
        references_kept=tuple(sorted(old_refs & new_refs)),
    )
