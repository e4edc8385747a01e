"""One source of timestamps, so every row of a project uses the same format (UTC ISO-8601)."""

from datetime import datetime, timezone


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
