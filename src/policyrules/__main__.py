"""``python -m policyrules``: the command line."""

import sys

from .cli import main

sys.exit(main())
