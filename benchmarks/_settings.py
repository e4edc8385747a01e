"""A throwaway folder for the settings of the windows a benchmark opens.

Windows remember their size, splitters and last project in the user's settings; a
benchmark must leave the user's own alone. Qt reads `XDG_CONFIG_HOME` when settings are
first used, and the processes a benchmark starts inherit it.
"""

import atexit
import os
import shutil
import tempfile


def throwaway_settings() -> None:
    """Point this process's (and its children's) settings at a folder removed at exit."""
    folder = tempfile.mkdtemp(prefix="annotator-bench-settings-")
    os.environ["XDG_CONFIG_HOME"] = folder
    atexit.register(shutil.rmtree, folder, True)
