"""Regenerate the parsed JSON beside every profile: ``python -m cspo_archive.profiles``."""

from __future__ import annotations

from cspo_archive._files import write_text_atomic
from cspo_archive.profiles import FOLDER, parsed_document


def main() -> None:
    """Write ``<name>.json`` beside each ``<name>.toml`` in the profiles folder."""
    for path in sorted(FOLDER.glob("*.toml")):
        target = path.with_suffix(".json")
        write_text_atomic(target, parsed_document(path))
        print(f"wrote {target.name} from {path.name}")


if __name__ == "__main__":
    main()
