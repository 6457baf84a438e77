"""Helpers shared by the tests: settings pointing at the fake Bot API, the database, and what a
member's messages were recorded as."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from config import Settings
from conversation.pipeline import Member
from faq.analysis import age_positions
from faq.normalize import clean
from storage.store import Store
from tests.fake_telegram import FakeTelegram

DB_NAME = "puente.db"
GROUP_ID = -1001000000001  # the staff group of the end-to-end tests


def bot_settings(fake: FakeTelegram, tmp_path: Path, **env: str) -> Settings:
    """Production settings, read the production way, aimed at ``fake`` and a fresh database."""
    return Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "PUENTE_DB": str(tmp_path / DB_NAME),
            **env,
        }
    )


def db_rows(tmp_path: Path, sql: str) -> list[sqlite3.Row]:
    """Read what the bot stored (a separate connection, as an admin's sqlite3 shell would)."""
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def wait_until(condition: Callable[[], bool], *, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll ``condition`` until true. For effects that make no Bot API call (a follow-up joining a
    ticket silently), where waiting for the fake server to go quiet proves nothing."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


def rows(store: Store, sql: str, params: tuple = ()) -> list[dict]:
    """Query an open Store from a test (on its writer thread, like the code under test)."""
    return store.call_sync(lambda db: [dict(r) for r in db.query(sql, params)])


def last_in(store: Store, member: Member) -> tuple[str, str, str | None]:
    """(lang, decision, faq_id) recorded on the member's last message."""
    [row] = rows(store, "select lang, decision, faq_id from messages where direction = 'in' and member_id = ? "
                        "order by id desc limit 1", (member.id,))
    return row["lang"], row["decision"], row["faq_id"]


def chosen(store: Store, member: Member) -> str | None:
    """The language the member chose (with a button or in words), or None."""
    found = rows(store, "select chosen_language from members where id = ?", (member.id,))
    return found[0]["chosen_language"] if found else None


def ages(text: str) -> list[str]:
    """The numbers of ``text`` read as someone's age (faq.analysis.age_positions)."""
    words = clean(text).split()
    return [words[i] for i in sorted(age_positions(words))]


def sample_sheet_text() -> str:
    """The sample sheet re-written as CSV text with bare newlines, for tests that append rows."""
    with open(Path(__file__).resolve().parent / "data" / "faq-sample.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
