"""Plain-text reports for a terminal: a readable summary, not the full diff.

With ``color=True`` headers are bold, additions green, removals red and
evidence dim (ANSI escape codes); every coloured item also carries a text cue
(``+``/``\u2212``), so nothing depends on colour. With ``color=False`` the output
holds no escape code at all. Text from publications and metadata has its
control characters (C0, C1, DEL, bidirectional overrides) replaced by U+FFFD,
so data can never emit an escape sequence of its own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis import Comparison, Release, Sentence, Timeline
from cspo_archive.analysis.membership import MembershipChange, country_name
from cspo_archive.report._format import join_names, percent, rate, signed, written_as
from cspo_archive.report._summary import comparison_summary, timeline_summary

__all__ = ["clean", "render"]

WIDTH = 88
_EVIDENCE = 76
_CONTROLS = LazyPattern(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MINUS = "\u2212"
_CODES = {"bold": "1", "dim": "2", "green": "32", "red": "31", "yellow": "33"}


def clean(text: str) -> str:
    """*text* with control characters but ``\\n`` replaced by U+FFFD (tabs by a space)."""
    return _CONTROLS.sub("\ufffd", text.replace("\t", " "))


def _line(text: str) -> str:
    return " ".join(clean(text).split())


def _short(text: str, width: int = _EVIDENCE) -> str:
    flat = _line(text)
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        return f"\x1b[{_CODES[style]}m{text}\x1b[0m"


def _where(sentence: Sentence) -> str:
    return f"¶{sentence.paragraph + 1}, sentence {sentence.index + 1}"


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        _line(text),
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def _comparison(c: Comparison, s: _Style) -> list[str]:
    old_ref = f"{c.old.id}@{c.old.digest}" if c.old.digest else c.old.id
    new_ref = f"{c.new.id}@{c.new.digest}" if c.new.digest else c.new.id
    lines = [
        *(s("bold", line) for line in _wrap(f"{c.old_title} → {c.new_title}")),
        f"  old: {c.old_published.isoformat()}  {_line(old_ref)}",
        f"  new: {c.new_published.isoformat()}  {_line(new_ref)}",
        f"  profile version {_line(c.profile_version)}",
        "",
        *_wrap(comparison_summary(c)),
        "",
        *_copies(c, s),
    ]
    m = c.membership
    lines.append(s("bold", "Members"))
    if m.comparable:
        lines.append(f"  {m.old_count} → {m.new_count} nations listed")
        for code in m.joined:
            lines.append(s("green", f"  + joined: {_named(m, code)}"))
        for code in m.left:
            lines.append(s("red", f"  {MINUS} left: {_named(m, code)}"))
        if not (m.joined or m.left):
            lines.append("  no nation joined or left")
    else:
        for name, side in (("old", m.old), ("new", m.new)):
            listed = join_names(side.members) if side.members is not None else "unknown"
            lines.extend(_wrap(f"{name}: members {listed}", "  "))
    for name, side in (("old", m.old), ("new", m.new)):
        for check in side.checks:
            mark = {"consistent": "✓", "mismatch": "✗"}.get(check.status, "?")
            listed = "unknown" if check.listed is None else str(check.listed)
            lines.append(
                f"  {mark} {name} states {check.claim.value} ({_line(check.claim.phrase)}): "
                f"{check.status}, {listed} listed"
            )
    lines.append("")
    lines.append(s("bold", "Principles"))
    p = c.principles
    if not p.changes:
        lines.append("  neither text states a principle of the taxonomy")
    for status in ("added", "dropped", "reworded"):
        for change in p.changes:
            if change.status != status:
                continue
            cue, style, evidence, which = {
                "added": ("+", "green", change.new_evidence, "new"),
                "dropped": (MINUS, "red", change.old_evidence, "old"),
                "reworded": ("~", "yellow", change.new_evidence, "new"),
            }[status]
            label = _line(change.principle.label)
            lines.append(s(style, f"  {cue} {status}: {label}"))
            if evidence:
                where = f"      {which} {_where(evidence[0])}: "
                quote = f"“{_short(evidence[0].text, WIDTH - len(where) - 2)}”"
                lines.append(s("dim", where + quote))
    if p.retained:
        lines.append(f"  = {len(p.retained)} stated in the same sentences")
    if p.new_unclassified:
        count = len(p.new_unclassified)
        noun = "commitment" if count == 1 else "commitments"
        lines.append(f"  ? {count} new {noun} outside the taxonomy (unclassified)")
    lines.append("")
    lang, d = c.language, c.diff
    lines.append(s("bold", "Language"))
    lines.append(
        f"  {percent(d.similarity)} of words unchanged; "
        + s("green", f"+{d.words_added} added")
        + ", "
        + s("red", f"{MINUS}{d.words_removed} removed")
    )
    if not d.exact:
        lines.append(s("bold", "  ! the diff is not exact (time budget reached)"))
    if lang.term_shifts:
        lines.append("  top term shifts (count old → new, G², significance):")
        for shift in lang.term_shifts[:5]:
            cue, style = ("+", "green") if shift.direction == "more" else (MINUS, "red")
            lines.append(
                s(
                    style,
                    f"    {cue} {_short(shift.term, 40)}: {shift.old_count} → {shift.new_count}, "
                    f"G² {shift.g2:.2f}, {shift.significance}",
                )
            )
    for tone in lang.tone:
        lines.append(
            f"  tone {_line(tone.category)}: {rate(tone.old_per_1000)} → "
            f"{rate(tone.new_per_1000)} per 1,000 words ({signed(tone.change)})"
        )
    lines.append("")
    lines.append(s("bold", "Metadata changes"))
    if not c.metadata:
        lines.append("  none")
    for meta in c.metadata:
        lines.append(f"  {meta.field.replace('_', ' ')}:")
        lines.append(s("red", f"    {MINUS} {_short(meta.old, WIDTH - 6)}"))
        lines.append(s("green", f"    + {_short(meta.new, WIDTH - 6)}"))
    lines.append("")
    lines.append(
        s("dim", "Full evidence and word diff: render with --format md (or --format html).")
    )
    return lines


def _copies(c: Comparison, s: _Style) -> list[str]:
    """Copies of one statement or revisions of one page: how they differ."""
    d = c.copies
    if d is None:
        return []
    side = "copy" if c.relation == "copies" else "revision"
    heading = "Copies of one statement" if c.relation == "copies" else "Revisions of one page"
    lines = [
        s("bold", heading),
        f"  {percent(d.similarity)} alike, {d.same_paragraphs} paragraphs the same",
    ]
    for text in d.omitted:
        lines.append(s("red", f"  {MINUS} omitted in the new {side}: “{_short(text, WIDTH - 36)}”"))
    for text in d.added:
        lines.append(s("green", f"  + added in the new {side}: “{_short(text, WIDTH - 34)}”"))
    for pair in d.replaced:
        lines.append(s("yellow", f"  ~ paragraph replaced: “{_short(pair.old, WIDTH - 28)}”"))
        lines.append(s("yellow", f"      by “{_short(pair.new, WIDTH - 12)}”"))
    for pair in d.reworded:
        lines.append(s("yellow", f"  ~ reworded: “{_short(pair.old or '—', WIDTH - 18)}”"))
        lines.append(s("yellow", f"      as “{_short(pair.new or '—', WIDTH - 12)}”"))
    if d.spelling:
        total = sum(v.count for v in d.spelling)
        shown = ", ".join(f"{v.old}/{v.new}" for v in d.spelling[:6])
        more = ", …" if len(d.spelling) > 6 else ""
        lines += _wrap(f"spelled differently, not counted as change ({total}): {shown}{more}", "  ")
    lines.append("")
    return lines


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(col.ljust(w) for col, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _timeline(t: Timeline, s: _Style) -> list[str]:
    lines = [
        s("bold", "CSpO releases: membership and principles over time"),
        f"  profile version {_line(t.profile_version)}",
        "",
        *_wrap(timeline_summary(t)),
        "",
    ]
    if not t.releases:
        return lines
    lines.append(s("bold", "Releases"))
    rows = [["#", "published", "members", "stated", "principles", "copies", "title"]]
    for n, r in enumerate(t.releases, start=1):
        rows.append(
            [
                str(n),
                r.published.isoformat(),
                str(len(r.members)) if r.members is not None else "unknown",
                ", ".join(str(x) for x in sorted(set(r.stated_totals))) or "—",
                str(len(r.principles)),
                _copy_count(r),
                _short(r.title, 40),
            ]
        )
    lines += [*_table(rows), ""]
    several = [(n, r) for n, r in enumerate(t.releases, start=1) if r.revisions > 1]
    if several:
        lines.append(s("bold", "Copies and revisions"))
        for n, r in several:
            for copy in r.copies:
                count = len(copy.revisions)
                revised = f", {count} revisions" if count > 1 else ""
                lines.append(
                    f"  #{n} {_short(copy.publisher, 40)}{revised}: {_line(copy.latest.id)}"
                )
        lines.append("")
    if t.nations:
        lines.append(s("bold", "Nations: first listed"))
        number = {r.ref.id: n for n, r in enumerate(t.releases, start=1)}
        for nation in t.nations:
            first = f"{nation.first_published.isoformat()} (#{number.get(nation.first, '?')})"
            lines.append(f"  {first}  {country_name(nation.code)} ({nation.code})")
        lines.append("")
    lines.append(s("dim", "Per-release tables of nations and principles: --format md or html."))
    return lines


def _copy_count(release: Release) -> str:
    """ "1", or "2 (3 rev.)": copies, and snapshots when copies were revised."""
    copies = max(len(release.copies), 1)
    if release.revisions > copies:
        return f"{copies} ({release.revisions} rev.)"
    return str(copies)


def render(result: Comparison | Timeline, *, color: bool = False) -> str:
    """*result* as text for a terminal, ANSI-coloured with *color* (deterministic)."""
    style = _Style(color)
    value: object = result
    if isinstance(value, Comparison):
        lines = _comparison(value, style)
    elif isinstance(value, Timeline):
        lines = _timeline(value, style)
    else:
        msg = f"render() takes a Comparison or a Timeline (got a {type(result).__name__})"
        raise TypeError(msg)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _named(change: MembershipChange, code: str) -> str:
    """ "Italy (ITA)", and how the text writes it when that is another name
    ("United Kingdom (GBR), written “the UK”")."""
    name, written = country_name(code), written_as(change, code)
    if written.removeprefix("the ").removeprefix("The ") == name:
        return f"{name} ({code})"
    return f"{name} ({code}), written \u201c{_line(written)}\u201d"
