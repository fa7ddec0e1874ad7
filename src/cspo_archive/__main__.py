"""``python -m cspo_archive`` runs the ``cspo-archive`` command."""

from cspo_archive.cli import console_main

console_main()
