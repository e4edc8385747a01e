"""Plain-text articles: the first line is the title, `date YYYY-MM-DD` header lines give the date.

Header lines at the top (`date 2026-01-07`, `source: Reuters`, `url: https://…`) are read
for metadata but stay in the text: text is stored exactly as read.
"""

from __future__ import annotations

import re

from annotator.core.importers.records import (DocumentRecord, InvalidInput, Problem, check_text,
                                              parse_date)

_DATE_HEADER = re.compile(r"^\s*date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_FIELD_HEADER = re.compile(r"^\s*(source|url|title)\s*:\s*(\S.*?)\s*$", re.IGNORECASE)
_HEADER_ZONE = 5  # header lines are only looked for among the first non-blank lines


def decode(data: bytes, file: str, first_line: int = 1) -> str:
    """UTF-8 (a leading byte-order mark is an encoding detail and is dropped); `data` starts
    on line `first_line` of the file, to name the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + first_line
        raise InvalidInput(Problem(file, f"not valid UTF-8 (byte {exc.start}: "
                                         f"0x{data[exc.start]:02x})", line)) from None


def parse_text_file(data: bytes, file: str, name: str) -> DocumentRecord:
    text = decode(data, file)
    check_text(text, file)
    record = DocumentRecord(text=text, origin=file, meta={"file": name})
    seen = 0
    for number, line in enumerate(record.text.split("\n"), start=1):
        if not line.strip():
            continue
        seen += 1
        date = _DATE_HEADER.match(line)
        fields = _FIELD_HEADER.match(line)
        if date and record.date is None and seen <= _HEADER_ZONE and not parse_date(date[1]):
            raise InvalidInput(Problem(file, f"date header: {date[1]!r} is not a real date "
                                             "(YYYY-MM-DD)", number))
        if date and record.date is None and parse_date(date[1]):
            record.date = parse_date(date[1])
        elif fields and seen <= _HEADER_ZONE:
            setattr(record, fields[1].lower(), fields[2])
        elif not record.title:
            record.title = line.strip()
        if record.title and seen >= _HEADER_ZONE:
            break
    return record
