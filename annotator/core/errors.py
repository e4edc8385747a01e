"""Refusals the core explains to a person (the store's own errors live in `core/store`)."""


class OpError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the annotator."""


class RightsError(OpError):
    """The actor may not make this change; the message says why."""


class StaleWrite(OpError):
    """A write to a set several people may write (gold) made from a copy older than the
    stored one: refused, so nobody overwrites work they have not seen. `doc_id` names the
    document a front end reloads."""

    def __init__(self, doc_id: str, title: str, who: str):
        super().__init__(f"gold of {title} was changed by {who} since you opened it; "
                         "reloaded — do it again if still needed")
        self.doc_id = doc_id
