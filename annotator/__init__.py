"""Annotator: curate NLP training data (entities and attributed claims) from news."""

__version__ = "0.1.0"
