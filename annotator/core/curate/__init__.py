"""Corpus curation: what an admin decides about documents as a whole (clusters, exclusion)."""
