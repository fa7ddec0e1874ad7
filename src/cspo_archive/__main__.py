"""``python -m cspo_archive`` runs the ``cspo-archive`` command."""

import sys

from cspo_archive.cli import main

sys.exit(main())
