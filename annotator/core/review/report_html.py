"""The review report as one self-contained HTML page, for a team lead to walk through with
the annotators (`annotator review report --html FILE`)."""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = ("body{font-family:sans-serif;margin:2em;max-width:60em}"
         "table{border-collapse:collapse;margin:.5em 0 1.5em}"
         "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
         "td:first-child,th:first-child{text-align:left}")


def render(report: dict[str, Any], title: str) -> str:
    """The page for `Report.as_json()`; every name and label is escaped."""
    head = (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>")
    summary = (f"<p>{report['documents']} documents with gold, {report['reviewed']} of them "
               "marked reviewed.</p>")
    parts = [head, summary]
    for name, person in report["annotators"].items():
        parts.append(f"<h2>{escape(name)}</h2><p>{person['documents']} documents; versions "
                     f"kept: {person['versions']['kept']} of {person['versions']['of']}.</p>")
        rows = [("all entities", person["entities"]["all"]),
                *person["entities"]["labels"].items(),
                *((f"claims: {k}", v) for k, v in person["claims"].items())]
        parts.append(_table(["", "precision", "recall", "F1", "correct", "theirs", "gold"],
                            [[what, f"{c['precision']:.2f}", f"{c['recall']:.2f}",
                              f"{c['f1']:.2f}", c["correct"], c["theirs"], c["gold"]]
                             for what, c in rows]))
        if person["confusions"]:
            parts.append(_table(["confusion (theirs → gold)", "times", "for example"],
                                [[f"{c['theirs']}→{c['gold']}", c["count"],
                                  ", ".join(d[:12] for d in c["examples"])]
                                 for c in person["confusions"]]))
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
