"""Escalation-desk storage: ticket state machine, staff routing, persistence, stats, drafts, forgetting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import conversations as conv
from storage import drafts
from storage import outbox as ob
from storage import tickets as tk
from storage.schema import migrations
from storage.store import Store, iso_utc

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CANDIDATES = [{"id": "pension-1", "score": 71.5}, {"id": "afiliacion", "score": 64.0}]
STAFF_CHAT = -100_123


def _open(store: Store, member_id: int = 100, *, now: datetime = T0, question: str = "¿Mi pensión?") -> dict:
    return store.call_sync(
        tk.open_ticket,
        member_id=member_id,
        chat_id=member_id,
        lang="es",
        first_name="Rosa",
        question=question,
        candidates=CANDIDATES,
        now=now,
    )


def test_second_migration_creates_desk_tables(store: Store) -> None:
    tables = set(store.call_sync(lambda db: db.table_names()))
    assert {"tickets", "ticket_messages", "staff_messages", "outbox", "faq_drafts"} <= tables
    names = store.call_sync(lambda db: [m.name for m in migrations.applied(db)])
    assert names == ["m001_conversation_log", "m002_escalation_desk", "m003_answer_copies", "m004_offered_choices",
                     "m005_staff_faq_answers", "m006_language_source"]


def test_open_get_active_ticket(store: Store) -> None:
    t = _open(store)
    assert t["id"] >= 1 and t["state"] == "open"
    assert t["candidates"] == CANDIDATES
    assert t["created_at"] == t["updated_at"] == iso_utc(T0)
    assert (t["member_id"], t["chat_id"], t["lang"], t["first_name"]) == (100, 100, "es", "Rosa")
    assert t["reopen_count"] == 0 and t["first_reply_at"] is None
    assert store.call_sync(tk.get_ticket, t["id"]) == t
    assert store.call_sync(tk.get_ticket, 9999) is None
    assert store.call_sync(tk.active_ticket, 100)["id"] == t["id"]
    assert store.call_sync(tk.active_ticket, 101) is None
    # Newest active ticket wins; closed ones are not active.
    t2 = _open(store, now=T0 + timedelta(minutes=1))
    assert store.call_sync(tk.active_ticket, 100)["id"] == t2["id"]
    store.call_sync(tk.transition, t2["id"], "closed")
    assert store.call_sync(tk.active_ticket, 100)["id"] == t["id"]
    store.call_sync(tk.transition, t["id"], "closed")
    assert store.call_sync(tk.active_ticket, 100) is None


def test_happy_path_timestamps(store: Store) -> None:
    t = _open(store)
    tid = t["id"]
    c = store.call_sync(tk.transition, tid, "claimed", staff_id=7, staff_name="Marta", now=T0 + timedelta(minutes=2))
    assert (c["state"], c["staff_id"], c["staff_name"]) == ("claimed", 7, "Marta")
    assert c["claimed_at"] == iso_utc(T0 + timedelta(minutes=2))
    a = store.call_sync(tk.transition, tid, "answered", staff_id=7, now=T0 + timedelta(minutes=5))
    assert a["state"] == "answered" and a["staff_name"] == "Marta"
    assert a["answered_at"] == a["first_reply_at"] == iso_utc(T0 + timedelta(minutes=5))
    closed = store.call_sync(tk.transition, tid, "closed", now=T0 + timedelta(minutes=9))
    assert closed["closed_at"] == closed["updated_at"] == iso_utc(T0 + timedelta(minutes=9))

    # Reopen, answer again: first_reply_at stays, answered_at moves, reopen_count counts.
    r = store.call_sync(tk.transition, tid, "open", now=T0 + timedelta(hours=1))
    assert (r["state"], r["reopen_count"], r["closed_at"]) == ("open", 1, None)
    a2 = store.call_sync(tk.transition, tid, "answered", now=T0 + timedelta(hours=2))
    assert a2["first_reply_at"] == iso_utc(T0 + timedelta(minutes=5))
    assert a2["answered_at"] == iso_utc(T0 + timedelta(hours=2))
    r2 = store.call_sync(tk.transition, tid, "open", now=T0 + timedelta(hours=3))  # answered -> open
    assert r2["reopen_count"] == 2


def test_reply_without_claim_and_unclaim(store: Store) -> None:
    t = _open(store)
    later = T0 + timedelta(seconds=9)
    a = store.call_sync(tk.transition, t["id"], "answered", staff_id=8, staff_name="Luis", now=later)
    assert a["claimed_at"] is None and a["staff_id"] == 8
    t2 = _open(store, 101)
    store.call_sync(tk.transition, t2["id"], "claimed", staff_id=8, staff_name="Luis")
    u = store.call_sync(tk.transition, t2["id"], "open")
    assert (u["state"], u["staff_id"], u["staff_name"], u["claimed_at"]) == ("open", None, None, None)
    assert u["reopen_count"] == 0  # unclaiming is not a reopen
    # Any active state can be closed directly.
    assert store.call_sync(tk.transition, t2["id"], "closed")["state"] == "closed"
    t3 = _open(store, 102)
    store.call_sync(tk.transition, t3["id"], "claimed", staff_id=1)
    assert store.call_sync(tk.transition, t3["id"], "closed")["state"] == "closed"


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "open"),
        (("claimed",), "claimed"),
        (("answered",), "claimed"),
        (("answered",), "answered"),
        (("closed",), "closed"),
        (("closed",), "answered"),
        (("closed",), "claimed"),
    ],
)
def test_illegal_transitions(store: Store, path: tuple[str, ...], illegal: str) -> None:
    t = _open(store)
    for state in path:
        store.call_sync(tk.transition, t["id"], state)
    before = store.call_sync(tk.get_ticket, t["id"])
    with pytest.raises(tk.TicketStateError, match=f"cannot become {illegal}"):
        store.call_sync(tk.transition, t["id"], illegal)
    assert store.call_sync(tk.get_ticket, t["id"]) == before  # nothing changed


def test_transition_errors(store: Store) -> None:
    with pytest.raises(tk.TicketStateError, match="does not exist"):
        store.call_sync(tk.transition, 12345, "closed")
    t = _open(store)
    with pytest.raises(tk.TicketStateError, match="unknown ticket state"):
        store.call_sync(tk.transition, t["id"], "resolved")
    assert issubclass(tk.TicketStateError, ValueError)


def test_ticket_messages(store: Store) -> None:
    t = _open(store)
    m1 = store.call_sync(tk.add_ticket_message, t["id"], author="member", text="¿Mi pensión?", now=T0)
    m2 = store.call_sync(
        tk.add_ticket_message,
        t["id"],
        author="staff",
        text="Ya la revisamos",
        author_id=7,
        author_name="Marta",
        telegram_message_id=900,
        now=T0 + timedelta(minutes=3),
    )
    m3 = store.call_sync(
        tk.add_ticket_message, t["id"], author="member", text=None, kind="photo", file_id="AgAD", relayed=True
    )
    msgs = store.call_sync(tk.ticket_messages, t["id"])
    assert [m["id"] for m in msgs] == [m1, m2, m3]
    assert msgs[1]["author_name"] == "Marta" and msgs[1]["telegram_message_id"] == 900
    assert msgs[2]["kind"] == "photo" and msgs[2]["file_id"] == "AgAD" and msgs[2]["relayed"] == 1
    assert [m["id"] for m in store.call_sync(tk.ticket_messages, t["id"], limit=2)] == [m2, m3]
    assert msgs[0]["relayed"] == 0
    store.call_sync(tk.mark_relayed, m1)
    assert store.call_sync(tk.ticket_messages, t["id"])[0]["relayed"] == 1
    assert store.call_sync(tk.get_ticket, t["id"])["updated_at"] > iso_utc(T0)
    with pytest.raises(tk.TicketStateError):
        store.call_sync(tk.add_ticket_message, 999, author="member", text="x")
    with pytest.raises(ValueError, match="author"):
        store.call_sync(tk.add_ticket_message, t["id"], author="bot", text="x")


def test_list_tickets(store: Store) -> None:
    ids = [_open(store, 100 + i, now=T0 + timedelta(minutes=i))["id"] for i in range(4)]
    store.call_sync(tk.transition, ids[1], "claimed", staff_id=1)
    store.call_sync(tk.transition, ids[2], "closed")
    assert [t["id"] for t in store.call_sync(tk.list_tickets)] == [ids[0], ids[1], ids[3]]
    assert [t["id"] for t in store.call_sync(tk.list_tickets, states=("closed",))] == [ids[2]]
    assert [t["id"] for t in store.call_sync(tk.list_tickets, states=None)] == ids
    assert len(store.call_sync(tk.list_tickets, limit=1)) == 1
    assert store.call_sync(tk.list_tickets)[0]["candidates"] == CANDIDATES


def test_card_and_staff_mapping_survive_restart(tmp_path: Path) -> None:
    path = tmp_path / "restart.db"
    with Store(path) as s:
        t = _open(s, 200)
        s.call_sync(tk.set_card, t["id"], chat_id=STAFF_CHAT, message_id=41, thread_id=5)
        s.call_sync(tk.map_staff_message, STAFF_CHAT, 42, t["id"])
        s.call_sync(tk.transition, t["id"], "claimed", staff_id=7, staff_name="Marta")
        box = s.call_sync(ob.enqueue, chat_id=200, method="sendMessage", payload={"text": "hola"}, ticket_id=t["id"])
    with Store(path) as s:
        again = s.call_sync(tk.get_ticket, t["id"])
        assert (again["card_chat_id"], again["card_message_id"], again["thread_id"]) == (STAFF_CHAT, 41, 5)
        assert s.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 41) == t["id"]
        assert s.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 42) == t["id"]
        assert s.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 43) is None
        assert s.call_sync(tk.ticket_for_staff_message, -1, 41) is None
        active = s.call_sync(tk.active_ticket, 200)
        assert active["id"] == t["id"] and active["state"] == "claimed" and active["staff_name"] == "Marta"
        assert [r["id"] for r in s.call_sync(ob.due)] == [box]
        # Re-mapping a message points it at the new ticket.
        t2 = _open(s, 201)
        s.call_sync(tk.map_staff_message, STAFF_CHAT, 42, t2["id"])
        assert s.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 42) == t2["id"]
    with pytest.raises(tk.TicketStateError), Store(path) as s:
        s.call_sync(tk.set_card, 9999, chat_id=STAFF_CHAT, message_id=1)


def test_day_stats(store: Store) -> None:
    day = T0.replace(hour=0)
    next_day = day + timedelta(days=1)
    empty = store.call_sync(tk.day_stats, day, next_day)
    assert empty == {"questions": 0, "answered_by_faq": 0, "escalated": 0, "median_first_reply_seconds": None}

    for i, decision in enumerate(["answer", "answer", "escalate", "suggest", "answer"]):
        q = store.call_sync(conv.log_inbound, member_id=300, chat_id=300, text=f"q{i}", now=day + timedelta(hours=i))
        store.call_sync(conv.record_decision, q, lang="es", decision=decision, faq_id=None, score=1.0, latency_ms=1.0)
    # Outside the window / not a text question: not counted.
    store.call_sync(conv.log_inbound, member_id=300, chat_id=300, text="ayer", now=day - timedelta(seconds=1))
    store.call_sync(conv.log_inbound, member_id=300, chat_id=300, text="mañana", now=next_day)
    store.call_sync(conv.log_inbound, member_id=300, chat_id=300, text="pick:1", kind="callback", now=day)
    store.call_sync(conv.log_outbound, member_id=300, chat_id=300, text="respuesta", now=day)
    # Small talk is no question (session 14's review: /stats counted "gracias").
    thanks = store.call_sync(conv.log_inbound, member_id=300, chat_id=300, text="gracias", now=day)
    store.call_sync(conv.record_decision, thanks, lang="es", decision="smalltalk", faq_id=None, score=0.0,
                    latency_ms=1.0)

    waits = [60, 600, 180]  # median 180
    for i, wait in enumerate(waits):
        created = day + timedelta(hours=8 + i)
        t = _open(store, 310 + i, now=created)
        store.call_sync(tk.transition, t["id"], "answered", now=created + timedelta(seconds=wait))
        store.call_sync(tk.transition, t["id"], "open", now=created + timedelta(seconds=wait + 1))
        store.call_sync(tk.transition, t["id"], "answered", now=created + timedelta(hours=1))  # not first reply
    _open(store, 320, now=day + timedelta(hours=20))  # unanswered: counted, no wait
    _open(store, 321, now=next_day)  # tomorrow

    stats = store.call_sync(tk.day_stats, day, next_day)
    assert stats == {"questions": 5, "answered_by_faq": 3, "escalated": 4, "median_first_reply_seconds": 180.0}
    two = store.call_sync(tk.day_stats, day + timedelta(hours=8), day + timedelta(hours=10))
    assert two["median_first_reply_seconds"] == 330.0  # even count: mean of the middle two
    assert two["escalated"] == 2


def test_drafts(store: Store) -> None:
    assert store.call_sync(drafts.list_drafts) == []
    t = _open(store)
    d1 = store.call_sync(
        drafts.create_draft,
        ticket_id=t["id"],
        lang="es",
        question="¿Cómo consulto mi pensión?",
        answer="En la agencia virtual…",
        category="pensiones",
        created_by=7,
        now=T0,
    )
    d2 = store.call_sync(drafts.create_draft, ticket_id=None, lang="en", question="Q?", answer="A.")
    rows = store.call_sync(drafts.list_drafts)
    assert [r["id"] for r in rows] == [d1, d2]
    assert rows[0]["ticket_id"] == t["id"] and rows[0]["category"] == "pensiones" and rows[0]["created_by"] == 7
    assert rows[0]["created_at"] == iso_utc(T0)
    assert rows[1]["category"] == "" and rows[1]["created_by"] is None


def test_forget_member_removes_ticket_data(store: Store) -> None:
    store.call_sync(conv.touch_member, 400, first_name="Borrar", chat_id=400)
    store.call_sync(conv.log_inbound, member_id=400, chat_id=400, text="ayuda")
    t = _open(store, 400)
    store.call_sync(tk.add_ticket_message, t["id"], author="member", text="más datos")
    store.call_sync(tk.set_card, t["id"], chat_id=STAFF_CHAT, message_id=77)
    store.call_sync(ob.enqueue, chat_id=STAFF_CHAT, method="sendMessage", payload={"text": "card"}, ticket_id=t["id"])
    store.call_sync(ob.enqueue, chat_id=400, method="sendMessage", payload={"text": "reply"})
    d = store.call_sync(drafts.create_draft, ticket_id=t["id"], lang="es", question="q", answer="a")
    # Another member's desk data must survive.
    other = _open(store, 401)
    store.call_sync(tk.set_card, other["id"], chat_id=STAFF_CHAT, message_id=78)
    keep_box = store.call_sync(
        ob.enqueue, chat_id=STAFF_CHAT, method="sendMessage", payload={"text": "other"}, ticket_id=other["id"]
    )

    deleted = store.call_sync(conv.forget_member, 400)
    # message + ticket_message + staff_message + 2 outbox + ticket + member
    assert deleted == 7
    assert store.call_sync(tk.get_ticket, t["id"]) is None
    assert store.call_sync(tk.ticket_messages, t["id"]) == []
    assert store.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 77) is None
    assert store.call_sync(tk.active_ticket, 400) is None
    assert [r["id"] for r in store.call_sync(ob.due)] == [keep_box]
    draft = next(r for r in store.call_sync(drafts.list_drafts) if r["id"] == d)
    assert draft["ticket_id"] is None  # staff work kept, unlinked
    assert store.call_sync(tk.ticket_for_staff_message, STAFF_CHAT, 78) == other["id"]
    # Ticket numbers are never reused, even after deleting the newest ones.
    store.call_sync(conv.forget_member, 401)
    assert _open(store, 402)["id"] > other["id"]
