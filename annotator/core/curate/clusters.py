"""Each document's clusters: the story and near-duplicate groups the export's splits use.

There is one grouping, `annotator.core.export.grouping.Grouper`; this module runs it over the
whole corpus and stores two ids per document: `cluster_id`, its story (reports of one event,
copies included: what a split keeps together), and `duplicate_id`, its near-duplicate group
inside that story (reprints, syndicated copies). A cluster is named by the id of its first
imported document: the same groups always get the same ids, a document alone is its own
cluster, and a later copy joins its cluster without renaming it. The ids are written by a
refresh (`annotator curate clusters`, and after an import into a project that has them),
never when a project is opened. An export still groups only the documents it exports: over
a subset, a chain of reports joined only through a document left out can fall apart there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from annotator.core import rights
from annotator.core.actions import action
from annotator.core.progress import Progress, no_progress
from annotator.core.session import Session
from annotator.core.store import Store

@dataclass(frozen=True, slots=True)
class ClusterRefresh:
    documents: int
    clusters: int  # stories, a document alone counted as one
    duplicates: int  # near-duplicate groups of more than one document
    changed: int  # documents whose cluster ids were written (0 when nothing moved)


def cluster_ids(store: Store, progress: Progress = no_progress
                ) -> tuple[dict[str, str], dict[str, str]]:
    """(doc id → story id, doc id → duplicate group id) for every document. Only reads: a
    caller that writes the result inside an action does not hold the write lock while texts
    are grouped."""
    # Imported here: numpy costs the start of every command that imports this module (an
    # import refreshes clusters only in a project that has them).
    from annotator.core.export.grouping import Grouper

    total = store.documents.count()
    grouper = Grouper()
    order: dict[str, int] = {}
    for done, document in enumerate(store.documents.iter_all(), 1):
        grouper.add(document.id, document.text)
        order[document.id] = done
        progress(done, total)
    progress(total, total)
    return (_named(grouper.groups(), order), _named(grouper.duplicate_groups(), order))


def _named(groups: list[list[str]], order: dict[str, int]) -> dict[str, str]:
    out: dict[str, str] = {}
    for group in groups:
        first = min(group, key=order.__getitem__)
        out.update((doc_id, first) for doc_id in group)
    return out


def refresh_clusters(store: Store, session: Session,
                     progress: Progress = no_progress) -> ClusterRefresh:
    """Group the corpus (reading only), then store every document's cluster ids as one
    action of the curator's."""
    rights.check_admin(session.annotator, session.role, "curate the corpus")
    stories, duplicates = cluster_ids(store, progress)
    with action(store, session, "curation.clusters") as act:
        changed = store.documents.set_clusters(stories, duplicates)
        copies = Counter(duplicates.values())
        refresh = ClusterRefresh(len(stories), len(set(stories.values())),
                                 sum(1 for n in copies.values() if n > 1), changed)
        act.payload.update(documents=refresh.documents, clusters=refresh.clusters,
                           duplicates=refresh.duplicates, changed=changed)
    return refresh


def refresh_after_import(store: Store, session: Session, imported: int,
                         progress: Progress = no_progress) -> ClusterRefresh | None:
    """After an import that brought documents, refresh the clusters of a project that has
    them (a project never grouped is left for its first `curate clusters`: grouping 10,000
    articles costs seconds an import need not spend)."""
    if not imported or not store.documents.clusters_computed():
        return None
    return refresh_clusters(store, session, progress)


def listing(store: Store) -> list[dict[str, Any]]:
    """The stored clusters of more than one document, as `curate clusters --json` prints
    them: each story, with the duplicate groups inside it listed just before it."""
    stories = store.documents.clusters("story")
    duplicates = store.documents.clusters("duplicate")
    story_of = {doc_id: story for story, members in stories.items() for doc_id, _ in members}
    inside: dict[str, list[dict[str, Any]]] = {}
    for cluster, members in duplicates.items():
        if len(members) > 1:
            inside.setdefault(story_of[members[0][0]], []).append(
                _entry(cluster, "duplicate", members))
    out: list[dict[str, Any]] = []
    for story, members in stories.items():
        if len(members) > 1:
            out += [*inside.get(story, []), _entry(story, "story", members)]
    return out


def _entry(cluster: str, kind: str, members: list[tuple[str, str]]) -> dict[str, Any]:
    return {"id": cluster, "kind": kind,
            "documents": [{"doc_id": doc_id, "title": title} for doc_id, title in members]}
