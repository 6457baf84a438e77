"""Escalation-desk tickets: the member's question, the staff thread, and where its card lives.

A ticket's state machine is enforced here, not in handlers, so two staff members
clicking at once (or a replayed update after a restart) cannot put a ticket into a
state that makes no sense. The Store's single worker thread serialises transitions;
each one is also a single transaction.

    open ──claim──▶ claimed ──reply──▶ answered ──close──▶ closed
      │  ◀─unclaim──┘                     │                   │
      └──────────reply (no claim)─────────┘                   │
    answered/closed ──reopen──▶ open (reopen_count + 1)  ◀────┘
    open/claimed/answered ──close──▶ closed
"""

from __future__ import annotations

import json
import statistics
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.store import iso_utc, parse_iso

STATES = ("open", "claimed", "answered", "closed")
ACTIVE_STATES = ("open", "claimed")

#: Legal moves: from-state -> allowed to-states.
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"claimed", "answered", "closed"}),
    "claimed": frozenset({"answered", "closed", "open"}),
    "answered": frozenset({"closed", "open"}),
    "closed": frozenset({"open"}),
}


class TicketStateError(ValueError):
    """An illegal state change, or a ticket that does not exist."""


def _decode(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["candidates"] = json.loads(row["candidates"] or "[]")
    return row


def _fetch(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _placeholders(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join("?" for _ in values)


# ---------------------------------------------------------------------------------------- tickets
def open_ticket(
    db: Database,
    *,
    member_id: int,
    chat_id: int,
    lang: str,
    first_name: str | None,
    question: str,
    candidates: list[dict[str, Any]] | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Create a ticket (state ``open``) and return it; its id is the ticket number shown to people.

    ``candidates`` are the FAQ entries the matcher considered, ``[{"id", "score"}]``, so
    staff see what almost matched. Does not check for an existing active ticket: callers
    decide whether to append to :func:`active_ticket` instead.
    """
    when = iso_utc(now)
    with db.atomic():
        # Keep the foreign key satisfied even if the member row was never written.
        db.execute(
            "INSERT OR IGNORE INTO members (id, first_name, chat_id, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
            [member_id, first_name, chat_id, when, when],
        )
        cursor = db.execute(
            """
            INSERT INTO tickets (member_id, chat_id, lang, first_name, question, candidates, state,
                                 created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)
            """,
            [member_id, chat_id, lang, first_name, question, json.dumps(candidates or [], ensure_ascii=False),
             when, when],
        )
        ticket_id = cursor.lastrowid
    ticket = get_ticket(db, int(ticket_id or 0))
    assert ticket is not None
    return ticket


def get_ticket(db: Database, ticket_id: int) -> dict[str, Any] | None:
    """One ticket with ``candidates`` decoded to a list, or None."""
    rows = _fetch(db, "SELECT * FROM tickets WHERE id = ?", [ticket_id])
    return _decode(rows[0]) if rows else None


def active_ticket(db: Database, member_id: int) -> dict[str, Any] | None:
    """The member's newest open or claimed ticket: follow-up messages go there instead of a new ticket."""
    rows = _fetch(
        db,
        f"SELECT * FROM tickets WHERE member_id = ? AND state IN ({_placeholders(ACTIVE_STATES)}) "
        "ORDER BY id DESC LIMIT 1",
        [member_id, *ACTIVE_STATES],
    )
    return _decode(rows[0]) if rows else None


def answered_with(db: Database, member_id: int, member_message_id: int) -> int | None:
    """The ticket of the staff answer that is message ``member_message_id`` in the member's chat
    (the member used Telegram's Reply on it), or None."""
    row = db.execute(
        "SELECT tm.ticket_id FROM ticket_messages tm JOIN tickets t ON t.id = tm.ticket_id "
        "WHERE t.member_id = ? AND tm.member_message_id = ? ORDER BY tm.id DESC LIMIT 1",
        [member_id, member_message_id],
    ).fetchone()
    return int(row[0]) if row else None


def staff_asked(db: Database, member_id: int, since_iso: str) -> int | None:
    """The member's ticket whose last word is a staff answer with a question in it ("¿me manda su
    número de afiliación?"), sent at or after ``since_iso`` and not yet replied to, or None: the
    member's next message is the reply, whatever the FAQ would make of it."""
    row = db.execute(
        "SELECT tm.ticket_id, tm.author, tm.kind, tm.text, tm.created_at FROM ticket_messages tm "
        "JOIN tickets t ON t.id = tm.ticket_id WHERE t.member_id = ? AND tm.author IN ('staff', 'member') "
        "AND tm.kind != 'internal' AND tm.kind != 'context' ORDER BY tm.id DESC LIMIT 1",
        [member_id],
    ).fetchone()
    if not row or row[1] != "staff" or row[4] < since_iso or "?" not in (row[3] or ""):
        return None
    return int(row[0])


def recently_answered(db: Database, member_id: int, since_iso: str) -> dict[str, Any] | None:
    """The member's newest ticket answered by staff at or after ``since_iso`` (a reply to staff's
    answer belongs to that conversation, not to a new ticket)."""
    rows = _fetch(
        db,
        "SELECT * FROM tickets WHERE member_id = ? AND state = 'answered' AND answered_at >= ? "
        "ORDER BY id DESC LIMIT 1",
        [member_id, since_iso],
    )
    return _decode(rows[0]) if rows else None


def count_tickets(db: Database, states: tuple[str, ...]) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM tickets WHERE state IN ({_placeholders(states)})",
                          list(states)).fetchone()[0])


def list_tickets(
    db: Database, *, states: tuple[str, ...] | list[str] | None = ("open", "claimed"), limit: int = 50
) -> list[dict[str, Any]]:
    """Tickets in ``states`` (``None`` or empty = all), oldest first — the queue staff work through."""
    if states:
        rows = _fetch(
            db,
            f"SELECT * FROM tickets WHERE state IN ({_placeholders(tuple(states))}) ORDER BY id LIMIT ?",
            [*states, limit],
        )
    else:
        rows = _fetch(db, "SELECT * FROM tickets ORDER BY id LIMIT ?", [limit])
    return [r for r in map(_decode, rows) if r is not None]


def transition(
    db: Database,
    ticket_id: int,
    to_state: str,
    *,
    staff_id: int | None = None,
    staff_name: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Move a ticket to ``to_state`` if the state machine allows it; returns the updated ticket.

    Sets the matching timestamp: ``claimed_at``, ``answered_at`` (and ``first_reply_at``
    the first time only — it measures response time), ``closed_at``. Reopening
    (answered/closed → open) bumps ``reopen_count`` and clears ``closed_at``; unclaiming
    (claimed → open) clears the staff member and ``claimed_at``. ``staff_id``/``staff_name``,
    when given, record who acted. Same-state moves (e.g. a second staff reply on an
    answered ticket) are illegal: callers check the state first.

    :raises TicketStateError: unknown ticket, unknown state, or illegal move.
    """
    if to_state not in STATES:
        raise TicketStateError(f"unknown ticket state {to_state!r} (expected one of {', '.join(STATES)})")
    when = iso_utc(now)
    with db.atomic():
        ticket = get_ticket(db, ticket_id)
        if ticket is None:
            raise TicketStateError(f"ticket #{ticket_id} does not exist")
        current = ticket["state"]
        if to_state not in TRANSITIONS[current]:
            raise TicketStateError(f"ticket #{ticket_id} is {current}; it cannot become {to_state}")

        changes: dict[str, Any] = {"state": to_state, "updated_at": when}
        if staff_id is not None:
            changes["staff_id"] = staff_id
        if staff_name is not None:
            changes["staff_name"] = staff_name
        if to_state == "claimed":
            changes["claimed_at"] = when
        elif to_state == "answered":
            changes["answered_at"] = when
            if ticket["first_reply_at"] is None:
                changes["first_reply_at"] = when
        elif to_state == "closed":
            changes["closed_at"] = when
        elif to_state == "open":
            changes["closed_at"] = None
            if current == "claimed":  # unclaim: back in the queue for anyone
                changes.update(staff_id=None, staff_name=None, claimed_at=None)
            else:
                changes["reopen_count"] = ticket["reopen_count"] + 1
        assignments = ", ".join(f"{column} = ?" for column in changes)
        db.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ? AND state = ?",
            [*changes.values(), ticket_id, current],
        )
    updated = get_ticket(db, ticket_id)
    assert updated is not None
    return updated


# ---------------------------------------------------------------------------------------- thread
def add_ticket_message(
    db: Database,
    ticket_id: int,
    *,
    author: str,
    text: str | None,
    kind: str = "text",
    author_id: int | None = None,
    author_name: str | None = None,
    file_id: str | None = None,
    telegram_message_id: int | None = None,
    relayed: bool = False,
    html: str | None = None,
    faq_id: str | None = None,
    now: datetime | None = None,
) -> int:
    """Append to a ticket's conversation (member follow-ups, staff replies, system notes).

    ``relayed`` says whether it has reached the other side; unrelayed rows are what a
    restart must still deliver; ``html`` is a staff message as formatted (see schema m003);
    ``faq_id`` the FAQ entry a staff answer sent with /faq (m005).
    Touches the ticket's ``updated_at``.

    :raises TicketStateError: unknown ticket.
    :raises ValueError: author not one of member/staff/system.
    """
    if author not in ("member", "staff", "system"):
        raise ValueError(f"author must be 'member', 'staff' or 'system', not {author!r}")
    when = iso_utc(now)
    with db.atomic():
        if db.execute("UPDATE tickets SET updated_at = ? WHERE id = ?", [when, ticket_id]).rowcount == 0:
            raise TicketStateError(f"ticket #{ticket_id} does not exist")
        cursor = db.execute(
            """
            INSERT INTO ticket_messages (ticket_id, author, author_id, author_name, kind, text, file_id,
                                         created_at, telegram_message_id, relayed, html, faq_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [ticket_id, author, author_id, author_name, kind, text, file_id, when, telegram_message_id,
             int(bool(relayed)), html, faq_id],
        )
        return int(cursor.lastrowid or 0)


def ticket_messages(db: Database, ticket_id: int, *, limit: int | None = None) -> list[dict[str, Any]]:
    """A ticket's conversation, oldest first; with ``limit``, the newest ``limit`` messages (still oldest first)."""
    if limit is None:
        return _fetch(db, "SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY id", [ticket_id])
    rows = _fetch(db, "SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY id DESC LIMIT ?", [ticket_id, limit])
    rows.reverse()
    return rows


def mark_relayed(db: Database, ticket_message_id: int) -> None:
    """The message reached the other side (member or staff group); never re-send it."""
    db.execute("UPDATE ticket_messages SET relayed = 1 WHERE id = ?", [ticket_message_id])


def set_member_copy(db: Database, ticket_message_id: int, *, message_id: int, delivery: str) -> None:
    """Remember where a staff answer landed in the member's chat (see schema m003), so an edit
    of the staff message can be carried over to it."""
    db.execute("UPDATE ticket_messages SET member_message_id = ?, delivery = ? WHERE id = ?",
               [message_id, delivery, ticket_message_id])


def staff_message_row(db: Database, ticket_id: int, telegram_message_id: int) -> dict[str, Any] | None:
    """The staff reply (answer or // note) of ``ticket_id`` that was staff-group message
    ``telegram_message_id``, or None."""
    rows = _fetch(db, "SELECT * FROM ticket_messages WHERE ticket_id = ? AND author = 'staff' "
                      "AND telegram_message_id = ? ORDER BY id DESC LIMIT 1", [ticket_id, telegram_message_id])
    return rows[0] if rows else None


def get_ticket_message(db: Database, ticket_message_id: int) -> dict[str, Any] | None:
    rows = _fetch(db, "SELECT * FROM ticket_messages WHERE id = ?", [ticket_message_id])
    return rows[0] if rows else None


def set_ticket_message_text(db: Database, ticket_message_id: int, text: str, html: str | None = None) -> None:
    """A staff member edited their reply: the ticket's thread (cards, /ticket) shows the new text."""
    db.execute("UPDATE ticket_messages SET text = ?, html = COALESCE(?, html) WHERE id = ?",
               [text, html, ticket_message_id])


# ---------------------------------------------------------------------------------------- staff group routing
def set_card(db: Database, ticket_id: int, *, chat_id: int, message_id: int, thread_id: int | None = None) -> None:
    """Remember where the ticket's card was posted (to edit it later) and route replies to it.

    Also maps the card message via :func:`map_staff_message`.

    :raises TicketStateError: unknown ticket.
    """
    with db.atomic():
        updated = db.execute(
            "UPDATE tickets SET card_chat_id = ?, card_message_id = ?, thread_id = ? WHERE id = ?",
            [chat_id, message_id, thread_id, ticket_id],
        ).rowcount
        if updated == 0:
            raise TicketStateError(f"ticket #{ticket_id} does not exist")
        map_staff_message(db, chat_id, message_id, ticket_id)


def map_staff_message(db: Database, chat_id: int, message_id: int, ticket_id: int) -> None:
    """Map a staff-group message (card, relayed member message, staff reply) to its ticket.

    Persisted so a staff member replying to an old card still reaches the right member
    after a restart. Re-mapping the same message replaces the old mapping.
    """
    db.execute(
        "INSERT OR REPLACE INTO staff_messages (chat_id, message_id, ticket_id) VALUES (?, ?, ?)",
        [chat_id, message_id, ticket_id],
    )


def staff_copies(db: Database, member_id: int) -> list[dict[str, Any]]:
    """The staff-group messages about a member's tickets (cards, copies of their messages and
    photos, digests, notes, staff replies), each with the Bot API method that posted it when the
    outbox still knows it (None for staff's own messages, or rows purged since): what /forget
    asks the desk to withdraw from the group (StaffDesk.withdraw) before the rows go."""
    return [dict(r) for r in db.query(
        """
        SELECT sm.chat_id, sm.message_id,
               (SELECT o.method FROM outbox o WHERE o.chat_id = sm.chat_id AND o.result_message_id = sm.message_id
                ORDER BY o.id LIMIT 1) AS method
        FROM staff_messages sm JOIN tickets t ON t.id = sm.ticket_id
        WHERE t.member_id = ? ORDER BY sm.chat_id, sm.message_id
        """,
        [member_id],
    )]


def ticket_for_staff_message(db: Database, chat_id: int, message_id: int) -> int | None:
    """Which ticket a staff-group message belongs to (for replies), or None."""
    row = db.execute(
        "SELECT ticket_id FROM staff_messages WHERE chat_id = ? AND message_id = ?", [chat_id, message_id]
    ).fetchone()
    return int(row[0]) if row else None


# ---------------------------------------------------------------------------------------- reporting
def day_stats(db: Database, start_utc: datetime, end_utc: datetime) -> dict[str, Any]:
    """Numbers for the daily digest over ``[start_utc, end_utc)``.

    ``questions``: inbound text messages, small talk aside ("gracias", "hola" are no questions);
    ``answered_by_faq``: those decided ``answer``;
    ``escalated``: tickets created; ``median_first_reply_seconds``: median time from
    ticket creation to first staff reply, over tickets created in the window that got
    one (None if none did).
    """
    start, end = iso_utc(start_utc), iso_utc(end_utc)
    questions, answered = db.execute(
        """
        SELECT COUNT(*), COALESCE(SUM(decision = 'answer'), 0) FROM messages
        WHERE direction = 'in' AND kind = 'text' AND COALESCE(decision, '') != 'smalltalk'
          AND created_at >= ? AND created_at < ?
        """,
        [start, end],
    ).fetchone()
    tickets = db.execute(
        "SELECT created_at, first_reply_at FROM tickets WHERE created_at >= ? AND created_at < ?", [start, end]
    ).fetchall()
    waits = [
        (parse_iso(first_reply) - parse_iso(created)).total_seconds() for created, first_reply in tickets if first_reply
    ]
    return {
        "questions": int(questions),
        "answered_by_faq": int(answered),
        "escalated": len(tickets),
        "median_first_reply_seconds": statistics.median(waits) if waits else None,
    }


def voted_since_last_answer(db: Database, ticket_id: int, vote: str) -> bool:
    """Whether the member already gave this vote ("👍" or "👎") on the latest staff answer of the ticket."""
    row = db.execute(
        "SELECT 1 FROM ticket_messages WHERE ticket_id = ? AND author = 'member' AND kind = 'feedback' AND text = ? "
        "AND id > COALESCE((SELECT max(id) FROM ticket_messages WHERE ticket_id = ? AND author = 'staff'), 0) LIMIT 1",
        [ticket_id, vote, ticket_id],
    ).fetchone()
    return row is not None
