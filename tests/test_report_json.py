"""The JSON report: its envelope, its schemas, stability, and hostile input."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pytest_regressions.file_regression import FileRegressionFixture

import cspo_archive
from conftest import build_snapshot
from cspo_archive import (
    Archive,
    Comparison,
    DocumentType,
    Snapshot,
    canonicalize,
    compare,
    timeline,
)
from cspo_archive.analysis._compare import _METADATA_FIELDS
from cspo_archive.analysis.membership import MentionRole
from cspo_archive.analysis.principles import GROUPS, STATUSES
from cspo_archive.report import UnknownFormatError
from cspo_archive.report import render as render_any
from cspo_archive.report._summary import comparison_summary, timeline_summary
from cspo_archive.report.json import render, schema, to_data

KINDS = ("comparison", "timeline")
#: Stands for the package version in locked files, so a version bump changes nothing.
VERSION_PLACEHOLDER = "<generator-version>"

# --- Hypothesis strategies --------------------------------------------------------------

#: A paragraph of arbitrary text (no control characters, no lone surrogates).
paragraphs = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120
)
#: A snapshot text: canonical paragraphs, sometimes with words the analyses react to.
texts = st.lists(
    st.one_of(
        paragraphs,
        st.sampled_from(
            [
                "The CSpO Initiative comprises Australia, Canada, France and the UK.",
                "Germany and Norway joined the seven nations in 2023.",
                "Major General Paul Tedman, Commander UK Space Command, said: “We will act.”",
                "We remain committed to the responsible use of space, spanning four continents.",
            ]
        ),
    ),
    min_size=1,
    max_size=5,
).map(lambda parts: canonicalize("\n\n".join(parts)))
#: A title: one line with no surrounding white space, any other character allowed.
titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60
).filter(lambda t: t == t.strip() and bool(t.strip()))


# --- helpers ------------------------------------------------------------------------------


@functools.cache
def _snapshots() -> tuple[Snapshot, ...]:
    return tuple(Archive.bundled())


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(kind: str, data: Any) -> list[str]:
    """Every schema violation of *data*, as 'path: message' lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in _validator(kind).iter_errors(data)
    ]


def _locked(text: str) -> str:
    """*text* with the one generator_version line replaced by a fixed placeholder."""
    line = f'"generator_version": {json.dumps(cspo_archive.__version__)},'
    assert text.count(line) == 1
    return text.replace(line, f'"generator_version": {json.dumps(VERSION_PLACEHOLDER)},')


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema (dict) of a schema, with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def _pair() -> Comparison:
    """2022 news story → 2025 news story, the comparison most reports show."""
    snaps = _snapshots()
    return compare(snaps[0], snaps[2])


# --- the envelope -------------------------------------------------------------------------


def test_comparison_envelope() -> None:
    """A comparison document names its format, version, generator and summary."""
    result = _pair()
    data = json.loads(render(result))
    assert {
        "schema": "cspo-archive/comparison",
        "schema_version": 3,
        "generator": "cspo-archive",
        "generator_version": cspo_archive.__version__,
        "summary": comparison_summary(result),
    } == {k: v for k, v in data.items() if k != "comparison"}
    assert sorted(data) == sorted(
        ["schema", "schema_version", "generator", "generator_version", "summary", "comparison"]
    )


def test_timeline_envelope() -> None:
    """A timeline document has the same envelope, with 'timeline' and its own schema name."""
    result = timeline(_snapshots())
    data = json.loads(render(result))
    assert data["schema"] == "cspo-archive/timeline"
    assert timeline_summary(result) == data["summary"]
    assert len(data["timeline"]["releases"]) == 3
    assert "comparison" not in data


def test_to_data_is_the_rendered_document() -> None:
    """to_data() is exactly what render() writes, in plain builtins (lists, not tuples)."""
    for result in (_pair(), timeline(_snapshots())):
        assert json.loads(render(result)) == to_data(result)
    ops = to_data(_pair())["comparison"]["diff"]["ops"]
    assert all(type(op) is list for op in ops)


def test_the_data_holds_all_the_evidence() -> None:
    """Evidence sentences keep text and offsets; ops rebuild both texts; nothing is cut."""
    snaps = _snapshots()
    data = to_data(_pair())["comparison"]
    old_text, new_text = snaps[0].text, snaps[2].text
    for change in data["principles"]["changes"]:
        for side, text in (("old_evidence", old_text), ("new_evidence", new_text)):
            for sentence in change[side]:
                assert sentence["text"] == text[sentence["start"] : sentence["end"]]
    ops = data["diff"]["ops"]
    assert old_text == "".join(t for op, t in ops if op <= 0)
    assert new_text == "".join(t for op, t in ops if op >= 0)
    for mention in data["membership"]["new"]["mentions"]:
        assert mention["name"] == new_text[mention["start"] : mention["end"]]


def test_the_dispatcher_renders_json() -> None:
    """render(result, 'json') from cspo_archive.report is this module's render()."""
    result = _pair()
    assert render(result) == render_any(result, "json")
    assert render_any(result, "JSON").startswith("{\n")


def test_render_refuses_other_objects() -> None:
    """Anything but a Comparison or a Timeline is a TypeError quoting it."""
    with pytest.raises(TypeError, match="must be a Comparison or a Timeline \\(got 'x' that is"):
        render("x")  # type: ignore[arg-type]


# --- stability ----------------------------------------------------------------------------


def test_output_form() -> None:
    """Sorted keys, two-space indent, unescaped UTF-8, one final newline, no NaN."""
    text = render(_pair())
    data = json.loads(text)
    expected = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    assert expected + "\n" == text
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert "–" in text  # an en dash of the 2022 text, written as itself


def test_two_renders_are_byte_identical() -> None:
    """Rendering the same comparison twice, from fresh results, gives the same bytes."""
    assert render(_pair()) == render(_pair())
    assert render(timeline(_snapshots())) == render(timeline(reversed(_snapshots())))


_SCRIPT = """
import sys
from cspo_archive import Archive, compare, timeline
from cspo_archive.report.json import render
s = list(Archive.bundled())
sys.stdout.buffer.write((render(compare(s[0], s[2])) + render(timeline(s))).encode("utf-8"))
"""


def test_output_does_not_depend_on_hash_seed() -> None:
    """Processes with PYTHONHASHSEED=1 and =2 write the same bytes as this one."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT], capture_output=True, env=env, check=True, timeout=300
        )
        outputs.append(done.stdout)
    here = (render(_pair()) + render(timeline(_snapshots()))).encode("utf-8")
    assert outputs[0] == outputs[1] == here


def test_no_paths_in_the_output() -> None:
    """No absolute path of this machine (checkout, home, temp) ends up in a document."""
    text = render(_pair()) + render(timeline(_snapshots()))
    for path in (Path(__file__).resolve().parents[1], Path.home(), Path(cspo_archive.__file__)):
        assert str(path) not in text


def test_comparison_json_is_locked(file_regression: FileRegressionFixture) -> None:
    """The 2022 news → 2025 news document, byte for byte (version replaced)."""
    file_regression.check(_locked(render(_pair())), extension=".json")


def test_timeline_json_is_locked(file_regression: FileRegressionFixture) -> None:
    """The timeline of the bundled archive, byte for byte (version replaced)."""
    file_regression.check(_locked(render(timeline(_snapshots()))), extension=".json")


# --- the schemas --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    """Each shipped schema is a valid draft 2020-12 schema, with its $id and title."""
    document = schema(kind)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith(f"/schema/{kind}-3.json")


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_strict_and_documented(kind: str) -> None:
    """Every object refuses unknown keys and requires all its keys; everything is described."""
    document = schema(kind)
    for path, node in _walk(document):
        if "/allOf/" in path:  # conditionals only narrow properties described elsewhere
            continue
        if "properties" in node and not path.endswith("/properties"):
            assert node.get("additionalProperties") is False, path
            assert sorted(node["properties"]) == sorted(node["required"]), path
            for name, prop in node["properties"].items():
                assert prop.get("description"), f"{path}/properties/{name}"
        if node.get("type") == "object":
            assert node.get("description"), path
    for name, definition in document["$defs"].items():
        assert definition.get("description"), name
    assert document.get("description")


def test_shared_definitions_agree() -> None:
    """Definitions both schemas hold (sentence-free shared parts) are identical."""
    comparison, timeline_ = schema("comparison")["$defs"], schema("timeline")["$defs"]
    shared = set(comparison) & set(timeline_)
    assert {"snapshotRef", "snapshotId", "digest", "date", "countryCode"} <= shared
    for name in shared:
        assert comparison[name] == timeline_[name], name


def test_schema_enums_follow_the_code() -> None:
    """Enums in the schemas are exactly the values the code produces."""
    defs = schema("comparison")["$defs"]
    assert [r.value for r in MentionRole] == defs["nationMention"]["properties"]["role"]["enum"]
    assert list(STATUSES) == defs["principleChange"]["properties"]["status"]["enum"]
    assert list(GROUPS) == defs["principle"]["properties"]["group"]["enum"]
    assert list(_METADATA_FIELDS) == defs["metadataChange"]["properties"]["field"]["enum"]
    document_types = schema("timeline")["$defs"]["documentType"]["enum"]
    assert [t.value for t in DocumentType] == document_types


def test_schema_returns_a_fresh_dict() -> None:
    """Changing the returned schema does not change the next one."""
    first = schema()
    first["$defs"].clear()
    assert schema()["$defs"]


def test_schema_refuses_an_unknown_kind() -> None:
    """An unknown kind is an UnknownFormatError (a ValueError) naming the choices."""
    with pytest.raises(UnknownFormatError, match="'comparison' or 'timeline' \\(got 'diff'"):
        schema("diff")
    with pytest.raises(ValueError, match="got None"):
        schema(None)  # type: ignore[arg-type]


_PAIRS = [pytest.param(i, j, id=f"{i}-{j}") for i, j in itertools.product(range(3), repeat=2)]


@pytest.mark.parametrize(("old", "new"), _PAIRS)
def test_bundled_comparisons_validate(old: int, new: int) -> None:
    """Every ordered pair of bundled snapshots, and each with itself, validates."""
    snaps = _snapshots()
    assert _errors("comparison", json.loads(render(compare(snaps[old], snaps[new])))) == []


def test_bundled_timeline_validates() -> None:
    """The timeline of the bundled archive validates, and so does an empty timeline."""
    assert _errors("timeline", json.loads(render(timeline(_snapshots())))) == []
    assert _errors("timeline", to_data(timeline([]))) == []


def test_the_unknown_member_list_is_null() -> None:
    """The joint statement names no complete member list: members is null, not []."""
    data = to_data(timeline(_snapshots()))["timeline"]
    assert [r["members"] is None for r in data["releases"]] == [False, True, False]


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        (("comparison", "surprise"), 1),
        (("comparison", "diff", "ops", 0, 0), 2),
        (("comparison", "old", "digest"), "sha256:ABC"),
        (("comparison", "old", "id"), "Not An Id"),
        (("comparison", "old_published"), "17 December 2025"),
        (("comparison", "membership", "new", "mentions", 0, "role"), "ally"),
        (("comparison", "membership", "new", "members", 0), "gbr"),
        (("comparison", "principles", "changes", 0, "status"), "kept"),
        (("comparison", "principles", "changes", 0, "old_evidence", 0, "start"), -1),
        (("comparison", "language", "term_shifts", 0, "significance"), "p<0.1"),
        (("comparison", "diff", "similarity"), 1.5),
        (("schema_version",), 1),
    ],
)
def test_schema_refuses_damaged_documents(pointer: tuple[str | int, ...], value: object) -> None:
    """A wrong value, enum member, pattern or extra key anywhere makes the document invalid."""
    data = to_data(_pair())
    node: Any = data
    for step in pointer[:-1]:
        node = node[step]
    node[pointer[-1]] = value
    assert _errors("comparison", data)


@pytest.mark.parametrize("key", ["end", "text"])
def test_schema_refuses_a_missing_key(key: str) -> None:
    """A sentence without one of its keys is invalid: every key is required."""
    data = to_data(_pair())
    del data["comparison"]["membership"]["new"]["mentions"][0]["sentence"][key]
    assert _errors("comparison", data)


# --- arbitrary and hostile input ----------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old_text=texts, new_text=texts)
def test_arbitrary_texts_validate(old_text: str, new_text: str) -> None:
    """Whatever two texts say, their comparison renders to a valid document (both ways)."""
    assume(old_text.strip() and new_text.strip())
    old, _ = build_snapshot(old_text, snapshot_id="2024-01-01-old", published=dt.date(2024, 1, 1))
    new, _ = build_snapshot(new_text, snapshot_id="2025-01-01-new", published=dt.date(2025, 1, 1))
    for result in (compare(old, new), compare(new, old)):
        assert _errors("comparison", json.loads(render(result))) == []
    assert _errors("timeline", json.loads(render(timeline([old, new])))) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old_title=titles, new_title=titles)
@example(old_title='Say "hi" </script><script>alert(1)</script>', new_title="\\u2028 \u2028 x")
@example(old_title="Ünïcödé — 宇宙 🚀 ‮rtl", new_title="'single' & <b>bold</b> \\")
def test_hostile_titles_round_trip(old_title: str, new_title: str) -> None:
    """Titles with quotes, markup, escapes and any Unicode come back from JSON unchanged."""
    old, _ = build_snapshot(title=old_title, snapshot_id="2024-01-01-old")
    new, _ = build_snapshot(title=new_title, snapshot_id="2025-01-01-new")
    result = compare(old, new)
    data = json.loads(render(result))
    assert (old_title, new_title) == (
        data["comparison"]["old_title"],
        data["comparison"]["new_title"],
    )
    changes = {m["field"]: (m["old"], m["new"]) for m in data["comparison"]["metadata"]}
    if old_title != new_title:
        assert (old_title, new_title) == changes["title"]
    assert comparison_summary(result) == data["summary"]
    assert _errors("comparison", data) == []
    releases = json.loads(render(timeline([old, new])))["timeline"]["releases"]
    # Two revisions of one page (one URL): one release, titled as the latest revision
    # (two, when both come from the same capture bytes: then they are two publications).
    assert releases[-1]["title"] == new_title
    assert {old_title, new_title} >= {r["title"] for r in releases}


@pytest.mark.parametrize("kind", KINDS)
def test_earlier_schema_versions_still_ship(kind: str) -> None:
    """Version 1's and 2's schemas ship beside version 3's, unchanged in what they
    require: a document of version 1 (no 'left' or 'prospective') still validates
    there, and version 2 has no 'relation' or 'copies'."""
    old = schema(kind, 1)
    Draft202012Validator.check_schema(old)
    assert old["$id"].endswith(f"/schema/{kind}-1.json")
    assert old["properties"]["schema_version"]["const"] == 1
    if kind == "comparison":
        assert "left" not in old["$defs"]["membership"]["properties"]
        assert "left" in schema(kind)["$defs"]["membership"]["properties"]
    two = schema(kind, 2)
    Draft202012Validator.check_schema(two)
    assert two["properties"]["schema_version"]["const"] == 2
    if kind == "comparison":
        assert "relation" not in two["$defs"]["comparison"]["properties"]
        assert "relation" in schema(kind)["$defs"]["comparison"]["properties"]
    with pytest.raises(ValueError, match="'version' must be one of 1, 2, 3"):
        schema(kind, 4)
