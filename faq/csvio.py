"""The spreadsheet (CSV) layout admins edit in Excel, LibreOffice or Google Sheets.

One row per entry, columns :data:`COLUMNS`; alternates share a cell, separated by ``" | "`` or
by a line break inside the cell (Alt+Enter in Excel: nobody means a line break inside one
phrasing). ``";"``, ``","`` or a bare ``"|"`` inside an alternate is only advice (``ParsedFaq.advice``):
commas belong to real questions, and the bot must not refuse a sheet for them.
Reading keeps the CSV line where each record starts (a quoted cell may span several lines) so
problems point at the right row, and a quote typed by hand that the csv module would silently
misread (one never closed, or text after a closing one) is named at its cell. ``write_csv``
produces exactly the same layout, so an FAQ can go CSV → YAML → CSV without loss (category
labels excepted: the CSV has no place for them).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from faq.errors import SAVE_SHEET_AS_UTF8, FaqLoadError, FaqProblem, find_not_utf8, not_utf8_message, prepare_target
from faq.model import LANGS, Faq, FaqEntry
from faq.validate import ALT_SEP, ALT_SEP_RE, ParsedFaq, field_name

COLUMNS = ("id", "category", "question_es", "question_en", "alternates_es", "alternates_en",
           "answer_es", "answer_en", "source")
REQUIRED = COLUMNS[:-1]  # "source" is optional: a sheet without it is still usable


def _clean(cell: str) -> str:
    """Strip spreadsheet whitespace and Windows line endings inside multi-line cells."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _alternates(cell: str, first_line: int) -> list[tuple[str, int]]:
    """Alternates cell → ``(alternate, line in the file)`` pairs, in order.

    A line break separates alternates like ``" | "``: admins put each phrasing on a line of its
    own with Alt+Enter, and before, the whole cell silently became one long alternate. Empty
    pieces (``"a |  | b"``, a trailing ``" | "``, a blank line) are ignored.
    """
    pairs: list[tuple[str, int]] = []
    for offset, line in enumerate(_LINE_BREAK.split(cell or "")):
        pairs += [(piece.strip(), first_line + offset) for piece in ALT_SEP_RE.split(line) if piece.strip()]
    return pairs


#: What admins type between phrasings instead of " | ": a semicolon, or a comma that is not the
#: thousands separator of "Q1,000".
_LIST_SEPARATOR = {";": re.compile(";"), ",": re.compile(r",(?!\d)")}


def _reads_like_a_list(text: str, separator: str) -> bool:
    """``text`` looks like several phrasings typed with ``separator`` ("pago, desde usa, remesa",
    "¿cuánto cuesta?; ¿cuánto pago?"), not one phrasing with a comma or semicolon in it ("Vivo en
    Canadá, ¿me puedo inscribir?", "I lost my NSS; how do I look it up?", "¿Los Q1,000 incluyen…?"):
    either no piece asks anything, or every piece is a question of its own."""
    parts = [p.strip() for p in _LIST_SEPARATOR[separator].split(text)]
    if len(parts) < 2 or not all(parts):
        return False
    asks = ["?" in p or "¿" in p for p in parts]
    return not any(asks) or all(p.endswith("?") for p in parts)


def _separator_advice(file: str, entry_id: str | None, fname: str,
                      alternates: list[tuple[str, int]]) -> list[FaqProblem]:
    """Advice for an alternates cell that seems to hold several phrasings under another separator.

    Only advice, never a problem: the bot still loads the sheet, since a comma or a semicolon can
    be part of a real question. A comma is only named when the cell uses no separator at all.
    """
    found: list[FaqProblem] = []
    for text, line in alternates:
        if "|" in text:  # " | " already split the cell: this bar has no space on one side
            mark = "'|' without a space on each side"
        elif _reads_like_a_list(text, ";"):
            mark = "';'"
        elif len(alternates) == 1 and _reads_like_a_list(text, ","):
            mark = "','"
        else:
            continue
        found.append(FaqProblem(
            file, f"{_short(text)!r} contains {mark}, so it is read as one alternate; if it is several phrasings, "
                  f"separate them with ' | ' or put each on a line of its own in the cell (Alt+Enter)",
            entry=entry_id, field=fname, line=line))
    return found


def sniff_delimiter(text: str) -> str:
    """The sheet's separator, judged from its header row.

    Excel saves "CSV" with ";" where the decimal comma is used (Spanish-language Windows), and
    some admins export tab-separated text: all three load, whichever the header row uses.
    """
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # Excel for Mac ends rows with a bare CR
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


#: The first line Excel writes to say which separator the sheet uses ("sep=;"); not a row.
_SEP_LINE = re.compile(r'"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\r|\n)?', re.IGNORECASE)


def separator_line(lines: list[str]) -> str | None:
    """The separator a leading ``sep=X`` line names, or None when the sheet has no such line.

    Excel writes it (and reads it back) so that a sheet opens with the right separator whatever
    the locale: read as the header, it made every column "missing" (session 16's review).
    """
    found = _SEP_LINE.fullmatch(lines[0]) if lines else None
    return found.group(1) if found else None


def _unused_columns(file: str, names: list[str], line: int = 1) -> list[FaqProblem]:
    """Advice for header cells that are not in :data:`COLUMNS`: their cells are not imported, and
    a misspelt one ("sources") silently lost every entry's source (session 15's review). Empty
    header cells (the trailing columns a spreadsheet adds) are no column."""
    out = []
    for name in names:
        if not name or name in COLUMNS:
            continue
        close = difflib.get_close_matches(name, [c for c in COLUMNS if c not in names], n=1, cutoff=0.75)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        out.append(FaqProblem(file, f"column '{name}' is not one Puente reads{hint}; its cells are not imported. "
                                    f"The columns are {', '.join(COLUMNS)}", line=line))
    return out


def _column_letter(column: int) -> str:
    """The spreadsheet's letter for the 0-based ``column``: A … Z, AA, AB…"""
    letters, n = "", column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _headerless_column(file: str, column: int, line: int, entry_id: str | None, text: str) -> FaqProblem:
    """Advice for a column with an empty header cell that has text in some row (first on ``line``):
    like a column under a name Puente does not read, its cells are not imported, and it was
    dropped without a word (session 17's review: a note typed beside the row was lost)."""
    return FaqProblem(
        file, f"column {column + 1} ({_column_letter(column)}) has no header, so its cells are not imported; "
              f"the first with text is on this line: {_short(text)!r}. If the column belongs to the FAQ, write its "
              f"name in the header row (the columns are {', '.join(COLUMNS)}); if not, delete it",
        entry=entry_id, line=line)


def _not_utf8(file: str, data: bytes) -> FaqProblem:
    """The first cell of a sheet that is not UTF-8 (Excel's plain "CSV" on Windows is Latin-1),
    named by its line, column and entry, with the word the odd character is in."""
    where = find_not_utf8(data)
    if where is None:  # (the file changed between the two reads)
        return FaqProblem(file, f"not valid UTF-8; {SAVE_SHEET_AS_UTF8}")
    column = entry = shown = None
    names: list[str] | None = None
    try:  # the sheet read again with "\ufffd" for each odd byte: the first cell holding one
        lines = list(io.StringIO(where.text, newline=""))
        sep = separator_line(lines)
        for row in csv.reader(iter(lines[sep is not None:]), delimiter=sep or sniff_delimiter(where.text)):
            header, names = names is None, names or [h.strip().lower() for h in row]
            bad = next((i for i, cell in enumerate(row) if "\ufffd" in cell), None)
            if bad is not None:
                column, shown = _column_name(names, bad), _short(_clean(row[bad]), 50)
                at = names.index("id") if "id" in names and not header else None
                entry = _clean(row[at]) if at is not None and at < len(row) else None
                break
    except csv.Error:
        pass
    return FaqProblem(file, not_utf8_message(where, "cell" if column else "line", shown), entry=entry or None,
                      field=column, line=where.line)


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
    except UnicodeDecodeError:
        return ParsedFaq(empty, "csv", [_not_utf8(file, Path(path).read_bytes())])
    except OSError as exc:
        return ParsedFaq(empty, "csv", [FaqProblem(file, f"cannot read file: {exc.strerror or exc}")])

    # A sheet saved twice by tools that each add a byte-order mark starts with two: invisible, and
    # the header's first column would not be "id" (session 15's review).
    text = text.lstrip("\ufeff")
    problems: list[FaqProblem] = []
    lenient: list[FaqProblem] = []
    # io.StringIO, not str.splitlines: that also splits on U+2028, NEL, form feed… inside a cell.
    # These are the lines the csv reader counts in ``line_num``, so a record can be read again
    # from any of them.
    lines = list(io.StringIO(text, newline=""))
    delimiter = separator_line(lines)
    skip = 0 if delimiter is None else 1  # a "sep=;" line: the header is the next line
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(iter(lines[skip:]), delimiter=delimiter)
    head = skip + 1  # the header's line in the file
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
                      f"{', '.join(COLUMNS)}", line=head))
            if "id" in missing:
                return ParsedFaq(empty, "csv", problems)
        dupes = sorted({n for n in names if n and names.count(n) > 1})
        if dupes:
            problems.append(FaqProblem(file, f"column(s) appear twice: {', '.join(dupes)}", line=head))
        col = {n: names.index(n) for n in COLUMNS if n in names}
        unused = _unused_columns(file, names, head)
        records, strays = _read_rows(lines, skip + reader.line_num, delimiter, col.get("category"))
    except _SyntaxError as exc:
        problems.append(FaqProblem(file, f"CSV syntax error: {exc.message}", line=exc.line))
        return ParsedFaq(empty, "csv", problems)

    # A quote that is never closed runs to the end of the file: only the last row can hold one.
    if records and len(records) - 1 not in strays:
        last = records[-1]
        cells = _cells("".join(lines[last.start - 1:last.end]), delimiter)
        if cells and cells[-1].quoted and not cells[-1].closed:
            strays[len(records) - 1] = _Stray(cells[-1].column, last.start + cells[-1].line, None)

    entries: list[FaqEntry] = []
    bad_fields: set[tuple[int, str]] = set()
    item_lines: dict[tuple[int, str, str], int] = {}
    advice: list[FaqProblem] = []
    headerless: dict[int, FaqProblem] = {}  # column → advice naming the first cell with text in it
    for index, record in enumerate(records):
        row, stray = record.cells, strays.get(index)
        # A stray quote: its cell and every cell after it hold other rows' text, not this row's.
        # They are left empty, and not reported again as empty: the one problem is the quote.
        lost = {n for n, i in col.items() if stray is not None and i >= stray.column}
        bad_fields |= {(len(entries), n) for n in lost}

        def cell(name: str, row: list[str] = row, lost: set[str] = lost) -> str:
            i = col.get(name)
            return _clean(row[i]) if i is not None and i < len(row) and name not in lost else ""

        entry_id = cell("id") or None
        if stray is not None:
            problems.append(_stray_problem(file, stray, entry_id, names))
        elif len(row) > len(names) and any(c.strip() for c in row[len(names):]):
            problems.append(FaqProblem(
                file, f"row has {len(row)} cells but the header has {len(names)}; "
                      "check for an unquoted comma", entry=entry_id, line=record.start))
        raw = "".join(lines[record.start - 1:record.end])
        if stray is None:
            lenient += _dropped_quotes(file, record, raw, delimiter, names, entry_id)
        starts = [record.start + c.line for c in _cells(raw, delimiter)]
        for i, name in enumerate(names):
            # A column without a header: nothing in it is imported. An entirely empty one (the
            # trailing columns a spreadsheet adds) stays silent; the first cell with text is named.
            if (not name and i not in headerless and i < len(row) and row[i].strip()
                    and (stray is None or i < stray.column)):
                headerless[i] = _headerless_column(file, i, starts[i] if i < len(starts) else record.start,
                                                   entry_id, _clean(row[i]))
        alternates: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            fname, i = field_name("csv", "alternates", lang), col.get(f"alternates_{lang}")
            pairs = _alternates(row[i], starts[i] if i < len(starts) else record.start) \
                if i is not None and i < len(row) and fname not in lost else []
            alternates[lang] = tuple(text for text, _ in pairs)
            for text, line in pairs:
                item_lines.setdefault((len(entries), fname, text), line)
            advice += _separator_advice(file, entry_id, fname, pairs)
        entries.append(FaqEntry(
            id=cell("id"),
            category=cell("category"),
            question={lang: cell(f"question_{lang}") for lang in LANGS},
            answer={lang: cell(f"answer_{lang}") for lang in LANGS},
            alternates=alternates,
            source=cell("source"),
            line=record.start,
        ))
    # The missing columns are reported once, not again as an empty field of every entry.
    bad_fields |= {(i, name) for i in range(len(entries)) for name in missing}
    advice = [*unused, *(headerless[i] for i in sorted(headerless)), *advice]
    return ParsedFaq(Faq(entries=tuple(entries), path=file), "csv", problems, bad_fields=bad_fields,
                     lenient=lenient, item_lines=item_lines, advice=advice)


_QUOTE_FIX = ("Close the quote at the end of the cell, or, if the quote belongs to the text, put the whole "
              'cell in quotes and write each quote inside it twice ("")')


@dataclass(frozen=True)
class _Record:
    """One row as the csv reader returned it, with the lines of the file it spans (1-based)."""

    cells: list[str]
    start: int
    end: int


@dataclass(frozen=True)
class _Stray:
    """A quote that opens a cell and is not closed where it should be."""

    column: int  # the cell it opens (0-based)
    line: int  # the line where that cell starts
    swallowed: int | None  # the first line read into the cell that looks like a row; None: to the end of the file


class _SyntaxError(Exception):
    """The csv module gave up on a line (a cell over its size limit)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _records_from(lines: list[str], first: int, delimiter: str) -> list[_Record]:
    """The non-blank rows of ``lines`` from the 0-based index ``first`` on, numbered as in the file."""
    reader = csv.reader(iter(lines[first:]), delimiter=delimiter)
    records: list[_Record] = []
    prev_end = 0
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if any(c.strip() for c in row):  # blank rows are common at the end of exported sheets
                records.append(_Record(row, first + start, first + prev_end))
    except csv.Error as exc:
        raise _SyntaxError(first + reader.line_num, str(exc)) from None
    return records


def _read_rows(lines: list[str], first: int, delimiter: str,
               category: int | None) -> tuple[list[_Record], dict[int, _Stray]]:
    """Every row after the header, and the rows where a stray quote swallowed others (by index).

    The rows a stray quote swallowed are read again from the first of them, so they are loaded
    and checked like the others: one problem names the quote, not a row gone missing or the
    empty fields it leaves behind. (The swallowing row's cells from the quote on are lost.)
    """
    records = _records_from(lines, first, delimiter)

    def categories(rows: list[_Record]) -> set[str]:
        return {_clean(r.cells[category]) for r in rows if category is not None and category < len(r.cells)} - {""}

    known = categories(records)
    strays: dict[int, _Stray] = {}
    index = 0
    while index < len(records):
        record = records[index]
        hit = _swallowed_row(record.cells, delimiter, known)
        if hit is not None:
            column, into = hit
            cells = _cells("".join(lines[record.start - 1:record.end]), delimiter)
            where = record.start + (cells[column].line if column < len(cells) else 0)
            strays[index] = _Stray(column, where, record.start + into)
            records[index + 1:] = again = _records_from(lines, record.start + into - 1, delimiter)
            known |= categories(again)
        index += 1
    return records, strays


def _column_name(names: list[str], column: int) -> str:
    return names[column] if column < len(names) and names[column] else f"column {column + 1}"


def _stray_problem(file: str, stray: _Stray, entry_id: str | None, names: list[str]) -> FaqProblem:
    if stray.swallowed is None:
        what = ('the quote (") that opens this cell is never closed: the rest of the file was read into '
                "this cell")
    else:
        what = (f'the quote (") that opens this cell is not closed where it should be: the rest of the row and '
                f"line {stray.swallowed}, which looks like a row of its own, were read into this cell")
    return FaqProblem(file, f"{what}. {_QUOTE_FIX}", entry=entry_id, field=_column_name(names, stray.column),
                      line=stray.line)


def _dropped_quotes(file: str, record: _Record, raw: str, delimiter: str, names: list[str],
                    entry_id: str | None) -> list[FaqProblem]:
    """A cell that starts with a quote and goes on after the closing one (``"IGSS" al día``): the
    reader drops the quotes (``IGSS al día``) and says nothing. A spreadsheet program never
    writes that, so it is a hand edit whose quotes were meant to be seen."""
    found = []
    for c in _cells(raw, delimiter):
        if c.quoted and c.closed and c.after.strip() and c.column < len(record.cells):
            inside = c.raw[1:len(c.raw) - len(c.after)].removesuffix('"')
            if delimiter in inside:
                # A quote typed by hand before the text ("¿Cuánto…) that a quote further on in the
                # row happens to close: the cells in between were read as this one (session 15's
                # review: the advice to double the quotes kept the merged cells).
                merged = _short(_clean(record.cells[c.column]))
                found.append(FaqProblem(
                    file, f"the quote (\") that opens this cell is closed only further on in the row, so the "
                          f"cells in between were read as this one: it reads {merged!r}. Delete that stray quote.",
                    entry=entry_id, field=_column_name(names, c.column), line=record.start + c.line))
                continue
            fixed = '"' + c.raw.replace('"', '""') + '"'
            found.append(FaqProblem(
                file, f"this cell starts with a quote (\") and goes on after the closing one, so the quotes are "
                      f"dropped: it reads {_short(_clean(record.cells[c.column]))!r}. If they are meant to be "
                      f"seen, put the whole cell in quotes and write each quote inside it twice: {_short(fixed)}",
                entry=entry_id, field=_column_name(names, c.column), line=record.start + c.line))
    return found


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class _Cell:
    """Where one cell of a record sits in the file and how it was quoted (see :func:`_cells`)."""

    column: int
    line: int  # lines into the record where the cell starts (0: its first line)
    quoted: bool  # the cell opens with a quote
    closed: bool  # that quote is closed (True for a cell without one)
    after: str  # what follows the closing quote, up to the next separator (the reader keeps it, without quotes)
    raw: str  # the cell as written in the file


def _cells(record: str, delimiter: str) -> list[_Cell]:
    """The cells of one record's text, split exactly as the csv module's lenient reader splits
    them (``""`` is a quote inside a quoted cell; after the closing quote, text runs to the next
    separator). The reader returns only the values: what it dropped is only visible here."""
    cells: list[_Cell] = []
    i, n, line = 0, len(record), 0
    while True:
        start, start_line = i, line
        quoted = record.startswith('"', i)
        closed, after_at = not quoted, i
        if quoted:
            i += 1
            while i < n:
                if record.startswith('""', i):
                    i += 2
                    continue
                if record[i] == '"':
                    closed, i = True, i + 1
                    break
                if record[i] == "\n" or (record[i] == "\r" and not record.startswith("\r\n", i)):
                    line += 1
                i += 1
            after_at = i
        while i < n and record[i] not in (delimiter, "\r", "\n"):
            i += 1
        after = record[after_at:i] if quoted and closed else ""
        cells.append(_Cell(len(cells), start_line, quoted, closed, after, record[start:i]))
        if i < n and record[i] == delimiter:
            i += 1
            continue
        return cells


_ID = re.compile(r"[\w-]+")  # "card-pay", "migrant_cost", "61", "PAY-01"
_CATEGORY = re.compile(r"[\w-]+(?: (?:[\w-]+|[/&]))*")  # "payments", "Salud preventiva", "Pagos / Payments"
# "¿Dónde me vacuno?", "Where do I get vaccinated?": one sentence of two words or more, ending in "?"
# (not "or birth certificate. Not sure which one?", the end of a list in an answer).
_QUESTION = re.compile(r"[^.!?]*[^\s.!?]\s+[^.!?]*\?")
_SLUG = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+", re.IGNORECASE)  # "card-pay", "PAY-01", "q-17"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # (Excel for Mac writes bare CRs)


def _swallowed_row(row: list[str], delimiter: str, categories: set[str]) -> tuple[int, int] | None:
    """The column of the cell of ``row`` holding a line that looks like a row of its own, and
    how many lines into ``row`` that line starts; or None. Such a line follows a line break in a
    cell and starts with an id and a category, then a question in either question column
    ("vaccines-where,Salud preventiva,¿Dónde me vacuno?,…"); or with one word and a category of
    this sheet ("61,payments,…,…"); or with an id with a hyphen and nearly a whole row of cells
    ("hours-office,horarios,Horario de oficinas,…": eight or more).

    A stray opening quote typed by hand pairs up with the next quote in the sheet, and the
    reader takes everything between as one cell: the following rows disappear into it, and
    what is left is reported as an unquoted comma or an empty field, never as the quote. Line
    breaks inside an answer ("1-800-123-4567, línea gratuita", "DPI, pasaporte, …", "x-ray,
    labs, prescriptions", "appointments,payments,certificates and more.") do not look like that."""
    seen = 0
    for column, cell in enumerate(row):
        lines = _LINE_BREAK.split(cell)
        for i, line in enumerate(lines[1:], start=1):
            fields = [f.strip() for f in line.split(delimiter)]
            if len(fields) > 3 and _ID.fullmatch(fields[0]) and _CATEGORY.fullmatch(fields[1]) and (
                    any(_QUESTION.fullmatch(f) for f in fields[2:4]) or fields[1] in categories
                    or (_SLUG.fullmatch(fields[0]) and len(fields) >= 8)):
                return column, seen + i
        seen += len(lines) - 1
    return None



def _one_line(alternate: str) -> str:
    """``alternate`` with its line breaks (and the spaces around them) turned into one space."""
    return re.sub(r"\s*(?:\r\n|\r|\n)\s*", " ", alternate)


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

    A line break inside one alternate (possible in YAML, never from a sheet) is written as a space:
    in the sheet a line break separates alternates, and to the matcher both are just a space.

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
                *(ALT_SEP.join(_one_line(a) for a in e.alternates.get(lang, ())) for lang in LANGS),
                *(e.answer.get(lang, "") for lang in LANGS),
                e.source,
            ])
    tmp.replace(target)
