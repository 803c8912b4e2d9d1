"""``python -m processing.translation ...``: see ``processing.translation.cli``."""

import sys

from processing.translation.cli import main

sys.exit(main())
