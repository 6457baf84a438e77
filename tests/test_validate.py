"""One test per validation rule; each checks the problem names file, entry, field and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from faq.csvio import COLUMNS
from faq.errors import FaqLoadError, FaqProblem
from faq.loader import check_faq, load_faq
from faq.model import Faq, FaqEntry
from faq.render import MAX_MESSAGE_CHARS, render_answer
from faq.validate import normalize_question, validate


def row(id: str, **cells: str) -> dict[str, str]:
    """A valid CSV row whose texts are unique to ``id``; override any cell."""
    base = {
        "id": id, "category": "payments",
        "question_es": f"¿Pregunta {id}?", "question_en": f"Question {id}?",
        "alternates_es": "", "alternates_en": "",
        "answer_es": f"Respuesta {id}.", "answer_en": f"Answer {id}.", "source": "",
    }
    base.update(cells)
    return base


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def only(problems: list[FaqProblem], **match: object) -> FaqProblem:
    """The single problem matching every attribute in ``match`` (fails if none or several)."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in match.items())]
    assert len(found) == 1, f"expected one problem matching {match}, got {problems}"
    return found[0]


@pytest.fixture
def sheet(tmp_path: Path):
    def make(*rows: dict[str, str]) -> tuple[str, list[FaqProblem]]:
        path = write_rows(tmp_path / "faq.csv", list(rows))
        return str(path), check_faq(path)
    return make


def test_valid_file_has_no_problems(sheet) -> None:
    _, problems = sheet(row("a"), row("b"))
    assert problems == []


def test_duplicate_id(sheet) -> None:
    file, problems = sheet(row("same"), row("other"), row("same"))
    p = only(problems, field="id")
    assert (p.file, p.entry, p.line) == (file, "same", 4)  # header=1, rows at 2, 3, 4
    assert "duplicate" in p.message and "line 2" in p.message


def test_a_row_pasted_twice_is_one_problem_naming_both_lines(sheet) -> None:
    """Session 16's review: each question and alternate of the copy was also reported, as
    "duplicates question_es of entry 'migrant-return'" on entry 'migrant-return': a clash with itself."""
    pasted = row("migrant-return", alternates_es="¿Me regreso? | regreso", alternates_en="going back")
    _, problems = sheet(row("a"), pasted, pasted, row("b"))
    [p] = problems
    assert (p.entry, p.field, p.line) == ("migrant-return", "id", 4)
    assert "copy of the entry at line 3" in p.message and "delete one" in p.message
    # Same id, another answer: still one problem, the id; its questions clash with nothing else.
    edited = {**pasted, "answer_es": "Otra respuesta."}
    _, problems = sheet(pasted, edited)
    [p] = problems
    assert p.field == "id" and "already used by the entry at line 2" in p.message
    # A third entry with another id that reuses the question is still told.
    _, problems = sheet(pasted, edited, {**row("c"), "question_es": pasted["question_es"]})
    assert [(p.entry, p.field) for p in problems] == [("migrant-return", "id"), ("c", "question_es")]


@pytest.mark.parametrize("bad", ["has space", "a" * 59, "ñ" * 30, "a:b", "tab\tid"])
def test_id_format(sheet, bad: str) -> None:
    file, problems = sheet(row("ok"), row(bad))
    p = only(problems, field="id")
    assert (p.file, p.entry, p.line) == (file, bad, 3)
    assert "short id" in p.message


def test_id_format_accepts_what_other_teams_use(sheet) -> None:
    _, problems = sheet(row("a" * 58), row("x_1-2"), row("Q12"), row("pagos.1"), row("ñandú"))
    assert problems == []


def test_longest_id_fits_in_callback_data() -> None:
    from conversation.replies import Button

    Button("x", "pick:" + "ñ" * 29)  # 58 bytes of id: must not raise


def test_empty_id(sheet) -> None:
    file, problems = sheet(row("ok"), row(""))
    p = only(problems, field="id")
    assert (p.file, p.entry, p.line) == (file, None, 3)
    assert "empty" in p.message


def test_empty_category(sheet) -> None:
    file, problems = sheet(row("ok"), row("nocat", category="  "))
    p = only(problems, field="category")
    assert (p.file, p.entry, p.line) == (file, "nocat", 3)


@pytest.mark.parametrize("column", ["question_es", "question_en", "answer_es", "answer_en"])
def test_both_languages_required(sheet, column: str) -> None:
    file, problems = sheet(row("ok"), row("half", **{column: ""}))
    p = only(problems)
    assert (p.file, p.entry, p.field, p.line) == (file, "half", column, 3)


def test_answer_must_fit_one_telegram_message(sheet) -> None:
    q = "¿Pregunta larga?"
    fits = "x" * (MAX_MESSAGE_CHARS - len(f"<b>{q}</b>\n\n"))
    entry = FaqEntry("e", "c", {"es": q, "en": "Q?"}, {"es": fits, "en": "A"})
    assert len(render_answer(entry, "es")) == MAX_MESSAGE_CHARS
    _, problems = sheet(row("fits", question_es=q, answer_es=fits))
    assert problems == []
    file, problems = sheet(row("ok"), row("too-long", question_es=q, answer_es=fits[:-1] + "&"))
    p = only(problems)  # "&" renders as "&amp;": the rendered message is what counts
    assert (p.file, p.entry, p.field, p.line) == (file, "too-long", "answer_es", 3)
    assert str(MAX_MESSAGE_CHARS) in p.message


def test_duplicate_question_across_entries_normalised(sheet) -> None:
    file, problems = sheet(row("first", question_es="¿Cómo pago mi cuota?"),
                           row("second", question_es="como PAGO mi  cuota"))
    p = only(problems)
    assert (p.file, p.entry, p.field, p.line) == (file, "second", "question_es", 3)
    assert "first" in p.message


def test_alternate_colliding_with_other_entrys_question(sheet) -> None:
    file, problems = sheet(row("first", question_en="How do I pay?"),
                           row("second", alternates_en="Where is it? | how do I pay"))
    p = only(problems)
    assert (p.file, p.entry, p.field, p.line) == (file, "second", "alternates_en", 3)


def test_alternate_colliding_with_other_entrys_alternate(sheet) -> None:
    file, problems = sheet(row("first", alternates_es="pagar cuota | cuota"),
                           row("second", alternates_es="otra cosa | Pagar, cuota!"))
    p = only(problems)
    assert (p.file, p.entry, p.field, p.line) == (file, "second", "alternates_es", 3)


def test_repeats_inside_one_entry_are_not_errors(sheet) -> None:
    _, problems = sheet(row("a", question_es="IMSS", question_en="IMSS", alternates_es="imss | ¡IMSS!"))
    assert problems == []


def test_empty_alternates_are_ignored(sheet, tmp_path: Path) -> None:
    file, problems = sheet(row("a", alternates_es=" | uno |  | dos | ", alternates_en="|"))
    assert problems == []
    entry = load_faq(file).get("a")
    assert entry is not None
    assert entry.alternates == {"es": ("uno", "dos"), "en": ()}


def test_all_problems_reported_at_once(sheet) -> None:
    file, problems = sheet(
        row("Bad Id"),
        row("dup"),
        row("dup", question_es="¿Otra?", question_en="Another?", answer_en=""),
        row("nocat", category=""),
        row("copy", question_es="¿Pregunta dup?"),
    )
    found = {(p.entry, p.field, p.line) for p in problems}
    assert found == {
        ("Bad Id", "id", 2),
        ("dup", "id", 4),
        ("dup", "answer_en", 4),
        ("nocat", "category", 5),
        ("copy", "question_es", 6),
    }
    assert all(p.file == file for p in problems)
    with pytest.raises(FaqLoadError) as err:
        load_faq(file)
    assert err.value.problems == problems


# -- the same rules on YAML, with YAML field names and exact lines -------------------------------

YAML_TWO = """\
entries:
  - id: one
    category: payments
    es:
      question: "¿Cómo pago?"
      answer: Así.
    en:
      question: "How do I pay?"
      answer: Like this.
  - id: Two two
    category: ""
    es:
      question: "¿Cómo pago?"
      alternates:
        - "How do I pay"
      answer: ""
"""


def test_yaml_rules_name_file_entry_field_and_line(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(YAML_TWO, encoding="utf-8")
    problems = check_faq(path)
    found = {(p.entry, p.field, p.line) for p in problems}
    assert found == {
        ("Two two", "id", 10),
        ("Two two", "category", 11),
        ("Two two", "es.question", 13),  # duplicates entry one's question
        ("Two two", "es.alternates", 15),  # duplicates entry one's English question (line of the list)
        ("Two two", "es.answer", 16),
        ("Two two", "en.question", 10),  # missing block: reported at the entry's line
        ("Two two", "en.answer", 10),
    }
    assert all(p.file == str(path) for p in problems)


def test_yaml_alternate_with_csv_separator_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(YAML_TWO.split("  - id: Two two")[0].replace(
        '      answer: Así.', '      alternates: ["pagar | cuota"]\n      answer: Así.'), encoding="utf-8")
    p = only(check_faq(path))
    assert (p.entry, p.field, p.line) == ("one", "es.alternates", 6)


def test_validate_accepts_a_bare_faq() -> None:
    entry = FaqEntry("x", "c", {"es": "¿P?", "en": ""}, {"es": "R", "en": "A"}, line=7)
    problems = validate(Faq(entries=(entry,), path="memory.yaml"))
    assert problems == [FaqProblem("memory.yaml", problems[0].message, "x", "en.question", 7)]


def test_normalize_question() -> None:
    assert normalize_question("¿Cómo   PAGO, mi cuota?") == "como pago mi cuota"
    assert normalize_question("Niño/año") == normalize_question("nino ano")


def test_yaml_category_must_be_one_of_its_categories(tmp_path: Path) -> None:
    """A typo in a slug would show members a second, unlabelled topic in /menu."""
    path = tmp_path / "faq.yaml"
    path.write_text("categories:\n  payments: {es: Pagos, en: Payments}\n" + YAML_TWO.split("  - id: Two two")[0]
                    .replace("category: payments", "category: paymnets"), encoding="utf-8")
    [problem] = check_faq(path)
    assert (problem.entry, problem.field, problem.line) == ("one", "category", 5)
    assert "'paymnets'" in problem.message and "payments" in problem.message
    path.write_text(path.read_text(encoding="utf-8").replace("paymnets", "payments"), encoding="utf-8")
    assert check_faq(path) == []
