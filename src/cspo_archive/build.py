"""From ingested publications to snapshots, and the recipe the bundled archive is built from.

:func:`make_snapshot` joins what ingest found in a capture (text, title, stated
dates, document type, provenance) with what the caller knows (publisher,
licence, URL, a date from another source). Anything the caller passes wins
over what ingest found, and a date from the caller must say where it came from.

:func:`build_archive` replays a *recipe*: a TOML file listing raw captures by
digest and, for each publication they hold, the metadata that cannot be read
from the capture. ``snapshots/recipe.toml`` is the recipe of the bundled
archive; re-running it from the raw captures gives byte-identical snapshots.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
from attrs import frozen

from cspo_archive._text import canonicalize, is_digest, make_id, sha256_digest
from cspo_archive.archive import Archive
from cspo_archive.exceptions import (
    ArchiveFormatError,
    CspoArchiveError,
    IngestError,
    InvalidMetadataError,
)
from cspo_archive.ingestion import Ingested, Publication, ingest
from cspo_archive.model import (
    DateSource,
    DocumentType,
    Metadata,
    PublishedDate,
    Snapshot,
)

__all__ = ["BuildResult", "build_archive", "find_publication", "make_snapshot"]

#: Recipe formats: 1 makes provenance as cspo-archive 0.1 did (no media type or
#: extractor: the bundled archive's released snapshots); 2 records them.
RECIPE_FORMAT_VERSIONS = (1, 2)


def _same_title(a: str, b: str) -> bool:
    """Titles compared as a reader would: case, white space and quote style ignored."""

    def norm(s: str) -> str:
        s = canonicalize(s).strip().casefold()
        s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
        return " ".join(s.replace("\u201d", '"').split())

    return norm(a) == norm(b)


def find_publication(ingested: Ingested, title: str | None) -> Publication:
    """Pick the publication of *ingested* whose title is *title*.

    With ``title=None`` the capture must hold exactly one publication.
    """
    pubs = ingested.publications
    found = "; ".join(f"{i}. {p.title!r}" for i, p in enumerate(pubs, 1))
    source = ingested.name or ingested.digest
    if title is None:
        if len(pubs) == 1:
            return pubs[0]
        msg = f"{source} holds {len(pubs)} publications ({found}); say which one by its title"
        raise IngestError(msg, source=source)
    matches = [p for p in pubs if _same_title(p.title, title)]
    if len(matches) == 1:
        return matches[0]
    if not matches and len(pubs) == 1:
        # One publication and a title given by the caller: the caller's title wins.
        return pubs[0]
    msg = f"{source} holds no publication titled {title!r}; it holds: {found}"
    raise IngestError(msg, source=source)


def make_snapshot(
    ingested: Ingested,
    publication: Publication,
    *,
    publisher: str | None = None,
    licence: str = "not recorded",
    capture_method: str | None = None,
    title: str | None = None,
    published: PublishedDate | None = None,
    document_type: DocumentType | str | None = None,
    source_url: str | None = None,
    updated: Iterable[dt.date] = (),
    captured_at: dt.datetime | None = None,
    language: str | None = None,
    series: str | None = None,
    tags: Iterable[str] = (),
    snapshot_id: str | None = None,
    record_extractor: bool = True,
) -> Snapshot:
    """Make the snapshot of one publication of *ingested*.

    The id defaults to ``<published date>-<slug of title>``. A publication
    whose capture states no date needs *published* (with its source and a
    note saying where it came from); one whose type ingest could not tell
    needs *document_type*. ``record_extractor=False`` makes provenance as
    cspo-archive 0.1 did, without media type and extractor (see
    :meth:`Ingested.provenance`).

    What is not passed is taken from what the page states about itself
    (:attr:`Ingested.facts`: publisher, canonical URL, language) and from how
    it was fetched (:attr:`Ingested.fetch`: final URL, time); else the
    publisher and licence are ``not recorded``, the language ``en``, and the
    capture method is said from the capture's kind.
    """
    facts, fetch = ingested.facts, ingested.fetch
    if publisher is None:
        publisher = facts.publisher or "not recorded"
    if capture_method is None:
        capture_method = _capture_method(ingested)
    if source_url is None:
        source_url = facts.canonical_url or (fetch.final_url if fetch else None)
    if captured_at is None and fetch is not None:
        captured_at = fetch.fetched_at
    if language is None:
        language = facts.language or "en"
    date = published or publication.published
    where = f"publication {publication.title!r} of {ingested.name or ingested.digest}"
    if date is None:
        msg = (
            f"{where} states no publication date; pass one with where it came from, e.g. "
            f"PublishedDate(date(2022, 2, 22), DateSource.EXTERNAL, 'joint release of ...') "
            f"(on the command line: --published 2022-02-22 --date-source external "
            f"--date-note '...')"
        )
        raise InvalidMetadataError(msg, field="published", value=None)
    kind = document_type if document_type is not None else publication.document_type
    if kind is None:
        choices = ", ".join(t.value for t in DocumentType)
        msg = (
            f"{where}: its document type could not be read from the capture; pass one of {choices}"
        )
        raise InvalidMetadataError(msg, field="document_type", value=None)
    metadata = Metadata(
        title=title or publication.title,
        publisher=publisher,
        document_type=kind,  # the converter takes str too
        published=date,
        licence=licence,
        source_url=source_url,
        updated=tuple(sorted(set(updated) | set(publication.updated))),
        captured_at=captured_at,
        language=language,
        series=series,
        tags=tuple(sorted(set(tags))),
    )
    return Snapshot(
        id=snapshot_id or make_id(metadata.title, date.value),
        metadata=metadata,
        provenance=ingested.provenance(
            publication, capture_method=capture_method, record_extractor=record_extractor
        ),
        text=publication.text,
    )


#: How a capture of each kind was obtained, said when the caller does not say.
_METHODS = {
    "text/plain": "text capture of a web page",
    "text/html": "HTML page",
    "application/pdf": "PDF document",
    "application/json": "GOV.UK Content API document",
}


def _capture_method(ingested: Ingested) -> str:
    fetch = ingested.fetch
    if fetch is not None and fetch.warc_record is not None:
        return f"response record of a WARC file ({ingested.media_type})"
    if fetch is not None:
        return f"fetched from {fetch.requested_url} ({ingested.media_type})"
    return _METHODS.get(ingested.media_type, ingested.media_type)


# --- recipes ---------------------------------------------------------------------


BuildStatus = Literal["added", "unchanged", "missing", "differs"]


@frozen
class BuildResult:
    """One snapshot of a recipe, and what building it found.

    ``status``: ``added`` (new to the archive), ``unchanged`` (stored exactly
    as the recipe makes it), ``missing`` (not stored; a check adds nothing)
    or ``differs`` (stored, but the current ingest makes something else of
    its capture: the stored snapshot is kept, never rewritten, and
    ``differences`` say what differs). ``snapshot`` is the stored snapshot
    when there is one, else the one the recipe makes.
    """

    snapshot: Snapshot
    status: BuildStatus = "added"
    differences: tuple[str, ...] = ()

    @property
    def added(self) -> bool:
        """Whether this build added the snapshot."""
        return self.status == "added"


_CAPTURE_KEYS = {
    "sha256",
    "name",
    "capture_method",
    "publisher",
    "licence",
    "language",
    "source_url",
    "captured_at",
    "publication",
}
_PUBLICATION_KEYS = {
    "title",
    "id",
    "document_type",
    "published",
    "date_source",
    "date_note",
    "source_url",
    "updated",
    "series",
    "tags",
    "publisher",
    "licence",
    "language",
}


def load_recipe(path: Path) -> dict[str, Any]:
    """Read and check a recipe file; every problem names the entry and the fix."""
    try:
        recipe = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        msg = f"cannot read recipe '{path}': {exc}"
        raise ArchiveFormatError(msg, path=str(path)) from exc
    if recipe.get("format_version") not in RECIPE_FORMAT_VERSIONS:
        msg = (
            f"recipe '{path}' has format_version {recipe.get('format_version')!r}; "
            f"expected one of {list(RECIPE_FORMAT_VERSIONS)}"
        )
        raise ArchiveFormatError(msg, path=str(path))
    captures = recipe.get("capture")
    if not isinstance(captures, list) or not captures:
        msg = f"recipe '{path}' lists no [[capture]] entries"
        raise ArchiveFormatError(msg, path=str(path))
    for n, entry in enumerate(captures, 1):
        _check_keys(entry, _CAPTURE_KEYS, f"[[capture]] #{n}", path)
        if not is_digest("sha256:" + str(entry.get("sha256"))):
            msg = (
                f"recipe '{path}': [[capture]] #{n} needs sha256 = '<64 hex digits>' "
                f"(got {entry.get('sha256')!r})"
            )
            raise ArchiveFormatError(msg, path=str(path))
        for m, pub in enumerate(entry.get("publication", []), 1):
            _check_keys(pub, _PUBLICATION_KEYS, f"[[capture]] #{n} publication #{m}", path)
    return recipe


def _check_keys(entry: Any, allowed: set[str], where: str, path: Path) -> None:
    if not isinstance(entry, dict):
        msg = f"recipe '{path}': {where} must be a table (got {entry!r})"
        raise ArchiveFormatError(msg, path=str(path))
    unknown = sorted(set(entry) - allowed)
    if unknown:
        msg = (
            f"recipe '{path}': {where} has unknown keys {unknown}; "
            f"allowed keys are {sorted(allowed)}"
        )
        raise ArchiveFormatError(msg, path=str(path))


def _find_capture(digest: str, name: str, search: Sequence[Path], archive: Archive) -> bytes:
    """Find a capture's bytes by digest: in the archive, then in the search folders."""
    try:
        return archive.capture(digest)
    except CspoArchiveError:
        pass  # not there (or damaged there): look in the search folders
    hex_digest = digest.removeprefix("sha256:")
    for folder in search:
        for candidate in (folder / hex_digest, folder / "captures" / hex_digest, folder / name):
            if candidate.is_file():
                data = candidate.read_bytes()
                if sha256_digest(data) == digest:
                    return data
    where = ", ".join(f"'{f}'" for f in search) or "nowhere else"
    msg = (
        f"capture {name!r} ({digest}) is not in the archive nor in {where}; "
        f"pass the folder that holds it with --captures DIR"
    )
    raise ArchiveFormatError(msg, path=name)


def build_archive(
    recipe_path: str | Path,
    archive: Archive,
    *,
    captures: Sequence[str | Path] = (),
    check: bool = False,
    progress: Callable[..., None] | None = None,
) -> list[BuildResult]:
    """Replay the recipe at *recipe_path* into *archive*.

    Raw captures are looked up by digest in *archive*, in the ``captures/``
    folder beside the recipe, and in each folder of *captures* (by digest or by
    the recipe's file name; the bytes must match the digest). Every
    publication ingest finds in a capture must be listed in the recipe, and
    every listed one must be found, so nothing is silently dropped or invented.

    A snapshot already stored is never rewritten: if the current ingest makes
    something else of its capture, its result says ``differs`` and how.
    ``check=True`` writes nothing: it only reports what building would do.
    *progress* is called once per capture read, with its name.
    """
    path = Path(recipe_path)
    recipe = load_recipe(path)
    record_extractor = recipe["format_version"] >= 2
    search = [path.parent, *(Path(c) for c in captures)]
    results: list[BuildResult] = []
    for entry in recipe["capture"]:
        digest = "sha256:" + entry["sha256"]
        name = entry.get("name") or digest
        data = _find_capture(digest, name, search, archive)
        ingested = ingest(data, name=name)
        listed = entry.get("publication", [])
        _check_coverage(ingested, listed, path, name)
        for pub_entry in listed:
            publication = find_publication(ingested, pub_entry["title"])
            snapshot = _snapshot_from_entry(
                ingested, publication, entry, pub_entry, record_extractor=record_extractor
            )
            if snapshot.id in archive:
                stored = archive.get(snapshot.id)
                differences = _differences(stored, snapshot)
                status: BuildStatus = "differs" if differences else "unchanged"
                results.append(BuildResult(stored, status, differences))
            elif check:
                results.append(BuildResult(snapshot, "missing"))
            else:
                results.append(BuildResult(archive.add(snapshot, capture=data), "added"))
        if progress is not None:
            progress(1, name)
    return results


def _differences(stored: Snapshot, made: Snapshot) -> tuple[str, ...]:
    """What the current ingest makes differently from a stored snapshot, field by field."""
    found = []
    if stored.text != made.text:
        found.append(f"text: stored {stored.digest}, the current ingest makes {made.digest}")
    for part in ("metadata", "provenance"):
        old, new = getattr(stored, part), getattr(made, part)
        for attribute in attrs.fields(type(old)):
            before, after = getattr(old, attribute.name), getattr(new, attribute.name)
            if before == after:
                continue
            if attribute.name == "steps":
                added = [s for s in after if s not in before]
                gone = [s for s in before if s not in after]
                found.extend(f"{part}.steps: no longer {s!r}" for s in gone)
                found.extend(f"{part}.steps: now {s!r}" for s in added)
            else:
                found.append(f"{part}.{attribute.name}: stored {before!r}, now {after!r}")
    return tuple(found)


def _check_coverage(
    ingested: Ingested, listed: list[Mapping[str, Any]], path: Path, name: str
) -> None:
    titles = [p["title"] for p in listed]
    missing = [
        p.title for p in ingested.publications if not any(_same_title(p.title, t) for t in titles)
    ]
    if missing:
        msg = (
            f"recipe '{path}': capture {name!r} holds publications the recipe does not list: "
            f"{missing}; add a [[capture.publication]] for each"
        )
        raise ArchiveFormatError(msg, path=str(path))


def _snapshot_from_entry(
    ingested: Ingested,
    publication: Publication,
    entry: Mapping[str, Any],
    pub: Mapping[str, Any],
    *,
    record_extractor: bool,
) -> Snapshot:
    def pick(key: str, default: Any = None) -> Any:
        return pub.get(key, entry.get(key, default))

    published = None
    if "published" in pub:
        published = PublishedDate(
            pub["published"],
            DateSource(pub.get("date_source", DateSource.EXTERNAL)),
            pub.get("date_note", ""),
        )
    captured_at = entry.get("captured_at")
    return make_snapshot(
        ingested,
        publication,
        publisher=pick("publisher"),
        licence=pick("licence"),
        capture_method=entry.get("capture_method", ""),
        title=pub["title"],
        published=published,
        document_type=pub.get("document_type"),
        source_url=pick("source_url"),
        updated=pub.get("updated", ()),
        captured_at=captured_at,
        language=pick("language", "en"),
        series=pub.get("series"),
        tags=pub.get("tags", ()),
        snapshot_id=pub.get("id"),
        record_extractor=record_extractor,
    )
