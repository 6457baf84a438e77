"""Sheets admins really produce (Excel for Mac, Spanish-locale Excel, an empty tab, a stray quote)
and what /reload, `faq check`, `faq eval` and `ask` make of them. Each test was written against a
reproduced problem (independent review, session 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
from faq.csvio import COLUMNS
from faq.loader import check_faq, load_faq
from faq.matcher import DEFAULT_THRESHOLDS
from faq.service import FaqService
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' autouse fixture)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "tests" / "data" / "faq-sample.csv"
HEADER = ",".join(COLUMNS)


def row(i: int, **cells: str) -> dict[str, str]:
    base = {
        "id": f"e{i}", "category": "pagos",
        "question_es": f"¿Pregunta número {i} sobre el tema {i}?",
        "question_en": f"Question number {i} about topic {i}?",
        "alternates_es": f"alterna {i} uno | alterna {i} dos",
        "alternates_en": f"alternate {i} one | alternate {i} two",
        "answer_es": f"Respuesta {i}.", "answer_en": f"Answer {i}.", "source": f"https://example.org/{i}",
    }
    base.update(cells)
    return base


# -- 2. an unterminated quote swallows the rest of the sheet, and check says OK -----------------

def test_csv_unterminated_quote_is_reported_instead_of_swallowing_the_following_rows(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text(
        HEADER + "\n"
        + 'e1,pagos,¿Cuánto cuesta?,How much?,,,Q1000,Q1000,"https://igss.gt\n'  # quote never closed
        + "e2,pagos,¿Cómo pago?,How do I pay?,,,En el banco.,At the bank.,\n"
        + "e3,pagos,¿Dónde pago?,Where do I pay?,,,En línea.,Online.,\n",
        encoding="utf-8",
    )
    problems = check_faq(path)
    # Today: no problem at all, and the FAQ has 1 entry (e2, e3 became e1's "source").
    assert problems, "3 rows, 1 entry loaded, and no problem reported"
    assert any(p.line == 2 for p in problems)


# -- 3. an FAQ with no entries --------------------------------------------------------------------

def test_reload_refuses_a_sheet_with_no_entries_and_keeps_serving(tmp_path: Path) -> None:
    """A header-only sheet (an empty tab exported by mistake) replaces the whole FAQ on /reload:
    every member question is then handed to staff."""
    faqs = FaqService(BUNDLED_FAQ, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    empty = tmp_path / "faq.csv"
    empty.write_text(HEADER + "\r\n,,,,,,,,\r\n,,,,,,,,\r\n", encoding="utf-8")
    assert check_faq(empty), "faq check says 'OK, 0 entries'"
    faqs.faq_path = empty
    outcome = faqs.reload()
    assert not outcome.ok
    assert len(faqs.snapshot.faq) == len(load_faq(BUNDLED_FAQ))


def test_ask_with_an_faq_without_entries_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "faq.yaml"
    path.write_text("entries: []\n", encoding="utf-8")
    code, _ = run(["ask", "--faq", str(path), "--json"], stdin="hola\n")
    err = capsys.readouterr().err
    # Today: exit 1 with only "0 problem(s) found." on stderr.
    assert "0 problem(s) found" not in err
    assert code == 0 or str(path) in err


# -- 4. a missing column hides every other problem -------------------------------------------------

def test_missing_column_does_not_hide_the_other_problems(tmp_path: Path) -> None:
    """A sheet without an alternates_en column and with a duplicated id: both are listed at once."""
    cols = [c for c in COLUMNS if c != "alternates_en"]
    path = tmp_path / "faq.csv"
    lines = [",".join(cols)]
    for r in (row(1), row(2, id="e1")):
        lines.append(",".join(r[c] for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_faq(path)
    text = "\n".join(str(p) for p in problems)
    assert "alternates_en" in text
    assert any("duplicate id" in p.message and p.line == 3 for p in problems), text


# -- 5. old-Mac line ends (CR only) with Spanish-Excel semicolons -------------------------------------

def test_semicolon_sheet_with_cr_line_ends_loads(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends rows with a bare CR; with the Spanish locale the
    separator is ";". The separator is judged from text.split("\\n")[0], i.e. the whole file, so
    the commas of the answers win and every column is reported missing."""
    answer = ("Puede pagar en el banco, en línea, con tarjeta, en agencias, en el consulado, o por "
              "transferencia, según le convenga, y guarde su recibo, su DPI y su comprobante.")
    lines = [";".join(COLUMNS)]
    answer_en = ("You can pay at the bank, online, by card, at agencies, at the consulate, or by transfer, "
                 "whichever suits you, and keep your receipt, your ID and your proof of payment.")
    for i in (1, 2, 3):
        r = row(i, answer_es=answer, answer_en=answer_en)
        lines.append(";".join(f'"{r[c]}"' if "," in r[c] else r[c] for c in COLUMNS))
    path = tmp_path / "faq.csv"
    path.write_bytes(("\ufeff" + "\r".join(lines) + "\r").encode("utf-8"))
    assert check_faq(path) == []
    assert len(load_faq(path)) == 3


# -- 6. faq eval reads questions from a Spanish-Excel CSV ------------------------------------------

def test_faq_eval_reads_a_semicolon_csv_like_the_faq_loader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The admin pastes `faq gaps` questions into Excel (Spanish locale) and saves as CSV: the FAQ
    loader accepts ';', `faq eval` says the header does not name 'query' and 'expected'."""
    queries = tmp_path / "preguntas.csv"
    queries.write_text("\ufeffquery;expected\r\ncuanto cuesta el programa de migrantes del igss;migrant-cost\r\n",
                       encoding="utf-8")
    code, _ = run(["faq", "eval", str(queries)])
    err = capsys.readouterr().err
    assert "missing column" not in err
    assert code == 0, err


# -- 8. /reload cuts the problems it lists -------------------------------------------------------

async def test_a_refused_reload_names_the_file_and_its_problems_in_the_log(
    fake_telegram: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 16's review: the operator's log said only "FAQ reload refused: 1 problems"."""
    import logging

    from handlers.app import build_application
    from tests.fake_telegram import running_app
    from tests.helpers import bot_settings
    from tests.test_e2e_member import ADMIN_ID, loose_limiter

    path = tmp_path / "faq.csv"
    path.write_text(HEADER + "\n" + ",".join(row(1, answer_en="").values()) + "\n", encoding="utf-8")
    [problem] = check_faq(path)
    settings = bot_settings(fake_telegram, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID))
    app = build_application(settings, rate_limiter=loose_limiter())
    with caplog.at_level(logging.WARNING, logger="handlers.admin"):
        async with running_app(app, fake_telegram):
            app.bot_data["services"].faqs.faq_path = path
            fake_telegram.push_command(fake_telegram.user(ADMIN_ID, "Admin", "en"), "reload")
            await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    logged = [r.getMessage() for r in caplog.records if r.name == "handlers.admin"]
    assert logged[0].startswith(f"FAQ reload by admin {ADMIN_ID} refused, still serving the previous FAQ (")
    assert logged[0].endswith(f"entries): 1 problem(s) in {path}")
    assert logged[1:] == [f"  {problem}"] and "answer_en" in logged[1]


async def test_reload_lists_which_entry_a_duplicate_clashes_with(
    fake_telegram: Any, tmp_path: Path
) -> None:
    """A duplicated alternate is the commonest reload error; a 180-character cut that
    included the full file path dropped the other entry's id, the one thing the admin needs."""
    import dataclasses

    from faq.yamlio import write_yaml
    from handlers.app import build_application
    from tests.fake_telegram import running_app
    from tests.helpers import bot_settings
    from tests.test_e2e_member import ADMIN_ID, loose_limiter

    faq = load_faq(BUNDLED_FAQ)
    a, b = faq.get("migrant-benefits"), faq.get("migrant-documents")
    assert a is not None and b is not None
    copied = a.alternates["es"][1]
    b2 = dataclasses.replace(b, alternates={**b.alternates, "es": (*b.alternates["es"], copied)})
    path = tmp_path / "faq.yaml"
    write_yaml(dataclasses.replace(faq, entries=tuple(b2 if e.id == b.id else e for e in faq.entries)), path)
    [problem] = check_faq(path)
    assert "'migrant-benefits'" in str(problem)  # faq check names it

    settings = bot_settings(fake_telegram, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID))
    app = build_application(settings, rate_limiter=loose_limiter())
    async with running_app(app, fake_telegram):
        app.bot_data["services"].faqs.faq_path = path
        admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
        fake_telegram.push_command(admin, "reload")
        [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    text = call.params["text"]
    assert "NOT reloaded" in text
    assert "migrant-benefits" in text, text


# -- session 16: what a sheet from Excel says to someone who is not a programmer --------------------

def test_a_latin1_sheet_is_told_by_line_column_and_entry_not_by_byte(tmp_path: Path) -> None:
    """Excel's plain "CSV" on Windows is Latin-1: "not valid UTF-8 (byte 117)" told the admin nothing."""
    path = tmp_path / "faq.csv"
    ascii_row = {"question_es": "Pregunta {}?", "answer_es": "Respuesta {}."}
    rows = [row(i, **{k: v.format(i) for k, v in ascii_row.items()}) for i in (1, 2, 3)]
    rows[1]["answer_es"], rows[2]["answer_es"] = "Sí, en la oficina de Zona 9.", "Cuesta Q50, también."
    text = HEADER + "\r\n" + "\r\n".join(",".join(f'"{r[c]}"' for c in COLUMNS) for r in rows) + "\r\n"
    path.write_bytes(text.encode("latin-1"))
    [problem] = check_faq(path)
    assert (problem.line, problem.entry, problem.field) == (3, "e2", "answer_es"), problem
    assert "byte" not in problem.message and "'CSV UTF-8'" in problem.message
    assert "'S\ufffd, en la oficina de Zona 9.'" in problem.message and "1 other line too" in problem.message


def test_a_latin1_yaml_or_vocabulary_file_is_told_by_line(tmp_path: Path) -> None:
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_bytes("synonyms:\n  hijos: [patojos]\n  niños: [nenes]\n".encode("latin-1"))
    code, _ = run(["faq", "check", str(vocabulary)])
    faq = tmp_path / "faq.yaml"
    faq.write_bytes(BUNDLED_FAQ.read_bytes().decode("utf-8").encode("latin-1", errors="replace"))
    [problem] = check_faq(faq)
    first = next(n for n, line in enumerate(BUNDLED_FAQ.read_text("utf-8").splitlines(), 1)
                 if not line.encode("latin-1", errors="replace").isascii())
    assert problem.line == first and "byte" not in problem.message and "UTF-8" in problem.message
    from faq.errors import FaqLoadError
    from faq.vocabulary import load_vocabulary

    with pytest.raises(FaqLoadError) as caught:
        load_vocabulary(vocabulary)
    [problem] = caught.value.problems
    assert problem.line == 3 and "'ni\ufffdos:'" in problem.message and code == 1


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_a_sep_line_written_by_excel_names_the_separator_and_is_not_the_header(
        tmp_path: Path, separator: str) -> None:
    """Excel writes "sep=;" on the first line of a sheet: it was read as the header, and every
    column was reported missing. Lines are still told as the file numbers them."""
    path = tmp_path / "faq.csv"
    rows = [row(1), row(2), row(3, id="e1")]
    lines = [f"sep={separator}", separator.join(COLUMNS)]
    lines += [separator.join(f'"{r[c]}"' for c in COLUMNS) for r in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    problems = check_faq(path)
    assert [(p.line, p.entry) for p in problems if "duplicate id" in p.message] == [(5, "e1")], problems
    assert not any("missing column" in p.message for p in problems)
    path.write_text("\r\n".join(lines[:-1]) + "\r\n", encoding="utf-8-sig")
    faq = load_faq(path)
    assert [e.id for e in faq.entries] == ["e1", "e2"] and faq.entries[0].line == 3
    assert faq.entries[1].alternates["es"] == ("alterna 2 uno", "alterna 2 dos")
