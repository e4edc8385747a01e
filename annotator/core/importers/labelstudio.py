"""Label Studio JSON exports: an array of tasks, each `{"data": {"text": ...},
"annotations": [{"result": [...], "completed_by": ..., "was_cancelled": false, ...}],
"predictions": [{"result": [...], "model_version": ..., "score": ...}]}`; also one task
object alone (the editor's examples, per-task storage) and flat tasks (`{"text": ...}`).

The text is `data.text`; a project whose text field has another name (`$reviewText`) is
read with `text_key`, and a task with a single string field uses that one. Results of type
`labels` (`value.start`, `value.end`, `value.labels`) become entity spans, `choices`
results document labels, mapped through the schema (`from_name` may name the schema's
document label). Label Studio has no claims: `relation` results (`from_id`, `to_id` naming
`labels` results, the relation's type its one label) make them by the rule `claim_links`
states for every tool. Every annotation that was not cancelled is imported as finished work
of its annotator, `labelstudio:<user id>` (or the email of a user without one) from
`completed_by` — people who labelled the same task stay separate annotation sets, to compare
and adjudicate — or of the importing annotator when the export names none. `predictions`
are a model's output: their spans arrive as suggestions of the importing annotator, origin
`labelstudio:<model_version>`, with their `score`, never as finished work.
A JSON file has no useful line numbers, so problems name the field path
(`[3].annotations[0].result[2].value.labels`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson

from annotator.core.importers.annotations import (AnnotationIn, Labels, SpanIn, Where,
                                                  newline_remap, no_overlaps, offsets)
from annotator.core.importers.claim_links import Link, Marked, resolve
from annotator.core.importers.records import (DocumentRecord, InvalidInput, Problem, check_text,
                                              first_line, storable)
from annotator.core.importers.text_files import decode

TASK_KEYS = ("annotations", "predictions", "id", "meta", "drafts", "created_at", "updated_at")


def parse_label_studio(data: bytes, file: str, warn: Any, labels: Labels,
                       text_key: str | None = None) -> Iterator[DocumentRecord | Problem]:
    try:
        tasks = orjson.loads(decode(data, file))
    except orjson.JSONDecodeError as exc:
        yield Problem(file, f"malformed JSON ({exc.msg}, line {exc.lineno}, column {exc.colno})")
        return
    except InvalidInput as exc:
        yield exc.problem
        return
    single = isinstance(tasks, dict)
    if single:
        tasks = [tasks]
    if not isinstance(tasks, list):
        yield Problem(file, "expected a Label Studio export: a JSON array of tasks, or one task")
        return
    notes: Counter[str] = Counter()
    key = text_key.removeprefix("$") if text_key else None
    for i, task in enumerate(tasks):
        try:
            yield _task(task, "" if single else f"[{i}]", Where(file), labels, notes, key)
        except InvalidInput as exc:
            yield exc.problem
    for note, n in notes.items():
        warn(f"{file}: {n} {note}")


def _task(task: Any, path: str, where: Where, labels: Labels, notes: Counter[str],
          text_key: str | None) -> DocumentRecord:
    if not isinstance(task, dict):
        raise where.fail(path or "(top level)", f"expected a task object, got "
                                                f"{type(task).__name__}")
    data = task.get("data")
    data_path = f"{path}.data" if path else "data"
    if data is None and "data" not in task:
        data, data_path = {k: v for k, v in task.items() if k not in TASK_KEYS}, path
    if not isinstance(data, dict):
        raise where.fail(data_path, "expected an object with the task's text")
    field = _text_field(data, text_key, where, data_path)
    text = data[field]
    text_path = f"{data_path}.{field}" if data_path else field
    if not isinstance(text, str):
        raise where.fail(text_path, f"expected a string, got {type(text).__name__}")
    check_text(text, where.file, None, text_path)
    meta = {k: v for k, v in data.items() if k != field}
    if "id" in task:
        meta["label_studio_id"] = task["id"]
    storable(meta, where, data_path or "(top level)")
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    record = DocumentRecord(text=text, origin=f"{where.file}{path}", meta=meta, title=title,
                            source=data.get("source") if isinstance(data.get("source"), str)
                            else "")
    if not record.title:
        record.title = first_line(record.text)
    remap = newline_remap(text)
    seen: dict[str | None, str] = {}
    for j, annotation in enumerate(_array(task, "annotations", path, where)):
        apath = f"{path}.annotations[{j}]"
        if not isinstance(annotation, dict):
            raise where.fail(apath, f"expected an object, got {type(annotation).__name__}")
        if annotation.get("was_cancelled"):
            continue
        who = _annotator(annotation, apath, where)
        if who in seen:
            raise where.fail(f"{apath}.completed_by",
                             f"annotator {who!r} also made {seen[who]}; one annotation "
                             "per annotator and task" if who else
                             f"missing, as in {seen[who]}: only one annotation of a task can "
                             "be the importing annotator's")
        seen[who] = apath
        made = _annotation(annotation, who, record.text, remap, apath, where, labels, notes)
        if made is not None:
            record.annotations.append(made)
    for j, prediction in enumerate(_array(task, "predictions", path, where)):
        ppath = f"{path}.predictions[{j}]"
        if not isinstance(prediction, dict):
            raise where.fail(ppath, f"expected an object, got {type(prediction).__name__}")
        suggested = _prediction(prediction, record.text, remap, ppath, where, labels, notes)
        if suggested.spans:
            record.annotations.append(suggested)
    return record


def _text_field(data: dict[str, Any], text_key: str | None, where: Where, path: str) -> str:
    """The data field holding the text: `text_key`, else `text`, else the only string."""
    if text_key is not None:
        if text_key not in data:
            raise where.fail(f"{path}.{text_key}" if path else text_key,
                             f"missing (--text-key); the task has {', '.join(data) or 'none'}")
        return text_key
    if "text" in data:
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) == 1:
        return strings[0]
    where_text = f"{path}.text" if path else "text"
    if not strings:
        raise where.fail(where_text, "missing: the task has no string field to be its text")
    raise where.fail(where_text, f"missing, and several fields could be the text "
                                 f"({', '.join(strings)}): name one with --text-key")


def _array(owner: dict[str, Any], key: str, path: str, where: Where) -> list[Any]:
    value = owner.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.fail(f"{path}.{key}" if path else key,
                         f"expected an array, got {type(value).__name__}")
    return value


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
    storable(user, where, f"{path}.completed_by")
    return f"labelstudio:{user}"


def _annotation(annotation: dict[str, Any], annotator: str | None, text: str, remap: Any,
                path: str, where: Where, labels: Labels,
                notes: Counter[str]) -> AnnotationIn | None:
    """The annotation's work, finished; None when it holds results but none of them is
    text work (image boxes, audio regions): an empty set would claim "no entities here"."""
    marked, links, cats = [], [], {}
    results = _array(annotation, "result", path, where)
    for k, result in enumerate(results):
        rpath = f"{path}.result[{k}]"
        kind = result.get("type") if isinstance(result, dict) else None
        if kind == "labels":
            marked.append(_marked(result, text, remap, rpath, where))
        elif kind == "relation":
            links.append(_relation(result, rpath, where))
        elif kind == "choices":
            for pair, cpath in _choices(result, rpath, where, labels):
                labels.choose(cats, pair, where, cpath)
        else:
            notes[f"result(s) of type {kind!r} not imported"] += 1
    if results and not (marked or links or cats):
        notes["annotation(s) with no text work not imported"] += 1
        return None
    spans, claims = resolve(marked, links, labels, where, lambda note: notes.update((note,)))
    spans = no_overlaps(spans, where, f"{path}.result", lambda note: notes.update((note,)))
    return AnnotationIn("import:labelstudio", annotator, "done", spans, claims, cats or None)


def _prediction(prediction: dict[str, Any], text: str, remap: Any, path: str, where: Where,
                labels: Labels, notes: Counter[str]) -> AnnotationIn:
    """A model's output: suggested entity spans with their scores. Its document labels and
    relations have no place as suggestions and are noted."""
    version = prediction.get("model_version")
    if version is not None and not isinstance(version, (str, int)):
        raise where.fail(f"{path}.model_version", f"expected a name, got {version!r}")
    default = _score(prediction, path, where)
    spans = []
    for k, result in enumerate(_array(prediction, "result", path, where)):
        rpath = f"{path}.result[{k}]"
        kind = result.get("type") if isinstance(result, dict) else None
        if kind == "labels":
            m = _marked(result, text, remap, rpath, where)
            score = _score(result, rpath, where)
            spans.append(SpanIn(m.start, m.end, labels.entity(m.label, where, m.label_path),
                                state="suggested", score=default if score is None else score))
        elif kind == "choices":
            notes["document label(s) in predictions not imported (a model's document labels "
                  "are no decision)"] += 1
        else:
            notes[f"prediction result(s) of type {kind!r} not imported"] += 1
    spans = no_overlaps(spans, where, f"{path}.result", lambda note: notes.update((note,)))
    origin = f"labelstudio:{version if version not in (None, '') else 'prediction'}"
    return AnnotationIn(origin, None, None, spans, status_rank=0)


def _marked(result: dict[str, Any], text: str, remap: Any, path: str, where: Where) -> Marked:
    value = result.get("value")
    if not isinstance(value, dict):
        raise where.fail(f"{path}.value", f"expected an object, got {type(value).__name__}")
    names = value.get("labels")
    if not isinstance(names, list) or len(names) != 1:
        raise where.fail(f"{path}.value.labels", f"expected one label, got {names!r}")
    start, end = offsets(value, text, where, f"{path}.value", remap=remap)
    return Marked(result.get("id"), start, end, names[0], path, f"{path}.value.labels[0]")


def _choices(result: dict[str, Any], path: str, where: Where,
             labels: Labels) -> list[tuple[tuple[str, str], str]]:
    """(document label, option) pairs of a `choices` result, with their field paths."""
    value = result.get("value")
    if not isinstance(value, dict):
        raise where.fail(f"{path}.value", f"expected an object, got {type(value).__name__}")
    name = result.get("from_name")
    if name is not None and not isinstance(name, str):
        raise where.fail(f"{path}.from_name", f"expected a name, got {name!r}")
    choices = value.get("choices")
    if not isinstance(choices, list):
        raise where.fail(f"{path}.value.choices", f"expected an array, got {choices!r}")
    return [(labels.document(choice, where, f"{path}.value.choices[{i}]", name),
             f"{path}.value.choices[{i}]") for i, choice in enumerate(choices)]


def _score(owner: dict[str, Any], path: str, where: Where) -> float | None:
    score = owner.get("score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        raise where.fail(f"{path}.score", f"expected a number, got {score!r}")
    return score


def _relation(result: dict[str, Any], path: str, where: Where) -> Link:
    """A relation's type is its one label; a relation without labels is untyped."""
    names = result.get("labels") or []
    if not isinstance(names, list) or len(names) > 1:
        raise where.fail(f"{path}.labels", f"expected at most one relation label, got {names!r}")
    return Link(result.get("from_id"), result.get("to_id"), names[0] if names else None, path,
                f"{path}.from_id", f"{path}.to_id")
