"""Label Studio JSON exports: an array of tasks, each `{"data": {"text": ...},
"annotations": [{"result": [...], "completed_by": ..., "was_cancelled": false, ...}]}`.

Results of type `labels` (`value.start`, `value.end`, `value.labels`) become entity spans,
`choices` results become the document labels (`cats[from_name]`). Label Studio has no
claims: `relation` results (`from_id`, `to_id` naming `labels` results, the relation's type
its one label) make them by the rule `claim_links` states for every tool. Every annotation
that was not cancelled is imported as finished work of its annotator, `labelstudio:<user
id>` (or the email of a user without one) from `completed_by` — people who labelled the
same task stay separate annotation sets, to compare and adjudicate — or of the importing
annotator when the export names none.
A JSON file has no useful line numbers, so problems name the field path
(`[3].annotations[0].result[2].value.labels`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson

from annotator.core.importers.annotations import (AnnotationIn, Labels, Where, newline_remap,
                                                  no_overlaps, offsets)
from annotator.core.importers.claim_links import Link, Marked, resolve
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
    remap = newline_remap(text)
    seen: dict[str | None, str] = {}
    for j, annotation in enumerate(task.get("annotations") or []):
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        apath = f"{path}.annotations[{j}]"
        who = _annotator(annotation, apath, where)
        if who in seen:
            raise where.fail(f"{apath}.completed_by",
                             f"annotator {who!r} also made {seen[who]}; one annotator's work "
                             "on a task is one annotation" if who else
                             f"missing, as in {seen[who]}: only one annotation of a task can "
                             "be the importing annotator's")
        seen[who] = apath
        record.annotations.append(_annotation(annotation, who, record.text, remap, apath, where,
                                              labels, notes))
    return record


def _annotator(annotation: dict[str, Any], path: str, where: Where) -> str | None:
    """`labelstudio:<user id>` from `completed_by` (an id, or a user object in some
    versions: its id, so one person is one annotator whichever version exported the work;
    its email only when it has no id); None, the importing annotator, when the export does
    not say."""
    stated = annotation.get("completed_by")
    if stated is None:
        return None
    if isinstance(stated, dict):
        user = stated.get("id") if stated.get("id") is not None else stated.get("email")
    else:
        user = stated
    if isinstance(user, bool) or not isinstance(user, (int, str)) or user == "":
        raise where.fail(f"{path}.completed_by",
                         f"expected a user id or an object with email or id, got {stated!r}")
    return f"labelstudio:{user}"


def _annotation(annotation: dict[str, Any], annotator: str | None, text: str, remap: Any,
                path: str, where: Where, labels: Labels, notes: Counter[str]) -> AnnotationIn:
    marked, links, cats = [], [], {}
    for k, result in enumerate(annotation.get("result") or []):
        rpath = f"{path}.result[{k}]"
        kind = result.get("type") if isinstance(result, dict) else None
        value = result.get("value") if isinstance(result, dict) else None
        if kind == "labels" and isinstance(value, dict):
            names = value.get("labels")
            if not isinstance(names, list) or len(names) != 1:
                raise where.fail(f"{rpath}.value.labels", f"expected one label, got {names!r}")
            start, end = offsets(value, text, where, f"{rpath}.value", remap=remap)
            marked.append(Marked(result.get("id"), start, end, names[0], rpath,
                                 f"{rpath}.value.labels[0]"))
        elif kind == "relation":
            links.append(_relation(result, rpath, where))
        elif kind == "choices" and isinstance(value, dict):
            choices = value.get("choices") or []
            cats[result.get("from_name", "choices")] = choices[0] if len(choices) == 1 \
                else choices
        else:
            notes[f"result(s) of type {kind!r} not imported"] += 1
    spans, claims = resolve(marked, links, labels, where, lambda note: notes.update((note,)))
    no_overlaps(spans, where, f"{path}.result")
    return AnnotationIn("import:labelstudio", annotator, "done", spans, claims, cats or None)


def _relation(result: dict[str, Any], path: str, where: Where) -> Link:
    """A relation's type is its one label; a relation without labels is untyped."""
    names = result.get("labels") or []
    if not isinstance(names, list) or len(names) > 1:
        raise where.fail(f"{path}.labels", f"expected at most one relation label, got {names!r}")
    return Link(result.get("from_id"), result.get("to_id"), names[0] if names else None, path,
                f"{path}.from_id", f"{path}.to_id")
