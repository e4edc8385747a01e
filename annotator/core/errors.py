"""Refusals the core explains to a person (the store's own errors live in `core/store`)."""


class OpError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the annotator."""


class RightsError(OpError):
    """The actor may not make this change; the message says why."""
