"""A property of the ops: whatever edits an annotator makes, undoes and redoes — and another
window makes on the same set in between — standing entities never overlap, a refused edit
writes nothing, and the export takes the set as it is.

Hypothesis drives random sequences (derandomized, so CI sees the same ones every run) over a
real project file with one short article; each example works in a fresh annotation set.
"""

from __future__ import annotations

import itertools
from contextlib import closing

import orjson
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule, run_state_machine_as_test)

from annotator.core import ops
from annotator.core.export.run import ExportOptions, export_dataset
from annotator.core.export.selection import Selection, iter_annotations
from annotator.core.export.validate import check_annotation
from annotator.core.importers import import_paths
from annotator.core.ops import Op, OpError, Session, Target
from annotator.core.project import current_schema

TEXT = "Barack Obama met Angela Merkel in Paris on Monday, the White House said."
WORDS = [(i, i + len(w)) for i, w in
         ((TEXT.index(w), w) for w in ("Barack", "Obama", "met", "Angela", "Merkel", "in",
                                       "Paris", "on", "Monday", "White", "House", "said"))]
LABELS = ("PERSON", "GPE", "ORG", "DATE")
SUGGESTED = (("Barack Obama", "PERSON"), ("Paris", "GPE"), ("Monday", "DATE"),
             ("White House", "ORG"))
TYPES = ("direct_quote", "indirect", "unattributed")

word = st.integers(0, len(WORDS) - 1)
pick = st.integers(0, 1_000)  # an index into the set's spans, taken modulo their number
window = st.sampled_from(["mine", "other"])  # "other": a second window, outside my history


class OpSequences(RuleBasedStateMachine):
    """My edits go on my undo history (a new edit clears what could be redone; an undo or
    redo that is refused drops the step, as the app does); the other window only edits."""

    store = None   # the project, set by the test
    folder = None  # where the exports go, set by the test
    counter = itertools.count()

    @initialize()
    def fresh_set(self):
        store = self.store
        annotator = f"ann{next(self.counter)}"
        doc_id = store.documents.ids_in_order()[0]
        aset = store.sets.ensure(doc_id, annotator, current_schema(store).hash)
        self.target = Target(doc_id, aset.id)
        self.annotator = annotator
        self.sessions = {"mine": Session(annotator), "other": Session(annotator)}
        self.undo_stack: list[Op] = []
        self.redo_stack: list[Op] = []
        for words, label in SUGGESTED:
            start = TEXT.index(words)
            store.spans.add(aset.id, start, start + len(words), layer="entity", label=label,
                            origin="model:test@1", state="suggested", score=0.5)

    # -- the edits -------------------------------------------------------------------------

    def _spans(self):
        return self.store.spans.for_set(self.target.set_id)

    def _pick(self, n):
        spans = self._spans()
        return spans[n % len(spans)].id if spans else None

    def _edit(self, who, build):
        """Build and apply an op as `who`; a refusal must leave the file as it was."""
        before = self._rows()
        try:
            op = build(self.sessions[who])
            op.apply(self.store)
        except OpError:
            assert self._rows() == before
            return
        if who == "mine":
            self.undo_stack.append(op)
            self.redo_stack.clear()

    @rule(who=window, first=word, length=st.integers(0, 2), label=st.sampled_from(LABELS),
          replace=st.booleans())
    def add_entity(self, who, first, length, label, replace):
        start, end = WORDS[first][0], WORDS[min(first + length, len(WORDS) - 1)][1]
        self._edit(who, lambda s: ops.add_entity(s, self.store, self.target, TEXT, start, end,
                                                 label, replace=replace))

    @rule(who=window, n=pick, verb=st.sampled_from([ops.accept, ops.reject, ops.delete_span]))
    def decide(self, who, n, verb):
        span_id = self._pick(n)
        if span_id is not None:
            self._edit(who, lambda s: verb(s, self.store, self.target, span_id))

    @rule(who=window, n=pick, label=st.sampled_from(LABELS))
    def relabel(self, who, n, label):
        span_id = self._pick(n)
        if span_id is not None:
            self._edit(who, lambda s: ops.relabel(s, self.store, self.target, span_id, label))

    @rule(who=window)
    def accept_all(self, who):
        self._edit(who, lambda s: ops.accept_all(s, self.store, self.target))

    @rule(who=window, first=word, length=st.integers(0, 5))
    def make_claim(self, who, first, length):
        start, end = WORDS[first][0], WORDS[min(first + length, len(WORDS) - 1)][1]
        self._edit(who, lambda s: ops.make_claim(s, self.store, self.target, TEXT, start, end,
                                                 TYPES))

    # -- my history ------------------------------------------------------------------------

    def _replay(self, op, direction):
        """Undo or redo; refused (an edit elsewhere took the place, or removed a row the
        step needs), it writes nothing and the step leaves the history."""
        before = self._rows()
        try:
            getattr(op, direction)(self.store)
        except (OpError, KeyError):
            assert self._rows() == before
            return False
        return True

    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self):
        op = self.undo_stack.pop()
        if self._replay(op, "undo"):
            self.redo_stack.append(op)

    @precondition(lambda self: self.redo_stack)
    @rule()
    def redo(self):
        op = self.redo_stack.pop()
        if self._replay(op, "redo"):
            self.undo_stack.append(op)

    # -- what must hold after every step ---------------------------------------------------

    def _rows(self):
        return self._spans(), self.store.claims.for_set(self.target.set_id), \
            len(self.store.events.list(annotator=self.annotator))

    @invariant()
    def standing_entities_never_overlap(self):
        standing = [s for s in self._spans() if s.layer == "entity" and s.state != "rejected"]
        for a, b in itertools.combinations(standing, 2):
            assert not (a.start < b.end and b.start < a.end), (a, b)

    @invariant()
    def the_export_accepts_the_set(self):
        selection = Selection(self.annotator, include_unfinished=True)
        with closing(iter_annotations(self.store, selection, with_tokens=False)) as annotations:
            for annotation in annotations:
                check_annotation(annotation)

    def teardown(self):
        """The whole export, as a user runs it, writes every accepted entity of the set."""
        if not hasattr(self, "target"):
            return
        accepted = sorted((s.start, s.end, s.label) for s in self._spans()
                          if s.layer == "entity" and s.state == "accepted")
        out = self.folder / self.annotator
        export_dataset(self.store, ExportOptions(annotator=self.annotator,
                                                 include_unfinished=True), out)
        lines = (out / "all.jsonl").read_bytes().splitlines()
        exported = sorted((s["start"], s["end"], s["label"])
                          for line in lines for s in orjson.loads(line)["spans"])
        assert exported == accepted


@pytest.fixture
def project(store, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    import_paths(store, [article], annotator="tester")
    return store


def test_random_edits_undo_and_redo_keep_standing_entities_apart(project, tmp_path):
    OpSequences.store = project
    OpSequences.folder = tmp_path / "exports"
    run_state_machine_as_test(OpSequences, settings=settings(
        max_examples=50, stateful_step_count=25, deadline=None, derandomize=True,
        database=None, suppress_health_check=[HealthCheck.too_slow]))
