"""Durable outbox for Bot API calls the desk must not lose (ticket cards, staff replies, digests).

Handlers enqueue a call in the same breath as the state change it reports, then a sender
loop drains :func:`due` and reports back with :func:`mark_sent` / :func:`mark_retry` /
:func:`mark_failed`. A crash or Telegram outage between "decided" and "sent" therefore
delays a message instead of dropping it. Delivery is at-least-once: a crash after
Telegram accepted a call but before ``mark_sent`` committed re-sends it.

``payload`` is the JSON-serialisable keyword arguments of the Bot API ``method``.
``attempts`` counts failed tries (``mark_retry``/``mark_failed``), so a sender can give up
after N.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.store import iso_utc

#: Purpose of the calls that take a forgotten member's messages out of the staff group
#: (:func:`enqueue_withdrawal`): Telegram refusing one is expected (OutboxSender._withdrawal_refused).
WITHDRAW = "withdraw"


def enqueue(
    db: Database,
    *,
    chat_id: int,
    method: str,
    payload: dict[str, Any],
    ticket_id: int | None = None,
    purpose: str = "",
    now: datetime | None = None,
) -> int:
    """Queue a Bot API call; due immediately. Returns the outbox id.

    Raises ``TypeError`` for a payload that is not JSON-serialisable (before anything is written).
    """
    when = iso_utc(now)
    body = json.dumps(payload, ensure_ascii=False)
    cursor = db.execute(
        """
        INSERT INTO outbox (chat_id, method, payload, ticket_id, purpose, state, attempts, next_attempt_at,
                            created_at)
        VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
        """,
        [chat_id, method, body, ticket_id, purpose, when, when],
    )
    return int(cursor.lastrowid or 0)


def enqueue_withdrawal(db: Database, copies: Sequence[dict[str, Any]], *, notice: str,
                       now: datetime | None = None) -> int:
    """Queue the removal of a forgotten member's messages from the staff group; returns how many
    messages are to go.

    ``copies`` come from ``storage.tickets.staff_copies``, read before the member's rows are
    deleted (afterwards nothing says where they are). Each text the bot posted (card, digest,
    note) is first replaced by ``notice``, each caption too, then every message is deleted:
    Telegram deletes only messages under 48 hours old, so an older one must at least lose the
    member's words. Shared by the in-bot /forget (StaffDesk.withdraw) and ``bot.py
    forget-member``, so both take the same things out of the group; whichever bot process runs
    the staff desk sends them.
    """
    with db.atomic():
        for c in copies:
            chat, mid, method = int(c["chat_id"]), int(c["message_id"]), c.get("method")
            if method in ("sendMessage", "editMessageText"):
                enqueue(db, chat_id=chat, method="editMessageText", purpose=WITHDRAW, now=now,
                        payload={"chat_id": chat, "message_id": mid, "text": notice})
            elif method:
                enqueue(db, chat_id=chat, method="editMessageCaption", purpose=WITHDRAW, now=now,
                        payload={"chat_id": chat, "message_id": mid, "caption": notice})
            enqueue(db, chat_id=chat, method="deleteMessage", purpose=WITHDRAW, now=now,
                    payload={"chat_id": chat, "message_id": mid})
    return len(copies)


def due(db: Database, *, now: datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Pending calls whose ``next_attempt_at`` has come, oldest first, ``payload`` decoded.

    Per-chat order is preserved: while an older message to a chat waits for a retry,
    newer messages to that chat are held back, so a member never gets reply 2 before
    reply 1. Senders should process the batch in order and, if one call to a chat is
    retried, skip that chat's remaining rows in the batch.

    One exception: answers to staff commands (purpose ``command``: /queue, /ticket, /stats…)
    go before the other rows that are due. Staff wait at their phone for them, while a burst of
    cards drains at the group's rate limit (20 a minute) and would hold /queue back for minutes.
    """
    when = iso_utc(now)
    cursor = db.execute(
        """
        SELECT * FROM outbox o
        WHERE o.state = 'pending' AND o.next_attempt_at <= ?
          AND NOT EXISTS (
              SELECT 1 FROM outbox older
              WHERE older.chat_id = o.chat_id AND older.state = 'pending'
                AND older.id < o.id AND older.next_attempt_at > ?
          )
        ORDER BY o.purpose = 'command' DESC, o.id
        LIMIT ?
        """,
        [when, when, limit],
    )
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows


def mark_sent(db: Database, outbox_id: int, *, message_id: int | None = None, now: datetime | None = None) -> None:
    """Telegram accepted the call; ``message_id`` is the resulting message (to map or edit it later).

    The payload is emptied: nothing reads a delivered call again, and it may hold a member's
    words (a /queue listing, a staff answer) that must not outlive their /forget.
    """
    db.execute(
        "UPDATE outbox SET state = 'sent', sent_at = ?, result_message_id = ?, payload = '{}' WHERE id = ?",
        [iso_utc(now), message_id, outbox_id],
    )


def mark_retry(db: Database, outbox_id: int, *, error: str, retry_at: datetime) -> None:
    """A transient failure (flood control, network): try again at ``retry_at``; the row stays pending."""
    db.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
        [error, iso_utc(retry_at), outbox_id],
    )


def mark_failed(db: Database, outbox_id: int, *, error: str) -> None:
    """A permanent failure (bot blocked, chat gone, too many attempts): stop trying, keep the error for admins."""
    db.execute(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
        [error, outbox_id],
    )


def purge_settled(db: Database, *, before: datetime) -> int:
    """Delete calls settled (sent, or given up on) before ``before``; returns how many.

    A settled row is only a record that something went out: kept a while for diagnostics, then
    dropped so a busy staff desk does not grow the database forever. Pending rows are never touched;
    a failed row is dated by its last attempt (it may have been retried for a long time).
    """
    return int(db.execute(
        "DELETE FROM outbox WHERE state IN ('sent', 'failed') AND COALESCE(sent_at, next_attempt_at) < ?",
        [iso_utc(before)],
    ).rowcount)


def pending_edit_html(db: Database, ticket_message_id: int) -> str | None:
    """The newest not yet delivered correction of a staff answer (its HTML), or None: a further
    edit is compared with what staff last wrote, not with what the member has so far."""
    row = db.execute(
        "SELECT json_extract(payload, '$._html') FROM outbox WHERE state = 'pending' AND purpose = 'answer-edit' "
        "AND json_extract(payload, '$._edit') = ? ORDER BY id DESC LIMIT 1",
        [ticket_message_id],
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def has_pending(db: Database, ticket_id: int, purposes: tuple[str, ...]) -> bool:
    """Whether a call for ``ticket_id`` with one of ``purposes`` is still waiting to be sent."""
    marks = ", ".join("?" for _ in purposes)
    return db.execute(
        f"SELECT 1 FROM outbox WHERE state = 'pending' AND ticket_id = ? AND purpose IN ({marks}) LIMIT 1",
        [ticket_id, *purposes],
    ).fetchone() is not None


def pending_count(db: Database) -> int:
    """How many calls are still waiting (health check / shutdown log)."""
    return int(db.execute("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").fetchone()[0])


def get(db: Database, outbox_id: int) -> dict[str, Any] | None:
    """One outbox row, ``payload`` decoded (for tests and diagnostics)."""
    cursor = db.execute("SELECT * FROM outbox WHERE id = ?", [outbox_id])
    row = cursor.fetchone()
    if row is None:
        return None
    result = dict(zip([c[0] for c in cursor.description], row, strict=True))
    result["payload"] = json.loads(result["payload"])
    return result


def readdress(db: Database, old_chat_id: int, new_chat_id: int) -> int:
    """Send what is still pending for ``old_chat_id`` to ``new_chat_id`` instead (a group that
    became a supergroup has a new id); returns the rows changed."""
    return db.execute(
        """
        UPDATE outbox SET chat_id = ?,
               payload = CASE WHEN json_extract(payload, '$.chat_id') = ?
                              THEN json_set(payload, '$.chat_id', ?) ELSE payload END
        WHERE chat_id = ? AND state = 'pending'
        """,
        [new_chat_id, old_chat_id, new_chat_id, old_chat_id],
    ).rowcount
