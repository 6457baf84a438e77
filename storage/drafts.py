"""FAQ drafts written by staff from answered tickets.

Staff turn a good reply into a proposed FAQ entry; an admin reviews drafts and merges
them into the FAQ file. Drafts are staff-authored content, so ``forget_member`` keeps
them (unlinking ``ticket_id``) rather than deleting staff work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.store import iso_utc


def create_draft(
    db: Database,
    *,
    ticket_id: int | None,
    lang: str,
    question: str,
    answer: str,
    category: str = "",
    created_by: int | None = None,
    now: datetime | None = None,
) -> int:
    """Save a proposed FAQ entry; returns the draft id."""
    cursor = db.execute(
        """
        INSERT INTO faq_drafts (ticket_id, lang, question, answer, category, created_by, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        [ticket_id, lang, question, answer, category, created_by, iso_utc(now)],
    )
    return int(cursor.lastrowid or 0)


def list_drafts(db: Database) -> list[dict[str, Any]]:
    """All drafts, oldest first (the review order)."""
    cursor = db.execute("SELECT * FROM faq_drafts ORDER BY id")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def replace_answer(db: Database, *, ticket_id: int, old: str, new: str) -> int:
    """A staff answer made into a draft was corrected (edited) afterwards: the draft takes the
    correction, so an admin never approves the wrong version. Returns how many drafts changed."""
    if not old or old == new:
        return 0
    return int(db.execute("UPDATE faq_drafts SET answer = ? WHERE ticket_id = ? AND answer = ?",
                          [new, ticket_id, old]).rowcount)
