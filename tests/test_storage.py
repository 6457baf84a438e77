"""Store threading/durability and the conversation-log functions."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from storage import conversations as conv
from storage.schema import migrations
from storage.store import Store, StoreClosedError, iso_utc

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _tables(db: Database) -> set[str]:
    return set(db.table_names())


# ---------------------------------------------------------------------------------------- schema / store
def test_migrations_create_tables_and_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as s:
        tables = s.call_sync(_tables)
        applied = s.call_sync(lambda db: [m.name for m in migrations.applied(db)])
        # Applying again on the same connection is a no-op.
        s.call_sync(migrations.apply)
        assert s.call_sync(lambda db: [m.name for m in migrations.applied(db)]) == applied
    assert {"members", "messages", "feedback", "_sqlite_migrations"} <= tables
    assert applied[0] == "m001_conversation_log"
    assert len(applied) == len(set(applied))
    # Reopening the file applies nothing new and keeps data.
    with Store(path) as s:
        s.call_sync(conv.log_inbound, member_id=1, chat_id=1, text="hola")
    with Store(path) as s:
        assert s.call_sync(lambda db: [m.name for m in migrations.applied(db)]) == applied
        assert s.call_sync(lambda db: db["messages"].count) == 1


def test_pragmas(store: Store) -> None:
    def pragmas(db: Database) -> tuple[Any, ...]:
        names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        return tuple(db.execute(f"PRAGMA {p}").fetchone()[0] for p in names)

    journal, synchronous, fks, busy = store.call_sync(pragmas)
    assert journal == "wal"
    assert synchronous == 2  # FULL
    assert fks == 1
    assert busy > 0


async def test_single_worker_thread(store: Store) -> None:
    loop_thread = threading.get_ident()

    def who(db: Database, i: int) -> int:
        db.execute("SELECT ?", [i]).fetchone()
        return threading.get_ident()

    idents = await asyncio.gather(*(store.call(who, i) for i in range(200)))
    assert len(set(idents)) == 1
    assert idents[0] != loop_thread
    assert store.call_sync(who, 0) == idents[0]


async def test_call_does_not_block_the_loop(store: Store) -> None:
    started = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def slow(db: Database) -> str:
        started.set()
        # Only returns once the loop has run other code: proves the loop was free meanwhile.
        assert release.wait(10), "event loop was blocked"
        order.append("slow done")
        return "ok"

    async def other() -> None:
        while not started.is_set():
            await asyncio.sleep(0.001)
        order.append("other ran")
        release.set()

    result, _ = await asyncio.gather(store.call(slow), other())
    assert result == "ok"
    assert order == ["other ran", "slow done"]


async def test_exceptions_propagate_and_roll_back(store: Store) -> None:
    class Boom(Exception):
        pass

    def fail(db: Database) -> None:
        with db.atomic():
            db.execute("INSERT INTO members (id, first_seen, last_seen) VALUES (1, 'x', 'x')")
            raise Boom("nope")

    with pytest.raises(Boom, match="nope"):
        await store.call(fail)
    with pytest.raises(Boom):
        store.call_sync(fail)
    assert await store.call(conv.get_member, 1) is None
    # The Store is still usable afterwards.
    assert await store.call(conv.log_inbound, member_id=2, chat_id=2, text="hola") > 0


async def test_function_leaving_transaction_open_is_rolled_back(store: Store) -> None:
    def sloppy(db: Database) -> None:
        db.conn.execute("INSERT INTO members (id, first_seen, last_seen) VALUES (7, 'x', 'x')")

    with pytest.raises(RuntimeError, match="transaction open"):
        await store.call(sloppy)
    assert await store.call(conv.get_member, 7) is None


async def test_concurrent_writes_all_land(store: Store) -> None:
    async def member(i: int) -> None:
        await store.call(conv.touch_member, i, first_name=f"m{i}", chat_id=i)
        for j in range(5):
            await store.call(conv.log_inbound, member_id=i, chat_id=i, text=f"q{i}-{j}")

    await asyncio.gather(*(member(i) for i in range(1, 41)))
    assert await store.call(lambda db: db["messages"].count) == 200
    assert await store.call(lambda db: db["members"].count) == 40
    assert [m["text"] for m in await store.call(conv.recent_messages, 7)] == [f"q7-{j}" for j in range(5)]


def test_close_is_idempotent_and_calls_after_close_fail(tmp_path: Path) -> None:
    s = Store(tmp_path / "c.db")
    with pytest.raises(StoreClosedError):
        s.call_sync(conv.get_member, 1)
    s.open()
    s.open()  # no-op
    s.close()
    s.close()
    with pytest.raises(StoreClosedError):
        s.call_sync(conv.get_member, 1)
    with pytest.raises(StoreClosedError):
        asyncio.run(s.call(conv.get_member, 1))


def test_nested_call_from_worker_is_refused(store: Store) -> None:
    with pytest.raises(RuntimeError, match="inside a storage function"):
        store.call_sync(lambda db: store.call_sync(conv.get_member, 1))


def test_crash_without_close_keeps_committed_rows(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    code = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from storage import conversations as conv
        from storage.store import Store
        store = Store({str(path)!r})
        store.open()
        store.call_sync(conv.touch_member, 42, first_name="Lucía", chat_id=42)
        mid = store.call_sync(conv.log_inbound, member_id=42, chat_id=42, text="¿Cuándo me pagan?")
        print(mid, flush=True)
        os._exit(1)  # no close(), no atexit, no checkpoint
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    mid = int(proc.stdout.strip())
    # The WAL file was left behind un-checkpointed, i.e. this really tests recovery.
    assert Path(str(path) + "-wal").exists()
    with Store(path) as s:
        row = s.call_sync(conv.get_message, mid)
        member = s.call_sync(conv.get_member, 42)
    assert row is not None and row["text"] == "¿Cuándo me pagan?"
    assert member is not None and member["first_name"] == "Lucía"


# ---------------------------------------------------------------------------------------- members
def test_touch_member_upserts_without_erasing(store: Store) -> None:
    first = store.call_sync(
        conv.touch_member, 10, first_name="Ana", username="ana_gt", language_code="es", chat_id=10, now=T0
    )
    assert first["first_seen"] == first["last_seen"] == iso_utc(T0)
    later = T0 + timedelta(hours=1)
    row = store.call_sync(conv.touch_member, 10, first_name=None, username=None, now=later)
    assert row["first_name"] == "Ana"
    assert row["username"] == "ana_gt"
    assert row["language_code"] == "es"
    assert row["chat_id"] == 10
    assert row["first_seen"] == iso_utc(T0)
    assert row["last_seen"] == iso_utc(later)
    row = store.call_sync(conv.touch_member, 10, first_name="Ana María", now=later)
    assert row["first_name"] == "Ana María"
    assert store.call_sync(conv.get_member, 10) == row
    assert store.call_sync(conv.get_member, 999) is None


def test_member_language(store: Store) -> None:
    store.call_sync(conv.touch_member, 11, language_code="en")
    store.call_sync(conv.set_member_language, 11, "es")
    assert store.call_sync(conv.get_member, 11)["chosen_language"] == "es"
    # touch_member never overrides the member's choice.
    store.call_sync(conv.touch_member, 11, language_code="en")
    assert store.call_sync(conv.get_member, 11)["chosen_language"] == "es"
    # Works for a member never touched before too.
    store.call_sync(conv.set_member_language, 12, "en")
    assert store.call_sync(conv.get_member, 12)["chosen_language"] == "en"


def test_iso_utc_format() -> None:
    s = iso_utc(datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC))
    assert s == "2025-01-02T03:04:05.678+00:00"
    assert iso_utc(datetime(2025, 1, 2, 3, 4, 5)) == "2025-01-02T03:04:05.000+00:00"
    assert iso_utc().endswith("+00:00")


# ---------------------------------------------------------------------------------------- messages
def test_inbound_decision_outbound_roundtrip(store: Store) -> None:
    store.call_sync(conv.touch_member, 20, chat_id=20)
    q = store.call_sync(
        conv.log_inbound, member_id=20, chat_id=20, text="¿Cómo pago?", telegram_message_id=555, now=T0
    )
    store.call_sync(conv.record_decision, q, lang="es", decision="answer", faq_id="pagos-1", score=91.5, latency_ms=3.2)
    a = store.call_sync(
        conv.log_outbound,
        member_id=20,
        chat_id=20,
        text="Así se paga…",
        in_reply_to=q,
        decision="answer",
        faq_id="pagos-1",
        now=T0 + timedelta(seconds=1),
    )
    assert store.call_sync(conv.get_message, a)["telegram_message_id"] is None
    store.call_sync(conv.set_telegram_message_id, a, 777)
    msgs = store.call_sync(conv.recent_messages, 20)
    assert [m["id"] for m in msgs] == [q, a]
    inbound, outbound = msgs
    assert inbound["direction"] == "in" and inbound["kind"] == "text" and inbound["channel"] == "telegram"
    assert (inbound["lang"], inbound["decision"], inbound["faq_id"]) == ("es", "answer", "pagos-1")
    assert inbound["score"] == 91.5 and inbound["latency_ms"] == 3.2
    assert inbound["telegram_message_id"] == 555 and inbound["edited"] == 0
    assert inbound["created_at"] == iso_utc(T0)
    assert outbound["direction"] == "out" and outbound["in_reply_to"] == q
    assert outbound["telegram_message_id"] == 777
    # Unknown message ids are ignored (the member may have been forgotten meanwhile).
    store.call_sync(conv.record_decision, 10_000, lang="es", decision="answer", faq_id=None, score=0, latency_ms=0)
    assert store.call_sync(conv.get_message, 10_000) is None


def test_inbound_kinds_channels_and_edits(store: Store) -> None:
    a = store.call_sync(
        conv.log_inbound, member_id=0, chat_id=0, text=None, kind="sticker", channel="terminal", lang="es"
    )
    b = store.call_sync(conv.log_inbound, member_id=0, chat_id=0, text="hola (editado)", edited=True)
    ra, rb = store.call_sync(conv.get_message, a), store.call_sync(conv.get_message, b)
    assert (ra["kind"], ra["channel"], ra["text"], ra["lang"]) == ("sticker", "terminal", None, "es")
    assert rb["edited"] == 1
    # Logging without touch_member first still works: a bare member row is created.
    assert store.call_sync(conv.get_member, 0) is not None


def test_recent_messages_limit_oldest_first(store: Store) -> None:
    for i in range(15):
        store.call_sync(conv.log_inbound, member_id=30, chat_id=30, text=f"m{i}", now=T0 + timedelta(minutes=i))
    store.call_sync(conv.log_inbound, member_id=31, chat_id=31, text="other member")
    texts = [m["text"] for m in store.call_sync(conv.recent_messages, 30, limit=3)]
    assert texts == ["m12", "m13", "m14"]
    assert len(store.call_sync(conv.recent_messages, 30)) == 10


def test_feedback_revote_replaces(store: Store) -> None:
    q = store.call_sync(conv.log_inbound, member_id=40, chat_id=40, text="q")
    a = store.call_sync(conv.log_outbound, member_id=40, chat_id=40, text="a", in_reply_to=q, faq_id="f1")
    f1 = store.call_sync(conv.record_feedback, member_id=40, message_id=a, faq_id="f1", vote=1)
    f2 = store.call_sync(conv.record_feedback, member_id=40, message_id=a, faq_id="f1", vote=-1)
    assert f1 == f2
    rows = store.call_sync(lambda db: list(db["feedback"].rows))
    assert len(rows) == 1 and rows[0]["vote"] == -1
    with pytest.raises(ValueError, match="vote"):
        store.call_sync(conv.record_feedback, member_id=40, message_id=a, faq_id="f1", vote=0)
    # Feedback must point at a real message.
    with pytest.raises(sqlite3.IntegrityError):
        store.call_sync(conv.record_feedback, member_id=40, message_id=99_999, faq_id=None, vote=1)


# ---------------------------------------------------------------------------------------- admin views
def _ask(store: Store, member: int, text: str, decision: str, when: datetime, faq_id: str | None = None) -> int:
    q = store.call_sync(conv.log_inbound, member_id=member, chat_id=member, text=text, now=when)
    store.call_sync(conv.record_decision, q, lang="es", decision=decision, faq_id=faq_id, score=50.0, latency_ms=1.0)
    return q


def test_unanswered_questions_grouping(store: Store) -> None:
    _ask(store, 1, "¿Cómo cambio mi CLÍNICA?", "escalate", T0)
    _ask(store, 2, "cómo cambio mi clínica", "suggest", T0 + timedelta(minutes=1))
    _ask(store, 3, "  ¿CÓMO   cambio mi clínica? ", "escalate", T0 + timedelta(minutes=2))
    _ask(store, 1, "horario de oficinas", "escalate", T0 + timedelta(minutes=3))
    _ask(store, 1, "¿Cuánto cuesta?", "answer", T0 + timedelta(minutes=4), faq_id="precio")  # answered: excluded
    # Answered, but the member voted 👎 — counts as unanswered.
    q = _ask(store, 4, "pensión de viudez", "answer", T0 + timedelta(minutes=5), faq_id="pension")
    a = store.call_sync(conv.log_outbound, member_id=4, chat_id=4, text="…", in_reply_to=q, faq_id="pension")
    store.call_sync(conv.record_feedback, member_id=4, message_id=a, faq_id="pension", vote=-1)
    # 👍 does not.
    q2 = _ask(store, 5, "requisitos", "answer", T0 + timedelta(minutes=6), faq_id="req")
    a2 = store.call_sync(conv.log_outbound, member_id=5, chat_id=5, text="…", in_reply_to=q2, faq_id="req")
    store.call_sync(conv.record_feedback, member_id=5, message_id=a2, faq_id="req", vote=1)
    # A suggested question that also got a 👎 is counted once.
    q3 = _ask(store, 6, "horario de oficinas", "suggest", T0 + timedelta(minutes=7))
    a3 = store.call_sync(conv.log_outbound, member_id=6, chat_id=6, text="…", in_reply_to=q3, faq_id="horario")
    store.call_sync(conv.record_feedback, member_id=6, message_id=a3, faq_id="horario", vote=-1)
    # Non-text inbound (callbacks) is never a question.
    cb = store.call_sync(conv.log_inbound, member_id=6, chat_id=6, text="none:1", kind="callback")
    store.call_sync(conv.record_decision, cb, lang="es", decision="escalate", faq_id=None, score=0, latency_ms=0)

    rows = store.call_sync(conv.unanswered_questions)
    assert [(r["count"], r["decision"]) for r in rows] == [(3, "escalate"), (2, "downvoted"), (1, "downvoted")]
    clinic, office, pension = rows
    assert clinic["text"] == "¿Cómo cambio mi CLÍNICA?"  # three wordings once each: the first
    assert clinic["last_asked"] == iso_utc(T0 + timedelta(minutes=2))
    assert clinic["decisions"] == {"escalate": 2, "suggest": 1}
    assert office["decisions"] == {"escalate": 1, "downvoted": 1}
    assert pension["text"] == "pensión de viudez" and pension["faq_id"] == "pension"

    assert len(store.call_sync(conv.unanswered_questions, limit=1)) == 1
    recent = store.call_sync(conv.unanswered_questions, since=T0 + timedelta(minutes=3))
    assert {r["text"]: r["count"] for r in recent} == {"horario de oficinas": 2, "pensión de viudez": 1}
    assert store.call_sync(conv.unanswered_questions, since=T0 + timedelta(days=1)) == []


def test_unanswered_questions_group_without_accents_or_punctuation(store: Store) -> None:
    """Session 16's review: "como renuevo mi pasaporte" and "¿Cómo renuevo mi pasaporte?" were two
    rows of one each: the key only case-folded. Members type with and without accents and marks."""
    _ask(store, 1, "como renuevo mi pasaporte", "escalate", T0)
    _ask(store, 2, "¿Cómo renuevo mi pasaporte?", "suggest", T0 + timedelta(minutes=1))
    _ask(store, 3, "Como renuevo, mi pasaporte...", "escalate", T0 + timedelta(minutes=2))
    _ask(store, 4, "como renuevo mi pasaporte vencido", "escalate", T0 + timedelta(minutes=3))
    counts = [r["count"] for r in store.call_sync(conv.unanswered_questions)]
    assert counts == [3, 1]


def test_unanswered_questions_show_the_wording_members_use_most(store: Store) -> None:
    """Session 16's review: a group showed its latest wording, all in capitals though members
    wrote it in lower case more often. It shows the most used, else one not in capitals only."""
    _ask(store, 1, "como renuevo mi pasaporte", "escalate", T0)
    _ask(store, 2, "Cómo renuevo mi pasaporte", "escalate", T0 + timedelta(minutes=1))
    _ask(store, 3, "como renuevo  mi pasaporte ", "escalate", T0 + timedelta(minutes=2))
    _ask(store, 4, "COMO RENUEVO MI PASAPORTE", "escalate", T0 + timedelta(minutes=3))
    _ask(store, 5, "DONDE PAGO", "escalate", T0 + timedelta(minutes=4))
    _ask(store, 6, "donde pago?", "escalate", T0 + timedelta(minutes=5))
    shown = [r["text"] for r in store.call_sync(conv.unanswered_questions)]
    assert shown == ["como renuevo mi pasaporte", "donde pago?"]


def test_unanswered_questions_carry_the_faq_entry_staff_answered_with(store: Store) -> None:
    """A question the matcher missed and staff answered with /faq is labelled with that entry."""
    from storage import tickets as tk

    _ask(store, 1, "¿Cómo cambio mi clínica?", "escalate", T0)
    _ask(store, 2, "horario de oficinas", "escalate", T0)

    def answered_with_faq(db: Database) -> None:
        t = tk.open_ticket(db, member_id=1, chat_id=1, lang="es", first_name="Ana", question="¿Cómo cambio mi clínica?",
                           candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="text", now=T0)  # typed: no label
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="clinic-change", now=T0)

    store.call_sync(answered_with_faq)
    labels = {r["text"]: r["staff_faq"] for r in store.call_sync(conv.unanswered_questions)}
    assert labels == {"¿Cómo cambio mi clínica?": "clinic-change", "horario de oficinas": None}

    # A request opened by asking for a person: its "question" is the request, not what staff answered.
    _ask(store, 3, "quiero hablar con una persona", "escalate", T0)

    def person_answered_with_faq(db: Database) -> None:
        t = tk.open_ticket(db, member_id=3, chat_id=3, lang="es", first_name="Rosa",
                           question="quiero hablar con una persona", candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="system", text="human", kind="reason", now=T0)
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="migrant-cost", now=T0)

    store.call_sync(person_answered_with_faq)
    labels = {r["text"]: r["staff_faq"] for r in store.call_sync(conv.unanswered_questions)}
    assert labels["quiero hablar con una persona"] is None


def test_the_staff_faq_label_goes_to_the_question_it_answered(store: Store) -> None:
    """Session 15's review: a request opened by a stray first message credited staff's /faq answer
    to that message, not to the member's question that followed it; `faq gaps` then advised adding
    "hey there" as an alternate of the payment entry."""
    from storage import tickets as tk

    _ask(store, 1, "mmm oiga", "escalate", T0)
    _ask(store, 1, "como pago desde aqui lo del igss", "escalate", T0 + timedelta(minutes=1))

    def answered(db: Database) -> None:
        t = tk.open_ticket(db, member_id=1, chat_id=1, lang="es", first_name="Ana", question="mmm oiga",
                           candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="mmm oiga", kind="text", now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="como pago desde aqui lo del igss", kind="text",
                              now=T0 + timedelta(minutes=1))
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="migrant-pay-from-us",
                              now=T0 + timedelta(minutes=2))

    store.call_sync(answered)
    labels = {r["text"]: r["staff_faq"] for r in store.call_sync(conv.unanswered_questions)}
    assert labels == {"como pago desde aqui lo del igss": "migrant-pay-from-us", "mmm oiga": None}


def test_the_staff_faq_label_passes_over_a_rejection_for_the_question(store: Store) -> None:
    """Session 16's review: the label of staff's /faq answer went to "ninguna de esas" instead of
    the question whose list it rejected. A rejection is passed over for the member's question:
    in the request, the question that opened it, or the chat copied into it; and a rejection
    staff read under the question ("…\nninguna de esas es mi pregunta") is no part of it."""
    from faq.smalltalk import no_faq_question
    from storage import tickets as tk

    asked = "cuanto vale el seguro para los que estamos en el norte"
    _ask(store, 1, asked, "suggest", T0)
    _ask(store, 2, "how much is the insurance up north", "escalate", T0)
    _ask(store, 3, "como cambio mi clinica", "suggest", T0)

    def answered(db: Database) -> None:
        # Typed under the list with more words: staff read both lines.
        t = tk.open_ticket(db, member_id=1, chat_id=1, lang="es", first_name="Ana",
                           question=f"{asked}\nninguna de esas es mi pregunta", candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="system", text="none-of-these", kind="reason", now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text=f"{asked}\nninguna de esas es mi pregunta",
                              kind="text", now=T0)
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="migrant-cost", now=T0)
        # Typed where the list was gone: the request opened by "none of these" alone.
        t = tk.open_ticket(db, member_id=2, chat_id=2, lang="en", first_name="John", question="none of these",
                           candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="how much is the insurance up north",
                              kind="context", now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="none of these", kind="text", now=T0)
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="migrant-cost", now=T0)
        # Joined an open request: the request's question, not the rejection, is what staff answered.
        t = tk.open_ticket(db, member_id=3, chat_id=3, lang="es", first_name="Rosa", question="como cambio mi clinica",
                           candidates=[], now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="como cambio mi clinica", kind="text", now=T0)
        tk.add_ticket_message(db, t["id"], author="member", text="ninguna de esas", kind="text", now=T0)
        tk.add_ticket_message(db, t["id"], author="staff", text="…", kind="faq", faq_id="clinic-change", now=T0)

    store.call_sync(answered)
    labels = {r["text"]: r["staff_faq"]
              for r in store.call_sync(conv.unanswered_questions, leave_out=no_faq_question)}
    assert labels == {asked: "migrant-cost", "how much is the insurance up north": "migrant-cost",
                      "como cambio mi clinica": "clinic-change"}


def test_export_messages_csv(store: Store, tmp_path: Path) -> None:
    store.call_sync(conv.touch_member, 50, first_name="José", chat_id=50)
    q = store.call_sync(conv.log_inbound, member_id=50, chat_id=50, text="¿Dónde está mi cita?", now=T0)
    store.call_sync(
        conv.log_outbound, member_id=50, chat_id=50, text="En la app, línea 2\n\"ok\"", in_reply_to=q, now=T0
    )
    store.call_sync(conv.log_inbound, member_id=50, chat_id=50, text="=HYPERLINK(\"x\")", now=T0 + timedelta(days=2))
    out = tmp_path / "exports" / "messages.csv"
    out.parent.mkdir()  # (a missing folder is refused: tests/test_cli.py)
    assert store.call_sync(conv.export_messages_csv, out) == 3
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(conv.EXPORT_COLUMNS)
    assert [r["text"] for r in rows] == ["¿Dónde está mi cita?", "En la app, línea 2\n\"ok\"", "'=HYPERLINK(\"x\")"]
    assert rows[0]["first_name"] == "José" and rows[0]["direction"] == "in"
    assert rows[1]["in_reply_to"] == str(q)
    assert store.call_sync(conv.export_messages_csv, out, since=T0 + timedelta(days=1)) == 1
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_forget_member(store: Store) -> None:
    store.call_sync(conv.touch_member, 60, first_name="Olvídame", chat_id=60)
    q = store.call_sync(conv.log_inbound, member_id=60, chat_id=60, text="mis datos")
    a = store.call_sync(conv.log_outbound, member_id=60, chat_id=60, text="r", in_reply_to=q)
    store.call_sync(conv.record_feedback, member_id=60, message_id=a, faq_id=None, vote=-1)
    store.call_sync(conv.touch_member, 61, first_name="Keep", chat_id=61)
    keep = store.call_sync(conv.log_inbound, member_id=61, chat_id=61, text="stay")

    deleted = store.call_sync(conv.forget_member, 60)
    assert deleted == 4  # feedback + 2 messages + member
    assert store.call_sync(conv.get_member, 60) is None
    assert store.call_sync(conv.recent_messages, 60) == []
    assert store.call_sync(lambda db: db["feedback"].count) == 0
    assert store.call_sync(conv.get_message, keep)["text"] == "stay"
    assert store.call_sync(conv.forget_member, 60) == 0


SECRET = "mi numero de afiliacion es 77-QZX-4821"


@pytest.fixture
def upstream_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections as from a SQLite built with upstream's default, secure_delete off (this
    machine's build turns it on, which hid that the Store never asked for it)."""
    connect = Store._connect

    def off(self: Store) -> Database:
        db = connect(self)
        db.execute("PRAGMA secure_delete = OFF")
        return db

    monkeypatch.setattr(Store, "_connect", off)


def left_on_disk(path: Path, text: str) -> list[str]:
    """The database's files (the file itself, its -wal) that still hold ``text``."""
    return [p.name for p in (path, Path(f"{path}-wal")) if p.exists() and text.encode() in p.read_bytes()]


async def test_forget_takes_the_members_words_out_of_the_database_files_at_once(
        tmp_path: Path, upstream_sqlite: None) -> None:
    """Session 16's review: after /forget the member's text stayed in the -wal file until the bot
    closed, and a deleted row's bytes stay in the file's free space unless secure_delete is on."""
    from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
    from conversation.pipeline import Member, Pipeline
    from faq.matcher import DEFAULT_THRESHOLDS
    from faq.service import FaqService

    path = tmp_path / "p.db"
    faqs = FaqService(BUNDLED_FAQ, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    with Store(path) as store:
        assert store.call_sync(lambda db: db.execute("PRAGMA secure_delete").fetchone()[0]) == 1
        pipeline = Pipeline(store, faqs)
        ana = Member(id=60, chat_id=60, first_name="Ana", language_code="es")
        await pipeline.handle_text(ana, SECRET)
        assert left_on_disk(path, SECRET)  # (the test can see it)
        await pipeline.handle_forget(ana, confirmed=True)
        assert left_on_disk(path, SECRET) == []  # the bot still running


async def test_atomically_makes_a_composition_all_or_nothing(store: Store) -> None:
    from storage.store import atomically

    def two_steps(db: Database, fail: bool) -> None:
        conv.log_inbound(db, member_id=5, chat_id=5, text="first step")
        if fail:
            raise RuntimeError("crash between the steps")
        conv.log_inbound(db, member_id=5, chat_id=5, text="second step")

    with pytest.raises(RuntimeError):
        await store.call(atomically(two_steps), True)
    count = "select count(*) from messages"
    assert store.call_sync(lambda db: db.execute(count).fetchone()[0]) == 0
    await store.call(atomically(two_steps), False)
    assert store.call_sync(lambda db: db.execute(count).fetchone()[0]) == 2


def test_check_writable_names_a_read_only_database_and_changes_nothing(tmp_path: Path) -> None:
    from storage.store import DatabaseUnusable, check_writable

    path = tmp_path / "p.db"
    with Store(path) as s:
        s.call_sync(check_writable)
        assert s.call_sync(lambda db: db.execute("PRAGMA user_version").fetchone()[0]) == 0
    read_only = Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    with pytest.raises(DatabaseUnusable, match=r"^cannot be written \(attempt to write a readonly database\)"):
        check_writable(read_only)


def test_a_database_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    """An older build on a newer database would fail later, on some write; it must refuse at once."""
    from storage.store import DatabaseTooNew

    path = tmp_path / "p.db"
    with Store(path):
        pass
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('puente', 'm999_from_the_future', '2030-01-01')")
    conn.close()
    with pytest.raises(DatabaseTooNew, match="m999_from_the_future"):
        Store(path).open()


def test_a_database_from_before_the_choices_column_is_upgraded_in_place(tmp_path: Path) -> None:
    """A database from session 7 (migrations up to m003) gains messages.choices on start and keeps
    its conversation log."""
    path = tmp_path / "p.db"
    with Store(path) as s:
        s.call_sync(conv.log_inbound, member_id=5, chat_id=5, text="antes de la migración")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ALTER TABLE messages DROP COLUMN choices")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_offered_choices'")
    conn.close()
    with Store(path) as s:
        rows = s.call_sync(lambda db: [dict(r) for r in db.query("select text, choices from messages")])
        assert rows == [{"text": "antes de la migración", "choices": None}]
        s.call_sync(lambda db: conv.log_outbound(db, member_id=5, chat_id=5, text="1. a", choices=["a", "b"]))
        typed = s.call_sync(conv.log_inbound, member_id=5, chat_id=5, text="2")
        since = datetime(2000, 1, 1, tzinfo=UTC)
        assert s.call_sync(conv.last_choices, 5, since=since, before=typed) == ["a", "b"]
