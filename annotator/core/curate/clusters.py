"""Each document's cluster: the near-duplicate / same-story group the export's splits use.

There is one grouping, `annotator.core.export.splits.Grouper`; this module runs it over the
whole corpus and stores the result in `documents.cluster_id`, so curation (and a person
reading the list) sees the groups a split keeps together. A cluster is named by the id of
its first imported document: the same groups always get the same ids, a document alone is
its own cluster, and a later copy joins its cluster without renaming it. An export still
groups only the documents it exports: over a subset, a chain of reports joined only through
a document left out can fall apart there.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.export.splits import Grouper
from annotator.core.progress import Progress, no_progress
from annotator.core.session import Session
from annotator.core.store import Store


@dataclass(frozen=True, slots=True)
class ClusterRefresh:
    documents: int
    clusters: int
    changed: int  # documents whose cluster id was written (0 when nothing moved)


def cluster_ids(store: Store, progress: Progress = no_progress) -> dict[str, str]:
    """doc id → cluster id for every document. Only reads: a caller that writes the result
    inside an action does not hold the write lock while texts are grouped."""
    total = store.documents.count()
    grouper = Grouper()
    order: dict[str, int] = {}
    for done, document in enumerate(store.documents.iter_all(), 1):
        grouper.add(document.id, document.text)
        order[document.id] = done
        progress(done, total)
    progress(total, total)
    out: dict[str, str] = {}
    for group in grouper.groups():
        first = min(group, key=order.__getitem__)
        out.update((doc_id, first) for doc_id in group)
    return out


def refresh_clusters(store: Store, session: Session,
                     progress: Progress = no_progress) -> ClusterRefresh:
    """Group the corpus (reading only), then store every document's cluster id as one
    action of the curator's."""
    clusters = cluster_ids(store, progress)
    rights.check_admin(session.annotator, session.role, "curate the corpus")
    with action(store, session, "curation.clusters") as act:
        changed = store.documents.set_clusters(clusters)
        refresh = ClusterRefresh(len(clusters), len(set(clusters.values())), changed)
        act.payload.update(documents=refresh.documents, clusters=refresh.clusters,
                           changed=changed)
    return refresh
