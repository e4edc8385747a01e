"""Suggestions on open: from opening a document to its suggestions shown, as the project grows
(target: flat from 1,000 to 100,000 decided documents, < 100 ms beyond the model's own time).

Each project holds N documents one annotator decided (~15 entities each, 85% accepted, names
drawn from a long-tailed pool of generated people, organisations and places, so most forms
are rare and a few common), plus documents not yet opened whose model payload is cached.
Timed: `ensure_suggestions` (cached payload read, the annotator's corpus memory applied, the
spans written into their set and committed) and reading the set's spans back, as the view
does. The model's time for the same articles is measured once, beside it.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SIZES = (1_000, 10_000, 100_000)
DECIDED_WORDS = 150   # filler words around the entities of a decided document
OPENED = 20           # documents opened (each once) per project
ANNOTATOR = "ann"
MENTIONS = 5          # sentences of three names each: 15 entities per document

FIRST = ("Ahmed Maria John Leila Omar Sara David Yusuf Anna Karim Elena Hassan Nadia Peter "
         "Fatima Ivan Mona Samir Lina Tariq Olga Rami Hana Michel Dima Khaled Ines Bashar").split()
SYLLABLES = ("ka lo ve mir dan sa tor el qu ni bar zo fi gan hel ost ra im sul bek ar "
             "den vi ha mun tas").split()
ORG_KINDS = ("Industries", "Holdings", "Ministry", "Council", "Bank", "Electric", "Front",
             "Party", "Agency", "Group")


class Names:
    """Generated names with a long tail: each mention is a new name 30% of the time, else one
    already seen, the earliest ones most often (a few names recur, most are rare)."""

    def __init__(self, rng: random.Random, pools: dict[str, list[str]] | None = None):
        self.rng = rng
        self.pools = {kind: list(pool) for kind, pool in (pools or {}).items()}

    def _word(self) -> str:
        rng = self.rng
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    def _new(self, kind: str) -> str:
        if kind == "PERSON":
            return f"{self.rng.choice(FIRST)} {self._word()}"
        if kind == "ORG":
            return f"{self._word()} {self.rng.choice(ORG_KINDS)}"
        return self._word() + self.rng.choice(("a", "stan", "ia", ""))

    def __call__(self, kind: str) -> str:
        pool = self.pools.setdefault(kind, [])
        if not pool or self.rng.random() < 0.3:
            pool.append(self._new(kind))
            return pool[-1]
        return pool[int(len(pool) * self.rng.random() ** 3)]


def article(rng: random.Random, names: Names, filler: list[str], words: int, title: str
            ) -> tuple[str, list[tuple[int, int, str]]]:
    """Seed sentences, the first MENTIONS of them each followed by a sentence of three names;
    the text and the names' (start, end, label)."""
    parts, spans, n, sentences = [title + "\n\n"], [], 0, 0
    position = len(parts[0])
    while n < words or sentences < MENTIONS:
        sentence = rng.choice(filler) + " "
        pieces = [(sentence, None)]
        if sentences < MENTIONS:
            pieces += [(names("PERSON"), "PERSON"), (" of ", None), (names("ORG"), "ORG"),
                       (" spoke in ", None), (names("GPE"), "GPE"), (". ", None)]
        for piece, label in pieces:
            if label:
                spans.append((position, position + len(piece), label))
            parts.append(piece)
            position += len(piece)
        n += len(sentence.split())
        sentences += 1
    return "".join(parts).rstrip() + "\n", spans


def build(path: Path, decided: int, opened: list[tuple[str, dict]],
          pools: dict[str, list[str]]) -> dict:
    """A project with `decided` decided documents, drawing on the names of the opened ones
    among others, and the opened ones with their payloads cached."""
    from annotator.core.identity import doc_id_for
    from annotator.core.project import current_schema, open_project
    from annotator.core.suggest.materialise import project_model
    from annotator.core.suggest.pipeline import key_for
    from benchmarks.corpus import seed_sentences

    rng = random.Random(decided)
    names, filler = Names(rng, pools), seed_sentences()
    store = open_project(path)
    schema_hash = current_schema(store).hash
    n_spans, forms = 0, set()
    for first in range(0, decided, 1_000):
        batch = [article(rng, names, filler, DECIDED_WORDS, f"Decided {i}")
                 for i in range(first, min(first + 1_000, decided))]
        with store.transaction():
            store.documents.insert_many({"id": doc_id_for(text), "text": text}
                                        for text, _spans in batch)
            for text, spans in batch:
                set_id = store.sets.ensure(doc_id_for(text), ANNOTATOR, schema_hash).id
                for start, end, label in spans:
                    store.spans.add(set_id, start, end, layer="entity", label=label,
                                    origin="human",
                                    state="accepted" if rng.random() < 0.85 else "rejected")
                    n_spans += 1
                    forms.add((text[start:end], label))
    with store.transaction():
        store.documents.insert_many({"id": doc_id_for(text), "text": text}
                                    for text, _payload in opened)
        store.suggestions.put_many(key_for(project_model(store)), schema_hash,
                                   [(doc_id_for(text), payload) for text, payload in opened])
    store.close()
    return {"spans": n_spans, "forms": len(forms), "size_mb": path.stat().st_size / 2**20}


def opened_articles(nlp, names: Names) -> tuple[list[tuple[str, dict]], list[float]]:
    """The articles to open (600 words), their model payloads, and the model's time for each
    (ms); their names start the pools the decided documents draw from."""
    from annotator.core.paths import default_schema_path
    from annotator.core.schema import load_schema
    from annotator.core.suggest.engine import Suggester
    from benchmarks.corpus import seed_sentences

    rng, filler = random.Random(1), seed_sentences()
    suggester = Suggester(nlp, load_schema(default_schema_path()), scores=True)
    out, model_ms = [], []
    for i in range(OPENED + 1):  # the first one warms up
        text, _spans = article(rng, names, filler, 600, f"Opened {i}")
        started = time.perf_counter()
        (payload,) = suggester.pipe([text])
        model_ms.append((time.perf_counter() - started) * 1000)
        out.append((text, payload))
    return out, model_ms[1:]


def measure(path: Path, opened: list[tuple[str, dict]]) -> dict:
    """Milliseconds per open, and of the memory alone (looked up and applied)."""
    from annotator.core.identity import doc_id_for
    from annotator.core.project import current_schema
    from annotator.core.store import Store
    from annotator.core.suggest import ensure_suggestions, memory_for
    from annotator.core.suggest.engine import with_memory

    store = Store(path)
    schema = current_schema(store)
    opens, memory, patterns = [], [], 0
    for text, payload in opened:
        doc_id = doc_id_for(text)
        started = time.perf_counter()
        applied = with_memory(text, payload, memory_for(store, schema, ANNOTATOR))
        memory.append((time.perf_counter() - started) * 1000)
        patterns += sum(s["origin"] == "pattern" for s in applied["spans"])
        started = time.perf_counter()
        ensure_suggestions(store, doc_id, ANNOTATOR)
        store.spans.for_set(store.sets.find(doc_id, ANNOTATOR).id)
        opens.append((time.perf_counter() - started) * 1000)
    store.close()
    return {"opens": opens[1:], "memory": memory[1:], "patterns": patterns}


def _stats(ms: list[float]) -> list[str]:
    ordered = sorted(ms)
    return [f"{statistics.median(ordered):.1f}", f"{ordered[int(0.9 * (len(ordered) - 1))]:.1f}",
            f"{ordered[-1]:.1f}"]


def main(sizes: tuple[int, ...] = SIZES) -> None:
    from annotator.core.suggest.pipeline import load_pipeline
    from benchmarks._report import table, write_section

    load = os.getloadavg()[0]
    nlp = load_pipeline()
    names = Names(random.Random(1))
    opened, model_ms = opened_articles(nlp, names)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for decided in sizes:
            path = Path(tmp) / f"p{decided}.db"
            started = time.perf_counter()
            built = build(path, decided, opened, names.pools)
            seconds = time.perf_counter() - started
            result = measure(path, opened)
            path.unlink()
            rows.append([f"{decided:,}", f"{built['spans']:,}", f"{built['forms']:,}",
                         f"{built['size_mb']:.0f}", *_stats(result["opens"]),
                         *_stats(result["memory"])[:1], f"{result['patterns']}"])
            print(rows[-1], f"built in {seconds:.0f} s", flush=True)
    body = (f"Opening a document whose model payload is cached: `ensure_suggestions` (payload "
            "read, the annotator's corpus memory applied, spans written and committed) and "
            f"the set's spans read back for the view; {OPENED} articles of ~650 words opened "
            "once each per project (a warm-up open first), milliseconds. Decided documents "
            f"have 15 entities each (85% accepted) among ~{DECIDED_WORDS} words, with names "
            "from a long-tailed pool; *forms* counts their distinct (text, label). *Memory* is "
            "the memory alone (looked up and applied, no write); *patterns* counts the pattern "
            "suggestions it made over the opened articles. For comparison the model takes "
            f"**{statistics.median(model_ms):.0f} ms** per article (median, not included "
            f"above). Load average when the run started: {load:.1f}.\n\n"
            + table(["decided documents", "decided spans", "forms", "file MB", "open median",
                     "open p90", "open max", "memory median", "patterns"], rows)
            + "\n\nTarget: flat from 1,000 to 100,000 decided documents, < 100 ms beyond the "
              "model's own time.\n")
    write_section("suggestions_on_open", "Suggestions on open", body)
    print(body)


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
