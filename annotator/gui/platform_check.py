"""Say what the system lacks before Qt fails with its cryptic platform-plugin error.

Imports no Qt: it runs before Qt loads, so its message is the one the user sees.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# Libraries Qt's xcb platform plugin links (readelf -d libQt6XcbQpa.so.6), with the
# Debian/Ubuntu package providing each; a minimal desktop or container often lacks a few.
XCB_LIBRARIES = {
    "X11-xcb": "libx11-xcb1",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-render": "libxcb-render0",
    "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0",
    "xcb-sync": "libxcb-sync1",
    "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xkbcommon": "libxkbcommon0",
    "GL": "libgl1",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def window_problem(environ: dict[str, str] | None = None,
                   find_library=ctypes.util.find_library) -> str | None:
    """A message naming what to install or set, or None when a window can open."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform.startswith(("offscreen", "minimal",
                                                                    "wayland", "vnc")):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("no display to open a window on ($DISPLAY is not set). Run it on a desktop, "
                "under `xvfb-run`, or with QT_QPA_PLATFORM=offscreen.")
    missing = sorted(pkg for lib, pkg in XCB_LIBRARIES.items() if find_library(lib) is None)
    if missing:
        return ("Qt needs system libraries that are missing to open a window. Install them "
                f"with:\n    sudo apt-get install {' '.join(missing)}")
    return None
