"""The spreadsheet (CSV) layout admins edit in Excel, LibreOffice or Google Sheets.

One row per entry, columns :data:`COLUMNS`; alternates share a cell, separated by ``" | "``.
Reading keeps the CSV line where each record starts (a quoted cell may span several lines) so
problems point at the right row. ``write_csv`` produces exactly the same layout, so an FAQ can go
CSV → YAML → CSV without loss (category labels excepted: the CSV has no place for them).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from faq.errors import FaqLoadError, FaqProblem, prepare_target
from faq.model import LANGS, Faq, FaqEntry
from faq.validate import ALT_SEP, ALT_SEP_RE, ParsedFaq

COLUMNS = ("id", "category", "question_es", "question_en", "alternates_es", "alternates_en",
           "answer_es", "answer_en", "source")
REQUIRED = COLUMNS[:-1]  # "source" is optional: a sheet without it is still usable


def _clean(cell: str) -> str:
    """Strip spreadsheet whitespace and Windows line endings inside multi-line cells."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _split(cell: str) -> tuple[str, ...]:
    """Alternates cell → tuple; empty pieces (``"a |  | b"``, trailing ``" | "``) are ignored."""
    return tuple(p.strip() for p in ALT_SEP_RE.split(cell or "") if p.strip())


def sniff_delimiter(text: str) -> str:
    """The sheet's separator, judged from its header row.

    Excel saves "CSV" with ";" where the decimal comma is used (Spanish-language Windows), and
    some admins export tab-separated text: all three load, whichever the header row uses.
    """
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # Excel for Mac ends rows with a bare CR
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(path: str | Path) -> ParsedFaq:
    """Read ``path`` without applying content rules; structural problems go in ``problems``.

    Never raises for a bad file: a missing file, undecodable bytes or missing columns become
    problems naming the file, so ``check`` can report everything in one pass.
    """
    file = str(path)
    empty = Faq(entries=(), path=file)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            text = fh.read()
    except FileNotFoundError:
        return ParsedFaq(empty, "csv", [FaqProblem(file, "file not found")])
    except UnicodeDecodeError as exc:
        return ParsedFaq(empty, "csv", [FaqProblem(
            file, f"not valid UTF-8 (byte {exc.start}): save the sheet as 'CSV UTF-8'")])
    except OSError as exc:
        return ParsedFaq(empty, "csv", [FaqProblem(file, f"cannot read file: {exc.strerror or exc}")])

    problems: list[FaqProblem] = []
    lenient: list[FaqProblem] = []
    # io.StringIO, not str.splitlines: that also splits on U+2028, NEL, form feed… inside a cell.
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return ParsedFaq(empty, "csv", [FaqProblem(file, "file is empty; expected a header row")])
        names = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            # Without ids no entry can be named, without any question nothing can be matched:
            # unreadable. Any other missing column leaves the entries readable (empty in that
            # field), which `ask` accepts in a draft.
            unreadable = "id" in missing or all(f"question_{lang}" in missing for lang in LANGS)
            (problems if unreadable else lenient).append(FaqProblem(
                file, f"missing column(s): {', '.join(missing)}; the header row must have "
                      f"{', '.join(COLUMNS)}", line=1))
            if "id" in missing:
                return ParsedFaq(empty, "csv", problems)
        dupes = sorted({n for n in names if n and names.count(n) > 1})
        if dupes:
            problems.append(FaqProblem(file, f"column(s) appear twice: {', '.join(dupes)}", line=1))
        col = {n: names.index(n) for n in COLUMNS if n in names}

        entries: list[FaqEntry] = []
        rows: list[tuple[list[str], int]] = []
        prev_end = reader.line_num
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if not any(c.strip() for c in row):
                continue  # blank rows (common at the end of exported sheets)
            rows.append((row, start))

            def cell(name: str, row: list[str] = row) -> str:
                i = col.get(name)
                return _clean(row[i]) if i is not None and i < len(row) else ""

            entries.append(FaqEntry(
                id=cell("id"),
                category=cell("category"),
                question={lang: cell(f"question_{lang}") for lang in LANGS},
                answer={lang: cell(f"answer_{lang}") for lang in LANGS},
                alternates={lang: _split(cell(f"alternates_{lang}")) for lang in LANGS},
                source=cell("source"),
                line=start,
            ))
    except csv.Error as exc:
        problems.append(FaqProblem(file, f"CSV syntax error: {exc}", line=reader.line_num))
        return ParsedFaq(empty, "csv", problems)
    categories = {e.category for e in entries if e.category}
    for row, start in rows:
        swallowed = _swallowed_row(row, delimiter, categories)
        if swallowed is not None:
            problems.append(FaqProblem(
                file, f'a quote (") in this row is not closed where it should be: line {start + swallowed}, '
                      "which looks like a row of its own, was read into one of its cells",
                entry=_clean(row[col["id"]]) or None, line=start))
        elif len(row) > len(names) and any(c.strip() for c in row[len(names):]):
            problems.append(FaqProblem(
                file, f"row has {len(row)} cells but the header has {len(names)}; "
                      "check for an unquoted comma", entry=_clean(row[col["id"]]) or None, line=start))
    unclosed = _unclosed_quote(text, delimiter)
    if unclosed is not None:
        problems.append(FaqProblem(
            file, 'a quoted cell is never closed (a " without its closing "): every row after it was '
                  "read as part of that cell", line=unclosed))
    # The missing columns are reported once, not again as an empty field of every entry.
    bad_fields = {(i, name) for i in range(len(entries)) for name in missing}
    return ParsedFaq(Faq(entries=tuple(entries), path=file), "csv", problems, bad_fields=bad_fields,
                     lenient=lenient)


_ID = re.compile(r"[\w-]+")  # "card-pay", "migrant_cost", "61", "PAY-01"
_CATEGORY = re.compile(r"[\w-]+(?: (?:[\w-]+|[/&]))*")  # "payments", "Salud preventiva", "Pagos / Payments"
# "¿Dónde me vacuno?", "Where do I get vaccinated?": one sentence of two words or more, ending in "?"
# (not "or birth certificate. Not sure which one?", the end of a list in an answer).
_QUESTION = re.compile(r"[^.!?]*[^\s.!?]\s+[^.!?]*\?")
_SLUG = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+", re.IGNORECASE)  # "card-pay", "PAY-01", "q-17"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # (Excel for Mac writes bare CRs)


def _swallowed_row(row: list[str], delimiter: str, categories: set[str]) -> int | None:
    """How many lines into ``row`` a line that looks like a row of its own starts, or None: a
    cell holding a line break followed by an id and a category, then a question in either
    question column ("vaccines-where,Salud preventiva,¿Dónde me vacuno?,…"); or by one word and
    a category of this sheet ("61,payments,…,…"); or by an id with a hyphen and nearly a whole
    row of cells ("hours-office,horarios,Horario de oficinas,…": eight or more).

    A stray opening quote typed by hand pairs up with the next quote in the sheet, and the
    reader takes everything between as one cell: the following rows disappear into it, and
    what is left is reported as an unquoted comma or an empty field, never as the quote. Line
    breaks inside an answer ("1-800-123-4567, línea gratuita", "DPI, pasaporte, …", "x-ray,
    labs, prescriptions", "appointments,payments,certificates and more.") do not look like that."""
    seen = 0
    for cell in row:
        lines = _LINE_BREAK.split(cell)
        for i, line in enumerate(lines[1:], start=1):
            fields = [f.strip() for f in line.split(delimiter)]
            if len(fields) > 3 and _ID.fullmatch(fields[0]) and _CATEGORY.fullmatch(fields[1]) and (
                    any(_QUESTION.fullmatch(f) for f in fields[2:4]) or fields[1] in categories
                    or (_SLUG.fullmatch(fields[0]) and len(fields) >= 8)):
                return seen + i
        seen += len(lines) - 1
    return None


def _unclosed_quote(text: str, delimiter: str) -> int | None:
    """The line of the record in which a quoted cell runs to the end of the file, or None.

    The lenient reader above takes such a cell as the text of everything after it, so a sheet
    could silently lose its last rows. Other strict-mode complaints (text after a closing quote)
    are tolerated as before: the lenient reading of those is what a person would expect."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    try:
        for _ in reader:
            end = reader.line_num
    except csv.Error as exc:
        return end + 1 if "unexpected end of data" in str(exc) else None
    return None


def read_csv(path: str | Path) -> Faq:
    """Read the CSV into a :class:`Faq` without the content rules (``faq.loader.load_faq`` adds them).

    Raises :class:`FaqLoadError` only when the file itself cannot be read as the FAQ layout.
    """
    parsed = parse_csv(path)
    if parsed.problems or parsed.lenient:
        raise FaqLoadError(parsed.problems + parsed.lenient)
    return parsed.faq


def write_csv(faq: Faq, path: str | Path, *, bom: bool = False) -> None:
    """Write ``faq`` in the :data:`COLUMNS` layout (UTF-8, ``bom=True`` for old Excel versions;
    tab-separated when ``path`` ends in ``.tsv``).

    Written to a temporary file then renamed, so a crash never leaves a truncated sheet behind.
    """
    target = prepare_target(path)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        # RFC 4180 CRLF rows, as spreadsheets write them
        writer = csv.writer(fh, delimiter="\t" if target.suffix.lower() == ".tsv" else ",")
        writer.writerow(COLUMNS)
        for e in faq.entries:
            writer.writerow([
                e.id,
                e.category,
                *(e.question.get(lang, "") for lang in LANGS),
                *(ALT_SEP.join(e.alternates.get(lang, ())) for lang in LANGS),
                *(e.answer.get(lang, "") for lang in LANGS),
                e.source,
            ])
    tmp.replace(target)
