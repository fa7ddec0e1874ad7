"""How the language moved between two releases: words, keyness, tone, modality,
people, places and documents referred to.

:func:`analyse_language` reads one text into a :class:`Language`;
:func:`compare_language` compares two of them into a :class:`LanguageChange`.
All vocabularies (stopwords, tone lexicons, modal verbs, ranks and titles,
places, documents) are data in a profile's ``[language]`` table (the bundled
``profiles/cspo.toml``), compiled once per profile as its :class:`LanguageRules`.

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
    from after the name (``, Commander of the Northern Fleet,``) or else just before
    the rank (``Chief of the Air Staff Air Marshal Jane Doe``). Across two
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

Cost
    Importing the module compiles nothing: each regular expression is compiled
    on first use (:class:`~cspo_archive._lazy_re.LazyPattern`) and a profile once
    (cached). The lists of ranks, titles, places and documents are found by
    :class:`~cspo_archive.analysis._language_phrases.PhraseMatcher` (the same
    matches as one regular-expression alternation, without compiling it); each
    text is tokenised once, and the lexicons are matched only at the words that
    can start one of their entries.

Nothing here raises on any input text.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis._document import Document, Word, prepared
from cspo_archive.analysis._language_phrases import PhraseMatcher, separator_re
from cspo_archive.analysis._profile_fields import GIVEN, Fields
from cspo_archive.analysis._sentences import Sentence

__all__ = [
    "Language",
    "LanguageChange",
    "LanguageRules",
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


def _check_counts(name: str, counts: Mapping[str, int], total: int) -> None:
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        msg = f"{name}_total must be a non-negative int (got {total!r})"
        raise ValueError(msg)
    for term, count in counts.items():
        if type(count) is int and 0 <= count <= total:
            continue
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= total:
            msg = (
                f"{name}_counts[{term!r}] must be an int between 0 and {name}_total={total} "
                f"(got {count!r})"
            )
            raise ValueError(msg)


# A shift before it becomes a record: (-G², -|log ratio|, term, a, b, G², log ratio,
# G² unrounded); the first three are the sort key (rounded, as reported); the
# significance is read from the unrounded G².
_Row = tuple[float, float, str, int, int, float, float, float]


def _shift_rows(
    old_counts: Mapping[str, int],
    new_counts: Mapping[str, int],
    old_total: int,
    new_total: int,
) -> list[_Row]:
    """Every shifted term as a :data:`_Row`, in the order :func:`keyness` reports them."""
    _check_counts("old", old_counts, old_total)
    _check_counts("new", new_counts, new_total)
    both = old_total + new_total
    old_norm = max(old_total, 1)
    new_norm = max(new_total, 1)
    log = math.log
    log2 = math.log2
    rows: list[_Row] = []
    for term in set(old_counts) | set(new_counts):
        a = old_counts.get(term, 0)
        b = new_counts.get(term, 0)
        if a * new_total == b * old_total or a + b == 0:
            continue
        expected_old = old_total * (a + b) / both
        expected_new = new_total * (a + b) / both
        # a·ln(a/E1) + b·ln(b/E2), a zero count (or expectation) adding nothing
        sum_old = a * log(a / expected_old) if a > 0 and expected_old > 0 else 0.0
        sum_new = b * log(b / expected_new) if b > 0 and expected_new > 0 else 0.0
        exact_g2 = max(0.0, 2.0 * (sum_old + sum_new))
        g2 = round(exact_g2, _DIGITS)
        ratio = (b or ZERO_CORRECTION) / new_norm / ((a or ZERO_CORRECTION) / old_norm)
        log_ratio = round(log2(ratio), _DIGITS)
        rows.append((-g2, -abs(log_ratio), term, a, b, g2, log_ratio, exact_g2))
    rows.sort()
    return rows


def _term_shift(row: _Row, old_total: int, new_total: int) -> TermShift:
    _g, _l, term, a, b, g2, log_ratio, exact_g2 = row
    old_rate = a / old_total if old_total else 0.0
    new_rate = b / new_total if new_total else 0.0
    return TermShift(
        term=term,
        old_count=a,
        new_count=b,
        old_per_1000=round(_per_1000(a, old_total), _DIGITS),
        new_per_1000=round(_per_1000(b, new_total), _DIGITS),
        g2=g2,
        log_ratio=log_ratio,
        direction="more" if new_rate > old_rate else "less",
        significance=("p<0.01" if exact_g2 >= G2_P01 else "p<0.05" if exact_g2 >= G2_P05 else "ns"),
    )


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
    rows = _shift_rows(old_counts, new_counts, old_total, new_total)
    return [_term_shift(row, old_total, new_total) for row in rows]


# --- the compiled profile --------------------------------------------------------------

_PatternTokens = tuple[tuple[str, bool], ...]  # (text, is_prefix) per token


class _Lexicon:
    """Entries of one category, compiled: (pattern tokens, entry) longest first."""

    __slots__ = ("entries", "name")

    def __init__(self, name: str, entries: tuple[tuple[_PatternTokens, str], ...]) -> None:
        self.name = name
        self.entries = entries


class _LexiconIndex:
    """Where the entries of all lexicons can start: by a word's text, or by a prefix.

    :meth:`candidates` gives, for one word, the patterns of each lexicon whose
    first token matches it, in the lexicon's order (longest entry first).

    Kept for speed: trying every entry of every lexicon at each word instead
    doubles the time of :func:`analyse_language` on the three bundled texts
    (1,026 words: 13.1 ms against 6.5 ms, medians of 7), and the difference
    grows with the text.
    """

    __slots__ = ("exact", "prefix_heads", "prefix_lengths", "prefixes")

    def __init__(self, lexicons: Sequence[_Lexicon]) -> None:
        self.exact: dict[str, list[tuple[int, int, _PatternTokens]]] = {}
        self.prefixes: dict[str, list[tuple[int, int, _PatternTokens]]] = {}
        for number, lexicon in enumerate(lexicons):
            for order, (pattern, _entry) in enumerate(lexicon.entries):
                text, prefix = pattern[0]
                table = self.prefixes if prefix else self.exact
                table.setdefault(text, []).append((number, order, pattern))
        self.prefix_lengths = tuple(sorted({len(text) for text in self.prefixes}))
        # The shortest prefix length's worth of each prefix: a word that does not
        # begin with one of these begins with no prefix at all.
        shortest = self.prefix_lengths[0] if self.prefix_lengths else 0
        self.prefix_heads = frozenset(text[:shortest] for text in self.prefixes)

    def candidates(self, word: str) -> dict[int, list[_PatternTokens]]:
        hits = list(self.exact.get(word, ()))
        if word[: self.prefix_lengths[0] if self.prefix_lengths else 0] in self.prefix_heads:
            for length in self.prefix_lengths:
                if length > len(word):
                    break
                hits.extend(self.prefixes.get(word[:length], ()))
        if not hits:
            return {}
        hits.sort(key=lambda hit: (hit[0], hit[1]))
        found: dict[int, list[_PatternTokens]] = {}
        for number, _order, pattern in hits:
            found.setdefault(number, []).append(pattern)
        return found


@frozen(eq=False)
class LanguageRules:
    """A profile's ``[language]`` section, validated and compiled: stop words,
    tone and modality lexicons, ranks and titles, places and documents.

    Built with :meth:`from_table`; an absent table is an empty one.
    """

    stopwords: frozenset[str]
    tone: tuple[_Lexicon, ...]
    modality: tuple[_Lexicon, ...]
    lexicon_index: _LexiconIndex
    prefix_re: PhraseMatcher | None
    #: Normalised rank, honorific or title -> (kind, canonical).
    prefix_kind: Mapping[str, tuple[str, str]]
    title_heads: frozenset[str]
    not_name: frozenset[str]
    nicknames: Mapping[str, frozenset[str]]
    gazetteer_re: PhraseMatcher | None
    place_prefixes: frozenset[str]
    place_heads: frozenset[str]
    not_place: frozenset[str]
    reference_re: PhraseMatcher | None
    reference_names: Mapping[str, str]

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str = GIVEN) -> LanguageRules:
        """Validate and compile a ``[language]`` table read from *source*."""
        data = Fields(table, "language", source)
        data.only(("description", "stopwords", "tone", "modality", "ranks", "places", "references"))
        stopwords_table = data.table("stopwords")
        stopwords = frozenset(_norm_word(w) for w in stopwords_table.strings("words", split=True))
        # Every table is read in the order of its keys, so the lexicons (and reports)
        # follow the names, whatever order the file writes them in.
        tone = []
        for name, spec in sorted(data.table("tone").tables(), key=lambda item: item[0]):
            spec.only(("description", "terms"))
            tone.append(_lexicon(name, spec.strings("terms", split=True)))
        modality = tuple(
            _lexicon(name, entries)
            for name, entries in sorted(data.lists("modality", split=True).items())
        )
        ranks = data.table("ranks")
        ranks.only(
            ("military", "honorifics", "civilian", "title_heads", "not_name_words", "nicknames")
        )
        military = dict(sorted(ranks.lists("military", split=True).items()))
        honorifics = ranks.strings("honorifics", split=True)
        civilian = ranks.strings("civilian", split=True)
        prefix_kind: dict[str, tuple[str, str]] = {}
        for canonical, variants in military.items():
            for variant in (canonical, *variants):
                prefix_kind.setdefault(_key(variant), ("rank", canonical))
        for honorific in honorifics:
            prefix_kind[_key(honorific)] = ("honorific", honorific)
        for title in civilian:
            prefix_kind[_key(title)] = ("title", title)
        # Multi-word variants are listed in the data, so keep them whole: split only
        # lists given as one string.
        written = [v for canonical, variants in military.items() for v in (canonical, *variants)]
        written += [*honorifics, *civilian]
        nicknames = {
            _norm_word(k): frozenset(_norm_word(v) for v in vs)
            for k, vs in ranks.lists("nicknames", split=True).items()
        }
        places = data.table("places")
        places.only(("gazetteer", "prefixes", "place_heads", "not_place_words"))
        references = dict(sorted(data.lists("references").items()))
        reference_names: dict[str, str] = {}
        for canonical, variants in references.items():
            for variant in variants:
                reference_names.setdefault(_key(variant), canonical)
        return cls(
            stopwords=stopwords,
            tone=tuple(tone),
            modality=modality,
            lexicon_index=_LexiconIndex([*tone, *modality]),
            prefix_re=_matcher(written, r"\w\-."),
            prefix_kind=prefix_kind,
            title_heads=frozenset(_norm_word(w) for w in ranks.strings("title_heads", split=True)),
            not_name=frozenset(ranks.strings("not_name_words", split=True)),
            nicknames=nicknames,
            gazetteer_re=_matcher(places.strings("gazetteer"), r"\w\-"),
            place_prefixes=frozenset(places.strings("prefixes", split=True)),
            place_heads=frozenset(places.strings("place_heads", split=True)),
            not_place=frozenset(places.strings("not_place_words", split=True)),
            reference_re=_matcher(
                (v for vs in references.values() for v in vs), r"\w\-", years=True
            ),
            reference_names=reference_names,
        )


def _norm_word(word: str) -> str:
    return word.lower().replace("\u2019", "'").replace("\u2018", "'")


def _pattern(entry: str) -> _PatternTokens:
    tokens = []
    for raw in _norm_word(entry).split():
        prefix = raw.endswith("*")
        tokens.append((raw.rstrip("*"), prefix))
    return tuple(tokens)


def _lexicon(name: str, entries: Iterable[str]) -> _Lexicon:
    compiled = {(pattern, e) for e in entries if (pattern := _pattern(e))}
    ordered = sorted(compiled, key=lambda pe: (-len(pe[0]), pe[1]))
    return _Lexicon(name, tuple(ordered))


def _key(text: str) -> str:
    return " ".join(separator_re().split(text.strip())).casefold()


def _matcher(
    phrases: Iterable[str], not_before: str, *, years: bool = False
) -> PhraseMatcher | None:
    matcher = PhraseMatcher(phrases, not_before, years=years)
    return matcher if matcher else None


def _default_rules() -> LanguageRules:
    from cspo_archive.analysis._profile import load_profile

    return load_profile().language


# --- regular expressions ------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
_UP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de]"
_LOW = r"[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f]"
_NAME_WORD = (
    rf"(?:{_UP}\.|(?:Mc|Mac|O['\u2019]|D['\u2019])?{_UP}{_LOW}+(?:{_UP}{_LOW}+)?"
    rf"(?:['\u2019\-]{_UP}?{_LOW}+)*)"
)
_PARTICLE = r"(?:de|du|da|di|van|von|der|den|la|le|del|dos|bin|al)"
_SUFFIX = r"(?:Jr\.?|Sr\.?|II|III|IV)"
_CONNECTORS = frozenset({"of", "for", "the", "and", "de", "du", "des"})


# Compiled on first use.
_has_letter_re = LazyPattern(_LETTER)
_name_re = LazyPattern(
    rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,4}}"
    rf"(?:,?[ \t]+{_SUFFIX}(?![\w]))?(?![\w\-])"
)
#: Where a name found anywhere may start (then matched with ``_name_re``).
_name_start_re = LazyPattern(rf"(?<![\w\-.'\u2019]){_UP}")
_full_word_re = LazyPattern(rf"{_UP}{_LOW}")
_initial_re = LazyPattern(rf"{_UP}\.")
_particle_re = LazyPattern(_PARTICLE)
_suffix_re = LazyPattern(_SUFFIX)
_title_after_re = LazyPattern(
    r"(?:[ \t]+[A-Z]{2,6}(?![\w\-.]))*"  # post-nominals: MP, AO, CSC, OBE
    r"\s*,\s+([^,:;()\[\]\"\u201c\u201d]{2,160}?)"
    r"(?=\s*(?:[,:;()]|$)|\s+(?:said|says|added|stated|told|noted)\b)"
)
_cap_token_re = LazyPattern(r"^[A-Z\u00c0-\u00de][\w'\u2019.\-]*$")
_place_after_re = LazyPattern(
    r"(?<![\w\-])(?:[Ii]n|[Aa]t|[Nn]ear)[ \t]+"
    r"([A-Z\u00c0-\u00de][\w'\u2019\-]*(?:[ \t]+[A-Z\u00c0-\u00de][\w'\u2019\-]*){0,4})"
)
_possessive_s_re = LazyPattern(r"['\u2019]s$")
_space_run_re = LazyPattern(r"\s+")
_non_space_re = LazyPattern(r"\S+")
_tab_gap_re = LazyPattern(r"[ \t]+")


# --- words -----------------------------------------------------------------------------


def _sentence_words(
    text: str, sentence_words: Sequence[Word], normalised: dict[str, str]
) -> tuple[list[str], list[str], list[bool]]:
    """The words of one sentence of *text*: normalised (``""`` for a number), as
    written, and whether only white space stands between each and the previous word.

    *normalised* caches the normalised form of each word as written.
    """
    words: list[str] = []
    raws: list[str] = []
    joined: list[bool] = []
    previous_end = -1
    has_letter = _has_letter_re()
    for raw, start, end, _ in sentence_words:
        joined.append(
            previous_end >= 0 and (previous_end == start or not text[previous_end:start].strip())
        )
        previous_end = end
        raws.append(raw)
        word = normalised.get(raw)
        if word is None:
            if has_letter.search(raw):
                word = _norm_word(raw).replace("\u2010", "-").replace("\u2011", "-")
                word = word.removesuffix("'s")
            else:
                word = ""
            normalised[raw] = word
        words.append(word)
    return words, raws, joined


# --- lexicon matching ----------------------------------------------------------------


def _count_lexicons(
    compiled: LanguageRules,
    words: Sequence[str],
    modal_words: Sequence[str],
    joined: Sequence[bool],
) -> list[Counter[str]]:
    """Matched surface terms and counts of each lexicon, tone first, then modality.

    ``words``/``joined`` are the words of the whole text, sentence after sentence
    (the first word of a sentence is never joined, so no entry spans two
    sentences); ``modal_words`` the same with "May" the month blanked out. In each
    lexicon the longest entry matching at a word wins and its words are used up.
    """
    index = compiled.lexicon_index
    n_tone = len(compiled.tone)
    n_all = n_tone + len(compiled.modality)
    positions: list[list[int]] = [[] for _ in range(n_all)]
    candidates: dict[str, dict[int, list[_PatternTokens]]] = {}
    for i, word in enumerate(words):
        if not word:
            continue
        found = candidates.get(word)
        if found is None:
            found = candidates[word] = index.candidates(word)
        blank_modal = not modal_words[i]
        for number in found:
            if blank_modal and number >= n_tone:
                continue
            positions[number].append(i)
    counters: list[Counter[str]] = []
    size = len(words)
    for number in range(n_all):
        seq = words if number < n_tone else modal_words
        counter: Counter[str] = Counter()
        taken = 0
        for i in positions[number]:
            if i < taken:
                continue
            for pattern in candidates[seq[i]][number]:
                n = len(pattern)
                if n > 1:
                    if i + n > size:
                        continue
                    ok = True
                    for k in range(1, n):
                        word = seq[i + k]
                        text, prefix = pattern[k]
                        if not (
                            word
                            and joined[i + k]
                            and (word.startswith(text) if prefix else word == text)
                        ):
                            ok = False
                            break
                    if not ok:
                        continue
                counter[" ".join(seq[i : i + n])] += 1
                taken = i + n
                break
        counters.append(counter)
    return counters


# --- people ----------------------------------------------------------------------------


class _Found:
    """A person found in one sentence: name, rank and title as written, and the span."""

    __slots__ = ("end", "name", "rank", "start", "title")

    def __init__(self, name: str, rank: str | None, title: str | None, start: int, end: int):
        self.name = name
        self.rank = rank
        self.title = title
        self.start = start
        self.end = end


def _clean_title(title: str) -> str:
    return _space_run_re.sub(" ", title).strip().rstrip(".").strip()


def _title_ok(title: str, heads: frozenset[str]) -> bool:
    words = [_norm_word(w).strip(".,'\u2019") for w in title.split()]
    words = [w.removesuffix("'s") for w in words]
    if not words or len(words) > 14:
        return False
    return any(w in heads for w in words[:4])


def _name_tokens(name: str, compiled: LanguageRules) -> list[str]:
    """The leading valid words of a matched name (suffixes kept, possessive dropped)."""
    words = name.replace(",", " ").split()
    kept: list[str] = []
    for word in words:
        bare = _possessive_s_re.sub("", word)
        if bare in compiled.not_name or _norm_word(bare) in compiled.title_heads:
            break
        kept.append(bare)
        if bare != word:  # a possessive ends the name
            break
    while kept and (_initial_re.fullmatch(kept[-1]) or _particle_re.fullmatch(kept[-1])):
        kept.pop()
    return kept


def _full_words(tokens: Sequence[str]) -> int:
    full_word, suffix = _full_word_re(), _suffix_re()
    return sum(1 for t in tokens if full_word.match(t) and not suffix.fullmatch(t))


def _title_after(sentence: str, end: int, compiled: LanguageRules) -> str | None:
    match = _title_after_re.match(sentence, end)
    if match is None:
        return None
    title = _clean_title(match.group(1))
    return title if _title_ok(title, compiled.title_heads) else None


def _title_before(sentence: str, start: int, compiled: LanguageRules) -> str | None:
    """A title written just before *start* ("Chief of the Air Staff Air Marshal ...")."""
    before = sentence[:start].rstrip()
    if before.endswith(","):
        before = before[:-1].rstrip()
    words = before.split()[-10:]
    cap_token = _cap_token_re()
    taken: list[str] = []
    for word in reversed(words):
        if word.lower() in _CONNECTORS or (cap_token.match(word) and not word.endswith(",")):
            taken.append(word)
        else:
            break
    taken.reverse()
    while taken and taken[0].lower() in _CONNECTORS:
        taken.pop(0)
    title = _clean_title(" ".join(taken))
    return title if title and _title_ok(title, compiled.title_heads) else None


def _modifiers_before(sentence: str, start: int, compiled: LanguageRules) -> list[str]:
    """Capitalised words just before a title ("Defence" in "Defence Secretary")."""
    cap_token = _cap_token_re()
    taken: list[str] = []
    for word in reversed(sentence[:start].split()[-4:]):
        if not cap_token.match(word) or word.endswith((",", ".", ":", ";")):
            break
        taken.append(word)
    taken.reverse()
    while taken and _norm_word(taken[0]) in compiled.stopwords:
        taken.pop(0)
    return taken


def _civilian(sentence: str, start: int, end: int, compiled: LanguageRules) -> _Found | None:
    """``Minister for Defence Richard Marles``: the title runs on, the name ends it.

    The title (``Minister``) stands at ``sentence[start:end]``.
    """
    initial, cap_token = _initial_re(), _cap_token_re()
    spans = [(m.group(), m.start(), m.end()) for m in _non_space_re.finditer(sentence[end:])]
    run: list[tuple[str, int, int]] = []
    for word, s, _e in spans[:12]:
        bare = word if initial.fullmatch(word) else word.rstrip(',;:.)\u201d"')
        if bare.lower() in _CONNECTORS or bare.lower() == "state" or cap_token.match(bare):
            run.append((bare, s + end, s + end + len(bare)))
        else:
            break
        if bare != word and not initial.fullmatch(word):
            break
    # The name is the longest trailing run of name words.
    name_part: list[tuple[str, int, int]] = []
    for item in reversed(run):
        word = item[0]
        ok = (
            word not in compiled.not_name
            and _norm_word(word) not in compiled.title_heads
            and word.lower() not in _CONNECTORS
            # one name word: ``name`` needs a space or tab to match more than one
            and (_name_re.fullmatch(word) or _suffix_re.fullmatch(word))
        )
        if not ok:
            break
        name_part.append(item)
    name_part.reverse()
    if _full_words([w for w, _, _ in name_part]) < 2 or len(name_part) > 5:
        return None
    title_words = [w for w, _, _ in run[: len(run) - len(name_part)]]
    pre_words = _modifiers_before(sentence, start, compiled)
    title = _clean_title(" ".join([*pre_words, sentence[start:end], *title_words]))
    return _Found(" ".join(w for w, _, _ in name_part), None, title, start, name_part[-1][2])


def _names_anywhere(sentence: str) -> Iterator[re.Match[str]]:
    """Names wherever they start (not inside a word), left to right, not overlapping."""
    taken = 0
    name = _name_re()
    for start in _name_start_re.finditer(sentence):
        if start.start() < taken:
            continue
        match = name.match(sentence, start.start())
        if match is not None:
            taken = match.end()
            yield match


def _people_in(sentence: str, compiled: LanguageRules) -> list[_Found]:
    found: list[_Found] = []
    taken_until = -1
    if compiled.prefix_re is not None:
        for prefix_start, prefix_end, _core_start, _core_end in compiled.prefix_re.finditer(
            sentence
        ):
            if prefix_start < taken_until:
                continue
            prefix = sentence[prefix_start:prefix_end]
            kind = compiled.prefix_kind.get(_key(prefix), ("rank", ""))[0]
            if kind == "title":
                person = _civilian(sentence, prefix_start, prefix_end, compiled)
                if person is not None:
                    found.append(person)
                    taken_until = person.end
                continue
            gap = _tab_gap_re.match(sentence, prefix_end)
            if gap is None:
                continue
            name_match = _name_re.match(sentence, gap.end())
            if name_match is None:
                continue
            tokens = _name_tokens(name_match.group(), compiled)
            full = _full_words(tokens)
            strong = " " in prefix.strip() or "." in prefix
            if full < 2 and not (full == 1 and strong and kind == "rank"):
                continue
            name = " ".join(tokens)
            end = sentence.index(tokens[-1], name_match.start()) + len(tokens[-1])
            title = _title_after(sentence, end, compiled) or _title_before(
                sentence, prefix_start, compiled
            )
            rank = prefix if kind == "rank" else None
            found.append(_Found(name, rank, title, prefix_start, end))
            taken_until = end
    # Names followed by a title: "Gary Martin, Director Operational Policy, said".
    for name_match in _names_anywhere(sentence):
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
    suffix = _suffix_re()
    words = [w for w in name.split() if not suffix.fullmatch(w)]
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


def _same_person(a: str, b: str, compiled: LanguageRules) -> bool:
    given_a, surname_a = _given_and_surname(a)
    given_b, surname_b = _given_and_surname(b)
    return (
        bool(surname_a)
        and surname_a == surname_b
        and _given_compatible(given_a, given_b, compiled.nicknames)
    )


# --- places and references --------------------------------------------------------------


def _places_in(
    sentence: str, compiled: LanguageRules, skip: Sequence[tuple[int, int]]
) -> list[tuple[int, str]]:
    places: dict[int, str] = {}
    if compiled.gazetteer_re is not None:
        for start, end, _core_start, _core_end in compiled.gazetteer_re.finditer(sentence):
            places[start] = sentence[start:end]
    for match in _place_after_re.finditer(sentence):
        start = match.start(1)
        if any(s <= start < e for s, e in skip) or any(
            s <= start < s + len(p) for s, p in places.items()
        ):
            continue
        words = [_possessive_s_re.sub("", w) for w in match.group(1).split()]
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


def _references_in(sentence: str, compiled: LanguageRules) -> list[tuple[str, str]]:
    if compiled.reference_re is None:
        return []
    space_run = _space_run_re()
    found = []
    for start, end, core_start, core_end in compiled.reference_re.finditer(sentence):
        canonical = compiled.reference_names.get(_key(sentence[core_start:core_end]))
        if canonical is not None:
            found.append((canonical, space_run.sub(" ", sentence[start:end])))
    return found


# --- analysis ----------------------------------------------------------------------------


def _rate(count: int, words: int) -> float:
    return round(_per_1000(count, words), _DIGITS)


def _sorted_terms(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _merge_people(
    found: Iterable[tuple[_Found, Sentence]], compiled: LanguageRules
) -> list[Person]:
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


def analyse_language(text: str | Document, rules: LanguageRules | None = None) -> Language:
    """Read *text* into a :class:`Language` with *rules*, a profile's language
    section (the bundled profile's by default)."""
    compiled = rules if rules is not None else _default_rules()
    document = prepared(text)
    sentences = document.sentences
    stop = compiled.stopwords
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    normalised: dict[str, str] = {}
    all_words: list[str] = []
    modal_words: list[str] = []
    all_joined: list[bool] = []
    found_people: list[tuple[_Found, Sentence]] = []
    places: list[Place] = []
    references: list[Reference] = []
    for sentence in sentences:
        sentence_words, raws, joined = _sentence_words(
            document.text, document.words_of(sentence), normalised
        )
        all_words.extend(sentence_words)
        all_joined.extend(joined)
        # "May" after the first word of a sentence is the month, not the modal.
        modal_words.extend(
            "" if i and raw == "May" else word
            for i, (word, raw) in enumerate(zip(sentence_words, raws, strict=True))
        )
        previous = ""
        for word, is_joined in zip(sentence_words, joined, strict=True):
            if word and word not in stop:
                unigrams[word] += 1
                if previous and previous not in stop and is_joined:
                    bigrams[f"{previous} {word}"] += 1
            previous = word
        people = _people_in(sentence.text, compiled)
        found_people.extend((p, sentence) for p in people)
        for canonical, written in _references_in(sentence.text, compiled):
            references.append(Reference(canonical, written, sentence))
        skip = [(p.start, p.end) for p in people]
        for _start, name in _places_in(sentence.text, compiled, skip):
            places.append(Place(name, sentence))
    words = sum(1 for word in all_words if word)
    counters = _count_lexicons(compiled, all_words, modal_words, all_joined)
    tone = []
    for lexicon, counts in zip(compiled.tone, counters, strict=False):
        total = sum(counts.values())
        tone.append(ToneRate(lexicon.name, total, _rate(total, words), _sorted_terms(counts)))
    modality = []
    for lexicon, counts in zip(compiled.modality, counters[len(compiled.tone) :], strict=True):
        total = sum(counts.values())
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
    text = _space_run_re.sub(" ", title.replace(".", "")).strip().casefold()
    return text.removeprefix("the ")


def _canonical_rank(rank: str | None, compiled: LanguageRules) -> str | None:
    if rank is None:
        return None
    return compiled.prefix_kind.get(_key(rank), ("rank", rank))[1]


def _compare_people(
    old: Language, new: Language, compiled: LanguageRules
) -> Iterator[PersonChange]:
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


def _spelled_alike(
    old: Mapping[str, int], new: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, int]]:
    """The two texts' term counts with terms that differ only in spelling
    ("behaviour", "behavior": :func:`~cspo_archive.analysis.copies.fold_word`)
    counted as one, shown as the old text writes it: a British and an American
    copy of one statement do not shift in "behaviour"."""
    from cspo_archive.analysis.copies import fold_word

    shown: dict[str, str] = {}
    for term in [*old, *new]:
        shown.setdefault(" ".join(fold_word(w) for w in term.split(" ")), term)
    if len(shown) == len(set(old) | set(new)):
        return dict(old), dict(new)  # no term is spelled two ways

    def merged(counts: Mapping[str, int]) -> dict[str, int]:
        found: dict[str, int] = {}
        for term, count in counts.items():
            name = shown[" ".join(fold_word(w) for w in term.split(" "))]
            found[name] = found.get(name, 0) + count
        return found

    return merged(old), merged(new)


def compare_language(
    old: Language, new: Language, *, top: int = 20, rules: LanguageRules | None = None
) -> LanguageChange:
    """How the language moved from *old* to *new* (the ``top`` term shifts by G²);
    people are matched across the two by *rules* (the profile's nicknames)."""
    compiled = rules if rules is not None else _default_rules()
    old_counts, new_counts = _spelled_alike(
        dict(old.vocabulary) | dict(old.bigrams), dict(new.vocabulary) | dict(new.bigrams)
    )
    rows = _shift_rows(old_counts, new_counts, old.words, new.words)
    shifts = [
        _term_shift(row, old.words, new.words)
        for row in itertools.islice((r for r in rows if r[5] > 0), max(top, 0))
    ]
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
        term_shifts=tuple(shifts),
        appeared=tuple(sorted(new_words - old_words)),
        disappeared=tuple(sorted(old_words - new_words)),
        tone=tuple(tone),
        modality=tuple(modality),
        people=tuple(_compare_people(old, new, compiled)),
        references_added=tuple(sorted(new_refs - old_refs)),
        references_dropped=tuple(sorted(old_refs - new_refs)),
        references_kept=tuple(sorted(old_refs & new_refs)),
    )
