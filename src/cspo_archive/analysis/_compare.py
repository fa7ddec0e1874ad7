"""``compare(old, new)`` and ``timeline(snapshots)``: the comparison engine's front door.

A :class:`Comparison` is built from two snapshots only; every finding in it
points at a :class:`~cspo_archive.analysis.Sentence` of one of the two texts,
so a report can quote and locate its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from attrs import frozen

from cspo_archive.analysis._document import Document
from cspo_archive.analysis._profile import Profile, load_profile
from cspo_archive.analysis.copies import CopyDifferences
from cspo_archive.analysis.language import LanguageChange, analyse_language, compare_language
from cspo_archive.analysis.membership import (
    Membership,
    MembershipChange,
    compare_membership,
    extract_membership,
)
from cspo_archive.analysis.principles import (
    Principles,
    PrinciplesChange,
    compare_principles,
    extract_principles,
)
from cspo_archive.analysis.textdiff import WordDiff, word_diff
from cspo_archive.model import DocumentType, Snapshot, SnapshotRef
from cspo_archive.statements import Copy

__all__ = [
    "Comparison",
    "MetadataChange",
    "NationHistory",
    "PrincipleHistory",
    "Release",
    "Timeline",
    "compare",
    "timeline",
]


@frozen
class MetadataChange:
    """One metadata field that differs between the two snapshots (values as shown to people)."""

    field: str
    old: str
    new: str


@frozen
class Comparison:
    """What changed from ``old`` to ``new``: metadata, membership, principles, language."""

    old: SnapshotRef
    new: SnapshotRef
    old_title: str
    new_title: str
    old_published: dt.date
    new_published: dt.date
    profile_version: str
    metadata: tuple[MetadataChange, ...]
    membership: MembershipChange
    principles: PrinciplesChange
    language: LanguageChange
    diff: WordDiff
    #: How the two snapshots relate: ``"releases"`` (two publications),
    #: ``"revisions"`` (of one page), ``"copies"`` (of one statement by two
    #: publishers) or ``"same"`` (see :mod:`cspo_archive.statements`).
    relation: str = "releases"
    #: For revisions and copies: paragraphs added and omitted, sentences
    #: reworded, words spelled differently (``None`` for releases).
    copies: CopyDifferences | None = None

    @property
    def changed(self) -> bool:
        """Whether anything at all differs (text or metadata)."""
        return self.diff.changed or bool(self.metadata)


_METADATA_FIELDS = (
    "title",
    "publisher",
    "document_type",
    "published",
    "updated",
    "source_url",
    "licence",
    "language",
    "series",
    "tags",
    "captured_at",
)


def _show(value: object) -> str:
    """A metadata value as a person reads it."""
    if value is None:
        return "(none)"
    if isinstance(value, DocumentType):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(_show(v) for v in value) if value else "(none)"
    published = getattr(value, "value", None)
    source = getattr(value, "source", None)
    if isinstance(published, dt.date) and source is not None:
        return f"{published.isoformat()} ({getattr(source, 'value', source)})"
    return str(value)


def metadata_changes(old: Snapshot, new: Snapshot) -> tuple[MetadataChange, ...]:
    """Every metadata field whose shown value differs, in a fixed order."""
    changes = []
    for name in _METADATA_FIELDS:
        before = _show(getattr(old.metadata, name))
        after = _show(getattr(new.metadata, name))
        if before != after:
            changes.append(MetadataChange(name, before, after))
    return tuple(changes)


def _checked(profile: object) -> Profile:
    """*profile*, or the bundled one for ``None``; anything else is refused, saying how."""
    if profile is None:
        return load_profile()
    if isinstance(profile, Profile):
        return profile
    kind = type(profile).__name__
    msg = (
        f"profile must be a Profile, got a {kind}; build one with Profile.from_table(table), "
        "Profile.from_file(path) or load_profile(name)"
    )
    raise TypeError(msg)


def compare(
    old: Snapshot,
    new: Snapshot,
    *,
    profile: Profile | None = None,
    budget_seconds: float | None = None,
    relation: str | None = None,
    progress: Callable[..., None] | None = None,
) -> Comparison:
    """Compare two snapshots: membership, principles, language and metadata,
    with *profile* (the bundled ``cspo`` profile by default).

    *relation* says how the two relate (:func:`cspo_archive.statements.relation`,
    which is asked when it is not given: an archive with assigned document keys
    gives it). For two revisions of one page or two copies of one statement the
    comparison also holds their :class:`~cspo_archive.analysis.copies.CopyDifferences`.

    *progress* is called after each of the five steps (reading the texts, membership,
    principles, language, the word diff) with the step's name.

    Each text is prepared once (:class:`~cspo_archive.analysis.Document`) and
    every analysis reads it with its section of the profile. The word diff is
    exact unless *budget_seconds* is given, in which case
    ``comparison.diff.exact`` says whether the budget cut it short.
    """
    arguments: tuple[tuple[str, object], ...] = (("old", old), ("new", new))
    for name, value in arguments:
        if not isinstance(value, Snapshot):
            kind = type(value).__name__
            msg = f"compare() takes two Snapshots; {name} is {value!r} that is a {kind}"
            raise TypeError(msg)
    prof = _checked(profile)
    step = progress or (lambda count=1, what=None: None)
    before = Document.prepare(old.text, title=old.metadata.title, language=old.metadata.language)
    after = Document.prepare(new.text, title=new.metadata.title, language=new.metadata.language)
    if relation is None:
        from cspo_archive.statements import relation as relation_of

        relation = relation_of(old, new)
    elif relation not in _RELATIONS:
        msg = f"relation must be one of {', '.join(_RELATIONS)}; got {relation!r}"
        raise ValueError(msg)
    copies = None
    if relation in ("revisions", "copies"):
        from cspo_archive.analysis.copies import compare_copies

        copies = compare_copies(before, after)
    step(1, "texts read")
    membership = compare_membership(
        extract_membership(before, prof.membership),
        extract_membership(after, prof.membership),
    )
    step(1, "membership")
    principles = compare_principles(
        extract_principles(before, prof.principles),
        extract_principles(after, prof.principles),
        prof.principles,
    )
    step(1, "principles")
    language = compare_language(
        analyse_language(before, prof.language),
        analyse_language(after, prof.language),
        rules=prof.language,
    )
    step(1, "language")
    diff = word_diff(old.text, new.text, budget_seconds=budget_seconds)
    step(1, "word diff")
    return Comparison(
        old=old.ref,
        new=new.ref,
        old_title=old.metadata.title,
        new_title=new.metadata.title,
        old_published=old.metadata.published.value,
        new_published=new.metadata.published.value,
        profile_version=prof.version,
        metadata=metadata_changes(old, new),
        membership=membership,
        principles=principles,
        language=language,
        diff=diff,
        relation=relation,
        copies=copies,
    )


#: The values of ``Comparison.relation``.
_RELATIONS = ("releases", "revisions", "copies", "same")


# --- timeline --------------------------------------------------------------------


@frozen
class Release:
    """One release in a timeline: a statement, read from one snapshot (``ref``: the
    latest revision of its first published copy), with what it says about
    membership and principles, and every copy of it with its revisions."""

    ref: SnapshotRef
    title: str
    published: dt.date
    document_type: DocumentType
    members: tuple[str, ...] | None
    #: The distinct member totals the text states, ascending.
    stated_totals: tuple[int, ...]
    principles: tuple[str, ...]
    #: Each publisher's copy, the first published first, with its revisions.
    copies: tuple[Copy, ...] = ()
    #: Tone: each category of the profile's lexicons and its rate per 1,000 words.
    tone: tuple[tuple[str, float], ...] = ()
    #: Modality: each modal ("will", "must", "commit"...) and its rate per 1,000 words.
    modality: tuple[tuple[str, float], ...] = ()

    @property
    def revisions(self) -> int:
        """How many snapshots the release has: every revision of every copy."""
        return sum(len(copy.revisions) for copy in self.copies) or 1


@frozen
class NationHistory:
    """When a nation is listed as a member: first and last release, and every release."""

    code: str
    first: str
    first_published: dt.date
    last: str
    last_published: dt.date
    releases: tuple[str, ...]


@frozen
class PrincipleHistory:
    """When a principle is stated: first and last release, and every release."""

    id: str
    label: str
    first: str
    first_published: dt.date
    last: str
    last_published: dt.date
    releases: tuple[str, ...]


@frozen
class Timeline:
    """Membership and principles across releases, oldest first."""

    profile_version: str
    releases: tuple[Release, ...]
    nations: tuple[NationHistory, ...]
    principles: tuple[PrincipleHistory, ...]


def _release(snapshot: Snapshot, prof: Profile, copies: tuple[Copy, ...] = ()) -> Release:
    document = Document.prepare(
        snapshot.text, title=snapshot.metadata.title, language=snapshot.metadata.language
    )
    membership: Membership = extract_membership(document, prof.membership)
    principles: Principles = extract_principles(document, prof.principles)
    language = analyse_language(document, prof.language)
    return Release(
        ref=snapshot.ref,
        title=snapshot.metadata.title,
        published=snapshot.metadata.published.value,
        document_type=snapshot.metadata.document_type,
        members=membership.members,
        stated_totals=tuple(sorted({c.value for c in membership.counts if c.kind == "total"})),
        principles=tuple(hit.principle.id for hit in principles.hits),
        copies=copies,
        tone=tuple((t.category, t.per_1000) for t in language.tone),
        modality=tuple((m.modal, m.per_1000) for m in language.modality),
    )


def _span_of(
    releases: list[Release],
) -> tuple[str, dt.date, str, dt.date, tuple[str, ...]]:
    """First and last release (id and date) and every release id, for a history."""
    first, last = releases[0], releases[-1]
    return (
        first.ref.id,
        first.published,
        last.ref.id,
        last.published,
        tuple(r.ref.id for r in releases),
    )


def timeline(
    snapshots: Iterable[Snapshot],
    *,
    profile: Profile | None = None,
    assigned: Mapping[str, str] | None = None,
) -> Timeline:
    """Per release: members (or unknown), stated counts, principles; across releases:
    when each nation and each principle first and last appears.

    A release is a statement (:func:`cspo_archive.statements.group_statements`):
    copies of one text by several publishers, and revisions of one page, are one
    release, read from the latest revision of its first published copy and listing
    every copy. *assigned* holds the document keys given by hand (an
    :class:`~cspo_archive.Archive` passed as *snapshots* gives its own).

    Each release is analysed once, so the cost grows linearly with the releases
    (grouping the copies: see :mod:`cspo_archive.analysis.copies`).
    """
    from cspo_archive.statements import group_statements

    prof = _checked(profile)
    if assigned is None:
        keys = getattr(snapshots, "document_keys", None)
        assigned = keys() if callable(keys) else None
    by_id = {s.id: s for s in snapshots}
    releases = tuple(
        _release(by_id[statement.copies[0].latest.id], prof, statement.copies)
        for statement in group_statements(by_id.values(), assigned)
    )
    seen_nations: dict[str, list[Release]] = {}
    seen_principles: dict[str, list[Release]] = {}
    for release in releases:
        for code in release.members or ():
            seen_nations.setdefault(code, []).append(release)
        for pid in release.principles:
            seen_principles.setdefault(pid, []).append(release)
    nations = tuple(
        NationHistory(code, *_span_of(rs))
        for code, rs in sorted(seen_nations.items(), key=lambda kv: (kv[1][0].published, kv[0]))
    )
    taxonomy = prof.principles.principles
    labels = {p.id: p.label for p in taxonomy}
    order = {p.id: i for i, p in enumerate(taxonomy)}
    principles = tuple(
        PrincipleHistory(pid, labels.get(pid, pid), *_span_of(rs))
        for pid, rs in sorted(seen_principles.items(), key=lambda kv: order.get(kv[0], len(order)))
    )
    return Timeline(
        profile_version=prof.version,
        releases=releases,
        nations=nations,
        principles=principles,
    )
