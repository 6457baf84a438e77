"""Database schema as an append-only list of migrations.

Rules (they are what lets an old database upgrade safely on restart):

* never edit or reorder a migration that has shipped — add a new ``@migrations()`` function;
* each migration runs in a transaction together with its ``_sqlite_migrations`` record,
  so a failing one leaves the database untouched and is retried next start;
* use ``db.execute`` / ``db["t"].add_column`` for additive changes and ``table.transform``
  for what ALTER TABLE cannot do.

Times are TEXT in :func:`storage.store.iso_utc` format (UTC, milliseconds, ``+00:00``),
so lexical order equals time order.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("puente")


def _run(db: Database, statements: str) -> None:
    """Execute ``;``-separated DDL one statement at a time inside the migration's transaction.

    (``executescript`` would be fine too, but per-statement errors name the failing statement.)
    """
    for statement in statements.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_conversation_log(db: Database) -> None:
    """Members, every message in and out, and 👍/👎 feedback on answers."""
    _run(
        db,
        """
        CREATE TABLE members (
            id INTEGER PRIMARY KEY,            -- Telegram user id (the terminal chat uses a fixed id)
            first_name TEXT,
            username TEXT,
            language_code TEXT,                -- as reported by Telegram
            chosen_language TEXT,              -- what the member picked with /language
            chat_id INTEGER,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id),
            chat_id INTEGER,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            channel TEXT NOT NULL DEFAULT 'telegram',
            kind TEXT NOT NULL DEFAULT 'text',
            created_at TEXT NOT NULL,
            text TEXT,
            lang TEXT,
            decision TEXT,
            faq_id TEXT,
            score REAL,
            latency_ms REAL,
            in_reply_to INTEGER REFERENCES messages(id) ON DELETE SET NULL,
            telegram_message_id INTEGER,
            edited INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_messages_member_time ON messages (member_id, created_at);
        CREATE INDEX idx_messages_time ON messages (created_at);
        CREATE INDEX idx_messages_decision_time ON messages (decision, created_at);
        CREATE INDEX idx_messages_in_reply_to ON messages (in_reply_to);

        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id),
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            faq_id TEXT,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            created_at TEXT NOT NULL,
            UNIQUE (member_id, message_id)
        );
        CREATE INDEX idx_feedback_message ON feedback (message_id);
        CREATE INDEX idx_feedback_vote_time ON feedback (vote, created_at)
        """,
    )


@migrations()
def m002_escalation_desk(db: Database) -> None:
    """Tickets for the staff desk, staff-group message routing, a durable outbox, FAQ drafts."""
    _run(
        db,
        """
        -- AUTOINCREMENT: ticket numbers are quoted by staff and members, so a number is
        -- never reused, even after the newest ticket is deleted by forget_member.
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member_id INTEGER NOT NULL REFERENCES members(id),
            chat_id INTEGER,
            lang TEXT,
            first_name TEXT,
            question TEXT NOT NULL DEFAULT '',
            candidates TEXT NOT NULL DEFAULT '[]',     -- JSON [{"id": ..., "score": ...}]
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'answered', 'closed')),
            staff_id INTEGER,
            staff_name TEXT,
            created_at TEXT NOT NULL,
            claimed_at TEXT,
            first_reply_at TEXT,
            answered_at TEXT,
            closed_at TEXT,
            updated_at TEXT NOT NULL,
            reopen_count INTEGER NOT NULL DEFAULT 0,
            card_message_id INTEGER,
            card_chat_id INTEGER,
            thread_id INTEGER
        );
        CREATE INDEX idx_tickets_member_state ON tickets (member_id, state);
        CREATE INDEX idx_tickets_state ON tickets (state, id);
        CREATE INDEX idx_tickets_created ON tickets (created_at);

        CREATE TABLE ticket_messages (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            author TEXT NOT NULL CHECK (author IN ('member', 'staff', 'system')),
            author_id INTEGER,
            author_name TEXT,
            kind TEXT NOT NULL DEFAULT 'text',
            text TEXT,
            file_id TEXT,
            created_at TEXT NOT NULL,
            telegram_message_id INTEGER,
            relayed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_ticket_messages_ticket ON ticket_messages (ticket_id, id);

        CREATE TABLE staff_messages (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            PRIMARY KEY (chat_id, message_id)
        );
        CREATE INDEX idx_staff_messages_ticket ON staff_messages (ticket_id);

        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            method TEXT NOT NULL,
            payload TEXT NOT NULL,                     -- JSON keyword arguments for the Bot API method
            ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
            purpose TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            last_error TEXT,
            result_message_id INTEGER
        );
        CREATE INDEX idx_outbox_due ON outbox (state, next_attempt_at);
        CREATE INDEX idx_outbox_chat_state ON outbox (chat_id, state);
        CREATE INDEX idx_outbox_ticket ON outbox (ticket_id);

        CREATE TABLE faq_drafts (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
            lang TEXT,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            category TEXT NOT NULL DEFAULT '',
            created_by INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_faq_drafts_ticket ON faq_drafts (ticket_id)
        """,
    )


@migrations()
def m003_answer_copies(db: Database) -> None:
    """Where each staff answer landed in the member's chat, so a staff edit can follow it there.

    ``member_message_id`` is the bot's message in the member's chat; ``delivery`` says what it
    holds: ``text`` (prefix and answer in one text), ``caption`` (a copied photo/file with prefix
    and caption) or ``copy`` (a copy without the prefix, which went in a message of its own).
    ``html`` is the staff message as sent (links and formatting), so an edit that only fixes a
    link is seen as an edit.
    """
    db["ticket_messages"].add_column("member_message_id", int)
    db["ticket_messages"].add_column("delivery", str)
    db["ticket_messages"].add_column("html", str)


@migrations()
def m004_offered_choices(db: Database) -> None:
    """The entry ids a reply listed as numbered choices (suggestions, a /menu topic), as JSON.

    A member may type "2" instead of tapping button 2. The pipeline keeps the last list in memory;
    after a restart (a deploy, a crash) it reads it from here, so the number still means what the
    member saw.
    """
    db["messages"].add_column("choices", str)


@migrations()
def m005_staff_faq_answers(db: Database) -> None:
    """The FAQ entry a staff answer sent with /faq (see desk.StaffDesk.staff_faq), on the thread row.

    Staff choosing an entry for a question the matcher missed is a label: ``faq gaps`` shows it
    next to the member's words, which belong in that entry's alternates.
    """
    db["ticket_messages"].add_column("faq_id", str)


@migrations()
def m006_language_source(db: Database) -> None:
    """How a member's chosen language was set: ``link`` for a /start deep link (``?start=en`` on a
    consulate's poster), NULL for a language button, /language or asking in words.

    A link only preselects: a Spanish speaker who scanned an English poster's code and writes
    whole Spanish sentences is answered in Spanish (Pipeline._reply_lang), while a language the
    member picked themselves keeps winning over detection.
    """
    db["members"].add_column("language_source", str)
