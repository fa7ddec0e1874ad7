"""Ingest: the time to read a capture of each kind, and the main command before and after.

1. **Reading captures.** Every input goes through the public
   :func:`cspo_archive.ingestion.ingest` (a WARC file through
   :func:`~cspo_archive.ingestion.ingest_warc`, and through the reader alone,
   ``read_warc``): the two seed captures in ``../shared/seeds/`` and generated
   plain text; the HTML test pages in ``tests/data/pages/`` as they are and
   grown to about 50, 150 and 500 KB (body paragraphs and furniture blocks
   repeated, the page kept valid); PDFs of 2, 10 and 50 pages written with
   ``tests/pdf_fixtures.py``; the GOV.UK Content API test document; and a
   gzipped WARC file of two responses written with warcio. The inputs take
   turns over rounds (one timed batch of each per round), in this process,
   after one untimed call each, so the figures are steady-state times with
   every library imported; the first call in a fresh process (which imports
   the reader's library: lxml, trafilatura, pypdf, warcio, and compiles the
   furniture rules) is timed apart, in new interpreters (three per input,
   taking turns), after ``import cspo_archive.ingestion``.
2. **The main command before and after.** ``cspo-archive compare`` (Markdown
   of the bundled archive) with the code of the start of this round (a
   temporary ``git worktree`` of ``a7ea45f``, whose bundled archive is its own
   ``snapshots/``) and with the code now, and ``python -c pass`` as the
   reference, taking turns over the rounds as in ``bench_startup`` (bytecode
   caches on). Then ``-X importtime`` says whether the main command imports
   any of the ingest libraries (it must not).

Nothing is asserted: the tables give medians and ratios from the same run.
"""

from __future__ import annotations

import copy
import gc
import importlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import lxml.html
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks._table import table
from cspo_archive.ingestion import ingest, ingest_warc
from cspo_archive.ingestion._warc import read_warc

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
PAGES = ROOT / "tests" / "data" / "pages"
#: The code at the start of this round of work.
BEFORE = "a7ea45f"
#: The libraries only the ingest readers need; the main command must import none.
INGEST_LIBRARIES = ("trafilatura", "lxml", "pypdf", "warcio", "urllib3")

ROUNDS = 9  # rounds of the ingest inputs (one timed batch of each per round)
BATCH_SECONDS = 0.02  # a batch repeats a fast input until it lasts about this long
FRESH_ROUNDS = 3  # rounds of new interpreters for the first calls
COMMAND_ROUNDS = 15  # rounds of the whole-process commands
HTML_SIZES = (50_000, 150_000, 500_000)
#: The pages grown to each size: one read by a declared site rule, one by trafilatura.
HTML_GROWN = ("govuk_news.html", "news_site_article.html")
TEXT_SIZES = (50_000, 500_000)
PDF_PAGES = (2, 10, 50)

Call = Literal["ingest", "ingest_warc", "read_warc"]


@dataclass
class Case:
    """One input and how it is read."""

    kind: str
    label: str
    data: bytes
    name: str
    call: Call = "ingest"
    #: Pages (captures) in the input: 2 for the WARC file, else 1.
    pages: int = 1
    times: list[float] = field(default_factory=list)
    batch: int = 1
    first_call: float | None = None
    note: str = ""


# -- the inputs ---------------------------------------------------------------------------


def _expected_paragraphs() -> list[str]:
    """Every body paragraph the test pages' ``expected.toml`` lists (invented text)."""
    expected = tomllib.loads((PAGES / "expected.toml").read_text(encoding="utf-8"))
    return [p for page in expected.values() for p in page.get("paragraphs", []) if len(p) > 60]


def _generated_text(size: int) -> bytes:
    """A plain-text capture of about *size* bytes: a title, then paragraphs."""
    paragraphs = _expected_paragraphs()
    parts = ["Allied space leaders review a decade of combined operations", ""]
    total = 0
    number = 0
    while total < size:
        paragraph = paragraphs[number % len(paragraphs)]
        parts += [paragraph, ""]
        total += len(paragraph.encode()) + 2
        number += 1
    return "\n".join(parts).encode()


_BLOCKS = ("aside", "nav", "section", "figure", "footer")


def _body(root: Any) -> Any:
    """The element with the most paragraphs of text as direct children: the article body."""

    def paragraphs(element: Any) -> int:
        return sum(1 for c in element if c.tag == "p" and len(c.text_content()) > 60)

    return max(root.iter(), key=paragraphs)


def _grow_html(page: bytes, size: int) -> bytes:
    """*page* grown to about *size* bytes, still a valid page.

    Copies of the article body's children (its paragraphs, headings and the
    furniture inside it: figures, asides, attachment blocks) are appended to
    the body in turn, and after each full pass a copy of one furniture block
    outside the body (navigation, asides, related links, footers) is placed
    after its original, until the serialised page reaches *size*.
    """
    root = lxml.html.document_fromstring(page)
    body = _body(root)
    items = [c for c in body if isinstance(c.tag, str)]
    inside = set(body.iterancestors()) | {body}
    outside = [
        e
        for e in root.iter(*_BLOCKS)
        if e not in inside
        and not any(a.tag in _BLOCKS for a in e.iterancestors())
        and body not in set(e.iterdescendants())
    ]
    total = len(lxml.html.tostring(root))
    step = 0
    while total < size:
        item = copy.deepcopy(items[step % len(items)])
        body.append(item)
        total += len(lxml.html.tostring(item))
        step += 1
        if step % len(items) == 0 and outside:
            block = outside[(step // len(items)) % len(outside)]
            extra = copy.deepcopy(block)
            extra.tail = block.tail
            block.addnext(extra)
            total += len(lxml.html.tostring(extra))
    out: bytes = lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8")
    return out


def _make_pdf() -> Callable[..., bytes]:
    """``make_pdf`` of ``tests/pdf_fixtures.py``, imported with the repository root on sys.path."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    module = importlib.import_module("tests.pdf_fixtures")
    make: Callable[..., bytes] = module.make_pdf
    return make


def _pdf(pages: int) -> bytes:
    """A PDF of *pages* A4 pages: a heading, then five paragraphs a page."""
    paragraphs = [p for p in _expected_paragraphs() if _windows_1252(p)]
    content: list[list[str]] = []
    for page in range(pages):
        start = page * 5
        text = [paragraphs[(start + i) % len(paragraphs)] for i in range(5)]
        content.append(["# Combined space operations: a review", *text] if page == 0 else text)
    return _make_pdf()(content, title="Combined space operations: a review", header="OFFICIAL")


def _windows_1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _canonical(page: bytes) -> str:
    root = lxml.html.document_fromstring(page)
    for link in root.iter("link"):
        if link.get("rel") == "canonical":
            return str(link.get("href"))
    return "https://news.example.org/article"


def _warc(pages: list[bytes]) -> bytes:
    """A gzipped WARC 1.1 file of a warcinfo record and one response per page."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("bench.warc.gz", {"software": "bench"}))
    for page in pages:
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(page))),
        ]
        writer.write_record(
            writer.create_warc_record(
                _canonical(page),
                "response",
                payload=io.BytesIO(page),
                length=len(page),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": "2025-03-04T10:15:30Z"},
            )
        )
    return out.getvalue()


def cases() -> list[Case]:
    """Every input of the first table, in table order."""
    found: list[Case] = []
    for path in sorted(SEEDS.glob("*.txt")):
        found.append(Case("text", f"seed {path.name}", path.read_bytes(), path.name))
    for size in TEXT_SIZES:
        found.append(Case("text", "generated", _generated_text(size), "generated.txt"))
    pages = sorted(PAGES.glob("*.html"))
    for path in pages:
        found.append(Case("html", f"{path.name} (as is)", path.read_bytes(), path.name))
    for name in HTML_GROWN:
        page = (PAGES / name).read_bytes()
        for size in HTML_SIZES:
            found.append(Case("html", f"{name} grown", _grow_html(page, size), name))
    for count in PDF_PAGES:
        found.append(Case("pdf", f"{count} pages", _pdf(count), f"review-{count}.pdf"))
    govuk = PAGES / "govuk_news.json"
    found.append(Case("govuk", "govuk_news.json", govuk.read_bytes(), govuk.name))
    warc = _warc(
        [
            (PAGES / "govuk_news.html").read_bytes(),
            (PAGES / "defense_gov_article.html").read_bytes(),
        ]
    )
    for call in ("ingest_warc", "read_warc"):
        label = f"2 responses, {call}" + (" (reader only)" if call == "read_warc" else "")
        found.append(Case("warc", label, warc, "pages.warc.gz", call=call, pages=2))
    return found


# -- timing the inputs --------------------------------------------------------------------


def _run(case: Case) -> str:
    """Read *case* once; return what was read (the path taken, the publications)."""
    if case.call == "read_warc":
        responses = read_warc(case.data, case.name)
        return f"{len(responses)} responses"
    if case.call == "ingest_warc":
        read = ingest_warc(case.data, name=case.name)
        return ", ".join(_short(c.extractor) for c, _ in read)
    capture = ingest(case.data, name=case.name)
    what = _short(capture.extractor)
    if len(capture.publications) != 1:
        what += f", {len(capture.publications)} publications"
    if capture.page_starts:
        what += f", {len(capture.page_starts)} PDF pages"
    return what


def _short(extractor: str) -> str:
    """The reader part of a capture's extractor ("lxml 6.1.3 (site rule 'GOV.UK') + ...")."""
    reader = extractor.split(" + ")[0]
    if "site rule" in reader:
        return "site rule"
    return reader.split(" ")[0].replace("cspo-archive-ingest", "text pipeline")


def time_in_process(found: list[Case]) -> None:
    """Fill each case's ``times`` (seconds per call): the cases take turns over rounds."""
    for case in found:
        case.note = _run(case)  # untimed: imports, rules, caches; and what the input reads as
        start = time.perf_counter()
        _run(case)  # the size of its batch
        once = time.perf_counter() - start
        case.batch = max(1, int(BATCH_SECONDS / max(once, 1e-6)))
    for _ in range(ROUNDS):
        for case in found:
            gc.collect()
            start = time.perf_counter()
            for _ in range(case.batch):
                _run(case)
            case.times.append((time.perf_counter() - start) / case.batch)


#: Run in a fresh interpreter: import the package, then time the first and second call.
_FRESH = """
import json, sys, time
from pathlib import Path
data = Path(sys.argv[1]).read_bytes()
call, name = sys.argv[2], sys.argv[3]
start = time.perf_counter()
import cspo_archive.ingestion
imported = time.perf_counter()
def once():
    if call == "read_warc":
        from cspo_archive.ingestion._warc import read_warc
        read_warc(data, name)
    elif call == "ingest_warc":
        cspo_archive.ingestion.ingest_warc(data, name=name)
    else:
        cspo_archive.ingestion.ingest(data, name=name)
once()
first = time.perf_counter()
once()
second = time.perf_counter()
print(json.dumps([imported - start, first - imported, second - first]))
"""


def _environment(pythonpath: str | None = None) -> dict[str, str]:
    """The environment of the subprocesses: bytecode caches on, as after ``pip install``."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    return env


def time_first_calls(found: list[Case]) -> list[float]:
    """Each case's first call in a fresh interpreter (median of :data:`FRESH_ROUNDS`, the
    inputs taking turns); return the times of ``import cspo_archive.ingestion`` in them."""
    env = _environment()
    imports: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        paths = []
        for number, case in enumerate(found):
            path = Path(folder) / f"{number}.bin"
            path.write_bytes(case.data)
            paths.append(path)
        # Untimed first: writes the .pyc files of our code for every reader.
        for number in {c.kind: n for n, c in enumerate(found)}.values():
            _fresh(paths[number], found[number], env)
        firsts: list[list[float]] = [[] for _ in found]
        for _ in range(FRESH_ROUNDS):
            for path, case, times in zip(paths, found, firsts, strict=True):
                imported, first, _ = _fresh(path, case, env)
                imports.append(imported)
                times.append(first)
    for case, times in zip(found, firsts, strict=True):
        case.first_call = statistics.median(times)
    return imports


def _fresh(path: Path, case: Case, env: dict[str, str]) -> list[float]:
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", _FRESH, str(path), case.call, case.name],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    times: list[float] = json.loads(done.stdout)
    return times


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def _size(data: bytes) -> str:
    return f"{len(data) / 1000:,.0f} KB" if len(data) >= 10_000 else f"{len(data) / 1000:.1f} KB"


def ingest_rows(found: list[Case]) -> list[dict[str, str]]:
    """The first table: one row per input."""
    rows = []
    for case in found:
        per_page = statistics.median(case.times) / case.pages
        low, high = min(case.times), max(case.times)
        first = case.first_call
        rows.append(
            {
                "kind": case.kind,
                "input": case.label,
                "read as": case.note,
                "size": _size(case.data),
                "ms per page (median)": _ms(per_page),
                "min-max": f"{_ms(low / case.pages)}-{_ms(high / case.pages)}",
                "pages/s": f"{1 / per_page:,.0f}",
                "MB/s": f"{len(case.data) / case.pages / per_page / 1e6:.1f}",
                "first call, fresh process (ms)": "-" if first is None else _ms(first),
            }
        )
    return rows


# -- the main command before and after ----------------------------------------------------


@contextmanager
def before_worktree() -> Iterator[Path]:
    """A worktree of the code at :data:`BEFORE`, removed afterwards (also on error).

    ``/tmp/cspo-before`` when no such folder exists; otherwise (someone else's
    worktree, left in place) a new temporary folder.
    """
    path = Path("/tmp/cspo-before")  # noqa: S108 - a worktree, removed below
    if path.exists():
        path = Path(tempfile.mkdtemp(prefix="cspo-before-"))
    try:
        subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), BEFORE],  # noqa: S607
            check=True,
            capture_output=True,
        )
        yield path
    finally:
        subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],  # noqa: S607
            check=False,
            capture_output=True,
        )
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def _process_seconds(arguments: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *arguments], stdout=subprocess.DEVNULL, check=True, env=env, cwd="/"
    )
    return time.perf_counter() - start


def command_rows(before: Path) -> list[dict[str, str]]:
    """``python -c pass`` and the main command before and now, taking turns over rounds."""
    compare = ["-m", "cspo_archive", "compare"]
    commands = (
        ("python -c pass", ["-c", "pass"], _environment()),
        (
            f"cspo-archive compare, start of round ({BEFORE})",
            compare,
            _environment(str(before / "src")),
        ),
        ("cspo-archive compare, now", compare, _environment(str(ROOT / "src"))),
    )
    for _, arguments, env in commands:  # untimed: writes the .pyc files
        _process_seconds(arguments, env)
    times: dict[str, list[float]] = {name: [] for name, _, _ in commands}
    for _ in range(COMMAND_ROUNDS):
        for name, arguments, env in commands:
            times[name].append(_process_seconds(arguments, env))
    base = statistics.median(times[commands[0][0]])
    now = statistics.median(times[commands[2][0]])
    rows = []
    for name, _, _ in commands:
        seconds = statistics.median(times[name])
        rows.append(
            {
                "command": name,
                "median": f"{seconds * 1000:,.0f} ms",
                "min-max": f"{min(times[name]) * 1000:,.0f}-{max(times[name]) * 1000:,.0f} ms",
                "x python -c pass": f"{seconds / base:.2f}",
                "x now": f"{seconds / now:.2f}",
            }
        )
    return rows


def ingest_libraries_imported(arguments: list[str]) -> list[str]:
    """Which of :data:`INGEST_LIBRARIES` a run of the code now imports (``-X importtime``)."""
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-X", "importtime", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
        env=_environment(str(ROOT / "src")),
        cwd="/",
    )
    names = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return [n for n in INGEST_LIBRARIES if n in names]


# -- main ---------------------------------------------------------------------------------


def main() -> None:
    """Print the ingest tables."""
    load = os.getloadavg()[0]
    found = cases()
    time_in_process(found)
    imports = time_first_calls(found)
    print(
        f"reading captures: in this process, median of {ROUNDS} rounds (each a batch of "
        f"calls lasting >= {BATCH_SECONDS * 1000:.0f} ms), inputs taking turns; a page is one "
        f"capture (the WARC file holds 2); first call: median of {FRESH_ROUNDS} new "
        "interpreters per input, taking turns, timed after `import cspo_archive.ingestion` (median "
        f"{statistics.median(imports) * 1000:.0f} ms, not included)"
    )
    print(table(ingest_rows(found)))
    print()
    with before_worktree() as before:
        rows = command_rows(before)
    print(
        f"the main command: whole processes ({sys.executable}), median of {COMMAND_ROUNDS} "
        "rounds, the three taking turns, bytecode caches on"
    )
    print(table(rows))
    print()
    checks = (
        ("cspo-archive compare (now)", ["-m", "cspo_archive", "compare"]),
        ("import cspo_archive.cli", ["-c", "import cspo_archive.cli"]),
        ("import cspo_archive.ingestion", ["-c", "import cspo_archive.ingestion"]),
    )
    print(
        table(
            [
                {
                    "run (now)": name,
                    "imports of " + ", ".join(INGEST_LIBRARIES): ", ".join(
                        ingest_libraries_imported(arguments)
                    )
                    or "none",
                }
                for name, arguments in checks
            ]
        )
    )
    print(f"\nload average (1 min) at start {load:.2f}, at end {os.getloadavg()[0]:.2f}")
