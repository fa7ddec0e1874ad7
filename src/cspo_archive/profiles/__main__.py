"""Regenerate the parsed JSON beside every profile: ``python -m cspo_archive.profiles``."""

from __future__ import annotations

from pathlib import Path

from cspo_archive._files import write_text_atomic
from cspo_archive.profiles import FOLDER, parsed_document


def main(folder: Path | None = None) -> None:
    """Make ``<name>.json`` current beside each ``<name>.toml`` in *folder* (default: this
    package's profiles folder), writing only a file whose content changes.

    Prints ``wrote <name>.json from <name>.toml`` or ``<name>.json is up to date`` for each.
    """
    for path in sorted((FOLDER if folder is None else folder).glob("*.toml")):
        target = path.with_suffix(".json")
        document = parsed_document(path)
        try:
            current = target.read_bytes()
        except OSError:
            current = None
        if current == document.encode("utf-8"):
            print(f"{target.name} is up to date")
        else:
            write_text_atomic(target, document)
            print(f"wrote {target.name} from {path.name}")


if __name__ == "__main__":
    main()
