"""YAML FAQ errors in plain words, at the line to fix, with the entry (review round 13, finding 13).

Before: PyYAML's own wording ("expected <block end>, but found '-'") with no entry, an unclosed
quote reported a line late, "each alternate must be text" for ``- Precio: cuanto es``, and a
duplicated alternate named at its list's first line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.errors import FaqProblem
from faq.loader import check_faq

GOOD = """\
categories:
  payments: {es: Pagos, en: Payments}
entries:
  - id: pay
    category: payments
    es:
      question: "¿Cómo pago?"
      alternates:
        - "pagar cuota"
        - "¿Dónde pago el IGSS?"
        - "pago desde usa"
      answer: >-
        Así se paga.
    en:
      question: "How do I pay?"
      answer: Like this.

  - id: cost
    category: payments
    es:
      question: "¿Cuánto cuesta?"
      alternates:
        - "precio del seguro"
        - "cuota mensual"
        - "¿Cuánto hay que pagar al mes?"
      answer: Q1,000 al mes.
    en:
      question: "How much is it?"
      answer: Q1,000 a month.
"""
LINES = GOOD.splitlines()


def line_of(text: str, entry: str = "cost") -> int:
    """The 1-based line of ``text`` inside ``entry`` of GOOD."""
    start = LINES.index(f"  - id: {entry}")
    return next(n for n, line in enumerate(LINES, 1) if n > start and text in line)


def broken(tmp_path: Path, old: str, new: str, entry: str = "cost") -> tuple[list[FaqProblem], int]:
    """GOOD with the line holding ``old`` in ``entry`` replaced by ``new``; the problems and that line."""
    at = line_of(old, entry)
    lines = list(LINES)
    lines[at - 1] = new
    path = tmp_path / "faq.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return check_faq(path), at


def test_the_fixture_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert check_faq(path) == []


def test_an_item_indented_less_is_told_as_indentation_with_its_entry(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"cuota mensual"', '      - "cuota mensual"')
    assert (p.entry, p.line) == ("cost", at)
    assert f"check the indentation of line {at}: it must line up with the lines above it" in p.message
    assert "<block end>" not in p.message


@pytest.mark.parametrize(("old", "new"), [('"cuota mensual"', '          - "cuota mensual"'),
                                          ("alternates:", "       alternates:"),
                                          ("answer: Q1,000 al mes.", "        answer: Q1,000 al mes.")])
def test_other_indentation_slips_name_the_line_and_the_entry(tmp_path: Path, old: str, new: str) -> None:
    (p,), at = broken(tmp_path, old, new)
    assert (p.entry, p.line) == ("cost", at) and f"check the indentation of line {at}" in p.message


def test_a_quote_never_closed_is_named_where_it_opens(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"cuota mensual"', '        - "cuota mensual')
    assert (p.entry, p.line) == ("cost", at)
    assert f"a quote opened on line {at} is never closed" in p.message


def test_a_quote_never_closed_in_a_question_or_at_the_end_of_the_file(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"How much is it?"', '      question: "How much is it?')
    assert (p.entry, p.line) == ("cost", at) and f"a quote opened on line {at} is never closed" in p.message
    (p,), at = broken(tmp_path, "Q1,000 a month.", '      answer: "Q1,000 a month.')
    assert (p.entry, p.line) == ("cost", at) and f"a quote opened on line {at} is never closed" in p.message


def test_an_unquoted_colon_in_an_alternate_says_to_quote_it(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"cuota mensual"', "        - Precio: cuanto es en quetzales")
    assert (p.entry, p.field, p.line) == ("cost", "es.alternates", at)
    assert f"line {at} contains ': ' — put the text in double quotes" in p.message
    assert '"Precio: cuanto es en quetzales"' in p.message and "must be text" not in p.message


def test_an_unquoted_colon_in_a_question_says_to_quote_it(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"¿Cuánto cuesta?"', "      question: Precio: cuanto es")
    assert (p.entry, p.line) == ("cost", at)
    assert f"line {at} contains ': ' — put the text in double quotes" in p.message
    assert '"Precio: cuanto es"' in p.message


def test_a_duplicated_alternate_is_named_at_its_own_line_and_at_the_other_ones(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"cuota mensual"', '        - "pago desde usa"')
    assert (p.entry, p.field, p.line) == ("cost", "es.alternates", at)
    assert f"(line {line_of('pago desde usa', 'pay')})" in p.message


def test_a_tab_and_text_after_a_closing_quote(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, '"cuota mensual"', '\t\t- "cuota mensual"')
    assert (p.entry, p.line) == ("cost", at) and "tab" in p.message
    (p,), at = broken(tmp_path, '"cuota mensual"', '        - "cuota" mensual"')
    assert (p.entry, p.line) == ("cost", at) and "text after the closing quote" in p.message


def test_an_answer_indented_to_the_entry_is_one_problem_about_indentation(tmp_path: Path) -> None:
    (p,), at = broken(tmp_path, "answer: Q1,000 a month.", "    answer: Q1,000 a month.")
    assert (p.entry, p.line) == ("cost", at)
    assert "'answer' belongs under 'es:' or 'en:'" in p.message and f"indentation of line {at}" in p.message


def test_an_error_outside_the_entries_names_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text(GOOD.replace("  payments: {es: Pagos, en: Payments}", "  payments:\n   es: Pagos\n    en: x"),
                    encoding="utf-8")
    (p,) = check_faq(path)
    assert p.entry is None and p.line == 4 and "indentation" in p.message
