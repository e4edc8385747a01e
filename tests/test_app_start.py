"""Starting the app: the annotator's name is asked once and remembered (QSettings)."""

import pytest
from PySide6.QtCore import QSettings

from annotator.gui import app


@pytest.fixture
def isolated_settings(tmp_path):
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    app.settings().clear()
    yield
    app.settings().clear()


def test_name_is_asked_once_and_remembered(qapp, isolated_settings, monkeypatch):
    asked = []

    def get_text(*args, **kwargs):
        asked.append(args[1:])
        return "  Rania  ", True

    monkeypatch.setattr(app.QInputDialog, "getText", staticmethod(get_text))
    assert app.annotator_name(None) == "Rania"
    assert app.annotator_name(None) == "Rania"
    assert len(asked) == 1
    assert app.settings().value(app.NAME_KEY) == "Rania"


def test_flag_and_environment_skip_the_question(qapp, isolated_settings, monkeypatch):
    monkeypatch.setattr(app.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: pytest.fail("must not ask")))
    assert app.annotator_name("cli-name") == "cli-name"
    monkeypatch.setenv("ANNOTATOR_NAME", "env-name")
    assert app.annotator_name(None) == "env-name"


def test_cancelled_question_starts_nothing(qapp, isolated_settings, monkeypatch):
    monkeypatch.setattr(app.QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    assert app.annotator_name(None) is None
    assert app.run_app(None, None) == 1
