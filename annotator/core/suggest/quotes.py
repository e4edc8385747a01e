"""Quoted passages in a text: where direct quotes can be.

Curly quotes pair an opening “ with the next closing ”, across sentences and lines (a quote
may run over several sentences). Straight quotes pair within a paragraph, alternately
opening and closing. Single quotes are left alone: ’ is far more often an apostrophe.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Quote:
    open: int   # offset of the opening mark
    close: int  # offset of the closing mark

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close

    def words(self, text: str) -> int:
        return len(text[self.open + 1:self.close].split())


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    curly_open: int | None = None
    straight_open: int | None = None
    for i, char in enumerate(text):
        if char == "“":
            curly_open = i
        elif char == "”" and curly_open is not None:
            quotes.append(Quote(curly_open, i))
            curly_open = None
        elif char == '"':
            if straight_open is None:
                straight_open = i
            else:
                quotes.append(Quote(straight_open, i))
                straight_open = None
        elif char == "\n":
            straight_open = None
    return sorted(quotes, key=lambda q: q.open)
