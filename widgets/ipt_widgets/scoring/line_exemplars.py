"""The line coder's general exemplars (line_exemplars.yaml in this package), loaded once, and
the check of a scenario turn's extra exemplars."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..techniques import TECHNIQUES

EXEMPLAR_FILE = Path(__file__).with_name("line_exemplars.yaml")


def check_exemplars(data: object, where: str) -> dict[str, tuple[str, ...]]:
    """{technique id: lines}, checked: known ids, non-empty strings. ``where`` names the file
    and field in the ValueError."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{where}: exemplars must be a mapping of technique id to a list of lines")
    out = {}
    for technique, lines in data.items():
        if technique not in TECHNIQUES:
            raise ValueError(f"{where}: unknown technique {technique!r}; known: {', '.join(TECHNIQUES)}")
        if isinstance(lines, str) or not isinstance(lines, (list, tuple)):
            raise ValueError(f"{where}.{technique}: must be a list of lines")
        for i, line in enumerate(lines):
            if not isinstance(line, str) or not line.strip():
                raise ValueError(f"{where}.{technique}[{i}]: must be a non-empty string")
        out[technique] = tuple(" ".join(line.split()) for line in lines)
    return out


@lru_cache(maxsize=1)
def general_exemplars() -> dict[str, tuple[str, ...]]:
    """The package's exemplars per technique; every technique has at least three."""
    import yaml

    with open(EXEMPLAR_FILE, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict) or "exemplars" not in data:
        raise ValueError(f"{EXEMPLAR_FILE}: needs a top-level 'exemplars' mapping")
    out = check_exemplars(data["exemplars"], f"{EXEMPLAR_FILE}: exemplars")
    for technique in TECHNIQUES:
        if len(out.get(technique, ())) < 3:
            raise ValueError(f"{EXEMPLAR_FILE}: exemplars.{technique} needs at least three lines")
    return out


def all_exemplar_lines() -> set[str]:
    """Every general exemplar line, normalised (for the test that the dev set is disjoint)."""
    return {normalise(line) for lines in general_exemplars().values() for line in lines}


def normalise(line: str) -> str:
    return " ".join(line.lower().split()).strip(" .?!")
