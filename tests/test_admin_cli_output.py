"""What admins read on their terminal (review round 13, findings 11 and 12): `faq eval` does not
call a figure with nothing to count "0.0% BELOW", and members' control characters and escape
sequences are shown escaped in human-readable output, never sent to the terminal, while JSON and
TSV keep the data as it is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bot
from faq.evaluation import ESCALATE, Outcome, format_report, printable, read_queries, summarize
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' autouse fixture)

ATTACK = "hola\x1b]0;HACKED\x07\x1b[2J\x1b[31mrojo"
SHOWN = "hola\\x1b]0;HACKED\\x07\\x1b[2J\\x1b[31mrojo"


# -- finding 11: figures with no rows ---------------------------------------------------------------

def outcome(expected: str, decision: str, best: str | None = None) -> Outcome:
    return Outcome("q", expected, decision, best, 50.0, ())


def figure(report: str, label: str) -> str:
    return next(line for line in report.splitlines() if line.strip().startswith(label))


def test_no_escalate_rows_is_not_applicable_rather_than_zero_below() -> None:
    results = [outcome("a", "answer", "a"), outcome("b", "answer", "b")]
    report = format_report(summarize(results), results)
    assert figure(report, "escalated").split() == ["escalated", "n/a", "(no", "ESCALATE", "rows)"]
    assert "BELOW" not in report and "%" not in figure(report, "escalated")
    assert "100.0%" in figure(report, "answered right")


def test_no_answerable_rows_is_not_applicable_for_answered_right_and_one_tap() -> None:
    results = [outcome(ESCALATE, "escalate"), outcome(ESCALATE, "escalate")]
    report = format_report(summarize(results), results)
    assert "n/a (no answerable rows)" in " ".join(figure(report, "answered right").split())
    assert "n/a (no answerable rows)" in " ".join(figure(report, "one tap").split())
    assert "BELOW" not in report and "ok" in figure(report, "escalated")


def test_faq_eval_exit_status_depends_on_the_file_not_on_the_figures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The exit status says whether the file needs fixing (a label naming no entry), never whether a
    figure is below its target: a file with only ESCALATE rows, or with a figure BELOW, exits 0."""
    escalate_only = tmp_path / "esc.tsv"
    escalate_only.write_text("query\texpected\nque clima hace\tESCALATE\nvisa americana\tESCALATE\n", encoding="utf-8")
    assert run(["faq", "eval", str(escalate_only)])[0] == 0
    out = capsys.readouterr().out
    assert "n/a (no answerable rows)" in " ".join(out.split()) and "BELOW" not in out
    answerable_only = tmp_path / "gaps.tsv"
    answerable_only.write_text("query\texpected\ncuanto cuesta\tmigrant-cost\n", encoding="utf-8")
    assert run(["faq", "eval", str(answerable_only)])[0] == 0
    assert "n/a (no ESCALATE rows)" in " ".join(capsys.readouterr().out.split())


# -- finding 12: control characters in members' words -----------------------------------------------

def test_printable_escapes_controls_and_keeps_everything_else() -> None:
    assert printable(ATTACK) == SHOWN
    assert printable("a\tb\nc\r\x9b[2J\u202eabc") == "a\\tb\\nc\\r\\x9b[2J\\u202eabc"
    assert printable("línea 1\nlínea 2\x1b", keep_newlines=True) == "línea 1\nlínea 2\\x1b"
    family = "👨\u200d👩\u200d👧 ¿cuánto? ñ 😀"  # a zero-width joiner builds the emoji: kept
    assert printable(family) == family


def _seed(db_path: Path) -> None:
    from storage import conversations as conv
    from storage import drafts, tickets
    from storage.store import Store

    with Store(db_path) as store:

        def seed(db) -> None:  # type: ignore[no-untyped-def]
            mid = conv.log_inbound(db, member_id=7, chat_id=7, text=ATTACK)
            conv.record_decision(db, mid, lang="es", decision="escalate", faq_id=None, score=0.0, latency_ms=1.0)
            t = tickets.open_ticket(db, member_id=7, chat_id=7, lang="es", first_name="Ana", question=ATTACK,
                                    candidates=[])
            tickets.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="migrant-cost")
            drafts.create_draft(db, ticket_id=t["id"], lang="es", question=ATTACK, answer="ok\x1b[31m")

        store.call_sync(seed)


def test_faq_gaps_shows_escapes_and_its_tsv_keeps_the_text(
        isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    _seed(isolated_env)
    capsys.readouterr()
    out_tsv = tmp_path / "gaps.tsv"
    assert bot.main(["faq", "gaps", "--tsv", str(out_tsv)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and SHOWN in out
    [row] = read_queries(out_tsv)
    assert (row.query, row.expected) == (ATTACK, "migrant-cost")  # data-faithful


def test_faq_drafts_shows_escapes(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    _seed(isolated_env)
    capsys.readouterr()
    assert bot.main(["faq", "drafts"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and SHOWN in out and "ok\\x1b[31m" in out


def test_faq_eval_misses_show_escapes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text(f"query\texpected\n{ATTACK} visa americana\tmigrant-cost\n", encoding="utf-8")
    assert run(["faq", "eval", str(queries)])[0] == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and SHOWN in out


def test_ask_shows_an_faq_text_escaped_and_its_json_keeps_the_query(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from faq.csvio import COLUMNS

    sheet = tmp_path / "faq.csv"
    sheet.write_text(",".join(COLUMNS) + "\n"
                     "e1,c,¿Cuánto cuesta el seguro de migrantes?\x1b[2J,How much is the migrant insurance?,"
                     "precio del seguro | cuota mensual | cuanto pago,fee | price | monthly cost,"
                     "Q1000\x1b[31m al mes.,Q1000 a month.,\n", encoding="utf-8")
    code, out = run(["ask", "--faq", str(sheet), "--lang", "es", "cuanto cuesta el seguro de migrantes"])
    assert code == 0 and "\x1b" not in out and "\\x1b[2J" in out
    code, out = run(["ask", "--faq", str(sheet), "--json"], stdin=f"{ATTACK}\n")
    assert code == 0 and json.loads(out)["query"] == ATTACK
