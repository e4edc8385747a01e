"""doccano JSONL exports: `{"text", "label": [[start, end, "LABEL"], ...]}` (sequence
labelling) and `{"text", "entities": [{"id", "start_offset", "end_offset", "label"}],
"relations": [...]}` (the relation project variant). Entities land as the importing
annotator's finished work; relations have no counterpart outside claims and are reported,
not imported.
"""

from __future__ import annotations

from typing import Any

from annotator.core.importers.annotations import (AnnotationIn, Labels, SpanIn, Where, checked,
                                                  no_overlaps, offsets)


def is_doccano(obj: dict[str, Any]) -> bool:
    label = obj.get("label")
    return (isinstance(label, list) and all(isinstance(x, list) for x in label)) or \
        isinstance(obj.get("entities"), list)


def parse(obj: dict[str, Any], text: str, where: Where, labels: Labels,
          remap: Any = int) -> AnnotationIn:
    spans = []
    if isinstance(obj.get("entities"), list):
        for i, raw in enumerate(obj["entities"]):
            path = f"entities[{i}]"
            start, end = offsets(raw, text, where, path, start_key="start_offset",
                                 end_key="end_offset", remap=remap)
            spans.append(SpanIn(start, end, labels.entity(raw.get("label"), where,
                                                           f"{path}.label")))
    else:
        for i, raw in enumerate(obj["label"]):
            path = f"label[{i}]"
            if len(raw) != 3 or not all(isinstance(v, int) and not isinstance(v, bool)
                                        for v in raw[:2]):
                raise where.fail(path, f"expected [start, end, label], got {raw!r}")
            start, end = checked(remap(raw[0]), remap(raw[1]), text, where, path)
            spans.append(SpanIn(start, end, labels.entity(raw[2], where, f"{path}[2]")))
    no_overlaps(spans, where, "entities" if "entities" in obj else "label")
    return AnnotationIn("import:doccano", None, "done", spans)
