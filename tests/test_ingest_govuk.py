"""GOV.UK Content API documents: title, lead, body and the facts each field states."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from cspo_archive.exceptions import IngestError
from cspo_archive.ingestion import ingest, kind_of
from cspo_archive.ingestion._html import fragment_paragraphs
from cspo_archive.model import DateSource, DocumentType

PAGES = Path(__file__).parent / "data" / "pages"
EXPECTED = tomllib.loads((PAGES / "expected.toml").read_text(encoding="utf-8"))["govuk_news_json"]


def test_a_content_api_document_is_recognised_from_its_bytes() -> None:
    """JSON with base_path and details is a Content API document, whatever the file name."""
    data = (PAGES / "govuk_news.json").read_bytes()
    assert kind_of(data, name="story.txt") == "govuk"


def test_title_lead_body_and_dates_come_from_the_named_fields() -> None:
    """Every body paragraph in order, no attachment furniture, dates stated by their field."""
    capture = ingest((PAGES / "govuk_news.json").read_bytes(), name="govuk_news.json")
    [publication] = capture.publications
    assert EXPECTED["title"] == publication.title
    paragraphs = publication.text.rstrip("\n").split("\n\n")
    assert [EXPECTED["summary"], *EXPECTED["paragraphs"]] == paragraphs
    for furniture in ("PDF, 245 KB", "may not be suitable", "First published."):
        assert furniture not in publication.text
    assert publication.published is not None
    assert dt.date.fromisoformat(EXPECTED["published"]) == publication.published.value
    assert publication.published.source == DateSource.STATED
    assert publication.published.note.startswith(
        "stated by the page: Content API field first_published_at"
    )
    assert publication.document_type == DocumentType.NEWS_STORY
    assert capture.media_type == "application/json"
    assert capture.extractor.startswith("govuk-content-api lxml ")
    assert EXPECTED["canonical"] == capture.facts.canonical_url
    assert capture.facts.publisher == "Ministry of Defence"
    assert tuple(note for _, note in capture.facts.change_notes) == (
        "First published.",
        "Corrected the name of the exercise.",
    )
    assert dt.date(2024, 3, 5) in publication.updated
    assert publication.steps[-2:] == (
        "change note: 2024-03-03 'First published.' (stated by the page)",
        "change note: 2024-03-05 'Corrected the name of the exercise.' (stated by the page)",
    )


def test_a_document_without_a_body_is_refused_clearly() -> None:
    """No details.body: an IngestError naming the field and what to pass."""
    data = json.dumps({"base_path": "/x", "title": "T", "details": {}}).encode()
    with pytest.raises(IngestError, match=r"details\.body is missing.*api/content"):
        ingest(data, name="x.json")


def test_other_json_is_refused_naming_what_it_is() -> None:
    """JSON that is not a Content API document is no capture, and the error says so."""
    with pytest.raises(IngestError, match=r"JSON that is not a GOV\.UK Content API document"):
        ingest(b'{"headline": "x"}', name="x.json")


def test_a_body_fragment_keeps_nested_blocks_once() -> None:
    """A paragraph inside a list item is one paragraph; scripts never leak."""
    html = "<ul><li><p>One</p> tail</li></ul><script>alert(1)</script><h2>Two</h2><p>3 <b>b</b></p>"
    assert fragment_paragraphs(html) == ["One", "tail", "Two", "3 b"]
