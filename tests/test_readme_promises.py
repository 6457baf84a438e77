"""README statements a newcomer relies on (operator, staff, admin), from session 10's review by
someone following the README literally: each test failed when written."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY, ConfigError, Settings
from faq.csvio import COLUMNS
from faq.evaluation import evaluate, read_queries
from faq.loader import check_faq, load_faq
from faq.matcher import Matcher
from faq.service import FaqService
from faq.vocabulary import load_vocabulary
from faq.yamlio import write_yaml
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' autouse fixture)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "tests" / "data" / "faq-sample.csv"
DEV_QUERIES = ROOT / "tests" / "data" / "dev-queries.tsv"


def _sample_rows() -> list[list[str]]:
    with open(SAMPLE_CSV, newline="", encoding="utf-8-sig") as fh:
        return list(csv.reader(fh))


# -- 1. the YAML header tells admins to write a bare " inside a double-quoted string ---------------

def test_yaml_header_written_by_import_tells_admins_to_escape_quotes(tmp_path: Path) -> None:
    """faq/yamlio.py's HEADER says `write \\" for a quote`, but it is a plain (not raw) string, so
    the bundled faq.yaml and every `faq import` output say `inside them write " for a quote`.
    Following that instruction breaks the file."""
    out = tmp_path / "faq.yaml"
    write_yaml(load_faq(SAMPLE_CSV), out)
    header = out.read_text(encoding="utf-8").split("\ncategories:")[0]
    assert 'write \\" for a quote' in header, [ln for ln in header.splitlines() if "for a quote" in ln]
    assert 'write \\" for a quote' in BUNDLED_FAQ.read_text(encoding="utf-8")


# -- 2. a tab-separated sheet saved as .tsv is refused ------------------------------------------------

def test_faq_import_reads_a_tab_separated_sheet_saved_by_google_sheets(tmp_path: Path) -> None:
    """README: import reads what Google Sheets saves (... tabs). Google Sheets saves tab-separated
    values as `name.tsv`; `faq import` refuses it as 'unsupported file type'."""
    sheet = tmp_path / "FAQ - Hoja 1.tsv"
    with open(sheet, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter="\t").writerows(_sample_rows())
    code, _ = run(["faq", "import", str(sheet), "--out", str(tmp_path / "faq.yaml")])
    assert code == 0
    assert len(load_faq(tmp_path / "faq.yaml")) == 60


# -- 3. a suggest threshold above the answer threshold when only one variable is set -------------

def _effective(env: dict[str, str]) -> tuple[float, float] | None:
    try:
        settings = Settings.from_env(env)
    except ConfigError:
        return None  # refused with a message naming the variable: fine
    service = FaqService.from_settings(settings)
    th = Matcher(load_faq(BUNDLED_FAQ), load_vocabulary(BUNDLED_VOCABULARY), service.thresholds).thresholds
    return th.answer, th.suggest


@pytest.mark.parametrize("env", [{"PUENTE_ANSWER_THRESHOLD": "30"}, {"PUENTE_SUGGEST_THRESHOLD": "50"}])
def test_suggest_threshold_is_never_above_the_answer_threshold(env: dict[str, str]) -> None:
    """README: the suggest threshold is 'not above the answer threshold'. Config refuses it only when
    BOTH variables are set; `faq check` with PUENTE_ANSWER_THRESHOLD=30 prints 'answers from 30,
    suggests from 32', and scores between the two are neither answered nor offered."""
    got = _effective(env)
    if got is not None:
        answer, suggest = got
        assert suggest <= answer, f"{env}: answers from {answer}, suggests from {suggest}"


# -- 4. `faq check` says the default threshold was the fitted one ---------------------------------

def test_faq_check_names_the_fitted_threshold_correctly(capsys: pytest.CaptureFixture[str]) -> None:
    """On a sparse FAQ `faq check` prints 'answers from 39.5 (42 fitted to this FAQ)': 42 is the
    default, 39.5 the threshold fitted to the FAQ."""
    code, _ = run(["faq", "check", str(ROOT / "tests" / "data" / "faq-alt13.csv")])
    out = capsys.readouterr().out
    assert code == 0
    line = next(ln for ln in out.splitlines() if ln.startswith("Matching:"))
    assert "(42 fitted to this FAQ)" not in line, line


# -- 5. the Benchmarks table is not what `make bench` / `faq eval` print -----------------------------

def test_readme_dev_row_matches_what_faq_eval_measures() -> None:
    """README: 'All figures from `make bench`'; dev on faq-sample.csv is 82.5 / 99.2 / 0.7 / 100.
    bench/accuracy_table.py and `faq eval tests/data/dev-queries.tsv --faq tests/data/faq-sample.csv`
    print 81.7% answered right (63 of 103 rows of the table differ from bench/accuracy_table.py)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| dev \(brief's development set\) \| faq-sample\.csv \| 150 \| ([\d.]+)%", readme, re.M)
    assert row
    m = evaluate(Matcher(load_faq(SAMPLE_CSV), load_vocabulary(BUNDLED_VOCABULARY)), read_queries(DEV_QUERIES))
    assert f"{m.answered_right:.1f}" == row.group(1)


# -- 6. a stray opening quote is reported as an 'unquoted comma' or an empty answer --------------

def test_stray_opening_quote_is_reported_as_a_quote(tmp_path: Path) -> None:
    """README: 'a quote that is never closed is refused with every problem listed'. When later rows
    contain quoted cells (as every exported sheet does), the stray quote is reported as 'row has 18
    cells but the header has 9; check for an unquoted comma': nothing points at the quote."""
    lines = SAMPLE_CSV.read_text(encoding="utf-8-sig").splitlines()
    lines[2] += ',"never closed'  # row 3: a cell opened with " by hand
    path = tmp_path / "faq.csv"
    path.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    problems = check_faq(path)
    assert problems
    # ("unquoted comma" does not count: the problem is a quote that was opened, not a comma)
    assert any('"' in p.message or "never closed" in p.message for p in problems), [str(p) for p in problems]


# -- 7. `ask` refuses a draft sheet that only lacks the English alternates ------------------------

def test_ask_tries_a_draft_without_an_alternates_en_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """README: 'ask tries a draft FAQ even if it breaks a content rule (a missing translation ...)
    Only an unreadable file stops it.' A readable draft without English alternates yet stops it."""
    rows = _sample_rows()
    keep = [i for i, c in enumerate(rows[0]) if c != "alternates_en"]
    path = tmp_path / "draft.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[r[i] for i in keep] for r in rows])
    code, out = run(["ask", "--faq", str(path), "--json", "cuanto cuesta el seguro pa migrantes"])
    assert code == 0, capsys.readouterr().err
    assert '"migrant-cost"' in out


def test_sample_has_every_column() -> None:  # guard for the tests above
    assert _sample_rows()[0] == list(COLUMNS)


def test_faq_export_to_a_tsv_writes_tabs_and_reads_back(tmp_path: Path) -> None:
    sheet = tmp_path / "faq.tsv"
    code, _ = run(["faq", "export", str(SAMPLE_CSV), "--csv", str(sheet)])
    assert code == 0
    header = sheet.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split("\t") == list(COLUMNS)
    assert [e.id for e in load_faq(sheet).entries] == [e.id for e in load_faq(SAMPLE_CSV).entries]
    assert [e.answer for e in load_faq(sheet).entries] == [e.answer for e in load_faq(SAMPLE_CSV).entries]


def test_a_sheet_with_ids_but_no_question_column_stops_ask(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,category,answer_es\nx,y,z\n", encoding="utf-8")
    code, _ = run(["ask", "--faq", str(bad), "--json", "hola"])
    assert code == 1


def test_faq_gaps_refuses_a_limit_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run(["faq", "gaps", "--limit", "0"])
    assert exc.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_faq_gaps_tsv_without_labelled_questions_says_there_is_nothing_to_measure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:  # noqa: F811
    from storage.store import Store

    with Store(isolated_env):  # the bot's database, nothing logged yet
        pass
    code, _ = run(["faq", "gaps", "--tsv", str(tmp_path / "gaps.tsv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Wrote no labelled question" in out and "faq eval" not in out
