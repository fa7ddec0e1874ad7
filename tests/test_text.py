"""Ids, slugs, digests and canonical text (the rules in ``cspo_archive._text``)."""

from __future__ import annotations

import datetime as dt
import difflib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspo_archive import InvalidIdError, _text, canonicalize, make_id, slugify
from cspo_archive._text import (
    MAX_ID_LENGTH,
    SUGGESTION_POOL,
    canonical_problem,
    check_id,
    close_ids,
)

HOSTILE_IDS = [
    "",
    "../x",
    "..",
    ".",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..\\x",
    "C:",
    "c:\\windows",
    "%2e%2e",
    "%2e%2e%2fx",
    "a\x00b",
    "a\nb",
    "a\tb",
    " a",
    "a ",
    "A-B",
    "-a",
    "a-",
    "a--b",
    "a_b",
    "a.b",
    "\u0430bc",  # Cyrillic a
    "ab\u200bc",  # zero-width space
    "abc\u202e",  # right-to-left override
    "\uff41\uff42\uff43",  # full-width letters
    "x" * (MAX_ID_LENGTH + 1),
    "con",
    "nul",
    "lpt1",
]


@pytest.mark.parametrize("value", HOSTILE_IDS)
def test_hostile_ids_are_rejected(value: str) -> None:
    """Path tricks, controls, look-alikes, case, and over-long ids raise InvalidIdError."""
    with pytest.raises(InvalidIdError) as info:
        check_id(value)
    assert info.value.value == value


@pytest.mark.parametrize("value", [None, 12, b"abc", ["a"]])
def test_non_string_ids_are_rejected_with_their_type(value: object) -> None:
    """A non-str id is refused and the message names its type."""
    with pytest.raises(InvalidIdError, match=type(value).__name__):
        check_id(value)


def test_invalid_id_message_points_at_the_bad_character() -> None:
    """The message quotes the id, the bad character, its position and the fix."""
    with pytest.raises(InvalidIdError) as info:
        check_id("2025-12-17-a/b")
    message = str(info.value)
    assert "'/'" in message
    assert "position 12" in message
    assert "make_id" in message


def test_invalid_id_error_is_also_a_value_error() -> None:
    """Callers may catch the builtin ValueError."""
    with pytest.raises(ValueError, match="not valid"):
        check_id("A")


@given(st.text(max_size=200))
def test_any_accepted_id_is_a_plain_file_name(value: str) -> None:
    """Whatever is accepted has no separator, dot, or non-ASCII character."""
    try:
        check_id(value)
    except InvalidIdError:
        return
    assert set(value) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert 0 < len(value) <= MAX_ID_LENGTH


def test_make_id_follows_the_design() -> None:
    """The id is the published date then the title's slug, apostrophes dropped."""
    title = "Joint Statement from The Combined Space Operations Initiative Principals’ Board"
    expected = (
        "2025-12-17-joint-statement-from-the-combined-space-operations-initiative-principals-board"
    )
    assert expected == make_id(title, dt.date(2025, 12, 17))


def test_make_id_cuts_long_titles_at_a_word_boundary() -> None:
    """A very long title gives an id within the limit, ending on a whole word."""
    title = " ".join(["responsible"] * 40)
    result = make_id(title, dt.date(2022, 2, 22))
    assert len(result) <= MAX_ID_LENGTH
    assert result.endswith("-responsible")


@given(st.text(), st.dates())
def test_make_id_gives_a_valid_id_for_any_title(title: str, date: dt.date) -> None:
    """Any title, even an empty or non-Latin one, gives a valid id."""
    check_id(make_id(title, date))


def test_slugify_folds_accents_and_punctuation() -> None:
    """Accents fold to ASCII; punctuation runs become single hyphens."""
    assert slugify("Réunion à Toulouse — 2–4 December!") == "reunion-a-toulouse-2-4-december"


def test_canonicalize_normalises_everything_it_promises() -> None:
    """NFC, LF, no trailing space, one blank line between paragraphs, one final LF."""
    raw = "\n\n  First line  \r\nCafe\u0301\r\r\n\n\nSecond\t \n\n"
    assert canonicalize(raw) == "  First line\nCafé\n\nSecond\n"


@given(st.text())
def test_canonicalize_is_idempotent(text: str) -> None:
    """Canonicalizing canonical text changes nothing."""
    once = canonicalize(text)
    assert canonicalize(once) == once


def test_canonical_problem_names_control_characters() -> None:
    """NUL and other controls are reported with their code point and offset."""
    assert canonical_problem("ab\x00c\n") == "it contains control character U+0000 at offset 2"


def test_canonical_problem_reports_non_canonical_text() -> None:
    """CRLF text is reported as not canonical, with where it first differs."""
    problem = canonical_problem("a\r\nb\n")
    assert problem is not None
    assert "offset 1" in problem


def test_lazy_pattern_compiles_once_on_first_use() -> None:
    """A LazyPattern compiles nothing until used, then reuses one compiled pattern."""
    from cspo_archive._lazy_re import LazyPattern

    pattern = LazyPattern(r"b+", 0)
    assert not pattern.is_compiled
    assert "not compiled yet" in repr(pattern)
    assert pattern.search("abbc") is not None
    compiled = pattern()
    assert compiled is pattern()
    assert "(compiled)" in repr(pattern)
    assert [m.group() for m in pattern.finditer("b ab bbb")] == ["b", "b", "bbb"]
    assert pattern.sub("-", "abbc") == "a-c"
    assert pattern.fullmatch("bb") is not None
    assert pattern.match("ab") is None
    assert LazyPattern(rb"\d+").search(b"ab12") is not None


def _many_ids(count: int) -> list[str]:
    words = ["space", "vision", "joint", "statement", "coalition", "board", "safe", "uk"]
    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    ids = {
        f"{2000 + rng.randrange(26)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}-"
        + "-".join(rng.choice(words) for _ in range(rng.randint(3, 7)))
        for _ in range(count)
    }
    return sorted(ids)


@given(
    st.text(alphabet="ab-12", max_size=12),
    st.lists(st.text(alphabet="ab-12", min_size=1, max_size=12), max_size=30),
)
def test_close_ids_on_a_small_archive_scores_every_id(query: str, ids: list[str]) -> None:
    """Up to the pool size, every id is scored: the suggestions are the (at most
    three) ids most like the query, whole or as far as a long query goes, from
    difflib's ratio 0.6 up, best first."""

    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, candidate, query).ratio()
        if len(query) < 12:
            return whole
        return max(whole, difflib.SequenceMatcher(None, candidate[: len(query)], query).ratio())

    expected = sorted((c for c in ids if score(c) >= 0.6), key=lambda c: (-score(c), c))
    found = close_ids(query, ids)
    assert [score(c) for c in found] == [score(c) for c in expected[: len(found)]]
    assert len(found) == min(3, len([c for c in ids if score(c) >= 0.6]))


def test_a_mistyped_prefix_finds_its_id() -> None:
    """A prefix with a typo ("2025-12-17-uk-meats") suggests the id it was meant for,
    which scoring the whole id would miss."""
    target = "2025-12-17-uk-meets-with-international-coalition-to-keep-space-safe"
    ids = [target, "2022-02-22-uk-and-partners-publish-vision-for-responsible-space-operations"]
    assert difflib.get_close_matches("2025-12-17-uk-meats", ids, cutoff=0.6) == []
    assert close_ids("2025-12-17-uk-meats", ids) == [target]


def test_close_ids_on_a_large_archive_scores_a_bounded_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On 20,000 ids only a bounded pool is scored, and typos anywhere in an id
    (its end, its slug, its date) still find it."""
    ids = _many_ids(20_000)
    scored: list[int] = []
    real = _text._close

    def counting(word: str, possibilities: list[str], *, n: int, cutoff: float) -> list[str]:
        scored.append(len(possibilities))
        return real(word, possibilities, n=n, cutoff=cutoff)

    monkeypatch.setattr(_text, "_close", counting)
    target = ids[12_345]
    date, slug = target[:10], target[11:]
    wrong_date = ("1999" if date[:4] != "1999" else "1998") + date[4:]
    for typo in (target[:-1] + "x", f"{date}-x{slug[1:]}", f"{wrong_date}-{slug}"):
        assert target in close_ids(typo, ids), typo
    assert scored
    assert max(scored) <= SUGGESTION_POOL
