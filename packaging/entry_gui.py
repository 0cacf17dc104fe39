"""The bundle's ``westfall-gui`` executable (PyInstaller runs this file as ``__main__``)."""

import sys

from westfall_legal.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
