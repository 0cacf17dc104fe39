"""PyInstaller runtime hook: programs the app starts get the user's environment back.

On Linux the bootloader puts the bundle's library folder first on ``LD_LIBRARY_PATH`` (and
keeps the user's value in ``LD_LIBRARY_PATH_ORIG``). Our own process needs that, but the
dynamic loader read it when the process started, so changing it now only affects child
processes: the system ``tesseract`` (and whatever a link opens) then loads the system's
libraries (libstdc++, libtiff, libgomp...), not the bundle's copies, which may be older than
the ones it was built against.
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
for _name in ("LD_LIBRARY_PATH", "LIBPATH"):
    _original = os.environ.pop(f"{_name}_ORIG", None)
    _parts = os.environ.get(_name, "").split(os.pathsep)
    if _original is not None:
        os.environ[_name] = _original
    elif _bundle and _parts[0] == _bundle:  # the variable was unset before the bootloader
        if _parts[1:]:
            os.environ[_name] = os.pathsep.join(_parts[1:])
        else:
            del os.environ[_name]
