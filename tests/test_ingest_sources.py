"""Every kind of source, end to end: bytes or a URL in, clean publications and snapshots out.

The pages are the ones in ``tests/data/pages`` (written for these tests in the shape
of six publishers' templates; ``expected.toml`` says what a reader sees). URLs are
served by a server the tests start on 127.0.0.1; no test reaches a real site.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import python_output
from cspo_archive import Archive
from cspo_archive.cli import main
from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion import ingest, ingest_warc
from cspo_archive.model import DateSource, DocumentType
from pdf_fixtures import make_pdf, make_pdf_without_text
from test_ingest_pdf import EXPECTED as PDF_PARAGRAPHS
from test_ingest_pdf import statement_pdf
from test_ingest_warc import HTML_URI, TEXT_URI
from test_ingest_warc import _write as write_warc

PAGES = Path(__file__).parent / "data" / "pages"
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads(
    (PAGES / "expected.toml").read_text(encoding="utf-8")
)


def _file(stem: str) -> Path:
    return PAGES / (stem.removesuffix("_json") + (".json" if stem.endswith("_json") else ".html"))


def _paragraphs(text: str) -> list[str]:
    return text.rstrip("\n").split("\n\n")


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_publisher_page_gives_its_title_date_and_every_paragraph(stem: str) -> None:
    """Title, date stated by the page (and where), every body paragraph, no furniture or markup."""
    expected = EXPECTED[stem]
    path = _file(stem)
    capture = ingest(path.read_bytes(), name=path.name, url=expected["canonical"])
    [publication] = capture.publications
    assert publication.title == expected["title"]
    assert publication.published is not None
    assert publication.published.value == dt.date.fromisoformat(expected["published"])
    assert publication.published.source == DateSource.STATED
    assert publication.published.note.startswith("stated by the page: ")
    lead = [expected["summary"]] if "summary" in expected else []
    assert _paragraphs(publication.text) == [*lead, *expected["paragraphs"]]
    assert [f for f in expected["furniture"] if f in publication.text] == []
    assert "<" not in publication.text
    assert capture.facts.canonical_url == expected["canonical"]
    assert publication.document_type == STATED_TYPES.get(stem)


#: The type each page's metadata names (govuk:format, dcterms.type, the Content API's
#: document_type); the others name none.
STATED_TYPES = {
    "govuk_news": DocumentType.NEWS_STORY,
    "govuk_news_json": DocumentType.NEWS_STORY,
    "canada_ca_news": DocumentType.PRESS_RELEASE,
    "defence_gov_au_release": DocumentType.PRESS_RELEASE,
}


def test_a_two_page_pdf_statement_keeps_its_pages_in_provenance() -> None:
    """A PDF's title, paragraphs (one across the page break) and the pages it spans."""
    capture = ingest(statement_pdf(), name="statement.pdf")
    [publication] = capture.publications
    assert publication.title == PDF_PARAGRAPHS[0]
    assert _paragraphs(publication.text) == PDF_PARAGRAPHS[1:]
    provenance = capture.provenance(publication, capture_method="PDF document")
    assert (provenance.media_type, provenance.pages) == ("application/pdf", (1, 2))
    assert provenance.extractor is not None
    assert provenance.extractor.startswith("pypdf ")


def test_a_warc_file_gives_one_capture_per_response_with_its_fetch() -> None:
    """Both responses of a WARC file are captures; each says which record and when."""
    data, _ = write_warc(gzipped=True)
    captures = ingest_warc(data, name="crawl.warc.gz")
    assert [c.fetch.final_url for c, _ in captures if c.fetch] == [HTML_URI, TEXT_URI]
    for capture, payload in captures:
        assert capture.fetch is not None
        assert capture.fetch.warc_record is not None
        assert " in crawl.warc.gz (sha256:" in capture.fetch.warc_record
        assert capture.fetch.fetched_at.tzinfo is not None
        assert capture.digest == "sha256:" + hashlib.sha256(payload).hexdigest()
    assert [c.media_type for c, _ in captures] == ["text/html", "text/plain"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture
def pages_server() -> Iterator[str]:
    """The test pages served over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(PAGES))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_a_url_records_the_fetch(
    pages_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cspo-archive add URL: the page fetched, read and archived with its fetch recorded."""
    url = f"{pages_server}/defense_gov_article.html"
    code, out, err = _run(
        capsys, "add", url, "--archive", str(tmp_path / "a"), "--type", "news-story"
    )
    assert code == 0, err
    assert out.startswith("added: 2025-03-12-u-s-allies-sharpen-satellite-warning-drills")
    [snapshot] = Archive.open(tmp_path / "a")
    fetch = snapshot.provenance.fetch
    assert fetch is not None
    assert (fetch.requested_url, fetch.final_url, fetch.status) == (url, url, 200)
    assert fetch.content_type is not None
    assert fetch.content_type.startswith("text/html")
    assert snapshot.provenance.media_type == "text/html"
    assert snapshot.provenance.capture_method == f"fetched from {url} (text/html)"
    assert snapshot.metadata.captured_at == fetch.fetched_at
    expected = EXPECTED["defense_gov_article"]
    assert snapshot.metadata.source_url == expected["canonical"]
    assert _paragraphs(snapshot.text) == expected["paragraphs"]
    assert Archive.open(tmp_path / "a").capture(snapshot.provenance.capture_digest) == (
        (PAGES / "defense_gov_article.html").read_bytes()
    )
    code, out, err = _run(capsys, "show", snapshot.id, "--archive", str(tmp_path / "a"))
    assert code == 0, err
    assert f"read as:    text/html by {snapshot.provenance.extractor}\n" in out
    assert f"fetched:    {url} (200, {fetch.fetched_at.isoformat()})\n" in out
    assert snapshot.metadata.updated == ()  # modified the day it was published: no update


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_pdf_without_text(2), "no text layer"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
        (b"PK\x03\x04" + bytes(64), "a ZIP archive"),
    ],
    ids=["scanned-pdf", "image", "zip"],
)
def test_an_unreadable_source_is_one_clear_error_and_writes_nothing(
    data: bytes, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scan, an image or a ZIP file: exit 2, one line naming the kind, no archive made."""
    source = tmp_path / "capture.bin"
    source.write_bytes(data)
    code, out, err = _run(capsys, "add", str(source), "--archive", str(tmp_path / "a"))
    assert (code, out) == (2, "")
    assert kind in err
    assert err.count("\n") == 1
    assert not (tmp_path / "a").exists()
    with pytest.raises(IngestError, match=kind):
        ingest(data, name="capture.bin")


def test_a_pdf_without_a_stated_date_needs_one_and_records_where_it_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A PDF states no publication date: add asks for one, then records it as given."""
    source = tmp_path / "statement.pdf"
    source.write_bytes(make_pdf([["# A Joint Statement on Orbits", "The partners agree."]]))
    target = str(tmp_path / "a")
    code, _, err = _run(capsys, "add", str(source), "--archive", target)
    assert code == 2
    assert "states no publication date" in err
    code, _, err = _run(
        capsys, "add", str(source), "--archive", target, "--published", "2025-12-04"
    )
    assert code == 0, err
    [snapshot] = Archive.open(target)
    assert snapshot.metadata.published.source == DateSource.EXTERNAL
    assert snapshot.metadata.document_type.value == "joint-statement"
    assert snapshot.provenance.pages == (1, 1)


def test_the_main_command_imports_no_reader_library() -> None:
    """compare loads neither HTML, PDF, WARC nor HTTP libraries: each loads with its source."""
    loaded = python_output(
        "import contextlib, io, sys; from cspo_archive.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['compare'])\n"
        "print([m for m in ('trafilatura', 'lxml', 'pypdf', 'warcio', 'urllib3') "
        "if m in sys.modules])"
    )
    assert loaded.strip() == "[]"


def test_add_a_warc_file_adds_a_snapshot_per_response_or_the_one_titled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """add FILE.warc.gz: every successful response, or only the one --title names."""
    data, _ = write_warc(gzipped=True)
    source = tmp_path / "crawl.warc.gz"
    source.write_bytes(data)
    common = ["--published", "2025-03-04", "--type", "news-story"]
    code, out, err = _run(capsys, "add", str(source), "--archive", str(tmp_path / "a"), *common)
    assert code == 0, err
    assert out.count("added: ") == 2
    stored = list(Archive.open(tmp_path / "a"))
    assert sorted(s.metadata.source_url or "" for s in stored) == sorted([HTML_URI, TEXT_URI])
    code, out, err = _run(
        capsys, "add", str(source), "--archive", str(tmp_path / "b"), *common,
        "--title", "orbit forum: MEETING summary",
    )  # fmt: skip
    assert code == 0, err
    [snapshot] = Archive.open(tmp_path / "b")
    assert snapshot.metadata.source_url == TEXT_URI
    assert snapshot.provenance.capture_method == "response record of a WARC file (text/plain)"
    assert snapshot.provenance.fetch is not None
    assert " in crawl.warc.gz (sha256:" in (snapshot.provenance.fetch.warc_record or "")


def test_a_page_saved_from_the_middle_is_still_read_as_html() -> None:
    """Markup from </header> on, in a file named .txt: HTML by its tags, never raw markup
    (no '</nav>' title, no tags quoted as text); the day a <time> shows is its date."""
    page = (PAGES / "defence_gov_au_release.html").read_bytes()
    data = page[page.index(b"</header>") :]
    capture = ingest(data, name="page.txt")
    [publication] = capture.publications
    expected = EXPECTED["defence_gov_au_release"]
    assert capture.media_type == "text/html"
    assert publication.title == expected["title"]
    assert _paragraphs(publication.text) == expected["paragraphs"]
    assert publication.published is not None
    assert publication.published.value == dt.date(2023, 11, 14)
    assert publication.published.note.endswith("showing '14 November 2023'")
