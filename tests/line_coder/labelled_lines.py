"""Load a labelled set of therapist lines (dev_lines.yaml, heldout_lines.yaml), checked."""

from __future__ import annotations

from pathlib import Path

from ipt_widgets.techniques import TECHNIQUES

KINDS = ("plain", "jargon", "near_miss")
_FIELDS = ("id", "patient", "risk_cue", "area", "line", "technique")


def load_lines(path: Path) -> list[dict]:
    """The ``lines:`` of a labelled set; a ValueError names the file and field of bad input."""
    import yaml

    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        raise ValueError(f"{path}: needs a top-level 'lines' list")
    out, seen = [], set()
    for i, row in enumerate(data["lines"]):
        where = f"{path}: lines[{i}]"
        if not isinstance(row, dict):
            raise ValueError(f"{where}: must be a mapping")
        for name in _FIELDS:
            if name not in row:
                raise ValueError(f"{where}.{name}: missing")
        if row["technique"] not in TECHNIQUES:
            raise ValueError(f"{where}.technique: unknown technique {row['technique']!r}")
        if not isinstance(row["risk_cue"], bool):
            raise ValueError(f"{where}.risk_cue: must be true or false")
        if row["id"] in seen:
            raise ValueError(f"{where}.id: {row['id']!r} repeats")
        seen.add(row["id"])
        out.append({**row, "kind": row.get("kind", "plain"), "patient": str(row["patient"] or "")})
    return out


def context_of(row: dict):
    from ipt_widgets.scoring.line_coder import LineContext

    return LineContext(patient=row["patient"], risk_cue=row["risk_cue"], area=str(row.get("area") or "none"))
