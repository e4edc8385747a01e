"""Label Studio JSON exports: an array of tasks, each `{"data": {"text": ...},
"annotations": [{"result": [...], "was_cancelled": false, ...}]}`.

Results of type `labels` (`value.start`, `value.end`, `value.labels`) become entity spans,
`choices` results become the document labels (`cats[from_name]`). The first annotation of a
task that was not cancelled is imported as the importing annotator's finished work; further
annotations and `relation` results are reported, not imported. A JSON file has no useful
line numbers, so problems name the field path (`[3].annotations[0].result[2].value.labels`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson

from annotator.core.importers.annotations import (AnnotationIn, Labels, SpanIn, Where,
                                                  newline_remap, no_overlaps, offsets)
from annotator.core.importers.records import (DocumentRecord, InvalidInput, Problem, check_text,
                                              first_line)
from annotator.core.importers.text_files import decode


def parse_label_studio(data: bytes, file: str, warn: Any,
                       labels: Labels) -> Iterator[DocumentRecord | Problem]:
    try:
        tasks = orjson.loads(decode(data, file))
    except orjson.JSONDecodeError as exc:
        yield Problem(file, f"malformed JSON ({exc.msg}, line {exc.lineno}, column {exc.colno})")
        return
    except InvalidInput as exc:
        yield exc.problem
        return
    if not isinstance(tasks, list):
        yield Problem(file, "expected a Label Studio export: a JSON array of tasks")
        return
    notes: Counter[str] = Counter()
    for i, task in enumerate(tasks):
        try:
            yield _task(task, f"[{i}]", Where(file), labels, notes)
        except InvalidInput as exc:
            yield exc.problem
    for note, n in notes.items():
        warn(f"{file}: {n} {note}")


def _task(task: Any, path: str, where: Where, labels: Labels,
          notes: Counter[str]) -> DocumentRecord:
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict):
        raise where.fail(f"{path}.data", "missing (expected an object with the task's text)")
    text = data.get("text")
    if not isinstance(text, str):
        raise where.fail(f"{path}.data.text", f"expected a string, got {type(text).__name__}")
    check_text(text, where.file, None, f"{path}.data.text")
    meta = {k: v for k, v in data.items() if k != "text"}
    if "id" in task:
        meta["label_studio_id"] = task["id"]
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    record = DocumentRecord(text=text, origin=f"{where.file}{path}", meta=meta, title=title,
                            source=data.get("source") if isinstance(data.get("source"), str)
                            else "")
    if not record.title:
        record.title = first_line(record.text)
    annotations = [(j, a) for j, a in enumerate(task.get("annotations") or [])
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if len(annotations) > 1:
        notes["further annotation(s) of a task not imported (only the first one is)"] += \
            len(annotations) - 1
    if annotations:
        j, annotation = annotations[0]
        record.annotations.append(_annotation(annotation, record.text, newline_remap(text),
                                              f"{path}.annotations[{j}]", where, labels, notes))
    return record


def _annotation(annotation: dict[str, Any], text: str, remap: Any, path: str, where: Where,
                labels: Labels, notes: Counter[str]) -> AnnotationIn:
    spans, cats = [], {}
    for k, result in enumerate(annotation.get("result") or []):
        rpath = f"{path}.result[{k}]"
        kind = result.get("type") if isinstance(result, dict) else None
        value = result.get("value") if isinstance(result, dict) else None
        if kind == "labels" and isinstance(value, dict):
            names = value.get("labels")
            if not isinstance(names, list) or len(names) != 1:
                raise where.fail(f"{rpath}.value.labels", f"expected one label, got {names!r}")
            start, end = offsets(value, text, where, f"{rpath}.value", remap=remap)
            spans.append(SpanIn(start, end,
                                labels.entity(names[0], where, f"{rpath}.value.labels[0]")))
        elif kind == "choices" and isinstance(value, dict):
            choices = value.get("choices") or []
            cats[result.get("from_name", "choices")] = choices[0] if len(choices) == 1 \
                else choices
        else:
            notes[f"result(s) of type {kind!r} not imported"] += 1
    no_overlaps(spans, where, f"{path}.result")
    return AnnotationIn("import:labelstudio", None, "done", spans, [], cats or None)
