"""``python -m processing.cli``: the same as the ``newsloom`` console script."""

import sys

from processing.cli import main

sys.exit(main())
