"""Review: the merged picture of annotators' work, the queue, decisions into gold, reports
(docs/architecture.md, "Review")."""
