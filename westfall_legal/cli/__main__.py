"""``python -m westfall_legal.cli``: the same as ``westfall``."""

import sys

from westfall_legal.cli import main

if __name__ == "__main__":
    sys.exit(main())
