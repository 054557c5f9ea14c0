"""An evaluation report as text: score.py's table layout with the error list, or its --json shape."""
from __future__ import annotations

import json
from dataclasses import asdict

from graph.errors import InputError
from graph.evaluate.events import event_lines, events_dict
from graph.evaluate.scoring import EvalReport


def report_dict(report: EvalReport) -> dict:
    """The report shaped like score.py's --json output (plus "error_items" when errors were collected)."""
    out: dict = {}
    for g in report.groups:
        rows = {p: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "P": s.precision, "R": s.recall, "F1": s.f1}
                for p, s in g.predicates.items()}
        m = g.micro
        out[g.name] = {
            "relations": rows,
            "micro": {"P": m.precision, "R": m.recall, "F1": m.f1, "tp": m.tp, "fp": m.fp, "fn": m.fn},
            "entities": {"gold": g.entities.gold, "recall_any": g.recall_any, "recall_typed": g.recall_typed,
                         "predicted_typed": g.entities.predicted_typed, "precision": g.entity_precision},
        }
        if g.events is not None:
            out[g.name]["events"] = events_dict(g.events)
    out["errors"] = list(report.problems)
    if report.errors:
        out["error_items"] = [asdict(e) for e in report.errors]
    return out


def format_report(report: EvalReport, fmt: str = "table") -> str:
    """The report as text: `fmt` "table" is score.py's layout plus the error list, "json" is report_dict."""
    if fmt == "json":
        return json.dumps(report_dict(report), sort_keys=True, indent=1) + "\n"
    if fmt != "table":
        raise InputError(f"unknown report format {fmt!r}; use table or json")
    lines = []
    for g in report.groups:
        m, e = g.micro, g.entities
        lines.append(f"[{g.name}] relations micro P={m.precision:.2f} R={m.recall:.2f} F1={m.f1:.2f} "
                     f"(tp={m.tp} fp={m.fp} fn={m.fn})")
        for p, s in g.predicates.items():
            # Nothing to score (no gold, nothing predicted) is no score at all, not a score of zero.
            scored = s.tp or s.fp or s.fn
            figures = f"P={s.precision:.2f} R={s.recall:.2f} F1={s.f1:.2f}" if scored else "P=n/a  R=n/a  F1=n/a "
            lines.append(f"    {p:22s} {figures}  tp={s.tp} fp={s.fp} fn={s.fn}")
        lines.append(f"    entities: recall={g.recall_any:.2f} typed-recall={g.recall_typed:.2f} "
                     f"precision={g.entity_precision:.2f} ({e.gold} gold, {e.predicted_typed} predicted typed)")
        lines += event_lines(g.events) if g.events is not None else []
    lines.extend(f"ERROR {p}" for p in report.problems)
    for item in report.errors:  # names may hold line breaks (a headline run into an entity)
        sub, obj, evidence = (" ".join(x.split()) for x in (item.subject, item.object, item.evidence))
        lines.append(f"{item.kind:8s} {item.article}: {sub} --{item.predicate}--> {obj}\n         | {evidence}")
    return "\n".join(lines) + "\n"
