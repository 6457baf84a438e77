"""Errors from loading FAQ and vocabulary files, precise enough for an admin to fix them.

Loaders collect *every* problem in a file (not just the first) as :class:`FaqProblem` values and
raise one :class:`FaqLoadError` carrying them all.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass
from pathlib import Path

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")  # (Excel for Mac ends lines with a bare CR)
_WORD = re.compile('[^\\s,;"]*\ufffd[^\\s,;"]*')  # the word an odd byte is in: not past a sheet's separator
#: How to save a sheet or a text file as UTF-8, in the words of the programs admins use.
SAVE_SHEET_AS_UTF8 = ("save the sheet as 'CSV UTF-8' (Excel: File > Save As > 'CSV UTF-8 (Comma delimited)'; "
                      "LibreOffice: character set 'Unicode (UTF-8)')")
SAVE_TEXT_AS_UTF8 = "save the file with the encoding UTF-8 (in the editor's Save As)"


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
    """An output file's path, checked: its folder must exist.

    A folder given where a file is expected is refused under the name the admin typed (the
    atomic write would otherwise fail on its temporary file, a name they never saw). A missing
    folder is refused, not created, as for PUENTE_DB: ``--out /nonexist/o.yaml``, a slip, made the
    folder and reported success, and the file was not where the admin looked (session 17's review).
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(target))
    existing = next((p for p in target.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is a file, so no folder can be made in it", str(existing))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, missing_folder(target), str(target))
    return target


def missing_folder(target: Path) -> str:
    """Why ``target`` cannot be written: its folder does not exist (named in full)."""
    return f"its folder {target.parent.resolve()} does not exist: create it, or correct the path"


@dataclass(frozen=True)
class NotUtf8:
    """Where a file stops being UTF-8: the line (1-based), the word the odd byte is in (shown with
    "\ufffd" for it), how many lines have such bytes, and the whole text decoded with "\ufffd"."""

    line: int
    word: str
    lines: int
    text: str


def find_not_utf8(data: bytes) -> NotUtf8 | None:
    """The first byte of ``data`` that is not UTF-8, told as a line and a word, or None.

    "not valid UTF-8 (byte 117)" told an admin nothing: a sheet saved as "CSV" by Excel on
    Windows is Latin-1, and its first accent ("¿Cuánto") is the byte. A line and the word it is in
    can be found in the sheet (session 16's review).
    """
    body = data.removeprefix(_BOM)
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        start = exc.start
    line = len(_LINE_END.split(body[:start]))
    text = body.decode("utf-8", errors="replace")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = re.search(_WORD, lines[line - 1]) if line <= len(lines) else None
    word = found.group(0) if found else ""
    word = word if len(word) <= 40 else word[:39] + "…"
    return NotUtf8(line, word, sum("\ufffd" in ln for ln in lines), text)


def not_utf8_problem(file: str, data: bytes) -> FaqProblem:
    """A problem naming the line of the first byte of ``data`` that is not UTF-8 (YAML files)."""
    where = find_not_utf8(data)
    if where is None:  # (the file changed between the two reads)
        return FaqProblem(file, f"not valid UTF-8; {SAVE_TEXT_AS_UTF8}")
    return FaqProblem(file, not_utf8_message(where, "line", how=SAVE_TEXT_AS_UTF8), line=where.line)


def not_utf8_message(where: NotUtf8, place: str, shown: str | None = None, how: str = SAVE_SHEET_AS_UTF8) -> str:
    """What is wrong at ``where``, in ``place`` ("line", "cell": its text can be ``shown`` instead of
    the word), and ``how`` to save the file."""
    others = where.lines - 1
    shown = shown or where.word
    return (f"not valid UTF-8: this {place} has a character saved in another encoding (an accent or ñ, most "
            "likely)"
            + (f", read as {shown!r}" if shown else "")
            + (f"; {others} other line{'s' if others > 1 else ''} too" if others > 0 else "")
            + f". {how[0].upper()}{how[1:]}")
