"""Corroboration: which claims of a story several outlets carry, and on whose word.

A story is a cluster of more than one document (`curate.clusters`). Its claims are read
per document from one version of the work (`claim_version`), then claims of different
documents that say the same thing are grouped: their contents' TF-IDF vectors (words
weighted by how rare they are among the story's claims, so "said" and "the" count for
little) are compared by cosine and grouped by average linkage (`group_claims`). A group is kept when it spans two documents or more; each of its claims
keeps its source and cue, which is what a curator compares ("a Syrian official said" vs
"Syrian state media reported"). Only reads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.rights import GOLD, MODEL
from annotator.core.store import Store
from annotator.core.suggest.materialise import cached_payload

THRESHOLD = 0.3  # cosine: the seeds' "joint fusion mechanism" reports sit at 0.35–0.8
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class StoryClaim:
    doc_id: str
    outlet: str  # the publication; the title when the document names none
    version: str  # whose claim: an annotator, gold, or the model
    type: str
    content: str
    source: str | None
    cue: str | None
    start: int | None = None  # where the content lies in the document's text
    end: int | None = None


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    story: str  # the cluster id
    claims: tuple[StoryClaim, ...]

    @property
    def outlets(self) -> list[str]:
        return sorted({c.outlet for c in self.claims})


def corroboration(store: Store, annotator: str | None = None,
                  threshold: float = THRESHOLD) -> list[ClaimGroup]:
    """The claim groups of every story, largest first (then by story and first claim)."""
    groups = []
    for story, members in store.documents.clusters().items():
        groups += story_groups(store, story, [doc_id for doc_id, _ in members], annotator,
                               threshold)
    groups.sort(key=_largest_first)
    return groups


@dataclass(frozen=True, slots=True)
class Story:
    """The story of one document: its cluster id (None before clustering) and its reports."""
    id: str | None
    doc_ids: tuple[str, ...]
    groups: tuple[ClaimGroup, ...]


def story_of(store: Store, doc_id: str, annotator: str | None = None,
             threshold: float = THRESHOLD) -> Story:
    """What the app's Corroboration view shows for the open document: the claim groups of
    its story."""
    with store.snapshot():
        cluster = store.documents.get(doc_id).cluster_id
        if cluster is None:
            return Story(None, (doc_id,), ())
        members = tuple(d for d, _ in store.documents.clusters().get(cluster, [])) or (doc_id,)
        return Story(cluster, members,
                     tuple(story_groups(store, cluster, list(members), annotator, threshold)))


def story_groups(store: Store, story: str, doc_ids: list[str], annotator: str | None = None,
                 threshold: float = THRESHOLD) -> list[ClaimGroup]:
    """The claim groups of one story (its documents `doc_ids`), largest first; none for a
    document alone."""
    if len(doc_ids) < 2:
        return []
    claims = [claim for doc_id in doc_ids for claim in claim_version(store, doc_id, annotator)]
    return sorted((ClaimGroup(story, tuple(group)) for group in group_claims(claims, threshold)),
                  key=_largest_first)


def _largest_first(group: ClaimGroup) -> tuple:
    return -len({c.doc_id for c in group.claims}), group.story, group.claims[0].content


def claim_version(store: Store, doc_id: str, annotator: str | None) -> list[StoryClaim]:
    """A document's claims as `annotator` (a person, gold or the model) has them; by default
    the best the project has: gold, else a finished set, else the model's suggestions."""
    if annotator == MODEL:
        return _model_claims(store, doc_id)
    if annotator is not None:
        found = store.sets.find(doc_id, annotator)
        return _set_claims(store, doc_id, found.id, annotator) if found else []
    gold = store.sets.find(doc_id, GOLD)
    if gold is not None:
        return _set_claims(store, doc_id, gold.id, GOLD)
    finished = store.sets.finished_on(doc_id)
    if finished:
        return _set_claims(store, doc_id, finished[0].id, finished[0].annotator)
    return _model_claims(store, doc_id)


def _set_claims(store: Store, doc_id: str, set_id: int, version: str) -> list[StoryClaim]:
    document = store.documents.get(doc_id)
    text = document.text
    spans = {s.id: s for s in store.spans.for_set(set_id) if s.state != "rejected"}

    def part(span_id: int | None) -> str | None:
        span = spans.get(span_id) if span_id is not None else None
        return text[span.start:span.end] if span else None

    return [StoryClaim(doc_id, document.source or document.title, version, claim.type, content,
                       part(claim.source_span_id), part(claim.cue_span_id),
                       spans[claim.content_span_id].start, spans[claim.content_span_id].end)
            for claim in store.claims.for_set(set_id)
            if (content := part(claim.content_span_id)) is not None]


def _model_claims(store: Store, doc_id: str) -> list[StoryClaim]:
    payload = cached_payload(store, doc_id)
    if not payload:
        return []
    document = store.documents.get(doc_id)
    text = document.text

    def part(where: dict | None) -> str | None:
        return text[where["start"]:where["end"]] if where else None

    return [StoryClaim(doc_id, document.source or document.title, MODEL, claim["type"],
                       part(claim["content"]), part(claim.get("source")), part(claim.get("cue")),
                       claim["content"]["start"], claim["content"]["end"])
            for claim in payload.get("claims", [])]


def group_claims(claims: list[StoryClaim], threshold: float = THRESHOLD
                 ) -> Iterator[list[StoryClaim]]:
    """Claims of different documents that say the same thing, grouped by average linkage:
    the most alike pairs first, two groups join when their claims are on average at least
    `threshold` alike (a chain of pairwise likenesses does not pull unrelated claims in).
    Only groups reaching two documents or more, each in its input order."""
    vectors = _tfidf([c.content for c in claims])
    n = len(claims)
    alike = [[_cosine(vectors[i], vectors[j]) for j in range(n)] for i in range(n)]
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pairs = sorted(((alike[i][j], i, j) for i in range(n) for j in range(i + 1, n)
                    if claims[i].doc_id != claims[j].doc_id and alike[i][j] >= threshold),
                   reverse=True)
    for _, i, j in pairs:
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        mean = (sum(alike[x][y] for x in members[a] for y in members[b])
                / (len(members[a]) * len(members[b])))
        if mean >= threshold:
            for x in members[b]:
                group_of[x] = a
            members[a] += members.pop(b)
    for indices in members.values():
        group = [claims[i] for i in sorted(indices)]
        if len({c.doc_id for c in group}) >= 2:
            yield group


def _tfidf(texts: list[str]) -> list[dict[str, float]]:
    bags = [Counter(w.casefold() for w in _WORD.findall(text)) for text in texts]
    seen_in = Counter(word for bag in bags for word in bag)
    n = len(texts)
    vectors = []
    for bag in bags:
        vector = {w: count * math.log((1 + n) / (1 + seen_in[w])) for w, count in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())
