"""A document's identity is the hash of its text; newlines are normalised before hashing."""

import hashlib


def normalise_newlines(text: str) -> str:
    """The only change ever made to imported text: ``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def doc_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
