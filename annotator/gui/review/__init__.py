"""Review mode: the workspace window turned to settling annotators' conflicts into gold
(docs/architecture.md, "Review"). The decisions are the core's (`core/review/decide.py`);
these modules show the merged picture in the workspace's own article view and map keys to
those ops."""
