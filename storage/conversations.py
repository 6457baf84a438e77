"""Conversation log: members, messages in/out, feedback, and the admin views built on them.

Plain functions taking the sqlite-utils ``Database`` first, meant to run on the Store's
worker thread: ``await store.call(log_inbound, member_id=..., ...)``. Each one commits
its own work. ``now`` parameters exist so tests can pin time; the bot leaves them out.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage import outbox
from storage import tickets as tk
from storage.store import iso_utc

#: Decisions on an inbound question that mean "the FAQ had no confident answer".
UNANSWERED_DECISIONS = ("escalate", "suggest")

#: Columns written by :func:`export_messages_csv`, in order.
EXPORT_COLUMNS = (
    "id",
    "created_at",
    "member_id",
    "first_name",
    "username",
    "chat_id",
    "channel",
    "direction",
    "kind",
    "lang",
    "decision",
    "faq_id",
    "score",
    "latency_ms",
    "in_reply_to",
    "telegram_message_id",
    "edited",
    "text",
)


def _row(cursor: Any) -> dict[str, Any] | None:
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def _rows(cursor: Any) -> list[dict[str, Any]]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _ensure_member(db: Database, member_id: int, chat_id: int | None, when: str) -> None:
    """Create a bare member row if missing, so logging never fails on the foreign key.

    ``touch_member`` normally runs first; this only covers callers (tests, the terminal
    channel, a race with ``forget_member``) that log before or without it.
    """
    db.execute(
        "INSERT OR IGNORE INTO members (id, chat_id, first_seen, last_seen) VALUES (?, ?, ?, ?)",
        [member_id, chat_id, when, when],
    )


# ---------------------------------------------------------------------------------------- members
def touch_member(
    db: Database,
    member_id: int,
    *,
    first_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    chat_id: int | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Upsert a member on every update; returns the full row.

    ``first_seen`` is set only on insert, ``last_seen`` always. ``None`` never erases a
    known value: Telegram omits fields (e.g. username) on some update types.
    ``chosen_language`` is untouched (only :func:`set_member_language` changes it).
    """
    when = iso_utc(now)
    with db.atomic():  # RETURNING statements are not autocommitted by sqlite-utils; atomic() also nests
        cursor = db.execute(
            """
            INSERT INTO members (id, first_name, username, language_code, chat_id, first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                first_name = COALESCE(excluded.first_name, first_name),
                username = COALESCE(excluded.username, username),
                language_code = COALESCE(excluded.language_code, language_code),
                chat_id = COALESCE(excluded.chat_id, chat_id),
                last_seen = excluded.last_seen
            RETURNING *
            """,
            [member_id, first_name, username, language_code, chat_id, when, when],
        )
        rows = _rows(cursor)  # fetch everything: COMMIT needs the statement finished
    return rows[0]


def set_member_language(db: Database, member_id: int, lang: str, source: str | None = None) -> None:
    """Remember the language a member picked; it wins over detection from then on. ``source``
    "link": preselected by a /start deep link, which the member's own clear words override
    (:func:`drop_preselected_language`)."""
    when = iso_utc()
    db.execute(
        """
        INSERT INTO members (id, chosen_language, language_source, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET chosen_language = excluded.chosen_language,
                                       language_source = excluded.language_source
        """,
        [member_id, lang, source, when, when],
    )


def drop_preselected_language(db: Database, member_id: int) -> None:
    """Forget a language a deep link preselected (never one the member picked): the member wrote
    clearly in the other language, which from then on is detected per message."""
    db.execute("UPDATE members SET chosen_language = NULL, language_source = NULL "
               "WHERE id = ? AND language_source = 'link'", [member_id])


def get_member(db: Database, member_id: int) -> dict[str, Any] | None:
    return _row(db.execute("SELECT * FROM members WHERE id = ?", [member_id]))


def last_language(db: Database, member_id: int) -> str | None:
    """The language of the member's latest message whose language is known: the language the
    conversation is in, for a button tap or a command that has no text to detect it from."""
    row = _row(db.execute(
        "SELECT lang FROM messages WHERE member_id = ? AND direction = 'in' AND lang IS NOT NULL AND lang != '' "
        "ORDER BY created_at DESC, id DESC LIMIT 1",
        [member_id],
    ))
    return row["lang"] if row else None


# ---------------------------------------------------------------------------------------- messages
def log_inbound(
    db: Database,
    *,
    member_id: int,
    chat_id: int,
    text: str | None,
    kind: str = "text",
    channel: str = "telegram",
    telegram_message_id: int | None = None,
    lang: str | None = None,
    edited: bool = False,
    now: datetime | None = None,
) -> int:
    """Log what a member sent, before deciding anything, so even a crash mid-answer keeps the question."""
    when = iso_utc(now)
    with db.atomic():
        _ensure_member(db, member_id, chat_id, when)
        cursor = db.execute(
            """
            INSERT INTO messages (member_id, chat_id, direction, channel, kind, created_at, text, lang,
                                  telegram_message_id, edited)
            VALUES (?, ?, 'in', ?, ?, ?, ?, ?, ?, ?)
            """,
            [member_id, chat_id, channel, kind, when, text, lang, telegram_message_id, int(bool(edited))],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def record_decision(
    db: Database,
    message_id: int,
    *,
    lang: str | None,
    decision: str | None,
    faq_id: str | None,
    score: float | None,
    latency_ms: float | None,
    in_reply_to: int | None = None,
) -> None:
    """Attach the matcher's verdict to an inbound message (feeds /gaps and day_stats).

    ``in_reply_to``: the bot's message that this one answers when it is a button's words typed
    (the list a "ninguna de esas" rejects, the answer a "no me sirvió" votes down): such a
    message is about the question asked before it, and is no FAQ gap itself.
    A missing message (deleted by ``forget_member`` meanwhile) is silently ignored.
    """
    db.execute(
        "UPDATE messages SET lang = ?, decision = ?, faq_id = ?, score = ?, latency_ms = ?,"
        " in_reply_to = COALESCE(?, in_reply_to) WHERE id = ?",
        [lang, decision, faq_id, score, latency_ms, in_reply_to, message_id],
    )


def log_outbound(
    db: Database,
    *,
    member_id: int,
    chat_id: int,
    text: str | None,
    channel: str = "telegram",
    in_reply_to: int | None = None,
    decision: str | None = None,
    faq_id: str | None = None,
    telegram_message_id: int | None = None,
    choices: Sequence[str] | None = None,
    now: datetime | None = None,
) -> int:
    """Log what the bot sent. Logged before sending; ``telegram_message_id`` stays NULL until delivered.

    ``choices``: the entry ids the message lists as numbered questions (see :func:`last_choices`)."""
    when = iso_utc(now)
    with db.atomic():
        _ensure_member(db, member_id, chat_id, when)
        if in_reply_to is not None and _row(db.execute("SELECT 1 FROM messages WHERE id = ?", [in_reply_to])) is None:
            in_reply_to = None  # the question was forgotten meanwhile; keep the answer rather than fail
        cursor = db.execute(
            """
            INSERT INTO messages (member_id, chat_id, direction, channel, kind, created_at, text,
                                  decision, faq_id, in_reply_to, telegram_message_id, choices)
            VALUES (?, ?, 'out', ?, 'text', ?, ?, ?, ?, ?, ?, ?)
            """,
            [member_id, chat_id, channel, when, text, decision, faq_id, in_reply_to, telegram_message_id,
             json.dumps(list(choices)) if choices else None],
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def last_choices(db: Database, member_id: int, *, since: datetime, before: int) -> list[str] | None:
    """The numbered choices of the member's message just before ``before`` (the id of the message
    that may pick from them), if that is a reply of the bot that listed some, logged at or after
    ``since``; None otherwise.

    Only the message right before counts: after a new question, a tap, a message that joined a
    request or a staff answer, a typed "2" no longer refers to an older list."""
    row = _list_before(db, member_id, since=since, before=before)
    if row is None:
        return None
    try:
        picks = json.loads(row["choices"])
    except ValueError:
        return None
    return [str(p) for p in picks] if isinstance(picks, list) else None


def list_replied_to(db: Database, member_id: int, telegram_message_id: int) -> tuple[int, list[str]] | None:
    """The log id and numbered choices of the bot's list on the member's Telegram message
    ``telegram_message_id`` (the member used Telegram's Reply on it), or None: "2" replied to a
    list is a pick from that list, also when other messages came after it."""
    row = _row(db.execute(
        "SELECT id, choices FROM messages WHERE member_id = ? AND direction = 'out' AND telegram_message_id = ? "
        "AND choices IS NOT NULL ORDER BY id DESC LIMIT 1", [member_id, telegram_message_id]))
    try:
        picks = json.loads(row["choices"]) if row else None
    except ValueError:
        return None
    return (row["id"], [str(p) for p in picks]) if row and isinstance(picks, list) else None


def listed_for(db: Database, member_id: int, *, since: datetime, before: int) -> int | None:
    """The id of the member's question that the list of choices right before ``before`` was
    offered for (as :func:`last_choices`), or None: a typed "ninguna de esas" under the list
    hands that question to staff, like the "None of these" button."""
    row = _list_before(db, member_id, since=since, before=before)
    return row["in_reply_to"] if row else None


def list_before(db: Database, member_id: int, *, since: datetime, before: int) -> int | None:
    """The id of the bot's list of choices right before ``before`` (as :func:`last_choices`), or
    None: the message a typed "ninguna de esas" answers."""
    row = _list_before(db, member_id, since=since, before=before)
    return row["id"] if row else None


def list_offered(db: Database, member_id: int, question_id: int, telegram_message_id: int | None = None) -> bool:
    """Whether the bot offered the member a list of choices for their question ``question_id``
    (on the Telegram message ``telegram_message_id``, when known and recorded): a "None of these"
    must be under that question's list. After a forget, SQLite reuses a deleted question's number,
    and an old button named the tap itself, or a newer message."""
    rows = _rows(db.execute(
        "SELECT telegram_message_id FROM messages WHERE member_id = ? AND direction = 'out' AND in_reply_to = ? "
        "AND choices IS NOT NULL AND in_reply_to IN (SELECT id FROM messages WHERE direction = 'in' "
        "AND kind NOT IN ('command', 'callback'))",
        [member_id, question_id],
    ))
    return any(telegram_message_id is None or r["telegram_message_id"] in (None, telegram_message_id) for r in rows)


def answer_before(db: Database, member_id: int, *, since: datetime, before: int) -> dict[str, Any] | None:
    """The member's message just before ``before`` if it is an answer of the bot (an FAQ entry, with
    👍/👎), logged at or after ``since``; None otherwise. A typed "no me sirvió" right under it is
    that answer's 👎."""
    row = _row(db.execute(
        "SELECT * FROM messages WHERE member_id = ? AND id < ? AND edited = 0 ORDER BY id DESC LIMIT 1",
        [member_id, before],
    ))
    if not row or row["direction"] != "out" or not row["faq_id"] or row["decision"] != "answer" \
            or row["created_at"] < iso_utc(since):
        return None
    return row


def wrote_since_answer(db: Database, member_id: int, *, before: int,
                       asks_for_languages: Callable[[str], bool] | None = None) -> bool:
    """Whether the member sent anything but a command or a tap (a question, a photo, "ninguna de
    esas") between the bot's last answer and message ``before``: a language switch then is not
    "right after" that answer, and the answer is not sent again (session 16's review: "en español
    por favor" four turns later replayed a phone number the member had moved on from). A message
    ``asks_for_languages`` ("cambiar idioma", typed for the language buttons) is no more than the
    /language command it stands for."""
    answer = _row(db.execute(
        "SELECT id FROM messages WHERE member_id = ? AND id < ? AND direction = 'out' AND decision = 'answer' "
        "AND faq_id IS NOT NULL ORDER BY id DESC LIMIT 1", [member_id, before]))
    if answer is None:
        return True
    between = db.execute(
        "SELECT text FROM messages WHERE member_id = ? AND id > ? AND id < ? AND direction = 'in' "
        "AND kind NOT IN ('command', 'callback')", [member_id, answer["id"], before]).fetchall()
    return any(asks_for_languages is None or not asks_for_languages(row[0] or "") for row in between)


def _list_before(db: Database, member_id: int, *, since: datetime, before: int) -> dict[str, Any] | None:
    """The member's message just before ``before`` if it is a reply of the bot listing choices,
    logged at or after ``since``."""
    # Edits are not messages in between: a live location "edits" itself every few seconds.
    row = _row(db.execute(
        "SELECT id, direction, choices, created_at, in_reply_to FROM messages WHERE member_id = ? AND id < ? "
        "AND edited = 0 ORDER BY id DESC LIMIT 1",
        [member_id, before],
    ))
    if not row or row["direction"] != "out" or not row["choices"] or row["created_at"] < iso_utc(since):
        return None
    return row


def tapped_before(db: Database, member_id: int, data: str | Sequence[str], *, before: int,
                  since: datetime | None = None) -> bool:
    """Whether the member already tapped a button with this callback ``data`` (or any of several)
    logged before the message ``before`` (and at or after ``since``): a double tap on a slow phone
    reaches the bot twice, and a button that hands a question to staff must do it once."""
    wanted = [data] if isinstance(data, str) else list(data)
    marks = ", ".join("?" for _ in wanted)
    return _row(db.execute(
        "SELECT 1 AS x FROM messages WHERE member_id = ? AND id < ? AND direction = 'in' AND kind = 'callback' "
        f"AND text IN ({marks}) AND created_at >= ? LIMIT 1",
        [member_id, before, *wanted, iso_utc(since) if since else ""],
    )) is not None


def set_telegram_message_id(db: Database, message_id: int, telegram_message_id: int) -> None:
    """Record delivery of an outbound message (rows without one were never delivered)."""
    db.execute("UPDATE messages SET telegram_message_id = ? WHERE id = ?", [telegram_message_id, message_id])


def get_message(db: Database, message_id: int) -> dict[str, Any] | None:
    """One logged message (callbacks carry message ids; handlers check ownership with it)."""
    return _row(db.execute("SELECT * FROM messages WHERE id = ?", [message_id]))


def recent_messages(db: Database, member_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The member's last ``limit`` messages, oldest first (context for staff and for tests)."""
    rows = _rows(
        db.execute(
            "SELECT * FROM messages WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
            [member_id, limit],
        )
    )
    rows.reverse()
    return rows


def answered_before_edit(db: Database, member_id: int, telegram_message_id: int | None, faq_id: str, *,
                         before: int) -> bool:
    """Whether an earlier version of the member's Telegram message ``telegram_message_id`` (the
    member has since edited it) was answered with entry ``faq_id``: the edit need not get the
    same answer a second time."""
    if telegram_message_id is None:
        return False
    row = _row(db.execute(
        "SELECT decision, faq_id FROM messages WHERE member_id = ? AND direction = 'in' AND telegram_message_id = ?"
        " AND id < ? ORDER BY id DESC LIMIT 1",
        [member_id, telegram_message_id, before],
    ))
    return bool(row) and row["decision"] == "answer" and row["faq_id"] == faq_id


def texts_since(db: Database, member_id: int, *, since: datetime, before: int | None = None,
                limit: int = 30) -> list[dict[str, Any]]:
    """The member's last ``limit`` text messages from ``since`` on (before message id ``before``),
    oldest first, with their decision and FAQ entry: what a restarted bot recalls of a
    conversation (Pipeline._recall)."""
    rows = _rows(
        db.execute(
            "SELECT id, created_at, text, decision, faq_id FROM messages WHERE member_id = ? AND direction = 'in'"
            " AND kind = 'text' AND created_at >= ? AND (? IS NULL OR id < ?)"
            " ORDER BY created_at DESC, id DESC LIMIT ?",
            [member_id, iso_utc(since), before, before, limit],
        )
    )
    rows.reverse()
    return rows


# ---------------------------------------------------------------------------------------- feedback
def record_feedback(
    db: Database,
    *,
    member_id: int,
    message_id: int,
    faq_id: str | None,
    vote: int,
    now: datetime | None = None,
) -> int:
    """Store a 👍 (+1) / 👎 (-1) on an answer. One vote per member and message: re-voting replaces it.

    Returns the feedback row id (the same id when a vote is replaced).
    """
    if vote not in (1, -1):
        raise ValueError(f"vote must be +1 or -1, not {vote!r}")
    with db.atomic():
        cursor = db.execute(
            """
            INSERT INTO feedback (member_id, message_id, faq_id, vote, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (member_id, message_id) DO UPDATE SET
                faq_id = excluded.faq_id, vote = excluded.vote, created_at = excluded.created_at
            RETURNING id
            """,
            [member_id, message_id, faq_id, vote, iso_utc(now)],
        )
        rows = cursor.fetchall()
    return int(rows[0][0])


# ---------------------------------------------------------------------------------------- admin views
def _question_key(text: str) -> str:
    """Case-folded, without accents or punctuation, whitespace-collapsed — so "¿Cómo pago?" ==
    "como pago": members type the same question with and without them (session 16's review:
    "como renuevo mi pasaporte" and "¿Cómo renuevo mi pasaporte?" were two gaps of one each)."""
    letters = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(" " if unicodedata.category(c).startswith("P") else c
                    for c in letters if not unicodedata.combining(c))
    return " ".join(plain.split())


def unanswered_questions(db: Database, *, since: datetime | None = None, limit: int = 50,
                         leave_out: Callable[[str], bool] | None = None) -> list[dict[str, Any]]:
    """What members ask that the FAQ does not answer — the list admins turn into new FAQ entries.

    Counts inbound *text* messages whose decision is ``escalate`` or ``suggest``, plus
    questions whose answer got a 👎. Grouped by :func:`_question_key` (in Python: SQLite's
    ``lower()`` does not fold accents like "Ó"). Each row::

        {"text", "count", "last_asked", "decision", "decisions", "faq_id", "lang", "downvoted_faq", "picked",
         "staff_faq"}

    ``text`` is the wording members used most (see :func:`_usual_wording`);
    ``decision``/``faq_id``/``lang`` come from the most recent occurrence;
    ``decision`` is ``"downvoted"`` when that question's answer got a 👎; ``decisions``
    counts each label; ``downvoted_faq`` is the entry whose answer to it last got a 👎 (shown:
    session 16's review found "downvoted" rows that did not say which answer), or None;
    ``picked`` is the entry the member last took from the list offered for it (tapped or typed,
    and not voted down: session 16's review found such resolved suggestions looking unresolved),
    or None; ``staff_faq`` is the FAQ entry staff answered it with (/faq), or None.
    Most frequent first, then most recent.

    A button's words typed under the bot's message ("ninguna de esas" under a list, "no me
    sirvió" under an answer: logged with ``in_reply_to``, see :func:`record_decision`) are about
    the question asked before, never a gap of their own.
    ``leave_out(text)`` says a message is no FAQ question (a bare request for a person, a "none
    of these" typed where no list was): it is left out before ``limit`` is applied, so messages
    left out never take the places of gaps (session 16's review: fifteen requests for a person
    made /gaps say there were none), and staff's /faq answer is never credited to it.
    """
    since_iso = iso_utc(since) if since is not None else ""
    placeholders = ", ".join("?" for _ in UNANSWERED_DECISIONS)
    cursor = db.execute(
        f"""
        SELECT q.id, q.text, q.created_at, q.decision, q.faq_id, q.lang, 0 AS downvoted
        FROM messages q
        WHERE q.direction = 'in' AND q.kind = 'text' AND q.decision IN ({placeholders})
          AND q.in_reply_to IS NULL
          AND q.created_at >= ? AND q.text IS NOT NULL AND q.text != ''
        UNION ALL
        SELECT q.id, q.text, q.created_at, q.decision, a.faq_id, q.lang, 1 AS downvoted
        FROM feedback f
        JOIN messages a ON a.id = f.message_id
        JOIN messages q ON q.id = a.in_reply_to
        WHERE f.vote = -1 AND q.direction = 'in' AND q.kind = 'text' AND q.in_reply_to IS NULL
          AND q.created_at >= ? AND q.text IS NOT NULL AND q.text != ''
        ORDER BY 3, 1
        """,
        [*UNANSWERED_DECISIONS, since_iso, since_iso],
    )
    # One entry per inbound message: a 👎 on a suggested answer must not count the question twice.
    per_message: dict[int, dict[str, Any]] = {}
    for msg_id, text, created_at, decision, faq_id, lang, downvoted in cursor.fetchall():
        entry = per_message.get(msg_id)
        if entry is None:
            per_message[msg_id] = entry = {
                "text": text,
                "created_at": created_at,
                "decision": decision,
                "faq_id": faq_id,
                "lang": lang,
            }
        if downvoted:
            entry["decision"] = "downvoted"
            entry["faq_id"] = entry["downvoted_faq"] = faq_id
    for question_id, faq_id, downvoted in _picks(db):
        entry = per_message.get(question_id)
        if entry is not None and downvoted:  # picked from the list, and that answer did not help either
            entry["decision"] = "downvoted"
            entry["faq_id"] = entry["downvoted_faq"] = faq_id
        elif entry is not None and entry["decision"] != "downvoted":
            entry["picked"] = faq_id

    groups: dict[str, dict[str, Any]] = {}
    for entry in sorted(per_message.values(), key=lambda e: e["created_at"]):
        key = _question_key(entry["text"])
        if not key or (leave_out is not None and leave_out(entry["text"])):
            continue
        group = groups.setdefault(key, {"count": 0, "decisions": {}, "wordings": {}})
        group["count"] += 1
        group["decisions"][entry["decision"]] = group["decisions"].get(entry["decision"], 0) + 1
        wording = " ".join(entry["text"].split())  # (dict order: first asked first)
        group["wordings"][wording] = group["wordings"].get(wording, 0) + 1
        # Ascending time order, so the last write is the most recent occurrence.
        group.update(
            last_asked=entry["created_at"],
            decision=entry["decision"],
            faq_id=entry["faq_id"],
            lang=entry["lang"],
        )
        for mark in ("downvoted_faq", "picked"):
            if entry.get(mark):
                group[mark] = entry[mark]
    for group in groups.values():
        group["text"] = _usual_wording(group["wordings"])
    staff_faq = _staff_labels(db, leave_out)
    result = sorted(groups.values(), key=lambda g: (g["count"], g["last_asked"]), reverse=True)
    return [
        {**{k: g[k] for k in ("text", "count", "last_asked", "decision", "decisions", "faq_id", "lang")},
         "downvoted_faq": g.get("downvoted_faq"), "picked": g.get("picked"),
         "staff_faq": staff_faq.get(_question_key(g["text"]))}
        for g in result[:limit]
    ]


def _picks(db: Database) -> list[tuple[int, str, bool]]:
    """Each entry a member took from a list of suggested questions: (the question the list was
    offered for, the entry, whether its answer then got a 👎), oldest first.

    A typed pick ("2", "la segunda") is logged with the list as ``in_reply_to`` (see
    :func:`record_decision`); a tap ("pick:ID") names only the entry, so its list is the bot's
    message right before it, as for :func:`last_choices` (also in logs older than that)."""
    return [(q, f, bool(d)) for q, f, d in db.execute(
        """
        WITH picks AS (
            SELECT r.id, r.faq_id,
                   CASE WHEN r.kind = 'text' THEN r.in_reply_to
                        ELSE (SELECT max(x.id) FROM messages x
                              WHERE x.member_id = r.member_id AND x.id < r.id AND x.edited = 0) END AS list_id
            FROM messages r
            WHERE r.direction = 'in' AND r.decision = 'answer' AND r.faq_id IS NOT NULL AND r.faq_id != ''
              AND ((r.kind = 'text' AND r.in_reply_to IS NOT NULL) OR (r.kind = 'callback' AND r.text LIKE 'pick:%'))
        )
        SELECT l.in_reply_to, p.faq_id,
               EXISTS (SELECT 1 FROM feedback f JOIN messages a ON a.id = f.message_id
                       WHERE a.in_reply_to = p.id AND f.vote = -1)
        FROM picks p JOIN messages l ON l.id = p.list_id
        WHERE l.direction = 'out' AND l.choices IS NOT NULL AND l.in_reply_to IS NOT NULL
        ORDER BY p.id
        """
    ).fetchall()]


def _usual_wording(wordings: dict[str, int]) -> str:
    """The wording a question is shown with: the one members used most, else one not in capitals
    only, else the first asked (session 16's review: the latest showed, "COMO RENUEVO MI
    PASAPORTE" for a question asked three times in lower case). ``wordings`` counts each, in the
    order first asked."""
    order = {w: i for i, w in enumerate(wordings)}
    return min(wordings, key=lambda w: (-wordings[w], w.isupper(), order[w]))


def _staff_labels(db: Database, leave_out: Callable[[str], bool] | None) -> dict[str, str]:
    """The FAQ entry staff answered each question with (/faq), by :func:`_question_key`.

    Staff who answered such a question with an FAQ entry labelled it: the member's words belong
    in that entry's alternates. The question answered is the member's last message before the
    staff answer (session 15's review: a request opened by "hey there" credited the payment
    answer to the greeting, not to the question that followed), passing over what ``leave_out``
    says is no question ("none of these") for the one before it, in the request or in the chat
    copied into it (session 16's review: the label went to "ninguna de esas", not to the question
    whose list it rejected). A rejection staff read under the question ("…\nninguna de esas es mi
    pregunta") is dropped from it. The latest label per question wins. Not for a request opened
    by asking for a person or by a photo: its messages may be anything the member said while
    waiting."""
    answers = db.execute(
        """
        SELECT tm.id, tm.ticket_id, tm.faq_id, t.question
        FROM ticket_messages tm JOIN tickets t ON t.id = tm.ticket_id
        WHERE tm.faq_id IS NOT NULL AND tm.faq_id != ''
          AND NOT EXISTS (SELECT 1 FROM ticket_messages r WHERE r.ticket_id = t.id AND r.kind = 'reason'
                          AND r.text IN ('human', 'media'))
        ORDER BY tm.created_at, tm.id
        """
    ).fetchall()
    labels: dict[str, str] = {}
    for answer_id, ticket_id, faq_id, opening in answers:
        said = db.execute(
            "SELECT kind, text FROM ticket_messages WHERE ticket_id = ? AND author = 'member'"
            " AND kind IN ('text', 'context') AND id < ? AND text IS NOT NULL AND text != '' ORDER BY id DESC",
            [ticket_id, answer_id],
        ).fetchall()
        # What the member wrote in the request, then the question that opened it, then the chat before.
        question = _asked_in([*(t for k, t in said if k == "text"), opening or "",
                              *(t for k, t in said if k == "context")], leave_out)
        if question:
            labels[_question_key(question)] = faq_id
    return labels


def _asked_in(said: Sequence[str], leave_out: Callable[[str], bool] | None) -> str | None:
    """The first of the member's messages ``said`` (newest first) that is a question, without
    the lines after it that are no question ("cuánto vale…\nninguna de esas es mi pregunta")."""
    for text in said:
        lines = text.split("\n")
        while leave_out is not None and len(lines) > 1 and leave_out(lines[-1]):
            lines.pop()
        question = "\n".join(lines)
        if _question_key(question) and not (leave_out is not None and leave_out(question)):
            return question
    return None


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in member-typed text (CSV injection: "=HYPERLINK(...)").

    Excel/LibreOffice execute cells starting with = + - @ (or tab/CR); a leading
    apostrophe makes them plain text. Only applied to free text, never to numbers.
    Every sheet written with members' words uses it (``faq drafts --csv`` too).
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_messages_csv(db: Database, out_path: str | Path, *, since: datetime | None = None) -> int:
    """Write the conversation log to CSV (helpdesks import/inspect it in spreadsheets); returns rows written.

    UTF-8 with BOM so Excel shows Spanish accents correctly; free text is formula-escaped
    (see :func:`csv_safe`). Written to a temp file and renamed, so a failed export never
    leaves a truncated file where a previous good one was. Oldest first.
    """
    out = Path(out_path)
    if out.is_dir():  # refused under the name given, not the temporary file's
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(out))
    if not out.parent.is_dir():  # a mistyped folder is refused, not created (as faq import/export)
        raise FileNotFoundError(errno.ENOENT, f"its folder {out.parent.resolve()} does not exist: create it, or "
                                              "correct the path", str(out))
    columns = ", ".join(f"m.{c}" if c not in ("first_name", "username") else f"mb.{c}" for c in EXPORT_COLUMNS)
    cursor = db.execute(
        f"""
        SELECT {columns} FROM messages m LEFT JOIN members mb ON mb.id = m.member_id
        WHERE m.created_at >= ? ORDER BY m.created_at, m.id
        """,
        [iso_utc(since) if since is not None else ""],
    )
    text_cols = {EXPORT_COLUMNS.index(c) for c in ("first_name", "username", "text")}
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(EXPORT_COLUMNS)
            for row in cursor:
                writer.writerow([csv_safe(v) if i in text_cols else v for i, v in enumerate(row)])
                count += 1
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


# ---------------------------------------------------------------------------------------- privacy
def forget_member(db: Database, member_id: int) -> int:
    """Delete everything stored about a member (they can ask for this); returns rows deleted.

    Removes feedback, messages, tickets with their messages, staff-group routing and
    outbox entries (pending or sent) that belong to the member's tickets or chat, and
    the member row. FAQ drafts written by staff from the member's tickets keep the staff
    answer but lose the member's question and the link to the ticket. Messages already
    posted to Telegram chats cannot be recalled from here (:func:`forget_member_and_withdraw`
    queues their removal from the staff group). One transaction: all or nothing.
    """
    total = 0
    with db.atomic():
        member = get_member(db, member_id)
        chat_ids = {member_id}
        if member and member.get("chat_id") is not None:
            chat_ids.add(member["chat_id"])
        chat_ids.update(
            r[0] for r in db.execute("SELECT DISTINCT chat_id FROM messages WHERE member_id = ?", [member_id]) if r[0]
        )

        total += db.execute(
            "DELETE FROM feedback WHERE member_id = ? OR message_id IN (SELECT id FROM messages WHERE member_id = ?)",
            [member_id, member_id],
        ).rowcount
        total += db.execute("DELETE FROM messages WHERE member_id = ?", [member_id]).rowcount

        if db["tickets"].exists():
            ticket_ids = [r[0] for r in db.execute("SELECT id FROM tickets WHERE member_id = ?", [member_id])]
            marks = ", ".join("?" for _ in ticket_ids)
            if ticket_ids:
                for table in ("ticket_messages", "staff_messages", "outbox"):
                    total += db.execute(f"DELETE FROM {table} WHERE ticket_id IN ({marks})", ticket_ids).rowcount
                # The draft's answer is staff's; the question is the member's own words: removed.
                db.execute(f"UPDATE faq_drafts SET ticket_id = NULL, question = '' WHERE ticket_id IN ({marks})",
                           ticket_ids)
                total += db.execute(f"DELETE FROM tickets WHERE id IN ({marks})", ticket_ids).rowcount
            # Private chat id == user id on Telegram; never touches group chats (negative ids).
            chats = sorted(c for c in chat_ids if c > 0)
            if chats:
                total += db.execute(
                    f"DELETE FROM outbox WHERE chat_id IN ({', '.join('?' for _ in chats)})", chats
                ).rowcount
            # Delivered calls keep no payload (outbox.mark_sent); rows sent by older versions may
            # still hold a /queue listing that names the member.
            db.execute("UPDATE outbox SET payload = '{}' WHERE state = 'sent' AND payload != '{}'")

        total += db.execute("DELETE FROM members WHERE id = ?", [member_id]).rowcount
    return total


def forget_member_and_withdraw(db: Database, member_id: int, *, notice: str,
                               now: datetime | None = None) -> tuple[int, int]:
    """:func:`forget_member`, and the removal of what the bot posted about the member in the staff
    group queued in the outbox (``outbox.enqueue_withdrawal``, as the in-bot /forget does), in one
    transaction; returns (rows deleted, staff-group messages queued for removal).

    For ``bot.py forget-member``: deleting only the rows that say where the cards are would leave
    the cards, with the member's name and question, in the group for good. The outbox is sent by
    the bot that runs the staff desk, at once if it is running, else at its next start.
    """
    with db.atomic():
        copies = tk.staff_copies(db, member_id)  # (read before the routing rows go)
        deleted = forget_member(db, member_id)
        return deleted, outbox.enqueue_withdrawal(db, copies, notice=notice, now=now)
