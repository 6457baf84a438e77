"""Sheets whose alternates or categories are typed the way spreadsheet users type them (review
round 13, findings 9 and 10): a line break inside an alternates cell separates alternates; ';',
',' or a bare '|' that look like separators, and a category that looks like a typo of a known one,
are advice naming file, line, entry and field. Advice never stops the bot from loading the sheet."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from faq.csvio import COLUMNS, parse_csv, write_csv
from faq.errors import FaqProblem
from faq.loader import advice_for, check_faq, load_faq, parse_faq
from faq.model import Faq, FaqEntry
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' autouse fixture)

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_CSV = DATA / "faq-sample.csv"


def sheet(tmp_path: Path, rows: list[dict[str, str]], name: str = "faq.csv") -> Path:
    """A sheet with ``rows`` as Excel writes it (CRLF rows, cells with line breaks quoted)."""
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(i: int, **cells: str) -> dict[str, str]:
    base = {
        "id": f"e{i}", "category": "payments",
        "question_es": f"¿Pregunta número {i} sobre el tema {i}?",
        "question_en": f"Question number {i} about topic {i}?",
        "alternates_es": f"alterna {i} uno | alterna {i} dos",
        "alternates_en": f"alternate {i} one | alternate {i} two",
        "answer_es": f"Respuesta {i}.", "answer_en": f"Answer {i}.", "source": "",
    }
    base.update(cells)
    return base


def sample_with(tmp_path: Path, entry_id: str, column: str, value: str) -> tuple[Path, int]:
    """The sample sheet with one cell changed; returns the path and the line of that row."""
    rows = list(csv.DictReader(SAMPLE_CSV.open(encoding="utf-8", newline="")))
    index = next(i for i, r in enumerate(rows) if r["id"] == entry_id)
    rows[index][column] = value
    return sheet(tmp_path, rows), index + 2  # no cell of the sample spans lines


def advice(path: Path) -> list[FaqProblem]:
    parsed = parse_faq(path)
    assert parsed is not None
    return advice_for(parsed)


# -- finding 9: alternates typed with Alt+Enter, ';' or ',' -----------------------------------------

@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_line_break_in_an_alternates_cell_separates_alternates(tmp_path: Path, newline: str) -> None:
    """Alt+Enter in Excel: before, the whole cell became one long alternate and the entry lost
    every phrasing in it."""
    cell = newline.join(["cuanto cuesta al mes", "cuota mensual migrante", "", "precio del seguro | costo"])
    path = sheet(tmp_path, [row(1, alternates_es=cell), row(2)])
    faq = load_faq(path)
    assert faq.entries[0].alternates["es"] == (
        "cuanto cuesta al mes", "cuota mensual migrante", "precio del seguro", "costo")
    assert faq.entries[1].line == 2 + cell.count(newline) + 1
    assert advice(path) == []


def test_an_alternate_on_a_later_line_of_its_cell_is_named_at_that_line(tmp_path: Path) -> None:
    path = sheet(tmp_path, [row(1, alternates_es="uno\ndos\ncosto del seguro"),
                            row(2, alternates_es="otra | costo del seguro")])
    (problem,) = check_faq(path)
    assert (problem.entry, problem.field, problem.line) == ("e2", "alternates_es", 5)
    assert "(line 4)" in problem.message  # the first entry's duplicate is on the cell's third line


def test_semicolons_and_commas_between_phrasings_are_advice_with_file_line_entry_and_field(tmp_path: Path) -> None:
    path = sheet(tmp_path, [
        row(1, alternates_es="pago; desde usa; remesa"),
        row(2, alternates_es="pago por familiar, lo paga mi hermano, mi mama paga"),
        row(3, alternates_en="fee|price|cost"),
        row(4),
    ])
    assert check_faq(path) == []  # not a problem: the bot loads the sheet
    assert load_faq(path).entries[0].alternates["es"] == ("pago; desde usa; remesa",)
    found = advice(path)
    assert [(a.file, a.line, a.entry, a.field) for a in found] == [
        (str(path), 2, "e1", "alternates_es"), (str(path), 3, "e2", "alternates_es"),
        (str(path), 4, "e3", "alternates_en")]
    semicolon, comma, bar = (a.message for a in found)
    assert "contains ';'" in semicolon and "' | '" in semicolon and "'pago; desde usa; remesa'" in semicolon
    assert "contains ','" in comma and "' | '" in comma
    assert "'|' without a space on each side" in bar


@pytest.mark.parametrize("alternates", [
    "Vivo en Canadá, ¿me puedo inscribir?",
    "I lost my NSS; how do I look it up?",
    "¿Los Q1,000 incluyen a mi esposa y mis hijos?",
    "My passport expired, what do I do? | ¿De qué régimen soy, del 73 o del 97?",
    "uno | Hola, pago, remesa",  # the cell uses ' | ': a comma inside one of them is the admin's wording
])
def test_a_comma_or_semicolon_inside_one_real_question_is_no_advice(tmp_path: Path, alternates: str) -> None:
    assert advice(sheet(tmp_path, [row(1, alternates_es=alternates)])) == []


def test_the_project_sheets_get_no_separator_advice() -> None:
    """Forty-odd sheets written by other teams: real questions with commas and semicolons must not
    drown the one cell that needs a look."""
    for path in sorted(DATA.glob("faq-*.csv")):
        assert [a for a in advice(path) if a.field and a.field.startswith("alternates")] == [], path


def test_an_alternate_with_a_line_break_from_yaml_exports_as_one_alternate(tmp_path: Path) -> None:
    """In the sheet a line break separates alternates; one inside an alternate (possible in YAML)
    is written as a space, so the export does not split it in two."""
    entry = FaqEntry(id="e1", category="c", question={"es": "¿P?", "en": "Q?"}, answer={"es": "R", "en": "A"},
                     alternates={"es": ("cuanto cuesta\n  al mes", "otra"), "en": ()})
    write_csv(Faq(entries=(entry,)), tmp_path / "out.csv")
    assert load_faq(tmp_path / "out.csv").entries[0].alternates["es"] == ("cuanto cuesta al mes", "otra")


def test_faq_check_prints_the_separator_advice_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = sample_with(tmp_path, "migrant-cost-family", "alternates_es", "pago; desde usa; remesa")
    code, _ = run(["faq", "check", str(path)])
    out = capsys.readouterr().out
    assert code == 0 and "OK, 60 entries" in out
    assert (f"Advice: {path}:{line}, entry 'migrant-cost-family', field 'alternates_es': "
            "'pago; desde usa; remesa' contains ';'") in out


def test_the_sheet_served_by_the_bot_loads_despite_the_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from config import Settings
    from faq.service import FaqService

    path, _ = sample_with(tmp_path, "migrant-cost", "alternates_es",
                          "cuanto cuesta al mes\ncuota mensual migrante | pago; desde usa")
    monkeypatch.setenv("PUENTE_FAQ", str(path))
    snap = FaqService.from_settings(Settings.from_env()).load()
    assert snap.faq.get("migrant-cost").alternates["es"] == (
        "cuanto cuesta al mes", "cuota mensual migrante", "pago; desde usa")


# -- finding 10: a mistyped category -----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [("pagos", "payments"), ("paymnets", "payments"),
                                              ("Migrantes", "migrants"), ("pension", "pensions")])
def test_a_category_used_once_and_close_to_a_known_one_is_named_with_its_likely_meaning(
        tmp_path: Path, typed: str, meant: str) -> None:
    path, line = sample_with(tmp_path, "igss-affiliation-number", "category", typed)
    assert check_faq(path) == []  # advice only
    (found,) = [a for a in advice(path) if a.field == "category"]
    assert (found.file, found.line, found.entry) == (str(path), line, "igss-affiliation-number")
    assert f"category {typed!r}" in found.message and f"did you mean {meant!r}" in found.message


def test_a_new_category_shared_by_entries_or_unlike_any_other_is_no_advice(tmp_path: Path) -> None:
    path = sheet(tmp_path, [row(1, category="pagos"), row(2, category="pagos"), row(3, category="voting"),
                            row(4, category="payments")])
    assert [a for a in advice(path) if a.field == "category"] == []


def test_faq_import_names_the_typo_and_still_writes_the_yaml(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, line = sample_with(tmp_path, "igss-affiliation-number", "category", "pagos")
    out_yaml = tmp_path / "faq.yaml"
    code, _ = run(["faq", "import", str(path), "--out", str(out_yaml)])
    out = capsys.readouterr().out
    assert code == 0 and out_yaml.exists()
    assert (f"Advice: {path}:{line}, entry 'igss-affiliation-number', field 'category': category 'pagos'") in out
    assert "did you mean 'payments'" in out


def test_the_yaml_format_still_refuses_an_unknown_category(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("categories:\n  payments: {es: Pagos, en: Payments}\nentries:\n  - id: e1\n    category: pagos\n"
                    "    es: {question: \"¿P?\", answer: R}\n    en: {question: \"Q?\", answer: A}\n", encoding="utf-8")
    (problem,) = check_faq(path)
    assert (problem.entry, problem.field, problem.line) == ("e1", "category", 5)
    assert "is not one of the 'categories:'" in problem.message
    assert advice(path) == []


def test_round_trips_are_unchanged(tmp_path: Path) -> None:
    """Export → import stays lossless: every alternate of the sample sheet comes back as it was."""
    original = parse_csv(SAMPLE_CSV).faq
    write_csv(original, tmp_path / "back.csv")
    assert (tmp_path / "back.csv").read_bytes() == SAMPLE_CSV.read_bytes()


def _with_header(tmp_path: Path, header: str, name: str, bom: str = "") -> Path:
    """The sample sheet with its header row replaced (and ``bom`` before it)."""
    text = SAMPLE_CSV.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(bom + header + "\n" + text.split("\n", 1)[1], encoding="utf-8")
    return path


def test_a_misspelt_column_is_named_with_the_one_meant(tmp_path: Path) -> None:
    """Session 15's review: a header "sources" passed the check and every source was dropped."""
    path = _with_header(tmp_path, ",".join(COLUMNS).replace("source", "sources"), "typo.csv")
    assert check_faq(path) == []  # still loads: sources are optional
    advice = [str(a) for a in advice_for(parse_faq(path))]
    assert any("'sources'" in a and "did you mean 'source'?" in a and ":1" in a for a in advice), advice


def test_an_extra_column_is_named_and_empty_trailing_ones_are_not(tmp_path: Path) -> None:
    path = _with_header(tmp_path, ",".join(COLUMNS) + ",notes,,", "notes.csv")
    advice = [str(a) for a in advice_for(parse_faq(path))]
    assert [a for a in advice if "column" in a] == [a for a in advice if "'notes'" in a] and \
        len([a for a in advice if "'notes'" in a]) == 1, advice
    assert "did you mean" not in next(a for a in advice if "'notes'" in a)


def test_a_column_without_a_header_that_has_text_is_named_where_its_text_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 17's review: a column whose header cell is empty was dropped without a word ("nota"
    typed beside a row), while one under a wrong name ("notes") was named. Its first cell with
    text is named by file, line and entry, with the column's number and letter; an entirely empty
    trailing column (Excel leaves them) stays silent."""
    header = ",".join(COLUMNS[:-1]) + ",,,"  # J (10) has text below it, K (11) is empty
    lines = [header, *(",".join([f"e{i}", "general", f"Pregunta número {i}", f"Question number {i}",
                                 f"hola {i} | buenas {i} | saludos {i}", f"hi {i} | hey {i} | hello {i}",
                                 f"Respuesta {i}.", f"Answer {i}.", "", "nota" if i == 2 else "", ""])
                       for i in (1, 2, 3))]
    path = tmp_path / "blank-header.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert check_faq(path) == []  # still loads: only advice
    found = [str(a) for a in advice(path) if "no header" in a.message]
    assert found == [f"{path}:3, entry 'e2': column 10 (J) has no header, so its cells are not imported; the first "
                     f"with text is on this line: 'nota'. If the column belongs to the FAQ, write its name in the "
                     f"header row (the columns are {', '.join(COLUMNS)}); if not, delete it"]
    assert run(["faq", "check", str(path)])[0] == 0
    assert f"Advice: {found[0]}" in capsys.readouterr().out.splitlines()
    # The same column, empty in every row, says nothing: it is what a spreadsheet leaves behind.
    path.write_text("\r\n".join(lines).replace("nota", "") + "\r\n", encoding="utf-8")
    assert not [a for a in advice(path) if "no header" in a.message]


def test_a_sheet_with_two_byte_order_marks_loads(tmp_path: Path) -> None:
    """Saved by two tools that each add one: invisible, and the first column was not "id"."""
    path = _with_header(tmp_path, ",".join(COLUMNS), "bom.csv", bom="\ufeff\ufeff")
    assert check_faq(path) == []
    assert len(load_faq(path)) == len(load_faq(SAMPLE_CSV))
