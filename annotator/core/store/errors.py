"""What can go wrong with a project, in the store's own words rather than its database's.

Callers (the command line, the window, background jobs) catch these and show the message as
it is: each is one sentence naming the project's location and, where there is one, what to
do. A second backend raises the same classes, so no caller depends on SQLite.
"""

from __future__ import annotations


class StoreError(Exception):
    """A project cannot be used as asked; the base of every error below."""


class StoreBusy(StoreError):
    """Another writer held the project longer than the busy timeout."""

    def __init__(self, where: str):
        super().__init__(f"{where} is busy: another program has kept it locked for too long, "
                         "so nothing was changed; try again when it has finished")


class StoreIntegrityError(StoreError):
    """A change broke a rule the project's tables enforce (a check, a key, a trigger)."""

    def __init__(self, where: str, detail: str):
        super().__init__(f"{where} refused a change that breaks a rule of the project "
                         f"({detail})")


class StoreVersionError(StoreError):
    """The project was written by a newer Annotator than this one."""

    def __init__(self, where: str, found: int, known: int):
        super().__init__(f"{where} was written by a newer Annotator (project version {found}, "
                         f"this one knows versions up to {known}); upgrade Annotator to open it")


class NotAProject(StoreError):
    """The location holds something else: a folder, a random file, another program's data."""

    def __init__(self, where: str, what: str,
                 advice: str = "name a project file, or a new file to start one"):
        super().__init__(f"{where} is not an Annotator project ({what}); {advice}")


class StoreReadOnly(StoreError):
    """The project cannot be written here (file, folder or medium), but may still be read."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where} cannot be changed: {why}")


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full."""

    def __init__(self, where: str):
        super().__init__(f"{where} could not be saved because the disk is full: the last change "
                         "was undone, free some space and try again")


class StoreDamaged(StoreError):
    """The file is cut short or overwritten: the database itself reports it malformed."""

    def __init__(self, where: str, detail: str):
        super().__init__(f"{where} is damaged ({detail}), perhaps cut short by a failed copy; "
                         "restore it from a backup")


class StoreUnreachable(StoreError):
    """The project's server cannot be reached (down, wrong host or port, network gone):
    nothing was changed, and trying again later may work."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where} cannot be reached: {why}")


class StoreAccessDenied(StoreError):
    """The server knows the project but not this person, or not for this change."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where} refused access: {why}")
