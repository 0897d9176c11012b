"""Read a labelled set: references plus drafts rated 0-3 by an IPT supervisor."""

from __future__ import annotations

from pathlib import Path

import yaml
from ipt_widgets.formulations import references_from_data

KINDS = (
    "strong_ipt",
    "strong_plain",
    "partial",
    "thin",
    "mixed",
    "wrong_area",
    "cbt",
    "psychodynamic",
    "keyword_stuffed",
    "generic_advice",
    # issue 12: the kinds that broke the scorer
    "concise",
    "negated",
    "unsafe_embedded",
    "side_taking",
    "retell",
    "cross_case",
    "ordinary_area_words",
    "exclusion_reasoning",
    "hedged",
    "wrong_stage",
    "padded",
    "non_english",
    "generic",
)


def load_labelled(path: Path):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    refs = references_from_data(data, str(path))
    drafts = data.get("drafts")
    if not isinstance(drafts, list) or not drafts:
        raise ValueError(f"{path}: field 'drafts' must be a non-empty list")
    for n, d in enumerate(drafts, 1):
        where = f"{path}, drafts[{n}]"
        if d.get("reference") not in refs:
            raise ValueError(f"{where}: unknown reference {d.get('reference')!r}")
        if d.get("kind") not in KINDS:
            raise ValueError(f"{where}: field 'kind' must be one of {', '.join(KINDS)}")
        if d.get("rating") not in (0, 1, 2, 3):
            raise ValueError(f"{where}: field 'rating' must be 0, 1, 2 or 3")
        if not isinstance(d.get("text"), str):
            raise ValueError(f"{where}: field 'text' must be text")
    return refs, drafts
