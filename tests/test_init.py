"""The public namespace: sorted __all__, every name importable, a light import."""

from __future__ import annotations

import pytest

import cspo_archive
from conftest import python_output


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted (attrs style) and lists each name once."""
    assert list(cspo_archive.__all__) == sorted(set(cspo_archive.__all__))


@pytest.mark.parametrize("name", cspo_archive.__all__)
def test_every_public_name_resolves(name: str) -> None:
    """Each name in __all__ is an attribute of the package."""
    assert getattr(cspo_archive, name) is not None


def test_errors_share_one_base_and_a_builtin() -> None:
    """Every exported error is a CspoArchiveError and also a builtin exception type."""
    errors = [getattr(cspo_archive, n) for n in cspo_archive.__all__ if n.endswith("Error")]
    for error in errors:
        assert issubclass(error, cspo_archive.CspoArchiveError)
        if error is not cspo_archive.CspoArchiveError:
            builtin = [b for b in error.__mro__ if b.__module__ == "builtins"]
            assert builtin[0] is not Exception, error


def test_unknown_attribute_is_an_attribute_error() -> None:
    """A misspelt name raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="'Archve'"):
        _ = cspo_archive.Archve


def test_import_is_light() -> None:
    """'import cspo_archive' loads none of the heavy parts (they load on first use)."""
    code = (
        "import sys, cspo_archive; "
        "heavy = ['cattrs', 'diff_match_patch', 'pycountry', 'charset_normalizer', "
        "'filelock', 'cspo_archive.ingestion', 'cspo_archive.analysis']; "
        "print([m for m in heavy if m in sys.modules])"
    )
    assert python_output(code).strip() == "[]"


def test_compare_is_the_function_whichever_is_imported_first() -> None:
    """Importing the analysis package first leaves cspo_archive.compare the function."""
    code = (
        "import cspo_archive.analysis.textdiff, cspo_archive as c; "
        "from cspo_archive import Archive; a = Archive.bundled(); s = list(a); "
        "print(c.compare(s[0], s[2]).new.id == s[2].id, type(c.compare).__name__)"
    )
    assert python_output(code).strip() == "True function"


def test_ingest_is_the_function_whichever_is_imported_first() -> None:
    """Importing the ingestion package first leaves cspo_archive.ingest the function."""
    code = (
        "import cspo_archive.ingestion, cspo_archive as c; "
        "from cspo_archive import ingest; "
        "print(len(ingest(b'Title\\n\\nA sentence.\\n', name='x').publications), "
        "len(c.ingest(b'Title\\n\\nA sentence.\\n').publications))"
    )
    assert python_output(code).strip() == "1 1"
