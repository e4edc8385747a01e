"""Storing an import's planned batches, inside the import's one transaction.

The plan (`plan.py`) knows nothing of the project; here each batch meets it. A set that
already holds work in the project is never merged into: every record for it is a problem
naming where it came from, and its plan is dropped (the run then stores nothing, unless
`--skip-invalid`). The rest is stored a batch at a time: the sets in two statements, the
spans in one (``COPY`` on a server) with ids given as the batch is stored, later decisions
on spans of earlier batches, claims, then set changes. The corpus memory of the run's sets
is deferred while their spans go in (a trigger would read the document's text once per
span) and added at the end (`finish`) from the planner's counts.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Sequence

from annotator.core.importers.plan import AnnotationBatch, MemoryRow, SetKey, SetPlan
from annotator.core.importers.records import Problem
from annotator.core.schema import Schema
from annotator.core.store import Store


class AnnotationWriter:
    def __init__(self, store: Store, schema: Schema,
                 known: Callable[[str], Schema | None] = lambda _hash: None):
        self.store = store
        self.schema = schema
        self.known = known  # the schemas records may name as made under (`Labels.under`)
        self.kept = {schema.hash}  # the schemas the project holds for the run's sets
        self.set_ids: dict[SetKey, int] = {}
        self.made_in: dict[SetKey, str] = {}  # each set's schema hash
        self.refused: set[SetKey] = set()  # sets with work in the project
        self.counts: Counter[str] = Counter()
        self.warnings: list[str] = []
        self.notes: Counter[str] = Counter()
        self._firsts: list[int] = []  # each stored batch's first span number in the run …
        self._ids: list[Sequence[int]] = []  # … and the ids its spans were given

    def write_batch(self, batch: AnnotationBatch) -> list[Problem]:
        """Store a batch's plan; the problems of the records refused (they store nothing)."""
        unseen = {outcome.key for outcome in batch.outcomes} - self.set_ids.keys()
        worked = self.store.sets.with_work({doc_id for doc_id, _ in unseen}) & unseen
        self.refused |= worked
        problems = []
        for outcome in batch.outcomes:
            if outcome.key in worked:
                problems.append(Problem(outcome.origin, f"annotator {outcome.key[1]!r} already "
                                        "has work on this document in the project; imported "
                                        "annotations are never merged into it"))
                continue
            self.notes.update(outcome.notes)
            if outcome.problem is not None:
                problems.append(Problem(outcome.origin, outcome.problem))
                continue
            self.counts.update(outcome.counts)
            self.warnings += outcome.warnings
        sets = {key: plan for key, plan in batch.sets.items() if key not in worked}
        self._make_sets({key: plan.schema_hash for key, plan in sets.items()
                         if plan.schema_hash is not None})
        self._store_spans(batch, sets)
        if sets:
            self.store.sets.update_many({self.set_ids[key]: plan.changes
                                         for key, plan in sets.items() if plan.changes})
        return problems

    def finish(self, memory: list[MemoryRow]) -> None:
        """Add the corpus memory of the run's decided entities, before the run commits."""
        self.store.spans.count_memory(memory)

    def made_under(self, schema_hash: str) -> None:
        """Record the run's sets made under the current schema as made under the one the run
        extended it to."""
        self.store.sets.update_many({set_id: {"schema_hash": schema_hash}
                                     for key, set_id in self.set_ids.items()
                                     if self.made_in[key] == self.schema.hash})

    def _make_sets(self, made: dict[SetKey, str]) -> None:
        """The batch's new sets, their corpus memory deferred to `finish`."""
        for schema_hash in sorted(set(made.values())):
            self._keep(schema_hash)
            keys = sorted(key for key, under in made.items() if under == schema_hash)
            ids = self.store.sets.ensure_many(keys, schema_hash)
            self.store.spans.defer_memory([ids[key] for key in keys])
            self.set_ids.update(ids)
        self.made_in.update(made)

    def _store_spans(self, batch: AnnotationBatch, sets: dict[SetKey, SetPlan]) -> None:
        """The batch's new spans, later decisions on earlier ones, and claims."""
        spans = self.store.spans
        ids = spans.new_ids(sum(len(plan.spans) for plan in batch.sets.values()))
        self._firsts.append(batch.first)
        self._ids.append(ids)
        groups = [(self.set_ids[key], plan.spans) for key, plan in sets.items() if plan.spans]
        if groups:
            spans.insert_grouped(groups, ids)
        for key, number, fields in batch.updates:
            if key in sets:
                spans.update(self._id(number), **fields)
        claims = [(self.set_ids[key], self._id(content),
                   None if source is None else self._id(source),
                   None if cue is None else self._id(cue), type_, attributes)
                  for key, content, source, cue, type_, attributes in batch.claims
                  if key in sets]
        if claims:
            self.store.claims.insert_many(claims)

    def _id(self, number: int) -> int:
        """The id of the span numbered `number` in the run."""
        batch = bisect.bisect_right(self._firsts, number) - 1
        return self._ids[batch][number - self._firsts[batch]]

    def _keep(self, schema_hash: str) -> None:
        """The project holds the schema a set is made under: an earlier one the project
        replaced, or one an export's manifest brought, kept without becoming current."""
        if schema_hash in self.kept:
            return
        schema = self.known(schema_hash)
        assert schema is not None  # a record is read under a stated schema only when known
        self.store.settings.keep_schema(schema.hash, schema.name, schema.version,
                                        schema.model_dump(mode="json"))
        self.kept.add(schema_hash)
