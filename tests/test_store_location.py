"""A project is named by a location: a file path today, a PostgreSQL URL next."""

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.store import Location, Store, StoreError
from conftest import SEEDS


@pytest.mark.parametrize("given", ["projects/news.db", Path("projects/news.db")])
def test_a_path_is_a_file_location(given):
    location = Location.parse(given)
    assert location.is_file
    assert location.path == Path("projects/news.db")
    assert location.display == str(Path("projects/news.db"))
    assert location.name == "news.db"
    assert Location.parse(location) is location


def test_a_postgresql_url_parses_without_showing_its_password():
    location = Location.parse("postgresql://ana:s3cret@db.example.org:5433/newsroom")
    assert not location.is_file
    assert location.display == "postgresql://ana@db.example.org:5433/newsroom"
    assert str(location) == location.display
    assert location.name == "newsroom"
    with pytest.raises(ValueError, match="is not a file"):
        location.path


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://ana:p@ss@db/news?sslmode=require&password=x&port=1",
     "postgresql://ana@db/news?sslmode=require&port=1"),
    ("postgresql://db/news?password=x", "postgresql://db/news"),
    ("postgresql://ana:pw@[::1/news", "postgresql://ana@[::1/news"),  # malformed: still hidden
])
def test_a_password_never_shows_wherever_the_url_holds_it(url, shown):
    location = Location.parse(url)
    assert location.display == shown and location.has_password
    assert location.name == "news"
    assert not Location.parse(shown).has_password


def test_another_scheme_is_not_a_location():
    with pytest.raises(StoreError, match="give a file path or a postgresql:// URL"):
        Location.parse("mysql://localhost/news")


def test_the_store_and_the_command_line_name_the_project_by_its_location(db_path, capsys):
    with Store(Location.parse(db_path)) as store:
        assert store.location == Location.parse(str(db_path))
        assert store.location.path == db_path
    assert main(["import", str(SEEDS), "--db", str(db_path)]) == 0
    assert f"into {db_path};" in capsys.readouterr().out
