"""Errors from loading FAQ and vocabulary files, precise enough for an admin to fix them.

Loaders collect *every* problem in a file (not just the first) as :class:`FaqProblem` values and
raise one :class:`FaqLoadError` carrying them all.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


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


def prepare_target(path: str | Path) -> Path:
    """An output file's path, its folder created if missing (like ``export-messages``).

    A folder given where a file is expected is refused under the name the admin typed (the
    atomic write would otherwise fail on its temporary file, a name they never saw).
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(target))
    existing = next((p for p in target.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is a file, so no folder can be made in it", str(existing))
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
