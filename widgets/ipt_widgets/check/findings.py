"""What the check reports: findings (error or warning), each a message naming file, line, item, field."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def error(message: str) -> Finding:
    return Finding(ERROR, message)


def warning(message: str) -> Finding:
    return Finding(WARNING, message)


def exit_status(findings: list[Finding]) -> int:
    """0: all good; 1: warnings only; 2: at least one error (as documented in docs/authoring)."""
    if any(f.level == ERROR for f in findings):
        return 2
    return 1 if findings else 0
