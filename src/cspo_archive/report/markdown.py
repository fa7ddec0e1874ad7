"""Markdown reports (GitHub-flavoured): a Comparison or a Timeline, to read and cite on GitHub.

Every piece of text that came from a publication or its metadata goes through
:func:`escape` (or :func:`cell` in a table), so it renders as literal text: no
link, image, raw HTML, emphasis, heading, list or table break can come from
data. The Markdown syntax in the output is this module's own.

The full word diff marks deletions as ``~~struck~~`` and insertions as
``**bold**`` (no raw HTML), around the non-space core of each escaped fragment,
so a fragment that starts or ends with white space still renders.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Sequence

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis import Comparison, Release, Sentence, Timeline
from cspo_archive.analysis.membership import MentionRole, country_name
from cspo_archive.analysis.principles import PrincipleChange, PrincipleHit
from cspo_archive.model import SnapshotRef
from cspo_archive.report._format import join_names, percent, rate, signed, written_as
from cspo_archive.report._summary import comparison_summary, timeline_summary

__all__ = ["autolink", "cell", "code", "escape", "render"]

# --- escaping ------------------------------------------------------------------------

#: C0 and C1 controls (but line feed and tab), DEL, and the bidirectional overrides
#: and isolates that can make text display in another order than it reads.
_CONTROLS = LazyPattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters that can start Markdown syntax anywhere in a line (GitHub-flavoured:
#: emphasis, code, links, images, raw HTML and autolinks, tables, strikethrough,
#: headings, entities, math, e-mail autolinks).
_INLINE = LazyPattern(r"([\\`*_\[\]()<>|~#!&$@])")
#: Block syntax that only counts at the start of a line: list bullets, setext
#: underlines, ordered-list numbers ("2022. " or "1) "; ")" is escaped already).
_LINE_START = LazyPattern(r"^([-+=])|^(\d+)\.")
#: GitHub's extended autolinks: "https://..." in plain text (for "www." see below).
_SCHEME = LazyPattern(r"://")
#: A dot before a letter: GitHub and markdown-it's linkify turn a bare domain
#: ("evil.example", "sub.evil.org/x") into a link, whatever its scheme or lack of one.
#: An escaped dot renders the same and breaks every such domain. The host just after
#: an escaped scheme ("https\\://x.org") is left as it is: no renderer links it.
_DOMAIN_DOT = LazyPattern(r"(\\://[A-Za-z0-9.-]*)|\.(?=[^\W\d_])")
#: A URL safe to show as an angle-bracket autolink.
_SAFE_URL = LazyPattern(r"https?://[^\s<>`\\\"'\x00-\x1f\x7f]+", re.IGNORECASE)


def clean(text: str) -> str:
    """*text* with control characters (but ``\\n`` and tab) replaced by U+FFFD."""
    return _CONTROLS.sub("\ufffd", text)


def escape(text: str, *, line_start: bool = True) -> str:
    """*text* as Markdown that renders as exactly this text (on one or more lines).

    Markdown specials are backslash-escaped; with *line_start* (the default)
    block syntax at the start of each line is escaped too, and leading white
    space is dropped (four spaces would start a code block).
    """
    out = _INLINE.sub(r"\\\1", clean(text))
    out = _SCHEME.sub(r"\\://", out)
    out = _DOMAIN_DOT().sub(_escape_domain, out)
    if not line_start:
        return out
    return "\n".join(_LINE_START().sub(_escape_start, line.lstrip()) for line in out.split("\n"))


def _escape_domain(match: re.Match[str]) -> str:
    return match.group(1) or "\\."


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\."


def cell(text: str) -> str:
    """*text* escaped for a table cell: on one line, ``|`` escaped, never empty."""
    flat = " ".join(clean(text).split())
    return escape(flat) if flat else " "


def code(text: str) -> str:
    """*text* as a code span (for snapshot ids and digests, which are validated slugs)."""
    flat = " ".join(clean(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def autolink(url: str) -> str:
    """An http(s) URL as ``<url>`` (a link on GitHub); anything else as escaped text."""
    if _SAFE_URL.fullmatch(url):
        return f"<{url}>"
    return escape(url, line_start=False)


def quote(sentence: Sentence | str) -> str:
    """A sentence in curly quotes, escaped, on one line."""
    text = sentence.text if isinstance(sentence, Sentence) else sentence
    return "“" + cell(text).strip() + "”"


def where(sentence: Sentence) -> str:
    """Where a sentence stands, as people count: "¶3, sentence 7" (both 1-based)."""
    return f"¶{sentence.paragraph + 1}, sentence {sentence.index + 1}"


def _ref(ref: SnapshotRef) -> str:
    return code(f"{ref.id}@{ref.digest}" if ref.digest else ref.id)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> list[str]:
    """A GFM table; *header* is trusted text, cells must be escaped already.

    *align* has one letter per column: ``l`` (default) or ``r``.
    """
    marks = ["---:" if align[i : i + 1] == "r" else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _truncated(items: Sequence[str], limit: int) -> str:
    shown = ", ".join(escape(item, line_start=False) for item in items[:limit])
    if not items:
        return "none"
    if len(items) > limit:
        shown += f" … and {len(items) - limit} more"
    return shown


# --- comparison ----------------------------------------------------------------------


def _header(c: Comparison) -> list[str]:
    title = f"{escape(c.old_title, line_start=False)} → {escape(c.new_title, line_start=False)}"
    sources = {m.field: (m.old, m.new) for m in c.metadata}
    published = sources.get("published")
    old_date = escape(published[0], line_start=False) if published else c.old_published.isoformat()
    new_date = escape(published[1], line_start=False) if published else c.new_published.isoformat()
    return [
        f"# {title}",
        "",
        f"**Old:** {_ref(c.old)}, published {old_date}\\",
        f"**New:** {_ref(c.new)}, published {new_date}\\",
        f"Compared with profile version {escape(c.profile_version, line_start=False)}.",
        "",
        "## Summary",
        "",
        escape(comparison_summary(c)),
        "",
    ]


def _members(c: Comparison) -> list[str]:
    m = c.membership
    lines = ["## Members", ""]
    if m.comparable:
        lines.append(f"Listed members: {m.old_count} in the old text, {m.new_count} in the new.")
        lines.append("")
        rows = [
            *((x, "+ joined") for x in m.joined),
            *((x, "\u2212 left") for x in m.left),
            *((x, "continuing") for x in m.continuing),
        ]
        lines += _table(
            ["Nation", "As the text writes it", "ISO code", "Status"],
            (
                [cell(country_name(x)), cell(written_as(m, x)), code(x), status]
                for x, status in rows
            ),
        )
    else:
        if m.old.members is None and m.new.members is None:
            unknown = "neither text lists a"
        else:
            unknown = f"the {'old' if m.old.members is None else 'new'} text lists no"
        lines.append(
            f"**Membership cannot be compared:** {unknown} complete set of member nations "
            "(unknown is not none)."
        )
        lines.append("")
        for name, side, count in (("Old", m.old, m.old_count), ("New", m.new, m.new_count)):
            listed = join_names(side.members) if side.members is not None else "unknown"
            best = f"best count {count}" if count is not None else "no count"
            lines.append(f"- {name} text: members {escape(listed, line_start=False)} ({best})")
    lines.append("")
    lines += _counts(c)
    lines += _geography(c)
    lines += _venues_and_groups(c)
    return lines


def _counts(c: Comparison) -> list[str]:
    rows = []
    for name, side in (("old", c.membership.old), ("new", c.membership.new)):
        for check in side.checks:
            claim = check.claim
            listed = str(check.listed) if check.listed is not None else "unknown"
            rows.append(
                [
                    name,
                    f"{claim.value} ({cell(claim.phrase)})",
                    claim.kind,
                    listed,
                    {"consistent": "✓ consistent", "mismatch": "✗ mismatch"}.get(
                        check.status, "? " + check.status
                    ),
                    f"{quote(claim.sentence)} ({where(claim.sentence)})",
                ]
            )
    lines = ["### Stated member counts", ""]
    if not rows:
        return [*lines, "Neither text states a number of member nations.", ""]
    lines.append(
        "Each count a text claims, checked against the nations it lists "
        "(in the same sentence or in the whole text)."
    )
    lines.append("")
    header = ["Text", "Claim", "Kind", "Listed", "Check", "Sentence"]
    return [*lines, *_table(header, rows, "lllrll"), ""]


def _geography(c: Comparison) -> list[str]:
    rows = []
    for name, side in (("old", c.membership.old), ("new", c.membership.new)):
        for claim in side.geography:
            rows.append(
                [
                    name,
                    cell(claim.phrase),
                    cell(", ".join(claim.continents)) if claim.continents else "unknown",
                    {"consistent": "✓ consistent", "mismatch": "✗ mismatch"}.get(
                        claim.status, "? " + claim.status
                    ),
                    f"{quote(claim.sentence)} ({where(claim.sentence)})",
                ]
            )
    if not rows:
        return []
    header = ["Text", "Claim", "Continents of the listed members", "Check", "Sentence"]
    return ["### Geography claims", "", *_table(header, rows), ""]


def _venues_and_groups(c: Comparison) -> list[str]:
    rows = []
    for name, side in (("old", c.membership.old), ("new", c.membership.new)):
        members = set(side.members or ())
        seen: set[tuple[str, str]] = set()
        for mention in side.mentions:
            if mention.role == MentionRole.VENUE:
                kind = "venue or host"
            elif mention.role == MentionRole.OTHER and mention.code not in members:
                kind = "named, not as a member"
            else:
                continue
            if (mention.code, kind) in seen:
                continue
            seen.add((mention.code, kind))
            rows.append(
                [
                    name,
                    f"{cell(country_name(mention.code))} ({code(mention.code)})",
                    kind,
                    f"{quote(mention.sentence)} ({where(mention.sentence)})",
                ]
            )
        seen_groups: set[str] = set()
        for group in side.groups:
            if group.name in seen_groups:
                continue
            seen_groups.add(group.name)
            rows.append(
                [
                    name,
                    cell(group.name),
                    "other grouping",
                    f"{quote(group.sentence)} ({where(group.sentence)})",
                ]
            )
    if not rows:
        return []
    lines = ["### Venues, other nations and other groupings", ""]
    lines.append("First mention in each text; none of these counts as a member.")
    lines.append("")
    return [*lines, *_table(["Text", "Named", "As", "First sentence"], rows), ""]


_STATUS_TITLES = {
    "added": "Added",
    "dropped": "Dropped",
    "reworded": "Reworded",
    "retained": "Retained (same sentences)",
}


def highlighted(text: str, phrase: str | None) -> str:
    """*text* quoted like :func:`quote`, with *phrase* (found in it regardless of case
    and of straight or curly apostrophes) in bold: the words that matched."""
    spot = matched_span(text, phrase)
    if spot is None:
        return quote(text)
    start, end = spot
    parts = [" ".join(clean(part).split()) for part in (text[:start], text[start:end], text[end:])]
    before, core, after = (escape(part, line_start=False) for part in parts)
    lead = " " if before and text[start - 1].isspace() else ""
    trail = " " if after and text[end].isspace() else ""
    return f"“{before}{lead}**{core}**{trail}{after}”"


def matched_span(text: str, phrase: str | None) -> tuple[int, int] | None:
    """Where *phrase* stands in *text* (case and apostrophes aside), or ``None``."""
    if not phrase:
        return None
    fold = text.replace("\u2019", "'").casefold()
    at = fold.find(phrase.replace("\u2019", "'").casefold())
    return None if at < 0 else (at, at + len(phrase))


def _evidence(
    sentences: Sequence[Sentence], side: str, phrases: dict[int, str] | None = None
) -> list[str]:
    lines = []
    for sentence in sentences:
        shown = highlighted(sentence.text, (phrases or {}).get(sentence.index))
        lines += [f"> {shown}\\", f"> — {side} text, {where(sentence)}", ""]
    return lines


def _phrases(hits: Sequence[PrincipleHit], principle_id: str) -> dict[int, str]:
    """The phrase matched in each sentence stating the principle, by sentence index."""
    for hit in hits:
        if hit.principle.id == principle_id:
            return {s.index: m for s, m in zip(hit.evidence, hit.matches, strict=True)}
    return {}


def _principle(change: PrincipleChange, c: Comparison) -> list[str]:
    p = change.principle
    counts = f"{_plural(change.old_count, 'sentence')} → {_plural(change.new_count, 'sentence')}"
    lines = [f"#### {escape(p.label, line_start=False)}", ""]
    lines += [f"{code(p.id)} ({escape(p.group, line_start=False)}): {counts}.", ""]
    old = _phrases(c.principles.old.hits, p.id)
    new = _phrases(c.principles.new.hits, p.id)
    if change.status == "retained":
        return lines + _evidence(change.new_evidence, "both texts; new", new)
    if change.old_evidence:
        lines += _evidence(change.old_evidence, "old", old)
    if change.new_evidence:
        lines += _evidence(change.new_evidence, "new", new)
    return lines


def _principles(c: Comparison) -> list[str]:
    p = c.principles
    lines = ["## Principles", ""]
    version = p.new.taxonomy_version
    lines.append(
        f"The principles of the taxonomy (version {escape(version, line_start=False)}) "
        "that each text states, with every sentence that states them (the words that "
        "matched in bold)."
    )
    lines.append("")
    if not p.changes:
        lines += ["Neither text states a principle of the taxonomy.", ""]
    counts = ", ".join(
        f"{sum(1 for ch in p.changes if ch.status == status)} {status}"
        for status in ("added", "dropped", "reworded", "retained")
    )
    if p.changes:
        lines += [f"In all: {counts}.", ""]
    for status in ("added", "dropped", "reworded", "retained"):
        changes = [ch for ch in p.changes if ch.status == status]
        if not changes:
            continue
        lines += [f"### {_STATUS_TITLES[status]} ({len(changes)})", ""]
        for change in changes:
            lines += _principle(change, c)
    lines += ["### Unclassified commitments", ""]
    if not p.new_unclassified:
        lines += ["The new text makes no new commitment outside the taxonomy.", ""]
    else:
        lines.append(
            "Sentences of the new text that make a commitment but state no principle "
            "of the taxonomy (and are not in the old text)."
        )
        lines.append("")
        for commitment in p.new_unclassified:
            lines += [
                f"> {quote(commitment.sentence)}\\",
                f"> — new text, {where(commitment.sentence)}; marker {quote(commitment.marker)}",
                "",
            ]
    return lines


def _language(c: Comparison) -> list[str]:
    d, lang = c.diff, c.language
    lines = ["## Language", ""]
    lines.append(
        f"{percent(d.similarity)} of words unchanged (Dice similarity): "
        f"{d.words_added} words added, {d.words_removed} removed "
        f"({d.words_old} words in the old text, {d.words_new} in the new)."
    )
    lines.append("")
    lines += ["### Term shifts", ""]
    if lang.term_shifts:
        lines.append(
            "Terms by log-likelihood G² (higher is a stronger shift); the log ratio is "
            "log₂ of the new rate over the old (positive: more frequent in the new text). "
            "G² ≥ 3.84 is p<0.05, G² ≥ 6.63 p<0.01; with texts of a few hundred words "
            "few shifts reach significance."
        )
        lines.append("")
        rows = [
            [
                cell(s.term),
                f"{s.old_count} → {s.new_count}",
                f"{rate(s.old_per_1000)} → {rate(s.new_per_1000)}",
                f"{s.g2:.2f}",
                signed(s.log_ratio, 2),
                s.significance,
            ]
            for s in lang.term_shifts
        ]
        header = ["Term", "Count", "Per 1,000 words", "G²", "Log ratio", "Significance"]
        lines += [*_table(header, rows, "lrrrrl"), ""]
    else:
        lines += ["No term shifted.", ""]
    lines += ["### Tone", ""]
    if lang.tone:
        rows = [
            [
                cell(t.category),
                rate(t.old_per_1000),
                rate(t.new_per_1000),
                signed(t.change),
                "—" if t.relative_change is None else f"{t.relative_change * 100:+.0f}%",
            ]
            for t in lang.tone
        ]
        header = ["Category", "Old per 1,000", "New per 1,000", "Change", "Relative"]
        lines += [*_table(header, rows, "lrrrr"), ""]
    else:
        lines += ["No tone lexicon in the profile.", ""]
    lines += ["### Modality", ""]
    used = [m for m in lang.modality if m.old_count or m.new_count]
    if used:
        rows = [
            [
                cell(m.modal),
                f"{m.old_count} → {m.new_count}",
                f"{rate(m.old_per_1000)} → {rate(m.new_per_1000)}",
                signed(m.change),
            ]
            for m in used
        ]
        lines += [*_table(["Modal", "Count", "Per 1,000 words", "Change"], rows, "lrrr")]
        unused = len(lang.modality) - len(used)
        if unused:
            lines += ["", f"{_plural(unused, 'other modal')} of the profile occur in neither text."]
        lines.append("")
    else:
        lines += ["No modal of the profile occurs in either text.", ""]
    lines += _people(c)
    lines += ["### Documents referred to", ""]
    for label, items in (
        ("Added", lang.references_added),
        ("Dropped", lang.references_dropped),
        ("In both", lang.references_kept),
    ):
        lines.append(f"- {label}: {_truncated(items, 50)}")
    lines += ["", "### Vocabulary", ""]
    lines.append(
        "Words (not stopwords, not numbers) found in only one of the texts, alphabetically."
    )
    lines.append("")
    lines.append(f"- Appeared ({len(lang.appeared)}): {_truncated(lang.appeared, 60)}")
    lines.append(f"- Disappeared ({len(lang.disappeared)}): {_truncated(lang.disappeared, 60)}")
    lines.append("")
    return lines


def _person(name: str | None, rank: str | None, title: str | None) -> str:
    if name is None:
        return "—"
    parts = [p for p in (rank, name) if p]
    shown = escape(" ".join(parts), line_start=False)
    if title:
        shown += f", {escape(title, line_start=False)}"
    return shown.replace("\n", " ")


def _people(c: Comparison) -> list[str]:
    lines = ["### People", ""]
    people = c.language.people
    if not people:
        return [*lines, "Neither text names a person with a rank or title.", ""]
    labels = {
        "changed": "rank or title changed",
        "added": "+ only new",
        "removed": "\u2212 only old",
    }
    rows = [
        [
            _person(p.name_old, p.rank_old, p.title_old),
            _person(p.name_new, p.rank_new, p.title_new),
            labels.get(p.status, p.status),
        ]
        for p in people
    ]
    return [*lines, *_table(["Old text", "New text", "Status"], rows), ""]


def _metadata(c: Comparison) -> list[str]:
    lines = ["## Metadata changes", ""]
    if not c.metadata:
        return [*lines, "No metadata field differs.", ""]

    def value(field: str, text: str) -> str:
        return autolink(text) if field == "source_url" else cell(text)

    rows = [
        [cell(m.field.replace("_", " ")), value(m.field, m.old), value(m.field, m.new)]
        for m in c.metadata
    ]
    return [*lines, *_table(["Field", "Old", "New"], rows), ""]


# --- the word diff -----------------------------------------------------------------------


def _is_punct(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char)[0] in "PS"


def _word_char(char: str) -> bool:
    """Neither white space nor punctuation: where an emphasis marker may not touch punctuation."""
    return bool(char) and not char.isspace() and not _is_punct(char)


def _word_run(text: str, *, at_end: bool) -> str:
    """The word characters (see :func:`_word_char`) at the end (or start) of *text*."""
    if at_end:
        n = len(text)
        while n and _word_char(text[n - 1]):
            n -= 1
        return text[n:]
    n = 0
    while n < len(text) and _word_char(text[n]):
        n += 1
    return text[:n]


def _mark(raw: str, marker: str, *, line_start: bool) -> str:
    """*raw* struck (``~~``) or strong (``**``), its white space outside the markers."""
    text = escape(raw, line_start=line_start)
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{core}{marker}{trail}"


def _render_line(segments: list[tuple[int, str]]) -> str:
    """One line of the diff: ``(op, raw text)`` segments → Markdown.

    Consecutive changes make one change: the old words struck, then the new ones
    strong. CommonMark does not open or close a marker between a word character
    and punctuation ("UK~~,~~"), so where a change starts or ends with punctuation
    against a word, that word moves into the change on both sides ("~~UK,~~ **UK**"):
    the Markdown needs no character reference and still reads word by word.
    """
    # Drop leading white space (four spaces would make a code block).
    while segments and not segments[0][1].strip():
        segments = segments[1:]
    if segments:
        segments[0] = (segments[0][0], segments[0][1].lstrip())
    items: list[list[str]] = []  # ["", text] (unchanged) or [old, new] (a change)
    changed: list[bool] = []
    for op, raw in segments:
        if op == 0:
            items.append(["", raw])
            changed.append(False)
            continue
        if not changed or not changed[-1]:
            items.append(["", ""])
            changed.append(True)
        items[-1][0 if op < 0 else 1] += raw
    while _moved_words(items, changed):
        items, changed = _merged(items, changed)
    pieces: list[str] = []
    for k, (old, new) in enumerate(items):
        start = not pieces
        if not changed[k]:
            pieces.append(escape(new, line_start=start))
        elif not (old.strip() or new.strip()):
            pieces.append(escape(old + new, line_start=start))  # white space only
        else:
            struck = _mark(old, "~~", line_start=start) if old else ""
            strong = _mark(new, "**", line_start=start and not old) if new else ""
            if (
                struck.strip()
                and strong.strip()
                and not (struck[-1].isspace() or strong[0].isspace())
            ):
                struck += " "  # "~~UK,~~ **UK**", not "~~UK,~~**UK**"
            pieces += [struck, strong]
    return "".join(pieces).rstrip()


def _merged(items: list[list[str]], changed: list[bool]) -> tuple[list[list[str]], list[bool]]:
    """*items* with the unchanged text that moving words emptied gone, and the changes
    it separated made one (two markers side by side would not render)."""
    merged: list[list[str]] = []
    flags: list[bool] = []
    for item, flag in zip(items, changed, strict=True):
        if not flag and not item[1]:
            continue
        if flag and flags and flags[-1]:
            merged[-1] = [merged[-1][0] + item[0], merged[-1][1] + item[1]]
            continue
        merged.append(list(item))
        flags.append(flag)
    return merged, flags


def _moved_words(items: list[list[str]], changed: list[bool]) -> bool:
    """Move into each change the word its punctuation touches (see :func:`_render_line`);
    whether any unchanged text was emptied (then the changes around it must merge)."""
    emptied = False
    for k, item in enumerate(items):
        if not changed[k] or not (item[0].strip() or item[1].strip()):
            continue
        old, new = item
        first = old if old.strip() else new
        before = old if first is new else ""  # white space of the old side comes first
        if (
            first[0] not in string.whitespace
            and _is_punct(first[0])
            and not before
            and k > 0
            and not changed[k - 1]
        ):
            word = _word_run(items[k - 1][1], at_end=True)
            if word:
                items[k - 1][1] = items[k - 1][1][: -len(word)]
                old, new = word + old, word + new
                emptied = emptied or not items[k - 1][1]
        last = new if new.strip() else old
        if (
            last[-1] not in string.whitespace
            and _is_punct(last[-1])
            and k + 1 < len(items)
            and not changed[k + 1]
        ):
            word = _word_run(items[k + 1][1], at_end=False)
            if word:
                items[k + 1][1] = items[k + 1][1][len(word) :]
                old, new = old + word, new + word
                emptied = emptied or not items[k + 1][1]
        item[0], item[1] = old, new
    return emptied


def _diff_lines(ops: Sequence[tuple[int, str]]) -> list[str]:
    lines: list[list[tuple[int, str]]] = [[]]
    for op, text in ops:
        parts = text.split("\n")
        for n, part in enumerate(parts):
            if n:
                lines.append([])
            if part:
                lines[-1].append((op, part))
    rendered = [_render_line(line) for line in lines]
    out: list[str] = []
    for n, line in enumerate(rendered):
        following = rendered[n + 1] if n + 1 < len(rendered) else ""
        # Keep line breaks inside a paragraph (a trailing backslash is a hard break).
        out.append(line + "\\" if line and following else line)
    while out and not out[-1]:
        out.pop()
    return out


def _full_diff(c: Comparison) -> list[str]:
    d = c.diff
    lines = ["## Full word diff", ""]
    if not d.exact:
        lines += [
            "> [!WARNING]",
            "> **This diff is not exact.** The search was cut short by its time budget, "
            "so some unchanged passages are shown as deleted and inserted again. The "
            "word counts above come from this diff too.",
            "",
        ]
    if not d.changed:
        return [*lines, "The texts are identical.", ""]
    lines += [
        "Legend: ~~struck through~~ is only in the old text, **bold** only in the new; "
        "everything else is in both. Paragraphs follow the new text, with removed "
        "paragraphs in place.",
        "",
        "---",
        "",
    ]
    return [*lines, *_diff_lines(d.ops), "", "---", ""]


def _copies(c: Comparison) -> list[str]:
    """For copies of one statement or revisions of one page: how they differ."""
    d = c.copies
    if d is None:
        return []
    side = "copy" if c.relation == "copies" else "revision"
    heading = "Copies of one statement" if c.relation == "copies" else "Revisions of one page"
    lines = [f"## {heading}", ""]
    lines += [
        f"{percent(d.similarity)} alike; {_plural(d.same_paragraphs, 'paragraph')} the same "
        f"word for word (spelling aside).",
        "",
    ]
    for items, what in (
        (d.omitted, f"Omitted in the new {side}"),
        (d.added, f"Added in the new {side}"),
    ):
        if items:
            lines += [f"**{what}** ({len(items)}):", ""]
            lines += [f"- {quote(p)}" for p in items]
            lines.append("")
    if d.replaced:
        lines += [f"**Paragraphs replaced** ({len(d.replaced)}):", ""]
        rows = [[quote(r.old), quote(r.new)] for r in d.replaced]
        lines += [*_table(["Old", "New"], rows), ""]
    if d.reworded:
        lines += [f"**Sentences reworded** ({len(d.reworded)}):", ""]
        rows = [
            [quote(r.old) if r.old else "—", quote(r.new) if r.new else "—"] for r in d.reworded
        ]
        lines += [*_table(["Old", "New"], rows), ""]
    if d.spelling:
        total = sum(v.count for v in d.spelling)
        lines += [
            f"**Spelled differently** ({_plural(total, 'word')}; spelling, not change):",
            "",
        ]
        rows = [[cell(v.old), cell(v.new), str(v.count)] for v in d.spelling]
        lines += [*_table(["Old", "New", "Times"], rows, "llr"), ""]
    if d.identical and not d.spelling:
        lines += ["The texts are the same.", ""]
    return lines


def render_comparison(c: Comparison) -> str:
    """A Comparison as a Markdown document."""
    lines = [
        *_header(c),
        *_copies(c),
        *_members(c),
        *_principles(c),
        *_language(c),
        *_metadata(c),
        *_full_diff(c),
    ]
    return _finish(lines)


# --- timeline ---------------------------------------------------------------------------


def render_timeline(t: Timeline) -> str:
    """A Timeline as a Markdown document."""
    releases = t.releases
    lines = ["# CSpO releases: membership and principles over time", ""]
    lines += [f"Profile version {escape(t.profile_version, line_start=False)}.", ""]
    lines += ["## Summary", ""]
    lines += [escape(timeline_summary(t)), ""]
    if not releases:
        return _finish(lines)
    lines += ["## Releases", ""]
    rows = []
    for n, r in enumerate(releases, start=1):
        members = str(len(r.members)) if r.members is not None else "unknown"
        totals = ", ".join(str(x) for x in sorted(set(r.stated_totals))) or "—"
        rows.append(
            [
                str(n),
                r.published.isoformat(),
                cell(r.title),
                cell(r.document_type.value),
                members,
                totals,
                str(len(r.principles)),
                str(max(len(r.copies), 1)),
            ]
        )
    header = [
        "#",
        "Published",
        "Title",
        "Type",
        "Members listed",
        "Stated total",
        "Principles",
        "Copies",
    ]
    lines += [*_table(header, rows, "rlllrrrr"), ""]
    lines += ["References (id and SHA-256 digest of each release):", ""]
    lines += [f"{n}. {_ref(r.ref)}" for n, r in enumerate(releases, start=1)]
    lines.append("")
    several = [(n, r) for n, r in enumerate(releases, start=1) if r.revisions > 1]
    if several:
        lines += ["## Copies and revisions", ""]
        lines += [
            "A statement published by several publishers is one release; each publisher's "
            "page is a copy, and a page captured again after it changed has revisions "
            "(oldest first). Each release is read from the latest revision of its first copy.",
            "",
        ]
        rows = [
            [
                str(n),
                cell(copy.publisher),
                cell(copy.title),
                copy.published.isoformat(),
                ", ".join(_ref(ref) for ref in copy.revisions),
            ]
            for n, r in several
            for copy in r.copies
        ]
        lines += [*_table(["#", "Publisher", "Title", "Published", "Revisions"], rows, "rllll"), ""]
    columns = [f"{n}" for n in range(1, len(releases) + 1)]
    lines += ["## Members by release", ""]
    if t.nations:
        lines.append(
            "✓ listed as a member, — not listed, ? the release lists no complete "
            "set of members (unknown). Columns are the releases numbered above."
        )
        lines.append("")
        rows = []
        for nation in t.nations:
            marks = []
            for r in releases:
                if r.members is None:
                    marks.append("?")
                else:
                    marks.append("✓" if nation.code in r.members else "—")
            rows.append([f"{cell(country_name(nation.code))} ({code(nation.code)})", *marks])
        lines += [*_table(["Nation", *columns], rows), ""]
    else:
        lines += ["No release lists its members.", ""]
    lines += ["## Principles by release", ""]
    if t.principles:
        lines.append("✓ stated in the release. Columns are the releases numbered above.")
        lines.append("")
        rows = [
            [cell(p.label), *("✓" if r.ref.id in p.releases else " " for r in releases)]
            for p in t.principles
        ]
        lines += [*_table(["Principle", *columns], rows), ""]
    else:
        lines += ["No release states a principle of the taxonomy.", ""]
    lines += _tone_by_release(releases)
    if t.nations:
        number = {r.ref.id: n for n, r in enumerate(releases, start=1)}
        lines += ["## Nations: first and last listed", ""]
        rows = [
            [
                f"{cell(country_name(x.code))} ({code(x.code)})",
                f"{x.first_published.isoformat()} (#{number.get(x.first, '?')})",
                f"{x.last_published.isoformat()} (#{number.get(x.last, '?')})",
                str(len(x.releases)),
            ]
            for x in t.nations
        ]
        header = ["Nation", "First listed", "Last listed", "Releases listing it"]
        lines += [*_table(header, rows, "lllr"), ""]
    return _finish(lines)


def _tone_by_release(releases: Sequence[Release]) -> list[str]:
    """Tone and modality per release: rates per 1,000 words, one row per release."""
    categories = list(dict.fromkeys(name for r in releases for name, _ in r.tone))
    modals = [
        name
        for name in dict.fromkeys(name for r in releases for name, _ in r.modality)
        if any(dict(r.modality).get(name) for r in releases)
    ]
    if not categories and not modals:
        return []
    lines = ["## Tone and modality by release", ""]
    lines += [
        "Rates per 1,000 words: each tone category of the profile's lexicons, and each "
        "modal that any release uses.",
        "",
    ]
    header = ["#", "Published", *(cell(c) for c in categories), *(f"“{cell(m)}”" for m in modals)]
    rows = [
        [
            str(n),
            r.published.isoformat(),
            *(rate(dict(r.tone).get(c, 0.0)) for c in categories),
            *(rate(dict(r.modality).get(m, 0.0)) for m in modals),
        ]
        for n, r in enumerate(releases, start=1)
    ]
    align = "rl" + "r" * (len(categories) + len(modals))
    return [*lines, *_table(header, rows, align), ""]


def _finish(lines: list[str]) -> str:
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def render(result: Comparison | Timeline) -> str:
    """*result* as GitHub-flavoured Markdown (deterministic: no dates of rendering)."""
    value: object = result
    if isinstance(value, Comparison):
        return render_comparison(value)
    if isinstance(value, Timeline):
        return render_timeline(value)
    msg = f"render() takes a Comparison or a Timeline (got a {type(result).__name__})"
    raise TypeError(msg)
