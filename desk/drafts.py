"""FAQ drafts from answered tickets (/promote N), for ``python bot.py faq drafts``.

Exported in the same spreadsheet layout admins already edit (faq.csvio.COLUMNS), so a draft is
reviewed, translated into the other language and pasted into the FAQ sheet — never published
automatically: a staff answer to one member is not yet an answer for everyone.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from faq.csvio import COLUMNS
from faq.errors import prepare_target
from storage.conversations import csv_safe


def draft_row(draft: dict[str, Any]) -> dict[str, str]:
    """One ``faq_drafts`` row → one spreadsheet row; the other language's cells stay empty to fill in."""
    lang = draft.get("lang") if draft.get("lang") in ("es", "en") else "es"
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=f"draft-{draft['id']}",
        category=str(draft.get("category") or "drafts"),
        source=f"ticket #{draft['ticket_id']}" if draft.get("ticket_id") else "staff draft",
    )
    row[f"question_{lang}"] = str(draft.get("question") or "").strip()
    row[f"answer_{lang}"] = str(draft.get("answer") or "").strip()
    return row


def export_drafts_csv(drafts: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write drafts (``storage.drafts.list_drafts`` rows) as a UTF-8 CSV (with BOM, for Excel); returns the count.

    The questions are members' words, the answers staff's: a cell starting with = + - or @ is
    written with a leading apostrophe, as in ``export-messages`` (a spreadsheet would run it as a
    formula). Written to a temporary file then renamed, like the other exports: a failure never
    leaves a truncated sheet where the previous one was.
    """
    rows = [{k: csv_safe(v) for k, v in draft_row(d).items()} for d in drafts]
    target = prepare_target(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(rows)


def format_drafts(drafts: Sequence[dict[str, Any]]) -> str:
    """A plain-text listing for the terminal (admins' language-neutral CLI output)."""
    if not drafts:
        return "No FAQ drafts yet. Staff create them with /promote N in the staff group."
    lines = []
    for d in drafts:
        ticket = f" from ticket #{d['ticket_id']}" if d.get("ticket_id") else ""
        lines.append(f"draft-{d['id']} [{d.get('lang') or '?'}]{ticket} ({d.get('created_at', '')})")
        question = " ".join(str(d.get("question") or "").split())
        lines.append(f"  Q: {question or '(removed: the member deleted their data; write the question)'}")
        lines.append(f"  A: {' '.join(str(d.get('answer') or '').split())}")
    return "\n".join(lines)
