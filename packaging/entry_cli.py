"""The bundle's ``westfall`` executable (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

from westfall_legal.cli import main

if __name__ == "__main__":
    # OCR reads pages in worker processes started by a fork server: in the frozen app
    # they are this executable, run again, and this call turns them into workers.
    multiprocessing.freeze_support()
    sys.exit(main())
