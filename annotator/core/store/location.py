"""Where a project lives: a file path today, a database URL next.

Code outside the store names a project by its `Location` (`display` in messages and window
titles, `name` where space is short) and never stats or opens it itself, so a project that
is not a file needs no changes there. Only the file kind has a `path`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.store.errors import StoreError

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_POSTGRESQL = ("postgresql", "postgres")
_NETLOC_END = re.compile(r"[/?#]")
_QUERY_PASSWORD = re.compile(r"([?&])password=[^&#]*(&?)")


def _split(url: str) -> tuple[str, str, str]:
    """Scheme, network location (user, password, host, port) and the rest of a URL."""
    scheme, _, rest = url.partition("://")
    end = _NETLOC_END.search(rest)
    cut = end.start() if end else len(rest)
    return scheme, rest[:cut], rest[cut:]


def _keep_separator(match: re.Match[str]) -> str:
    return match[1] if match[2] else ""


@dataclass(frozen=True)
class Location:
    kind: str  # "file" or "postgresql"
    value: str  # the path or URL as given

    @classmethod
    def parse(cls, where: str | os.PathLike[str] | Location) -> Location:
        """A path (anything without ``scheme://``) or a ``postgresql://`` URL."""
        if isinstance(where, Location):
            return where
        text = os.fspath(where)
        scheme = _SCHEME.match(text)
        if scheme is None:
            return cls("file", text)
        if scheme[1].lower().split("+")[0] in _POSTGRESQL:
            return cls("postgresql", text)
        raise StoreError(f"{text} is not a project location: give a file path or a "
                         "postgresql:// URL")

    @property
    def is_file(self) -> bool:
        return self.kind == "file"

    @property
    def path(self) -> Path:
        if not self.is_file:
            raise ValueError(f"{self.display} is not a file")
        return Path(self.value)

    @property
    def display(self) -> str:
        """The location for people: a URL without its password, in the user part or in a
        ``password=`` parameter; read without parsing, so a malformed URL hides it too."""
        if self.is_file:
            return self.value
        scheme, netloc, tail = _split(self.value)
        user, at, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}{at}{host}"
        return f"{scheme}://{netloc}{_QUERY_PASSWORD.sub(_keep_separator, tail)}"

    @property
    def has_password(self) -> bool:
        """Whether the URL holds a password, which libpq would take but anyone on the
        machine could read (process list, shell history)."""
        return not self.is_file and self.display != self.value

    @property
    def key(self) -> str:
        """One string per project, however it was named (a relative or absolute path, a
        URL with or without a password): what per-project state in this process and in the
        user's settings is filed under."""
        return str(self.path.resolve()) if self.is_file else self.display

    @property
    def name(self) -> str:
        """Short name (window titles): the file's name, or the database's."""
        if self.is_file:
            return self.path.name
        path = _split(self.display)[2].partition("?")[0].partition("#")[0]
        return path.lstrip("/") or self.display

    def __str__(self) -> str:
        return self.display
