"""The command line: `ask` (a stable JSON interface), `faq` admin commands, and the terminal chat."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest

import bot
from config import BUNDLED_FAQ
from tests.test_storage import SECRET, left_on_disk, upstream_sqlite  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "tests" / "data" / "faq-sample.csv"
ASK_KEYS = {"query", "decision", "id", "score", "candidates", "lang", "also"}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("PUENTE_", "TELEGRAM_")):
            monkeypatch.delenv(name)
    db = tmp_path / "cli.db"
    monkeypatch.setenv("PUENTE_DB", str(db))
    return db


def run(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = bot.main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_ask_json_single_question() -> None:
    code, out = run(["ask", "--json", "cuanto cuesta el programa de migrantes del igss"])
    assert code == 0
    data = json.loads(out)
    assert set(data) == ASK_KEYS
    assert data["decision"] == "answer" and data["id"] == "migrant-cost" and data["lang"] == "es"
    assert data["candidates"][0] == {"id": "migrant-cost", "score": data["candidates"][0]["score"]}


def test_ask_stdin_lines_with_csv_faq_give_one_json_object_per_line_in_order() -> None:
    queries = ["How much does the IGSS migrant program cost?", "", "hola", "what's the weather tomorrow", "😀"]
    code, out = run(["ask", "--faq", str(SAMPLE_CSV), "--json"], stdin="\n".join(queries) + "\n")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["query"] for x in lines] == queries
    for x in lines:
        assert set(x) == ASK_KEYS
        assert x["decision"] in {"answer", "suggest", "escalate", "smalltalk"}
        assert all(set(c) == {"id", "score"} for c in x["candidates"])
    assert lines[0]["decision"] == "answer" and lines[0]["lang"] == "en"
    assert lines[2]["decision"] == "smalltalk"
    assert lines[3]["decision"] == "escalate"


TWO_QUESTIONS = "cuanto cuesta el seguro de migrantes y como pago desde usa"


def test_ask_json_names_the_second_question_the_bot_offers_under_the_answer() -> None:
    """The bot answers the cost and offers the payment question as a ➕ button; the test panel
    said nothing of it. ``also`` is added, every other key keeps its meaning."""
    code, out = run(["ask", "--json", TWO_QUESTIONS])
    assert code == 0
    data = json.loads(out)
    assert set(data) == ASK_KEYS
    assert (data["decision"], data["id"], data["also"]) == ("answer", "migrant-cost", "migrant-pay-from-us")
    assert data["query"] == TWO_QUESTIONS and data["lang"] == "es"
    assert "migrant-pay-from-us" not in [c["id"] for c in data["candidates"]]  # the closest entries, as before


def test_ask_also_is_null_for_one_question_and_for_a_suggestion() -> None:
    """One question: nothing more to offer. A "suggest" already lists the second question's entry
    among ``candidates`` (the bot's buttons), so it is not named twice."""
    queries = ["cuanto cuesta el programa de migrantes del igss", "hola",
               "que documentos necesito para inscribirme y como pago desde usa?"]
    code, out = run(["ask", "--json"], stdin="\n".join(queries) + "\n")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["also"] for x in lines] == [None, None, None]
    assert lines[2]["decision"] == "suggest" and lines[2]["candidates"][-1]["id"] == "migrant-pay-from-us"


def test_ask_stdin_names_the_second_question_too() -> None:
    _, out = run(["ask", "--json"], stdin=TWO_QUESTIONS + "\n")
    assert json.loads(out)["also"] == "migrant-pay-from-us"


def test_ask_human_readable_names_the_second_question_in_the_reply_language() -> None:
    from faq.loader import load_faq

    entry = load_faq(BUNDLED_FAQ).get("migrant-pay-from-us")
    assert entry is not None
    code, out = run(["ask", TWO_QUESTIONS])
    assert code == 0
    assert f"also:     migrant-pay-from-us — {entry.question['es']}\n" in out and "➕" in out
    _, out = run(["ask", "--lang", "en", TWO_QUESTIONS])
    assert f"also:     migrant-pay-from-us — {entry.question['en']}\n" in out
    _, out = run(["ask", "cuanto cuesta el programa de migrantes del igss"])
    assert "also:" not in out and "➕" not in out


def test_ask_also_is_the_button_the_chat_offers() -> None:
    """The panel and the bot agree: the chat's ➕ button under the answer is ``also``'s question."""
    from faq.loader import load_faq

    _, out = run(["ask", "--json", TWO_QUESTIONS])
    also = load_faq(BUNDLED_FAQ).get(json.loads(out)["also"])
    assert also is not None
    _, chat = run(["chat"], stdin=TWO_QUESTIONS + "\n/quit\n")
    assert f"➕ {also.question['es']}"[:30] in chat


def test_ask_lang_option_forces_the_language() -> None:
    _, out = run(["ask", "--json", "--lang", "en", "cuanto cuesta el programa de migrantes"])
    assert json.loads(out)["lang"] == "en"


def test_ask_human_readable() -> None:
    code, out = run(["ask", "cuanto cuesta el programa de migrantes del igss"])
    assert code == 0 and out.startswith("decision: answer") and "migrant-cost" in out


def test_ask_human_readable_says_when_the_second_opinion_answered() -> None:
    below = "el consulado queda a 4 horas de mi casa, tengo que ir alla pa lo del igss"
    code, out = run(["ask", "--faq", str(SAMPLE_CSV), below])
    assert code == 0 and out.startswith("decision: answer") and "second opinion" in out
    code, out = run(["ask", "--faq", str(SAMPLE_CSV), "cuanto cuesta el programa de migrantes del igss"])
    assert code == 0 and out.startswith("decision: answer") and "second opinion" not in out


def test_ask_with_broken_faq_fails_with_the_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,category\nx,y\n", encoding="utf-8")
    code, _ = run(["ask", "--faq", str(bad), "--json", "hola"])
    assert code == 1
    assert "bad.csv" in capsys.readouterr().err


def test_faq_check_ok_and_broken(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["faq", "check", str(BUNDLED_FAQ)])[0] == 0
    rows = list(csv.DictReader(SAMPLE_CSV.open(encoding="utf-8")))
    rows[3]["answer_en"] = ""
    bad = tmp_path / "broken.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    capsys.readouterr()
    assert run(["faq", "check", str(bad)])[0] == 1
    err = capsys.readouterr().err
    assert "broken.csv" in err and rows[3]["id"] in err and "answer_en" in err


SHEET_HEADER = "id,category,question_es,question_en,alternates_es,alternates_en,answer_es,answer_en,source\n"


def test_faq_check_names_a_stray_quote_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Five problems were printed for one quote (two about the quote, three empty fields it caused)."""
    bad = tmp_path / "stray.csv"
    bad.write_text(SHEET_HEADER + 'a,c,"El ""IGSS"" y yo,Q one,,,resp,ans,s\n'
                   "b,c,Pregunta dos,Q two,,,resp dos,ans two,s\n", encoding="utf-8")
    assert run(["faq", "check", str(bad)])[0] == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == "1 problem(s) found.", err
    assert err[0].startswith(f"{bad}:2, entry 'a', field 'question_es': ") and "Close the quote" in err[0]


def test_dropped_quotes_fail_the_check_and_are_a_warning_for_ask(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "draft.csv"
    sheet.write_text(SHEET_HEADER + 'a,c,"Comillas" al inicio de la pregunta,Q,,,r,a,s\n'
                     "b,c,¿Cuánto cuesta el seguro?,How much is it?,,,Mil.,A thousand.,s\n", encoding="utf-8")
    assert run(["faq", "check", str(sheet)])[0] == 1
    err = capsys.readouterr().err
    assert f"{sheet}:2, entry 'a', field 'question_es': this cell starts with a quote" in err
    assert "1 problem(s) found." in err
    code, out = run(["ask", "--faq", str(sheet), "--json", "cuanto cuesta el seguro"])
    assert code == 0 and json.loads(out)["id"] == "b"
    assert "warning: " in capsys.readouterr().err


def test_faq_check_tells_the_thresholds_in_force_and_the_entries_short_of_alternates(
        capsys: pytest.CaptureFixture[str]) -> None:
    """An admin's FAQ with one or two alternates per question: the check says which entries need more
    and how the matcher will treat the FAQ; the sample sheet (four per language) gets no advice."""
    assert run(["faq", "check", str(ROOT / "tests" / "data" / "faq-alt22.csv")])[0] == 0
    out = capsys.readouterr().out
    assert "suggests from 24 (the default 32, lowered for an FAQ with few alternates)" in out
    assert "Advice: 22 of 22 entries have fewer than 3 alternates" in out and "alt22-diabetes-program" in out
    assert run(["faq", "check", str(SAMPLE_CSV)])[0] == 0
    out = capsys.readouterr().out
    assert "Matching: answers from 42, suggests from 32." in out and "Advice" not in out


def test_faq_import_export_round_trip(tmp_path: Path) -> None:
    yaml_path, csv_path, yaml2 = tmp_path / "faq.yaml", tmp_path / "out.csv", tmp_path / "again.yaml"
    assert run(["faq", "import", str(SAMPLE_CSV), "--out", str(yaml_path)])[0] == 0
    assert run(["faq", "export", str(yaml_path), "--csv", str(csv_path)])[0] == 0
    assert run(["faq", "import", str(csv_path), "--out", str(yaml2)])[0] == 0
    assert yaml_path.read_text(encoding="utf-8") == yaml2.read_text(encoding="utf-8")
    original = list(csv.DictReader(SAMPLE_CSV.open(encoding="utf-8")))
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the accents as UTF-8
    exported = list(csv.DictReader(csv_path.open(encoding="utf-8-sig")))
    assert [r["id"] for r in exported] == [r["id"] for r in original]
    assert [r["answer_es"] for r in exported] == [r["answer_es"].strip() for r in original]


def test_terminal_chat_answers_in_spanish_and_logs(isolated_env: Path) -> None:
    code, out = run(["chat"], stdin="cuanto cuesta el seguro pa migrantes\n/quit\n")
    assert code == 0
    from faq.loader import load_faq

    entry = load_faq(BUNDLED_FAQ).get("migrant-cost")
    assert entry is not None and entry.answer["es"][:40] in out
    assert "[1]" in out and "👍" in out  # buttons shown as numbered choices
    import sqlite3

    with sqlite3.connect(isolated_env) as conn:
        channel, decision = conn.execute("select channel, decision from messages where direction='in'").fetchone()
    assert channel == "terminal" and decision == "answer"


def test_terminal_chat_numbers_tap_buttons() -> None:
    _, out = run(["chat"], stdin="/menu\n1\n1\n")
    assert "⬅️" in out  # the category's questions were listed after tapping [1]
    assert out.count("👍") >= 1  # and tapping a question answered it


def test_terminal_chat_takes_faq_as_menu_like_telegram() -> None:
    """Session 15's review: README says /faq opens the topics; the terminal chat said "unknown command"."""
    _, menu = run(["chat"], stdin="/menu\n")
    _, faq = run(["chat"], stdin="/faq\n")
    assert "Elija un tema" in menu and faq == menu


def test_terminal_chat_a_vote_keeps_the_other_question() -> None:
    """As on Telegram: after 👍 the "➕ other question" is still there to tap (now as [1])."""
    code, out = run(["chat"], stdin="cuanto cuesta el seguro de migrantes y como pago desde usa?\n1\n1\n")
    assert code == 0
    after_vote = out.split("[3] ➕", 1)[1]
    assert "[1] ➕" in after_vote
    from faq.loader import load_faq

    entry = load_faq(BUNDLED_FAQ).get("migrant-pay-from-us")
    assert entry is not None and entry.answer["es"][:40] in after_vote.split("[1] ➕", 1)[1]


def test_terminal_chat_survives_digits_that_are_not_numbers() -> None:
    """"²" and "١" (Arabic-Indic one) are digits to Python but not button numbers."""
    code, out = run(["chat"], stdin="/menu\n²\n/menu\n١\n/menu\n1\n")
    assert code == 0
    assert "⬅️" in out  # the real "1" still tapped the first category


def test_bot_py_without_token_starts_the_local_chat(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PUENTE_"))}
    env["PUENTE_DB"] = str(tmp_path / "sub.db")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bot.py")],
        input="cuanto cuesta el seguro pa migrantes\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "TELEGRAM_BOT_TOKEN" in proc.stderr
    assert "Q1,000 exactos al mes" in proc.stdout


def test_run_without_token_refuses_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["run"])[0] == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_faq_import_keeps_known_category_labels(tmp_path: Path) -> None:
    out = tmp_path / "faq.yaml"
    assert run(["faq", "import", str(SAMPLE_CSV), "--out", str(out)])[0] == 0
    from faq.loader import load_faq

    assert load_faq(out).category_label("health-services", "es") == load_faq(BUNDLED_FAQ).category_label(
        "health-services", "es"
    )


def test_broken_faq_at_start_is_explained_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "faq.yaml"
    bad.write_text("entries:\n  - id: only-id\n", encoding="utf-8")
    monkeypatch.setenv("PUENTE_FAQ", str(bad))
    assert run(["chat"], stdin="hola\n")[0] == 1
    err = capsys.readouterr().err
    assert "cannot start" in err and "faq.yaml" in err and "only-id" in err and "Traceback" not in err


def _seed_db(db_path: Path) -> None:
    from storage import conversations as conv
    from storage import drafts, tickets
    from storage.store import Store

    with Store(db_path) as store:

        def seed(db) -> None:  # type: ignore[no-untyped-def]
            asked = [("renovar pasaporte", "escalate"), ("Renovar pasaporte?", "escalate"), ("x", "answer")]
            for text, decision in asked:
                mid = conv.log_inbound(db, member_id=7, chat_id=7, text=text)
                conv.record_decision(db, mid, lang="es", decision=decision, faq_id=None, score=0.0, latency_ms=1.0)
            t = tickets.open_ticket(
                db, member_id=7, chat_id=7, lang="es", first_name="Ana", question="¿dan lentes?", candidates=[]
            )
            drafts.create_draft(db, ticket_id=t["id"], lang="es", question="¿dan lentes?", answer="No, solo en casos…")
            # Staff answered "renovar pasaporte" with an FAQ entry (/faq): gaps names the entry.
            p = tickets.open_ticket(db, member_id=7, chat_id=7, lang="es", first_name="Ana",
                                    question="Renovar pasaporte?", candidates=[])
            tickets.add_ticket_message(db, p["id"], author="staff", text="…", kind="faq", faq_id="passport")

        store.call_sync(seed)


def test_faq_gaps_drafts_and_export(isolated_env: Path, tmp_path: Path) -> None:
    _seed_db(isolated_env)
    code, _ = run(["faq", "gaps"])
    assert code == 0
    code, _ = run(["faq", "drafts"])
    assert code == 0
    out_csv = tmp_path / "drafts.csv"
    assert run(["faq", "drafts", "--csv", str(out_csv)])[0] == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig")))
    assert rows[0]["question_es"] == "¿dan lentes?" and rows[0]["answer_es"].startswith("No, solo")
    assert set(rows[0]) >= {"id", "category", "question_es", "question_en", "answer_es", "answer_en"}
    messages_csv = tmp_path / "messages.csv"
    assert run(["export-messages", str(messages_csv)])[0] == 0
    assert len(list(csv.DictReader(messages_csv.open(encoding="utf-8-sig")))) == 3


def test_faq_gaps_lists_unanswered_most_frequent_first(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_db(isolated_env)
    capsys.readouterr()
    bot.main(["faq", "gaps"])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0].split()[0] == "2" and "pasaporte" in lines[0].lower()
    assert lines[0].endswith("-> staff sent FAQ passport: add as an alternate")
    assert not any(line.endswith(" x") for line in lines)


def test_faq_gaps_writes_staff_labelled_questions_for_faq_eval(
    isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The questions staff answered with /faq are labelled queries: 'faq eval' reads the file back."""
    from faq.evaluation import read_queries

    _seed_db(isolated_env)
    out = tmp_path / "gaps.tsv"
    capsys.readouterr()
    assert bot.main(["faq", "gaps", "--tsv", str(out)]) == 0
    assert "Wrote 1 labelled question(s)" in capsys.readouterr().out
    [row] = read_queries(out)
    assert (row.query, row.expected) == ("renovar pasaporte", "passport")  # (the first of two wordings)


def test_token_is_redacted_from_every_log_line() -> None:
    import logging

    token = "123456789:" + "AAE-fake-" * 4  # built at run time: no token-shaped literal in the tree
    stream = io.StringIO()
    try:
        bot._setup_logging("INFO", secrets=[token], stream=stream)
        logging.getLogger("httpx").warning("POST https://api.telegram.org/bot%s/getMe failed", token)
        logging.getLogger("telegram.ext").error(f"error at https://api.telegram.org/bot{token}/sendMessage")
    finally:
        logging.getLogger().handlers.clear()
    output = stream.getvalue()
    assert token not in output
    assert output.count("<redacted>") == 2


def test_telegram_unreachable_is_one_log_line_other_errors_keep_their_traceback() -> None:
    import logging

    from telegram.error import NetworkError

    stream = io.StringIO()
    try:
        bot._setup_logging("INFO", stream=stream)
        for exc in (NetworkError("httpx.ConnectError: All connection attempts failed"), ValueError("a bug")):
            try:
                raise exc
            except Exception:
                logging.getLogger("telegram.ext").exception("Network Retry Loop: failed")
    finally:
        logging.getLogger().handlers.clear()
    network, bug = stream.getvalue().split("Network Retry Loop: failed", 2)[1:]
    assert "(NetworkError: httpx.ConnectError: All connection attempts failed)" in network.splitlines()[0]
    assert "Traceback" not in network and "Traceback" in bug


def test_threshold_settings_change_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    question = "cuanto cuesta el programa de migrantes del igss"
    assert json.loads(run(["ask", "--json", question])[1])["decision"] == "answer"
    monkeypatch.setenv("PUENTE_ANSWER_THRESHOLD", "101")  # nothing can score above 100
    assert json.loads(run(["ask", "--json", question])[1])["decision"] == "suggest"
    monkeypatch.setenv("PUENTE_SUGGEST_THRESHOLD", "101")
    assert json.loads(run(["ask", "--json", question])[1])["decision"] == "escalate"


def test_forget_member_command(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_db(isolated_env)
    code, _ = run(["forget-member", "7"])
    assert code == 0 and "Deleted" in capsys.readouterr().out
    import sqlite3

    with sqlite3.connect(isolated_env) as conn:
        assert conn.execute("select count(*) from messages where member_id = 7").fetchone()[0] == 0
        assert conn.execute("select count(*) from tickets where member_id = 7").fetchone()[0] == 0


def test_forget_member_refuses_a_number_no_telegram_id_has(
        isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Review 12: a 20-digit number (a pasted account number) ended in an SQLite OverflowError traceback."""
    _seed_db(isolated_env)
    with pytest.raises(SystemExit) as exit_:
        run(["forget-member", "99999999999999999999"])
    assert exit_.value.code == 2 and "is not a Telegram user id" in capsys.readouterr().err


def test_forget_member_queues_the_removal_of_the_staff_group_copies(
        isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: the command deleted the rows that say where the member's cards are in
    the staff group, so nothing could remove the cards (their name and question) any more, and it
    said nothing of them. It queues their removal like the in-bot /forget, and says so."""
    import sqlite3

    from storage import outbox, tickets
    from storage.store import Store

    _seed_db(isolated_env)
    with Store(isolated_env) as store:
        def post_card(db) -> None:  # type: ignore[no-untyped-def]
            sent = outbox.enqueue(db, chat_id=-100, method="sendMessage", payload={"text": "#1 Ana"}, purpose="card")
            outbox.mark_sent(db, sent, message_id=555)
            tickets.map_staff_message(db, -100, 555, 1)

        store.call_sync(post_card)
    code, _ = run(["forget-member", "7"])
    out = capsys.readouterr().out
    assert code == 0 and "Queued the removal of 1 message(s)" in out and "staff group" in out
    assert "at their next message" in out
    with sqlite3.connect(isolated_env) as conn:
        queued = conn.execute("select method, json_extract(payload, '$.message_id') from outbox "
                              "where state = 'pending' and chat_id = -100 order by id").fetchall()
        assert queued == [("editMessageText", 555), ("deleteMessage", 555)]
        assert conn.execute("select count(*) from staff_messages").fetchone()[0] == 0


def test_forget_member_leaves_no_trace_of_the_words_in_the_database_files(
        isolated_env: Path, upstream_sqlite: None) -> None:  # noqa: F811
    """Also with the bot running beside the command, holding its own connection."""
    from storage import conversations as conv
    from storage.store import Store

    with Store(isolated_env) as running_bot:
        running_bot.call_sync(conv.log_inbound, member_id=7, chat_id=7, text=SECRET)
        assert run(["forget-member", "7"])[0] == 0
        assert left_on_disk(isolated_env, SECRET) == []


@pytest.mark.parametrize(("argv", "said"), [
    (["faq", "gaps"], ["PUENTE_DB"]),
    (["faq", "drafts"], ["PUENTE_DB", "--csv CSV   write them"]),
    (["export-messages"], ["PUENTE_DB", "OUT.csv     the CSV file to write"]),
    (["forget-member"], ["PUENTE_DB", "messages, votes and requests", "staff group is queued for removal",
                         "TELEGRAM_USER_ID  the member's Telegram user id"]),
    (["ask"], ["--lang {es,en,auto}  language to show", ".tsv"]),
    (["faq", "import"], ["--out OUT   the YAML file to write", ".tsv", "SHEET"]),
    (["faq", "export"], ["path        the FAQ to export", ".tsv"]),
])
def test_help_says_what_each_command_reads_and_does(
        argv: list[str], said: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: the commands that work on PUENTE_DB never said so, several arguments
    had no help at all, and import/export spoke only of CSV though they take .tsv too."""
    with pytest.raises(SystemExit):
        bot.main([*argv, "--help"])
    text = " ".join(capsys.readouterr().out.split())  # (argparse wraps to the terminal's width)
    for words in said:
        assert " ".join(words.split()) in text, (words, text)


def test_admin_commands_refuse_a_database_that_does_not_exist(
        isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Third review: with PUENTE_DB unset in another folder, or mistyped, these created an empty
    database and said "Deleted 0 row(s)" or "No unanswered questions logged yet", exit 0: a
    deletion a member asked for looked done while the real data stayed."""
    assert not isolated_env.exists()
    for argv in (["forget-member", "7"], ["faq", "gaps"], ["faq", "drafts"],
                 ["export-messages", str(tmp_path / "out.csv")]):
        code, out = run(argv)
        err = capsys.readouterr().err
        assert code == 1 and f"No database at PUENTE_DB={isolated_env.resolve()}" in err, (argv, out, err)
        assert not isolated_env.exists()


def _log_escalated(db_path: Path, texts: Sequence[str], lang: str = "es",
                   times: Sequence[datetime] | None = None) -> None:
    """Log each of ``texts`` as a member's message the bot handed to staff (a gap for `faq gaps`)."""
    from storage import conversations as conv
    from storage.store import Store

    with Store(db_path) as store:
        for i, text in enumerate(texts):
            when = times[i] if times else None
            row = store.call_sync(lambda db, t=text, w=when: conv.log_inbound(db, member_id=5, chat_id=5, text=t,
                                                                              now=w))
            store.call_sync(lambda db, r=row: conv.record_decision(db, r, lang=lang, decision="escalate",
                                                                   faq_id=None, score=0.0, latency_ms=1.0))


def test_faq_gaps_leaves_out_bare_requests_for_a_person(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Third review: "quiero hablar con una persona" and "talk to a human" were listed as FAQ gaps;
    they are requests for staff. A request that says what about stays: that is a gap."""

    asked = ("quiero hablar con una persona", "talk to a human", "quiero hablar con una persona sobre mi pension")
    _log_escalated(isolated_env, asked)
    code, _ = run(["faq", "gaps"])
    listed = [line for line in capsys.readouterr().out.splitlines() if "escalate" in line]
    assert code == 0 and len(listed) == 1 and listed[0].endswith("quiero hablar con una persona sobre mi pension")


def test_faq_gaps_limit_counts_only_what_it_lists(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: the limit was applied before requests for a person were left out, so
    "--limit 1" (and /gaps, 15) said "No unanswered questions logged yet." while a gap was logged."""

    asked = ("quiero hablar con una persona", "quiero hablar con una persona", "como cambio mi clinica")
    _log_escalated(isolated_env, asked)
    code, _ = run(["faq", "gaps", "--limit", "1"])
    out = capsys.readouterr().out
    assert code == 0 and "No unanswered questions" not in out and "como cambio mi clinica" in out


def test_faq_gaps_leaves_out_a_none_of_these_typed_where_no_list_was(
        isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: "none of these" typed after the list was gone (or logged before the
    bot linked it to the list) was listed as a question of its own."""

    _log_escalated(isolated_env, ("none of these", "ninguna de esas", "how much is the insurance up north"), "en")
    code, _ = run(["faq", "gaps"])
    listed = [line for line in capsys.readouterr().out.splitlines() if "escalate" in line]
    assert code == 0 and len(listed) == 1 and listed[0].endswith("how much is the insurance up north")


def test_faq_gaps_names_the_entry_whose_answer_got_a_thumbs_down(
        isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: a "downvoted" row did not say which answer was voted down."""
    from storage import conversations as conv
    from storage.store import Store

    def asked_and_voted_down(db) -> None:  # type: ignore[no-untyped-def]
        q = conv.log_inbound(db, member_id=5, chat_id=5, text="pension de viudez")
        conv.record_decision(db, q, lang="es", decision="answer", faq_id="pension", score=90.0, latency_ms=1.0)
        a = conv.log_outbound(db, member_id=5, chat_id=5, text="…", in_reply_to=q, faq_id="pension")
        conv.record_feedback(db, member_id=5, message_id=a, faq_id="pension", vote=-1)

    with Store(isolated_env) as store:
        store.call_sync(asked_and_voted_down)
    code, _ = run(["faq", "gaps"])
    [line] = [line for line in capsys.readouterr().out.splitlines() if "viudez" in line]
    assert code == 0 and line.endswith("pension de viudez   -> the answer of FAQ pension got a thumbs-down")


def test_faq_gaps_labels_a_suggestion_with_the_entry_the_member_picked(
        isolated_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: a suggestion the member resolved by tapping an entry looked unresolved.
    It names the entry, and --tsv writes it as the label, as for staff's /faq."""
    from faq.evaluation import read_queries
    from storage import conversations as conv
    from storage.store import Store

    def asked_and_picked(db) -> None:  # type: ignore[no-untyped-def]
        q = conv.log_inbound(db, member_id=5, chat_id=5, text="puedo pagar con tarjeta")
        conv.record_decision(db, q, lang="es", decision="suggest", faq_id="migrant-pay-online", score=60.0,
                             latency_ms=1.0)
        conv.log_outbound(db, member_id=5, chat_id=5, text="…", in_reply_to=q, decision="suggest",
                          choices=["migrant-pay-from-us", "migrant-pay-online"])
        tap = conv.log_inbound(db, member_id=5, chat_id=5, text="pick:migrant-pay-from-us", kind="callback")
        conv.record_decision(db, tap, lang="es", decision="answer", faq_id="migrant-pay-from-us", score=100.0,
                             latency_ms=0.0)

    with Store(isolated_env) as store:
        store.call_sync(asked_and_picked)
    out = tmp_path / "gaps.tsv"
    code, _ = run(["faq", "gaps", "--tsv", str(out)])
    [line] = [line for line in capsys.readouterr().out.splitlines() if "tarjeta" in line]
    assert code == 0
    assert line.endswith("tarjeta   -> member picked FAQ migrant-pay-from-us from the suggestions: add as an alternate")
    [row] = read_queries(out)
    assert (row.query, row.expected) == ("puedo pagar con tarjeta", "migrant-pay-from-us")


def test_faq_gaps_since_leaves_out_older_questions(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: old questions, answered by the FAQ since, stayed in `faq gaps` for good.
    --since DAYS (or a date) lists only those asked from then on."""
    from datetime import UTC, datetime, timedelta


    now = datetime.now(UTC)
    asked = [("como renuevo mi pasaporte", now - timedelta(days=40)), ("donde pago la cuota", now - timedelta(days=2))]
    _log_escalated(isolated_env, [text for text, _ in asked], times=[when for _, when in asked])
    for since, listed in (("30", ["donde pago la cuota"]),
                          ((now - timedelta(days=10)).date().isoformat(), ["donde pago la cuota"]),
                          ((now - timedelta(days=50)).date().isoformat(), ["como renuevo mi pasaporte",
                                                                           "donde pago la cuota"])):
        code, _ = run(["faq", "gaps", "--since", since])
        out = capsys.readouterr().out
        assert code == 0 and sorted(line.split("escalate")[1].strip() for line in out.splitlines()) == listed, out
    assert run(["faq", "gaps", "--since", "1"])[0] == 0
    assert "No unanswered questions logged in the last 1 day(s)." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run(["faq", "gaps", "--since", "last week"])
    assert "neither a number of days nor a date" in capsys.readouterr().err


def test_forget_member_says_when_nothing_was_stored(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed_db(isolated_env)
    code, _ = run(["forget-member", "99999"])
    out = capsys.readouterr().out
    assert code == 0 and "Nothing is stored about Telegram user 99999" in out and str(isolated_env.resolve()) in out


def test_ask_tries_a_draft_faq_with_content_problems_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(SAMPLE_CSV.open(encoding="utf-8")))
    rows[0]["answer_en"] = ""  # a missing translation: the bot would refuse this file
    rows[1]["id"] = "Q 2"  # an id the bot cannot use in buttons
    draft = tmp_path / "draft.csv"
    with draft.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    code, out = run(["ask", "--faq", str(draft), "--json", "cuanto cuesta el programa de migrantes del igss"])
    assert code == 0 and json.loads(out)["id"] == "migrant-cost"
    err = capsys.readouterr().err
    assert "warning:" in err and "answer_en" in err and "Q 2" in err


def test_ask_candidates_for_suggest_are_exactly_the_offered_buttons() -> None:
    from config import BUNDLED_VOCABULARY
    from faq.loader import load_faq
    from faq.matcher import Matcher
    from faq.vocabulary import load_vocabulary

    matcher = Matcher(load_faq(BUNDLED_FAQ), load_vocabulary(BUNDLED_VOCABULARY))
    queries = ["igss migrantes", "pago igss", "cancer igss", "pension igss", "familia igss migrante", "igss"]
    _, out = run(["ask", "--json"], stdin="\n".join(queries) + "\n")
    suggested = [json.loads(line) for line in out.splitlines() if json.loads(line)["decision"] == "suggest"]
    assert suggested
    for data in suggested:
        offered = matcher.suggestions(matcher.match(data["query"]))
        assert [c["id"] for c in data["candidates"]] == offered


def test_faq_eval_reports_metrics_and_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "labelled.tsv"
    queries.write_text(
        "query\texpected\n"
        "How much does the IGSS migrant program cost?\tmigrant-cost\n"   # an FAQ question: answered
        "How much does the IGSS migrant program cost?\tmigrant-how-enroll\n"  # mislabelled: a wrong answer
        "what's the weather tomorrow in Xela\tESCALATE\n",
        encoding="utf-8")
    code, _ = run(["faq", "eval", str(queries), "--faq", str(SAMPLE_CSV)])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 questions: 2 answerable, 1 ESCALATE" in out
    assert "answered right  50.0%" in out
    assert "escalated      100.0%" in out
    assert "wrong answers   33.3%" in out and "ABOVE" in out
    assert "expected migrant-how-enroll; answer migrant-cost" in out


def test_faq_eval_reports_labels_that_name_no_entry_and_measures_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "labelled.tsv"
    queries.write_text("query\texpected\nhola que tal\tno-such-entry\n"
                       "cuanto cuesta el programa de migrantes del igss\tmigrant-cost\n", encoding="utf-8")
    code, _ = run(["faq", "eval", str(queries)])
    captured = capsys.readouterr()
    err, out = captured.err, captured.out
    assert code == 1  # something to fix in the file
    assert f"{queries}:2" in err and "no-such-entry" in err
    assert "1 questions: 1 answerable" in out and "answered right 100.0%" in out  # not counted as a miss
    assert "1 left out" in out


def test_faq_eval_reports_a_labelled_row_without_its_query_and_measures_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reported like a label naming no entry (file and line, exit 1, left out of the figures); a
    blank line between questions is still skipped without a word."""
    queries = tmp_path / "labelled.tsv"
    queries.write_text("query\texpected\n"
                       "cuanto cuesta el programa de migrantes del igss\tmigrant-cost\n"
                       "\n"
                       "\tmigrant-pay-from-us\n", encoding="utf-8")
    code, _ = run(["faq", "eval", str(queries)])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{queries}:4: the query is empty but 'expected' says 'migrant-pay-from-us'" in captured.err
    assert f"{queries}:3" not in captured.err and "1 problem(s) found." in captured.err
    assert "1 questions: 1 answerable" in captured.out and "1 left out" in captured.out
    queries.write_text("query\texpected\n"
                       "cuanto cuesta el programa de migrantes del igss\tmigrant-cost\n\n\t\n", encoding="utf-8")
    code, _ = run(["faq", "eval", str(queries)])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == "" and "left out" not in captured.out


def test_faq_eval_without_queries_self_tests_the_faq_phrasings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    faq = tmp_path / "tiny.csv"
    with open(faq, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "category", "question_es", "question_en", "alternates_es", "alternates_en",
                    "answer_es", "answer_en", "source"])
        # "pago" and "cuota" are synonyms in the vocabulary: the two alternates say the same thing.
        w.writerow(["fee-family", "cost", "¿Cuánto cuesta el programa para mi familia?",
                    "How much is it for my family?", "cuota por familiar", "fee per relative",
                    "Mil quetzales.", "A thousand quetzales.", ""])
        w.writerow(["pay-relative", "pay", "¿Puede pagar un pariente en Guatemala?",
                    "Can a relative in Guatemala pay?", "pago por familiar", "relative pays",
                    "Sí, en el banco.", "Yes, at the bank.", ""])
        w.writerow(["clinic-hours", "clinic", "¿A qué hora abre la clínica?", "When does the clinic open?",
                    "horario de la clínica", "clinic hours", "A las siete.", "At seven.", ""])
    code, _ = run(["faq", "eval", "--faq", str(faq)])
    out = capsys.readouterr().out
    assert code == 0
    assert "12 questions and alternates typed as-is" in out
    assert "fee-family: suggest" in out and "| cuota por familiar" in out
    assert "pay-relative: suggest" in out and "| pago por familiar" in out
    assert "clinic-hours:" not in out


def test_chat_on_a_database_from_a_newer_version_explains(
        isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from storage.store import Store

    with Store(isolated_env):
        pass
    with sqlite3.connect(isolated_env) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('puente', 'm999_from_the_future', '2030-01-01')")
    code, _ = run(["chat"], stdin="hola\n")
    assert code == 1
    assert "newer version of Puente" in capsys.readouterr().err
    for admin_command in (["faq", "gaps"], ["export-messages", str(isolated_env.parent / "out.csv")]):
        code, _ = run(admin_command)
        assert code == 1 and "newer version of Puente" in capsys.readouterr().err


def test_a_file_that_is_no_database_is_named_without_a_traceback(tmp_path: Path) -> None:
    """Session 12's review: PUENTE_DB pointing at a text file printed a traceback (from closing
    the half-opened store) before the clear message."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "bot.py"), "chat"], input="hola\n", capture_output=True,
                          text=True, env={**os.environ, "PUENTE_DB": str(notes), "TELEGRAM_BOT_TOKEN": ""}, timeout=120)
    assert done.returncode == 1
    assert "Puente cannot open its database" in done.stderr and "Traceback" not in done.stderr
    assert notes.read_text(encoding="utf-8") == "not a database\n"


def test_ask_stdin_survives_bad_bytes_crlf_and_a_bom(tmp_path: Path) -> None:
    """A tool's file may come from Windows (CRLF, BOM) or carry a byte that is not UTF-8: every
    line still gets exactly one JSON object, with the query as written, and valid UTF-8 out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PUENTE_"))}
    env.update(PUENTE_DB=str(tmp_path / "a.db"), LC_ALL="C", PYTHONIOENCODING="")
    data = b"\xef\xbb\xbfhola\r\ncuanto cuesta el seguro\xff pa migrantes\r\nhow much does it cost\n"
    done = subprocess.run([sys.executable, str(ROOT / "bot.py"), "ask", "--json"], input=data,
                          capture_output=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    lines = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [x["query"] for x in lines] == ["hola", "cuanto cuesta el seguro\ufffd pa migrantes",
                                           "how much does it cost"]
    assert lines[0]["decision"] == "smalltalk"
    # A question given as an argument with a byte that is not UTF-8 (a shell on another locale).
    done = subprocess.run([sys.executable, str(ROOT / "bot.py"), "ask", "--json", b"como me afilio \xff"],
                          capture_output=True, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert json.loads(done.stdout.decode("utf-8"))["decision"] in ("answer", "suggest", "escalate")


def test_unusable_paths_are_one_clear_line_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("not a folder")
    code, _ = run(["faq", "export", str(BUNDLED_FAQ), "--csv", str(tmp_path / "file" / "faq.csv")])
    err = capsys.readouterr().err
    assert code == 1 and f"{tmp_path / 'file'}: is a file" in err and "Traceback" not in err
    monkeypatch.setenv("PUENTE_DB", str(tmp_path / "file" / "puente.db"))
    code, _ = run(["chat"], stdin="hola\n")
    err = capsys.readouterr().err
    assert code == 1 and "PUENTE_DB=" in err and "Traceback" not in err


def test_a_database_in_a_folder_that_does_not_exist_is_refused_not_created(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: PUENTE_DB=/nonexistent/dir/a.db made the folder and an empty database,
    and the bot started on it (a mistyped path leaves the real log and open requests behind)."""
    missing = tmp_path / "nonexistent" / "dir"
    monkeypatch.setenv("PUENTE_DB", str(missing / "a.db"))
    code, _ = run(["chat"], stdin="hola\n")
    err = capsys.readouterr().err
    assert code == 1 and not (tmp_path / "nonexistent").exists()
    assert err == f"Puente cannot start: PUENTE_DB={missing / 'a.db'}: its folder {missing} does not exist: " \
                  "create it, or correct the path.\n"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:not-used")  # refused before Telegram is asked anything
    monkeypatch.setenv("PUENTE_LOG_LEVEL", "WARNING")  # (run sets up the bot's logging)
    assert run(["run"])[0] == 1
    assert f"its folder {missing} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nonexistent").exists()


READ_ONLY = ("cannot be written (attempt to write a readonly database): the user running Puente needs write access "
             "to the file and to its folder, where SQLite keeps its -wal and -shm files")


def test_a_read_only_database_is_refused_at_start_in_one_line(
        isolated_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: with a database file the bot may not write (mode 444, a read-only
    mount) SQLite opens it read-only without a word: `run` said "Puente is up" and then every
    member got "algo falló" with a traceback per message; `chat` died with a traceback.

    Tests run as root, for whom mode 444 changes nothing: the store's connection is opened the
    way SQLite opens such a file, read-only (SQLite's ``mode=ro``). What this proves is that a
    read-only connection is caught at start; the subprocess test below creates the real
    condition where the machine allows it."""
    import sqlite3

    from sqlite_utils import Database

    from storage.store import Store

    _seed_db(isolated_env)  # the bot's database, from when it could still write it
    monkeypatch.setattr(Store, "_connect", lambda self: Database(
        sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)))
    code, out = run(["chat"], stdin="hola\n")
    assert code == 1 and out == ""
    assert capsys.readouterr().err == f"Puente cannot start: PUENTE_DB={isolated_env}: {READ_ONLY}.\n"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:not-used")  # refused before Telegram is asked anything
    monkeypatch.setenv("PUENTE_LOG_LEVEL", "WARNING")
    assert run(["run"])[0] == 1
    assert f"Puente cannot start: PUENTE_DB={isolated_env}: {READ_ONLY}." in capsys.readouterr().err
    assert run(["forget-member", "7"])[0] == 1
    assert capsys.readouterr().err == f"Cannot use the database PUENTE_DB={isolated_env}: {READ_ONLY}\n"
    assert run(["faq", "gaps"])[0] == 0  # reading a read-only copy still works
    assert "renovar pasaporte" in capsys.readouterr().out.lower()


def _read_only_run(db: Path, argv: list[str]) -> list[str] | None:
    """A command line running ``bot.py argv`` with ``db`` truly read-only: mode 444 for a user
    who is not root, else a read-only bind mount in a mount namespace of its own (None when
    the machine allows neither)."""
    command = [sys.executable, str(ROOT / "bot.py"), *argv]
    if os.geteuid() != 0:
        db.chmod(0o444)
        return command
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "mount", "--bind", str(db), str(db)], capture_output=True).returncode != 0:
        return None
    script = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, str(db), *command]


def test_a_database_file_that_cannot_be_written_is_refused_at_start(isolated_env: Path) -> None:
    """The real condition behind the test above, where the machine can create it."""
    _seed_db(isolated_env)
    command = _read_only_run(isolated_env, ["chat"])
    if command is None:
        pytest.skip("cannot make a file read-only here (root, and no mount namespace)")
    done = subprocess.run(command, input="hola\n", capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TELEGRAM_BOT_TOKEN": ""})
    assert done.returncode == 1
    assert done.stderr == f"Puente cannot start: PUENTE_DB={isolated_env}: {READ_ONLY}.\n"


def test_ask_lists_exactly_the_buttons_for_two_questions() -> None:
    """``ask``'s candidates for a "suggest" are the bot's buttons, a second question's entry included."""
    code, out = run(["ask", "--json", "que documentos necesito para inscribirme y como pago desde usa?"])
    assert code == 0
    data = json.loads(out)
    assert data["decision"] == "suggest"
    assert data["candidates"][-1]["id"] == "migrant-pay-from-us" and data["candidates"][-1]["score"] > 0


def test_faq_check_validates_the_vocabulary_too(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from config import BUNDLED_VOCABULARY

    code, _ = run(["faq", "check", str(BUNDLED_VOCABULARY)])
    assert code == 0 and "vocabulary OK" in capsys.readouterr().out
    broken = tmp_path / "vocabulary.yaml"
    broken.write_text(BUNDLED_VOCABULARY.read_text(encoding="utf-8") + "foo:\n  bar: [baz]\n", encoding="utf-8")
    capsys.readouterr()
    assert run(["faq", "check", str(broken)])[0] == 1
    err = capsys.readouterr().err
    assert f"{broken}:" in err and "'foo'" in err
    # Checking the FAQ also checks the vocabulary the bot would load with it: it would not start.
    monkeypatch.setenv("PUENTE_VOCABULARY", str(broken))
    assert run(["faq", "check", str(BUNDLED_FAQ)])[0] == 1
    assert "'foo'" in capsys.readouterr().err


def test_output_paths_are_explained_under_the_name_given(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         isolated_env: Path) -> None:
    _seed_db(isolated_env)
    folder = tmp_path / "out.csv"
    folder.mkdir()
    for argv in (["export-messages", str(folder)], ["faq", "export", str(BUNDLED_FAQ), "--csv", str(folder)]):
        assert run(argv)[0] == 1
        err = capsys.readouterr().err
        assert f"Cannot use {folder}: is a folder" in err and ".tmp" not in err
    assert run(["faq", "eval", str(tmp_path / "missing.tsv")])[0] == 1
    assert "missing.tsv: file not found" in capsys.readouterr().err


def test_an_output_file_in_a_folder_that_does_not_exist_is_refused_not_created(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Session 17's review: a mistyped "faq import … --out /nonexist/o.yaml" made the folder and
    reported success. As for PUENTE_DB in a missing folder: one line naming the folder, exit 1,
    nothing created; the same for every command that writes a file."""
    _seed_db(isolated_env)
    missing = tmp_path / "nonexist" / "dir"
    for argv, target in (
            (["faq", "import", str(SAMPLE_CSV), "--out"], missing / "o.yaml"),
            (["faq", "export", str(BUNDLED_FAQ), "--csv"], missing / "o.csv"),
            (["faq", "drafts", "--csv"], missing / "drafts.csv"),
            (["export-messages"], missing / "messages.csv")):
        code, out = run([*argv, str(target)])
        err = capsys.readouterr()
        assert (code, out, err.out) == (1, "", ""), argv
        assert err.err == f"Cannot use {target}: its folder {missing} does not exist: create it, or correct " \
                          "the path\n", argv
        assert not (tmp_path / "nonexist").exists()
    # A relative path names the folder in full, where the admin can find it.
    monkeypatch.chdir(tmp_path)
    assert run(["faq", "import", str(SAMPLE_CSV), "--out", "nonexist/o.yaml"])[0] == 1
    assert f"its folder {tmp_path / 'nonexist'} does not exist" in capsys.readouterr().err
    # An existing folder is written to as before.
    assert run(["faq", "import", str(SAMPLE_CSV), "--out", str(tmp_path / "faq.yaml")])[0] == 0
    assert (tmp_path / "faq.yaml").is_file()


def test_import_and_export_write_only_the_format_their_target_names(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A slip such as "faq export faq.yaml --csv faq.yaml" would leave a sheet where the bot reads
    YAML: it is refused, and nothing is written."""
    live = tmp_path / "faq.yaml"
    live.write_bytes(BUNDLED_FAQ.read_bytes())
    assert run(["faq", "export", str(live), "--csv", str(live)])[0] == 2
    assert "--csv must name a .csv or .tsv file; nothing was written" in capsys.readouterr().err
    assert live.read_bytes() == BUNDLED_FAQ.read_bytes()
    assert run(["faq", "import", str(SAMPLE_CSV), "--out", str(tmp_path / "faq-new.csv")])[0] == 2
    assert "--out must name a .yaml or .yml file" in capsys.readouterr().err
    assert not (tmp_path / "faq-new.csv").exists()


def test_an_imported_sheet_with_new_categories_passes_the_check(tmp_path: Path) -> None:
    """Categories the sheet introduces get readable labels, so the bot loads what faq import wrote."""
    out = tmp_path / "faq.yaml"
    assert run(["faq", "import", str(SAMPLE_CSV.parent / "faq-alt.csv"), "--out", str(out)])[0] == 0
    assert run(["faq", "check", str(out)])[0] == 0


def test_a_vocabulary_file_with_a_byte_order_mark_is_checked_as_a_vocabulary(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vocab = tmp_path / "vocabulary.yaml"
    vocab.write_text("\ufeffsynonyms:\n  hijo: [patojo]\n", encoding="utf-8")
    assert run(["faq", "check", str(vocab)])[0] == 0
    assert "vocabulary OK" in capsys.readouterr().out


def test_ask_human_readable_says_when_a_weak_match_is_offered() -> None:
    weak = "a que correo le escribo al igss para preguntar lo de migrantes"
    code, out = run(["ask", "--faq", str(SAMPLE_CSV), weak])
    assert code == 0 and out.startswith("decision: suggest") and "below the suggest threshold" in out
    code, out = run(["ask", "--faq", str(SAMPLE_CSV), "igss migrantes"])
    assert code == 0 and "below the suggest threshold" not in out


def test_ask_human_readable_says_why_a_strong_score_went_to_staff() -> None:
    """Session 15's review: "requisitos imss" scored 50 and was escalated without a word why."""
    code, out = run(["ask", "requisitos imss"])
    assert code == 0 and out.startswith("decision: escalate") and "escalated at or above the suggest" in out
    code, out = run(["ask", "quien gano el partido de futbol anoche"])  # nothing close: no such line
    assert code == 0 and "escalated at or above" not in out


def test_faq_export_does_not_write_over_an_existing_sheet_without_force(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Session 16's review: `faq export … --csv faq.csv` silently replaced the sheet an admin had
    edited there and not imported yet."""
    sheet = tmp_path / "faq.csv"
    sheet.write_text("id,category\nmy-edit,payments\n", encoding="utf-8")
    before = sheet.read_bytes()
    assert run(["faq", "export", str(BUNDLED_FAQ), "--csv", str(sheet)])[0] == 1
    err = capsys.readouterr().err
    assert f"{sheet} already exists" in err and "nothing was written" in err and "--force" in err
    assert sheet.read_bytes() == before
    assert run(["faq", "export", str(BUNDLED_FAQ), "--csv", str(sheet), "--force"])[0] == 0
    assert "my-edit" not in sheet.read_text(encoding="utf-8-sig") and "migrant-cost" in sheet.read_text("utf-8-sig")


def test_terminal_chat_takes_ayuda_as_help_like_telegram() -> None:
    _, ayuda = run(["chat"], stdin="/ayuda\n")
    _, help_ = run(["chat"], stdin="/help\n")
    assert "Cómo usar Puente" in ayuda and ayuda == help_


def test_terminal_chat_takes_cancel_like_telegram() -> None:
    """Review 11: /cancel, /cancelar (what members type to back out of /borrar) got "I don't know
    that command"; nothing is changed, and the member is told so."""
    _, out = run(["chat"], stdin="/borrar\n/cancelar\n")
    assert "Cancelado: no se cambió ni se borró nada" in out and "No conozco ese comando" not in out
