"""The bundle's ``westfall`` executable (PyInstaller runs this file as ``__main__``)."""

import sys

from westfall_legal.cli import main

if __name__ == "__main__":
    sys.exit(main())
