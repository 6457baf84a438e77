"""Cards and other staff texts: escaping, Telegram's length limits, flags, candidates, buttons."""

from __future__ import annotations

import csv
import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk import cards
from desk.drafts import export_drafts_csv
from faq.csvio import COLUMNS

TAG = re.compile(r"</?([a-z]+)[^>]*>")


def ticket(**kw: object) -> dict:
    base = {
        "id": 12,
        "member_id": 5,
        "chat_id": 5,
        "lang": "es",
        "first_name": "Ana",
        "question": "¿Cuánto cuesta?",
        "candidates": [{"id": "migrant-cost", "score": 61.4}, {"id": "migrant-pay", "score": 40.0}],
        "state": "open",
        "staff_name": None,
        "created_at": "2025-03-10T15:00:00.000+00:00",
    }
    base.update(kw)
    return base


def msg(i: int, text: str, *, author: str = "member", kind: str = "text", **kw: object) -> dict:
    return {"id": i, "author": author, "kind": kind, "text": text, "relayed": 0,
            "created_at": "2025-03-10T15:00:00.000+00:00", **kw}


def balanced(text: str) -> bool:
    """Tags open and close in order, and every '&' starts an entity: what Telegram's parser needs."""
    stack: list[str] = []
    for m in TAG.finditer(text):
        if m.group(0).startswith("</"):
            if not stack or stack.pop() != m.group(1):
                return False
        else:
            stack.append(m.group(1))
    stripped = TAG.sub("", text)
    return not stack and "<" not in stripped and ">" not in stripped and all(
        re.match(r"&(lt|gt|amp|quot);", stripped[i:]) for i in range(len(stripped)) if stripped[i] == "&"
    )


def test_member_text_is_escaped_everywhere() -> None:
    evil = "<b>hola</b> & <script>x</script> <a href='x'>"
    t = ticket(question=evil, first_name="<i>Ana</i> & co")
    card = cards.render_card(t, [msg(1, evil), msg(2, evil)], lang="en")
    assert "<script>" not in card and "&lt;script&gt;" in card
    assert "&lt;i&gt;Ana&lt;/i&gt; &amp; co" in card
    assert balanced(card)
    digest = cards.render_digest(t, [msg(3, evil)], lang="es")
    assert balanced(digest) and "&lt;b&gt;hola" in digest
    for text in cards.render_transcript(t, [msg(1, evil)], lang="en", tz="America/Guatemala"):
        assert balanced(text)


def test_card_shows_flag_name_question_candidates_state_and_reply_hint() -> None:
    titles = {"migrant-cost": "How much does it cost?"}
    card = cards.render_card(ticket(), [msg(1, "¿Cuánto cuesta?")], lang="en",
                             faq_title=lambda entry_id, lang: titles.get(entry_id))
    assert "#12" in card and "🇬🇹" in card and "Ana" in card
    assert "¿Cuánto cuesta?" in card
    assert "migrant-cost" in card and "61" in card and "How much does it cost?" in card
    assert "migrant-pay" in card  # no title known: the id alone
    assert "Open" in card and "Reply" in card
    assert "🇺🇸" in cards.render_card(ticket(lang="en"), [], lang="en")


def test_card_never_shows_phone_or_username() -> None:
    t = ticket(username="ana_gt", phone="+502 5555 1234")
    card = cards.render_card(t, [], lang="en")
    assert "ana_gt" not in card and "5555" not in card


def test_card_lists_latest_follow_ups_but_not_the_question_twice() -> None:
    messages = [msg(1, "¿Cuánto cuesta?")] + [msg(i, f"línea {i}") for i in range(2, 12)]
    card = cards.render_card(ticket(), messages, lang="en")
    assert card.count("¿Cuánto cuesta?") == 1
    assert "línea 11" in card and "línea 7" in card and "línea 2" not in card
    assert "(10 messages)" in card


def test_huge_inputs_stay_within_4096_and_valid_html() -> None:
    wall = "&<>" * 5000  # escaping makes it 5x longer
    t = ticket(question=wall, first_name="N" * 500)
    messages = [msg(1, wall)] + [msg(i, wall + "🙂" * 300) for i in range(2, 40)]
    messages += [msg(100 + i, wall, kind="context") for i in range(5)]
    card = cards.render_card(t, messages, lang="es")
    assert cards.utf16_len(card) <= 4096 and balanced(card)
    digest = cards.render_digest(t, messages, lang="es")
    assert cards.utf16_len(digest) <= 4096 and balanced(digest)
    parts = cards.render_transcript(t, messages, lang="es", tz="America/Guatemala")
    assert len(parts) > 1 and all(cards.utf16_len(p) <= 4096 and balanced(p) for p in parts)
    queue = cards.render_queue([t] * 60, now=datetime(2025, 3, 10, 18, tzinfo=UTC), lang="en")
    assert len(queue) > 1 and all(cards.utf16_len(p) <= 4096 for p in queue)
    # No part starts like a ticket message ("🟢 #24 …"): a reply to it would go to member 24.
    from handlers.staff import _TICKET_HEAD

    assert all(p.startswith("📋 60 open requests") and not _TICKET_HEAD.match(p) for p in queue)
    caption = cards.media_caption(t, "photo", wall, lang="es")
    assert cards.utf16_len(caption) <= 1024 and balanced(caption)


def test_clip_never_cuts_inside_an_entity() -> None:
    for budget in range(1, 30):
        out = cards.clip("a&b&c&d&e&f&g&h", budget)
        assert cards.utf16_len(out) <= budget
        assert balanced(out)
        assert html.unescape(out.rstrip("…")) in "a&b&c&d&e&f&g&h"


def test_buttons_follow_the_state_and_fit_callback_limits() -> None:
    datas = {
        state: [b.data for row in cards.card_buttons(ticket(state=state, id=99999999), "en") for b in row]
        for state in ("open", "claimed", "answered", "closed")
    }
    assert datas["open"] == ["tk:claim:99999999", "tk:close:99999999"]
    assert datas["claimed"] == ["tk:release:99999999", "tk:close:99999999"]
    assert datas["answered"] == ["tk:close:99999999"]
    assert datas["closed"] == ["tk:reopen:99999999"]
    fb = [b.data for row in cards.feedback_buttons(99999999, "es") for b in row]
    assert fb == ["sfb:99999999:1", "sfb:99999999:-1"]


def test_candidates_tolerate_json_strings_and_junk() -> None:
    assert cards.parse_candidates('[{"id": "a", "score": 50}]') == [("a", 50.0)]
    assert cards.parse_candidates("not json") == []
    assert cards.parse_candidates([{"score": 3}, "x"]) == []


def test_answer_prefix_names_the_staff_member_in_the_member_language() -> None:
    assert "Luis" in cards.answer_prefix("Luis", lang="en")
    assert "&lt;" in cards.answer_prefix("<Luis>", lang="es")


def test_queue_shows_age_and_empty_queue_is_friendly() -> None:
    now = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)  # 3 hours after created_at
    [text] = cards.render_queue([ticket(), ticket(id=13, state="claimed", staff_name="Luis")], now=now, lang="en")
    assert "#12" in text and "#13" in text and "3 hours" in text and "Luis" in text
    assert text.index("#12") < text.index("#13")
    assert cards.render_queue([], now=now, lang="en") == ["🎉 No open requests."]


def test_stats_text() -> None:
    text = cards.render_stats({"questions": 10, "answered_by_faq": 7, "escalated": 2,
                               "median_first_reply_seconds": 600.0},
                              day=datetime(2025, 3, 10, 12, tzinfo=UTC), lang="en")
    assert "10" in text and "7" in text and "2" in text and "10 minutes" in text
    none = cards.render_stats({"questions": 0, "answered_by_faq": 0, "escalated": 0,
                               "median_first_reply_seconds": None}, day=datetime(2025, 3, 10, tzinfo=UTC), lang="es")
    assert "—" in none


def test_drafts_export_in_the_spreadsheet_layout(tmp_path: Path) -> None:
    out = tmp_path / "drafts.csv"
    n = export_drafts_csv(
        [{"id": 3, "ticket_id": 12, "lang": "es", "question": "¿Puedo pagar en línea?", "answer": "Sí, en…",
          "category": "", "created_at": "x"},
         {"id": 4, "ticket_id": None, "lang": "en", "question": "Q", "answer": "A", "category": "pay"}],
        out,
    )
    assert n == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["id"] == "draft-3" and rows[0]["question_es"] == "¿Puedo pagar en línea?"
    assert rows[0]["answer_es"] == "Sí, en…" and rows[0]["question_en"] == "" and "#12" in rows[0]["source"]
    assert rows[1]["question_en"] == "Q" and rows[1]["category"] == "pay"


def test_drafts_export_escapes_spreadsheet_formulas(tmp_path: Path) -> None:
    """Session 16's review: the drafts sheet holds members' questions, and a cell starting with
    = + - @ became a formula in Excel ("=HYPERLINK(…)"); export-messages already escaped them."""
    out = tmp_path / "drafts.csv"
    export_drafts_csv([{"id": 1, "ticket_id": 2, "lang": "es", "question": '=HYPERLINK("http://x.example","clic")',
                        "answer": "- Paso 1: llame", "category": "@pagos"},
                       {"id": 2, "ticket_id": None, "lang": "en", "question": "+1 how?", "answer": "Plain."}], out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        first, second = csv.DictReader(fh)
    assert first["question_es"] == '\'=HYPERLINK("http://x.example","clic")'
    assert first["answer_es"] == "'- Paso 1: llame" and first["category"] == "'@pagos"
    assert second["question_en"] == "'+1 how?" and second["answer_en"] == "Plain."


def test_a_failed_drafts_export_leaves_the_previous_sheet_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written to a temporary file and renamed, like the other exports."""
    import desk.drafts

    out = tmp_path / "drafts.csv"
    draft = {"id": 1, "ticket_id": None, "lang": "es", "question": "¿Q?", "answer": "R."}
    export_drafts_csv([draft], out)
    before = out.read_bytes()

    class DiskFull(csv.DictWriter):
        def writerows(self, rows: Any) -> None:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(desk.drafts.csv, "DictWriter", DiskFull)
    with pytest.raises(OSError):
        export_drafts_csv([draft, {**draft, "id": 2}], out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["drafts.csv"]


def test_a_queue_cut_to_the_oldest_says_how_many_there_are() -> None:
    t = {"id": 1, "state": "open", "lang": "es", "first_name": "Ana", "created_at": "2025-03-10T16:00:00.000+00:00",
         "question": "¿?"}
    [text] = cards.render_queue([t] * 3, now=datetime(2025, 3, 10, 18, tzinfo=UTC), lang="en", total=55)
    assert text.startswith("📋 55 open requests") and "Showing the oldest 3 of 55." in text


def test_a_card_opened_by_a_photo_says_so() -> None:
    t = {"id": 4, "state": "open", "lang": "es", "first_name": "Rosa", "question": "",
         "created_at": "2025-03-10T16:00:00.000+00:00"}
    messages = [
        {"id": 1, "author": "member", "kind": "context", "text": "[photo]"},
        {"id": 2, "author": "member", "kind": "photo", "text": ""},
    ]
    card = cards.render_card(t, messages, lang="en")
    assert "❓ 📷 photo" in card and "Earlier in the chat" not in card
