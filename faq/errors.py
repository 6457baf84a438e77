"""Errors from loading FAQ and vocabulary files, precise enough for an admin to fix them.

Loaders collect *every* problem in a file (not just the first) as :class:`FaqProblem` values and
raise one :class:`FaqLoadError` carrying them all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaqProblem:
    """One thing wrong in a file: where (file, line, entry, field) and what."""

    file: str
    message: str
    entry: str | None = None  # entry id (or vocabulary key) when known
    field: str | None = None  # e.g. "answer_es", "question.en", "alternates_en"
    line: int | None = None  # 1-based line in the file (CSV line or YAML line)

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.entry:
            parts.append(f"entry {self.entry!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts) + f": {self.message}"


class FaqLoadError(Exception):
    """A file could not be loaded; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: list[FaqProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
