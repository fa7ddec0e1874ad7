"""Documents, revisions and statements: how the snapshots of an archive relate.

A snapshot is a *revision* of a *document*: the page at one URL, captured once or
several times as it was revised. A *statement* is one text published by several
publishers: each publisher's page is a *copy*, with its own revisions. Nothing
here is stored in a snapshot (released snapshots never change): everything is
derived from what is stored, so every pin made before still verifies.

* The **document key** of a snapshot is the key given to it in the archive's
  append-only ``documents.jsonl`` (:meth:`cspo_archive.Archive.assign_document`,
  for captures without a URL), else its normalised ``source_url``
  (:func:`normalise_url`: ``https``, host in lower case without ``www.``, no
  fragment, no tracking parameters, no trailing ``/``), else its own id (a
  document of one revision).
* **Revisions** of a document are in capture order: ``captured_at`` (or, when it
  was not recorded, the publication date), then the id.
* **Statements** group documents whose texts are copies of one another
  (:func:`cspo_archive.analysis.copies.near_duplicate_groups`); a statement is
  named by the id of its first published snapshot, and its copies come in order of
  first publication.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from attrs import frozen

from cspo_archive._text import counted
from cspo_archive.model import Snapshot, SnapshotRef

if TYPE_CHECKING:
    from cspo_archive.analysis._compare import Comparison
    from cspo_archive.analysis._profile import Profile

__all__ = [
    "Copy",
    "History",
    "Relation",
    "Revision",
    "RevisionChange",
    "Statement",
    "document_key",
    "document_keys",
    "group_statements",
    "history",
    "normalise_url",
    "relation",
    "revisions",
]

#: Query parameters that track a visit and say nothing about the page.
_TRACKING: Final = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_[ce]id|ref|cmpid)$", re.IGNORECASE)
#: What a change note step of a GOV.UK capture looks like (ingest writes it).
_CHANGE_NOTE: Final = "change note: "


def normalise_url(url: str) -> str:
    """*url* as a document key: the same page under its spellings gives one key.

    ``http`` becomes ``https``, the host is lower case without ``www.`` and
    without the default port, the fragment and tracking parameters (``utm_*``,
    ``fbclid``...) go, the other parameters are sorted, and a trailing ``/`` of
    the path goes (the root stays ``/``).
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port is not None and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING.match(k)
        )
    )
    return urlunsplit(("https", host, path, query, ""))


def document_key(snapshot: Snapshot, assigned: Mapping[str, str] | None = None) -> str:
    """The key of the page *snapshot* was read from: the key given by hand
    (*assigned*, by id), else its normalised ``source_url``, else its id. When one
    capture of a page holds several publications, they are told apart by
    :func:`document_keys`, which sees the other snapshots too."""
    if assigned and snapshot.id in assigned:
        return assigned[snapshot.id]
    url = snapshot.metadata.source_url
    return normalise_url(url) if url else snapshot.id


def document_keys(
    snapshots: Iterable[Snapshot], assigned: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The document key of each snapshot, by id: :func:`document_key`, except that
    where one capture of a page holds several publications (a story and the joint
    statement it carries), those are different documents: each later capture's
    publications continue the document whose last revision they are most like
    (from :data:`~cspo_archive.analysis.copies.COPY_THRESHOLD` up), and each
    document's key is the page's key, ``#``, and the id of its first revision
    without the date."""
    pages: dict[str, list[Snapshot]] = {}
    for snapshot in snapshots:
        pages.setdefault(document_key(snapshot, assigned), []).append(snapshot)
    keys: dict[str, str] = {}
    for page, found in pages.items():
        captures = [s.provenance.capture_digest for s in found]
        if len(set(captures)) == len(captures):
            keys.update((s.id, page) for s in found)
            continue
        documents = _split_page(sorted(found, key=_revision_order))
        for document in documents:
            suffix = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", document[0].id)
            keys.update((s.id, f"{page}#{suffix}") for s in document)
    return keys


def _split_page(ordered: Sequence[Snapshot]) -> list[list[Snapshot]]:
    """The publications of one page, several to a capture, as documents (see
    :func:`document_keys`)."""
    from cspo_archive.analysis.copies import COPY_THRESHOLD, similarity

    documents: list[list[Snapshot]] = []
    for snapshot in ordered:
        capture = snapshot.provenance.capture_digest
        best, best_score = None, COPY_THRESHOLD
        for document in documents:
            if any(s.provenance.capture_digest == capture for s in document):
                continue  # one capture holds one revision of a document
            score = similarity(document[-1].text, snapshot.text)
            if score >= best_score:
                best, best_score = document, score
        if best is None:
            documents.append([snapshot])
        else:
            best.append(snapshot)
    return documents


def _captured(snapshot: Snapshot) -> dt.datetime:
    captured = snapshot.metadata.captured_at
    if captured is not None:
        return captured.astimezone(dt.UTC)
    published = snapshot.metadata.published.value
    return dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC)


def _revision_order(snapshot: Snapshot) -> tuple[dt.datetime, str]:
    return _captured(snapshot), snapshot.id


@frozen
class Revision:
    """One revision of a document: which snapshot, its number (1 is the first
    captured), when it was captured (``None``: not recorded), and the change notes
    the capture carries (GOV.UK's, "date: note")."""

    ref: SnapshotRef
    number: int
    title: str
    publisher: str
    published: dt.date
    captured: dt.datetime | None
    change_notes: tuple[str, ...]


def _revision(snapshot: Snapshot, number: int) -> Revision:
    notes = tuple(
        step.removeprefix(_CHANGE_NOTE).removesuffix(" (stated by the page)")
        for step in snapshot.provenance.steps
        if step.startswith(_CHANGE_NOTE)
    )
    return Revision(
        ref=snapshot.ref,
        number=number,
        title=snapshot.metadata.title,
        publisher=snapshot.metadata.publisher,
        published=snapshot.metadata.published.value,
        captured=snapshot.metadata.captured_at,
        change_notes=notes,
    )


def revisions(
    snapshots: Iterable[Snapshot], assigned: Mapping[str, str] | None = None
) -> dict[str, list[Snapshot]]:
    """Every document's snapshots, oldest revision first, by document key
    (:func:`document_keys`)."""
    found = list(snapshots)
    return _by_document(found, document_keys(found, assigned))


def _by_document(
    snapshots: Iterable[Snapshot], keys: Mapping[str, str]
) -> dict[str, list[Snapshot]]:
    """*snapshots* by their document's key (*keys*, by id), oldest revision first."""
    documents: dict[str, list[Snapshot]] = {}
    for snapshot in sorted(snapshots, key=_revision_order):
        documents.setdefault(keys[snapshot.id], []).append(snapshot)
    return documents


@frozen
class Copy:
    """One publisher's copy of a statement: its document and that document's
    revisions, oldest first."""

    document: str
    publisher: str
    title: str
    published: dt.date
    revisions: tuple[SnapshotRef, ...]

    @property
    def latest(self) -> SnapshotRef:
        """The copy's latest revision."""
        return self.revisions[-1]


@frozen
class Statement:
    """One statement and its copies, the first published first. ``id`` is the id of
    the first published copy's first revision."""

    id: str
    title: str
    published: dt.date
    copies: tuple[Copy, ...]

    @property
    def snapshots(self) -> tuple[SnapshotRef, ...]:
        """Every snapshot of the statement: each copy's revisions in turn."""
        return tuple(ref for copy in self.copies for ref in copy.revisions)


def _first_published(snapshots: Sequence[Snapshot]) -> tuple[dt.date, dt.datetime, str]:
    first = min(snapshots, key=lambda s: (s.metadata.published.value, _captured(s), s.id))
    return first.metadata.published.value, _captured(first), first.id


def group_statements(
    snapshots: Iterable[Snapshot], assigned: Mapping[str, str] | None = None
) -> tuple[Statement, ...]:
    """The statements of *snapshots* (see the module), in order of first publication.

    The grouping depends only on the snapshots, never on their order, and a
    snapshot is always in the same statement as its own document's revisions.
    """
    from cspo_archive.analysis.copies import near_duplicate_groups, shingles

    by_id = {s.id: s for s in snapshots}
    documents = revisions(by_id.values(), assigned)
    owner = {s.id: key for key, found in documents.items() for s in found}
    groups = near_duplicate_groups(
        {i: shingles(s.text) for i, s in by_id.items()}, document=owner.__getitem__
    )
    statements: list[Statement] = []
    for group in groups:
        keys = sorted({owner[i] for i in group})
        copies = sorted((documents[key] for key in keys), key=_first_published)
        first = copies[0][0]
        statements.append(
            Statement(
                id=min(
                    copies[0], key=lambda s: (s.metadata.published.value, _revision_order(s))
                ).id,
                title=first.metadata.title,
                published=_first_published(copies[0])[0],
                copies=tuple(
                    Copy(
                        document=owner[found[0].id],
                        publisher=found[-1].metadata.publisher,
                        title=found[-1].metadata.title,
                        published=_first_published(found)[0],
                        revisions=tuple(s.ref for s in found),
                    )
                    for found in copies
                ),
            )
        )
    statements.sort(key=lambda st: (st.published, st.id))
    return tuple(statements)


# --- how two snapshots relate -----------------------------------------------------


class Relation:
    """How two snapshots relate (the values of :func:`relation`)."""

    SAME: Final = "same"
    REVISIONS: Final = "revisions"
    COPIES: Final = "copies"
    RELEASES: Final = "releases"


def relation(old: Snapshot, new: Snapshot, keys: Mapping[str, str] | None = None) -> str:
    """``"same"`` (one snapshot), ``"revisions"`` (one document), ``"copies"`` (one
    statement: texts copies of each other) or ``"releases"`` (anything else).

    *keys* are the document keys of the archive they come from (:func:`document_keys`
    of all its snapshots); without them, those of the two alone."""
    if old.id == new.id:
        return Relation.SAME
    if keys is None or old.id not in keys or new.id not in keys:
        keys = document_keys([old, new])
    if keys[old.id] == keys[new.id]:
        return Relation.REVISIONS
    from cspo_archive.analysis.copies import COPY_THRESHOLD, similarity

    if similarity(old.text, new.text) >= COPY_THRESHOLD:
        return Relation.COPIES
    return Relation.RELEASES


# --- history ----------------------------------------------------------------------


@frozen
class RevisionChange:
    """What changed from one revision of a document to the next."""

    revision: Revision
    #: Nations the revision lists as members and the one before did not, and back.
    joined: tuple[str, ...]
    left: tuple[str, ...]
    #: Principles (ids) the revision states and the one before did not, and back.
    principles_added: tuple[str, ...]
    principles_dropped: tuple[str, ...]
    #: One line on the words: "3 words added, 1 removed; 1 paragraph added".
    summary: str


@frozen
class History:
    """A document's revisions, oldest first, each with what changed from the one
    before (the first: what it is)."""

    document: str
    revisions: tuple[RevisionChange, ...]


def history(
    snapshots: Iterable[Snapshot],
    key_or_id: str,
    *,
    profile: Profile | None = None,
    assigned: Mapping[str, str] | None = None,
) -> History:
    """The history of the document *key_or_id* names: a document key, a URL of the
    document, or the id of one of its snapshots. Raises
    :class:`~cspo_archive.exceptions.DocumentNotFoundError` (a ``KeyError``) naming what was
    looked for when no snapshot belongs to it."""
    from cspo_archive.analysis._compare import compare
    from cspo_archive.exceptions import DocumentNotFoundError

    found = list(snapshots)
    keys = document_keys(found, assigned)
    documents = _by_document(found, keys)
    key = key_or_id
    if key not in documents:
        if key in keys:
            key = keys[key]
        elif re.match(r"^https?://", key, re.IGNORECASE):
            key = normalise_url(key)
    if key not in documents:
        known = ", ".join(sorted(documents)[:5])
        msg = (
            f"no snapshot is a revision of {key_or_id!r}; give a snapshot id, the page's URL "
            f"or a document key (such as {known})"
        )
        raise DocumentNotFoundError(msg, document=key_or_id)
    ordered = documents[key]
    changes: list[RevisionChange] = []
    for number, snapshot in enumerate(ordered, 1):
        revision = _revision(snapshot, number)
        if number == 1:
            words = len(snapshot.text.split())
            changes.append(
                RevisionChange(revision, (), (), (), (), f"first capture, {words:,} words")
            )
            continue
        comparison = compare(
            ordered[number - 2], snapshot, profile=profile, relation=Relation.REVISIONS
        )
        membership = comparison.membership
        principles = comparison.principles
        changes.append(
            RevisionChange(
                revision,
                joined=membership.joined,
                left=membership.left,
                principles_added=tuple(p.principle.id for p in principles.added),
                principles_dropped=tuple(p.principle.id for p in principles.dropped),
                summary=_summary(comparison),
            )
        )
    return History(key, tuple(changes))


def _summary(comparison: Comparison) -> str:
    """One line on what the words did: counts, then paragraphs and sentences."""
    diff = comparison.diff
    if not diff.changed:
        return "text unchanged"
    parts = [f"{diff.words_added:,} words added, {diff.words_removed:,} removed"]
    copies = comparison.copies
    if copies is not None:
        for count, what in (
            (len(copies.added), "paragraph added"),
            (len(copies.omitted), "paragraph removed"),
            (len(copies.replaced), "paragraph replaced"),
            (len(copies.reworded), "sentence reworded"),
            (sum(v.count for v in copies.spelling), "word spelled differently"),
        ):
            if count:
                parts.append(counted(count, what))
    return "; ".join(parts)
