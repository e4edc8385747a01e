"""The app names the missing system package instead of Qt's platform-plugin error."""

from annotator.gui.platform_check import window_problem


def _present(name):
    return f"lib{name}.so"


def test_offscreen_needs_nothing():
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}, lambda _: None) is None


def test_no_display_is_explained():
    assert "no display" in window_problem({}, _present)


def test_missing_xcb_cursor_names_the_debian_package():
    message = window_problem({"DISPLAY": ":0"},
                             lambda name: None if name == "xcb-cursor" else _present(name))
    assert message.endswith("sudo apt-get install libxcb-cursor0")


def test_complete_system_passes():
    assert window_problem({"DISPLAY": ":0"}, _present) is None
