"""How far annotators agree, over the documents they both finished (docs/architecture.md,
"Agreement"): the figures of `annotator agreement` and of Project → Team agreement….

One read snapshot, a page of documents at a time (`store.agreement`), memory flat: every
figure is a running sum. Per pair of annotators: entities (exact and overlapping, micro
and per label), token-level Cohen's κ, claims, document labels (`pair`). Over all the
annotators of each document at once: Krippendorff's α_U per entity label (`alpha_u`) and
Krippendorff's nominal α per document-label group. Per document: a score to start a
review where people disagree most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from annotator.core.progress import Progress, no_progress
from annotator.core.project import current_schema
from annotator.core.rights import GOLD
from annotator.core.store import Store
from annotator.core.store.agreement import ComparedDocument, FinishedSet
from annotator.core.team.run import Run
from annotator.core.tokens import DocTokens, doc_tokens, tokenizer_key

PAGE = 500  # documents read at a time


class AgreementError(ValueError):
    """A request that names what the project does not hold; one sentence listing what it
    does."""


def choose_annotators(store: Store, requested: Sequence[str] | None) -> list[str]:
    """The annotators to compare: those asked for (each must have work in the project),
    else everyone who finished a document (gold, the reviewed result, only when asked)."""
    if requested:
        known = store.sets.annotators()
        unknown = [name for name in requested if name not in known]
        if unknown:
            raise AgreementError(
                f"unknown annotator{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                f"the project knows {', '.join(known) or 'nobody yet'}")
        return sorted(set(requested))
    return [name for name in store.agreement.finished_counts() if name != GOLD]


def check_labels(store: Store, labels: Sequence[str] | None) -> list[str] | None:
    if not labels:
        return None
    known = current_schema(store).labels
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise AgreementError(f"unknown label{'s' if len(unknown) > 1 else ''} "
                             f"{', '.join(unknown)}; the schema has {', '.join(known)}")
    return list(dict.fromkeys(labels))


def empty(annotators: Sequence[str]) -> dict[str, Any]:
    return {"documents": 0, "annotators": list(annotators), "pairs": [],
            "alpha_u": {"overall": None, "per_label": {}},
            "doc_labels": {"alpha": {}}, "per_document": []}


def nothing_message(result: dict[str, Any]) -> str:
    """Why an empty result is empty, in one sentence."""
    who = ", ".join(result["annotators"])
    if not who:
        return "Nothing to compare: no annotator has finished a document yet."
    if len(result["annotators"]) < 2:
        return (f"Nothing to compare: agreement needs two annotators who finished the same "
                f"documents, and the comparison has only {who}.")
    return f"Nothing to compare: no document was finished by two of {who}."


def measure(store: Store, annotators: Sequence[str] | None = None,
            labels: Sequence[str] | None = None, progress: Progress = no_progress
            ) -> dict[str, Any]:
    """Every agreement figure of the project, as `annotator agreement --json` prints it.

    One process: the export's worker processes, tried here, cost more CPU time than they
    took off (starting them and shipping pages and sums), on the two cores this is measured
    on (docs/benchmarks.md, "Agreement")."""
    chosen = choose_annotators(store, annotators)
    only = check_labels(store, labels)
    if len(chosen) < 2:
        return empty(chosen)
    run = Run(chosen, only, [group.name for group in current_schema(store).document_labels])
    with store.snapshot():
        total = store.agreement.count(chosen)
        for document, sets, tokens in _documents(store, chosen):
            run.add(document, sets, tokens)
            if run.documents % PAGE == 0 or run.documents == total:
                progress(run.documents, total)
    return run.result()


def _documents(store: Store, annotators: Sequence[str]
               ) -> Iterator[tuple[ComparedDocument, list[FinishedSet], DocTokens]]:
    """Each compared document with its finished sets and its tokens (cached, else made
    from its text), read a page at a time."""
    after = 0
    while documents := store.agreement.documents(annotators, after=after, limit=PAGE):
        sets = store.agreement.finished_sets([d.id for d in documents], annotators)
        blobs = store.tokens.get_many([d.id for d in documents], tokenizer_key())
        by_doc: dict[str, list[FinishedSet]] = defaultdict(list)
        for finished in sets:
            by_doc[finished.doc_id].append(finished)
        for d in documents:
            blob = blobs.get(d.id)
            yield d, by_doc[d.id], (DocTokens.from_blob(blob) if blob is not None
                                    else doc_tokens(store.documents.text(d.id)))
        after = documents[-1].num
