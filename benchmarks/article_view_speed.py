"""Opening an article in the article view: 5,000 words, 300 spans, highlights drawn (< 50 ms).

Measured offscreen: `set_document` followed by a forced paint (`grab()`), i.e. everything
between the window handing over the text and the first frame with every visible span drawn.
The spans mix what an annotator sees: entity suggestions, accepted and rejected entities,
and claims with their sources and cues. Also timed: the redraw after one accept
(`update_spans` + paint) and moving the focus (`set_focused_span` + paint), which are the
view's share of the 20 ms accept budget, the layout of the whole article, which Qt does
lazily (only the visible part is laid out before the first paint), and the scroll bar's
markers, computed after an edit (off the key press, by a timer).
"""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import Claim, Span  # noqa: E402
from annotator.core.paths import default_schema_path  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.core.tokens import tokenize  # noqa: E402
from annotator.gui.article_view import ArticleView  # noqa: E402
from benchmarks._report import table, timed, write_section  # noqa: E402
from benchmarks._settings import throwaway_settings  # noqa: E402
from benchmarks.corpus import articles  # noqa: E402

WORDS = 5_000
SPANS = 300
CLAIMS = 20  # each with a content, source and cue span
SIZE = (900, 760)  # the article pane of the 1280x800 window


def workload(schema) -> tuple[str, list[Span], list[Claim]]:
    text = next(articles(1, words=WORDS, seed=11))["text"]
    tokens = [t for t in tokenize(text) if text[t.start:t.end].isalpha()]
    labels = schema.labels
    states = ("suggested", "suggested", "accepted", "rejected")
    spans: list[Span] = []
    claims: list[Claim] = []
    stride = len(tokens) // SPANS
    for i in range(CLAIMS):
        base = i * stride * (SPANS // CLAIMS)
        source, cue = tokens[base], tokens[base + 1]
        content_start, content_end = tokens[base + 2].start, tokens[base + 14].end
        ids = [len(spans) + k + 1 for k in range(3)]
        spans += [Span(ids[0], 1, content_start, content_end, "claim", "indirect", "pattern",
                       states[i % 3]),
                  Span(ids[1], 1, source.start, source.end, "source", "source", "pattern",
                       states[i % 3]),
                  Span(ids[2], 1, cue.start, cue.end, "cue", "cue", "pattern", states[i % 3])]
        claims.append(Claim(i + 1, 1, ids[0], ids[1], ids[2], "indirect"))
    taken = {t.start for s in spans for t in tokens if s.start <= t.start < s.end
             and s.layer != "claim"}
    for token in tokens[5::max(1, len(tokens) // (SPANS - len(spans)))]:
        if len(spans) == SPANS:
            break
        if token.start not in taken:
            spans.append(Span(len(spans) + 1, 1, token.start, token.end, "entity",
                              labels[len(spans) % len(labels)], "model:bench@1",
                              states[len(spans) % len(states)], 0.9))
    return text, sorted(spans, key=lambda s: (s.start, s.end)), claims


def _load() -> str:
    """The machine's 1-minute load average: other work on the 2 cores shows in the figures."""
    try:
        with open("/proc/loadavg") as info:
            return f"{float(info.read().split()[0]):.1f}"
    except (OSError, ValueError, IndexError):
        return "unknown"


def main(repeats: int = 40) -> None:
    throwaway_settings()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    load = _load()
    schema = load_schema(default_schema_path())
    text, spans, claims = workload(schema)
    view = ArticleView()
    view.resize(*SIZE)
    view.show()
    app.processEvents()

    def open_article():
        view.set_document(text, spans, claims, schema)
        view.grab()

    def full_layout():
        view.set_document(text, spans, claims, schema)
        doc = view.canvas.document()
        doc.documentLayout().blockBoundingRect(doc.lastBlock())

    suggested = next(s for s in spans if s.state == "suggested" and s.layer == "entity")
    accepted = [replace(s, state="accepted") if s.id == suggested.id else s for s in spans]
    flip = iter(range(10**9))

    def accept_redraw():
        view.update_spans(accepted if next(flip) % 2 == 0 else spans, claims)
        view.grab()

    entity_ids = [s.id for s in spans if s.layer == "entity"][:20]

    def focus_redraw():
        view.set_focused_span(entity_ids[next(flip) % len(entity_ids)])
        view.grab()

    def markers_after_accept():
        view.update_spans(accepted if next(flip) % 2 == 0 else spans, claims)
        view.canvas.update_markers()

    timed(open_article, 3)  # warm-up: fonts, glyph caches
    rows = []
    results = {}
    for name, action in (("open: set_document + first paint", open_article),
                         ("accept one suggestion: update_spans + paint", accept_redraw),
                         ("focus the next span: set_focused_span + paint", focus_redraw),
                         ("set_document + layout of the whole article, no paint",
                          full_layout),
                         ("scroll-bar markers after an accept (whole layout read)",
                          markers_after_accept)):
        if name.startswith(("accept", "focus", "scroll")):
            open_article()
        times = timed(action, repeats)
        results[name] = statistics.median(times)
        rows.append([name, f"{statistics.median(times):.1f}",
                     f"{sorted(times)[int(len(times) * 0.9)]:.1f}", f"{max(times):.1f}"])
    words = len(text.split())
    n_rejected = sum(s.state == "rejected" for s in spans)
    body = (f"An article of {words:,} words ({len(text):,} characters) with {len(spans)} spans "
            f"({len(spans) - 3 * CLAIMS} entities, {CLAIMS} claims with source and cue; "
            f"{n_rejected} rejected, hidden), view {SIZE[0]}×{SIZE[1]} offscreen, "
            f"{repeats} runs each, milliseconds:\n\n"
            + table(["what", "median", "p90", "max"], rows)
            + f"\n\nOpening an article, highlights drawn: "
              f"**{results['open: set_document + first paint']:.1f} ms** median "
              f"(target < 50 ms). Load average when the run started: {load}.\n")
    write_section("article_view_speed", "Article view", body)
    print(body)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
