"""Durable outbox: ordering, retry/backoff, per-chat order, failure, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import outbox as ob
from storage import tickets as tk
from storage.store import Store, iso_utc

T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
STAFF = -100_500


def _enqueue(store: Store, chat_id: int, text: str, *, now: datetime = T0, **kw: object) -> int:
    payload = {"chat_id": chat_id, "text": text}
    return store.call_sync(ob.enqueue, chat_id=chat_id, method="sendMessage", payload=payload, now=now, **kw)


def test_enqueue_and_due_oldest_first(store: Store) -> None:
    a = _enqueue(store, 1, "uno", now=T0)
    b = _enqueue(store, 2, "dos", now=T0 + timedelta(seconds=1))
    c = _enqueue(store, 1, "tres ñ", now=T0 + timedelta(seconds=2))
    assert store.call_sync(ob.pending_count) == 3
    rows = store.call_sync(ob.due, now=T0 + timedelta(seconds=5))
    assert [r["id"] for r in rows] == [a, b, c]
    assert rows[2]["payload"] == {"chat_id": 1, "text": "tres ñ"}
    assert (rows[0]["method"], rows[0]["state"], rows[0]["attempts"]) == ("sendMessage", "pending", 0)
    assert rows[0]["created_at"] == rows[0]["next_attempt_at"] == iso_utc(T0)
    # Not yet due before its time; limit respected.
    assert [r["id"] for r in store.call_sync(ob.due, now=T0 + timedelta(seconds=1))] == [a, b]
    assert len(store.call_sync(ob.due, now=T0 + timedelta(seconds=5), limit=1)) == 1


def test_mark_sent(store: Store) -> None:
    a = _enqueue(store, 1, "x", purpose="reply")
    store.call_sync(ob.mark_sent, a, message_id=321, now=T0 + timedelta(seconds=2))
    assert store.call_sync(ob.due, now=T0 + timedelta(hours=1)) == []
    assert store.call_sync(ob.pending_count) == 0
    row = store.call_sync(ob.get, a)
    assert (row["state"], row["result_message_id"], row["sent_at"], row["purpose"]) == (
        "sent",
        321,
        iso_utc(T0 + timedelta(seconds=2)),
        "reply",
    )


def test_retry_backoff_and_per_chat_order(store: Store) -> None:
    a = _enqueue(store, 1, "first")
    b = _enqueue(store, 1, "second")
    other = _enqueue(store, 2, "other chat")
    store.call_sync(ob.mark_retry, a, error="RetryAfter 30", retry_at=T0 + timedelta(seconds=30))
    row = store.call_sync(ob.get, a)
    assert (row["attempts"], row["last_error"], row["state"]) == (1, "RetryAfter 30", "pending")
    # While "first" waits, "second" to the same chat is held back; other chats flow.
    assert [r["id"] for r in store.call_sync(ob.due, now=T0 + timedelta(seconds=10))] == [other]
    # Once due again, both come back in the original order.
    assert [r["id"] for r in store.call_sync(ob.due, now=T0 + timedelta(seconds=30))] == [a, b, other]
    store.call_sync(ob.mark_retry, a, error="timeout", retry_at=T0 + timedelta(seconds=90))
    assert store.call_sync(ob.get, a)["attempts"] == 2
    assert store.call_sync(ob.pending_count) == 3


def test_mark_failed_stops_retrying_and_unblocks_chat(store: Store) -> None:
    a = _enqueue(store, 1, "blocked")
    b = _enqueue(store, 1, "next")
    store.call_sync(ob.mark_retry, a, error="net", retry_at=T0 + timedelta(hours=1))
    store.call_sync(ob.mark_failed, a, error="Forbidden: bot was blocked by the user")
    row = store.call_sync(ob.get, a)
    assert (row["state"], row["attempts"], row["last_error"]) == ("failed", 2, "Forbidden: bot was blocked by the user")
    assert [r["id"] for r in store.call_sync(ob.due, now=T0 + timedelta(days=1))] == [b]
    assert store.call_sync(ob.pending_count) == 1


def test_ticket_link_and_bad_payload(store: Store) -> None:
    t = store.call_sync(
        tk.open_ticket, member_id=5, chat_id=5, lang="es", first_name=None, question="q", candidates=[], now=T0
    )
    card = store.call_sync(
        ob.enqueue, chat_id=STAFF, method="sendMessage", payload={"text": "#1"}, ticket_id=t["id"], purpose="card"
    )
    row = store.call_sync(ob.get, card)
    assert (row["ticket_id"], row["purpose"]) == (t["id"], "card")
    with pytest.raises(TypeError):
        store.call_sync(ob.enqueue, chat_id=1, method="sendMessage", payload={"x": object()})
    assert store.call_sync(ob.pending_count) == 1
    assert store.call_sync(ob.get, 9999) is None


def test_outbox_survives_restart(tmp_path: Path) -> None:
    path = tmp_path / "persist.db"
    with Store(path) as s:
        a = _enqueue(s, 1, "uno")
        b = _enqueue(s, 1, "dos")
        s.call_sync(ob.mark_sent, a, message_id=10)
    with Store(path) as s:
        assert s.call_sync(ob.pending_count) == 1
        assert [r["id"] for r in s.call_sync(ob.due, now=T0 + timedelta(minutes=1))] == [b]


def test_purge_drops_only_settled_rows_older_than_the_cut(store: Store) -> None:
    old_sent = _enqueue(store, 1, "a")
    store.call_sync(ob.mark_sent, old_sent, message_id=1, now=T0)
    old_failed = _enqueue(store, 1, "b")
    store.call_sync(ob.mark_failed, old_failed, error="Forbidden")
    old_pending = _enqueue(store, 2, "c")  # never delivered yet: kept whatever its age
    new_sent = _enqueue(store, 1, "d", now=T0 + timedelta(days=40))
    store.call_sync(ob.mark_sent, new_sent, message_id=2, now=T0 + timedelta(days=40))
    assert store.call_sync(ob.purge_settled, before=T0 + timedelta(days=30)) == 2
    left = store.call_sync(lambda db: [r[0] for r in db.execute("select id from outbox order by id")])
    assert left == [old_pending, new_sent]


def test_answers_to_staff_commands_go_before_a_backlog(store: Store) -> None:
    cards = [_enqueue(store, STAFF, f"card {i}", purpose="card") for i in range(5)]
    queue = [_enqueue(store, STAFF, "/queue 1/2", purpose="command"), _enqueue(store, STAFF, "/queue 2/2",
                                                                               purpose="command")]
    rows = store.call_sync(ob.due, now=T0 + timedelta(seconds=1))
    assert [r["id"] for r in rows] == queue + cards  # both parts of the answer in order, then the cards
