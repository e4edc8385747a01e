"""`annotator copy SRC DST`: a whole project from a file to a server or back, losslessly
(docs/architecture.md, "Copying and merging projects").

Every table a project keeps is carried row by row with its ids (`store.transfer.TABLES`),
JSON as it is, the event log included; what the database derives (corpus memory, the
full-text index) it rebuilds as the rows arrive. The destination is written in one
transaction, and a new file is built under a hidden name and renamed into place, so a
cancelled or failed copy leaves the destination as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.progress import Progress, no_progress
from annotator.core.store import Location, Store, StoreError
from annotator.core.store.transfer import TABLES, new_file


@dataclass
class CopyReport:
    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)  # per table


def copy_project(source: str | Location, destination: str | Location,
                 progress: Progress = no_progress) -> CopyReport:
    """Copy the project at `source` into `destination`: a new (or empty) file, or an empty
    team project made by `annotator team init`."""
    src_at, dst_at = Location.parse(source), Location.parse(destination)
    if src_at.key == dst_at.key:
        raise StoreError(f"{src_at.display}: a project cannot be copied onto itself")
    with Store(src_at, read_only=True) as src:
        _refuse_unknown_tables(src)
        if not dst_at.is_file:
            with Store(dst_at) as dst:
                return _copy(src, dst, progress)
        with new_file(dst_at) as building:
            with Store(building) as dst:
                report = _copy(src, dst, progress)
            report.destination = dst_at.display
            return report


def _refuse_unknown_tables(store: Store) -> None:
    unknown = store.transfer.unknown_tables()
    if unknown:
        raise StoreError(f"{store.location.display} holds tables this Annotator cannot copy "
                         f"({', '.join(unknown)}); nothing was copied")


def _copy(src: Store, dst: Store, progress: Progress) -> CopyReport:
    _refuse_unknown_tables(dst)
    filled = [table for table in TABLES if dst.transfer.count(table)]
    if filled:
        raise StoreError(f"{dst.location.display} is not empty (it holds {', '.join(filled)}): "
                         "copy into a new file or a project just made by `annotator team init`")
    report = CopyReport(src.location.display, dst.location.display)
    with src.snapshot():
        counts = {table: src.transfer.count(table) for table in TABLES}
        total, done = sum(counts.values()), 0
        progress(0, total)
        with dst.transaction():
            for table in TABLES:
                columns = src.transfer.columns(table)
                if set(columns) != set(dst.transfer.columns(table)):
                    raise StoreError(f"{dst.location.display}: the table {table} has other "
                                     "columns than the source's; are both at the same version?")

                def rows(table=table, columns=columns):
                    nonlocal done
                    for batch in src.transfer.rows(table, columns):
                        yield from batch
                        done += len(batch)
                        progress(done, total)

                dst.transfer.insert(table, columns, rows())
                report.rows[table] = counts[table]
            dst.transfer.reset_identities()
    return report
