"""What staff (and members, for staff answers) read: ticket cards, digests, transcripts, lists.

Pure functions from database rows to Telegram-HTML strings and buttons. Two rules hold for
every function here, because breaking either makes Telegram refuse the whole message:

* everything that came from a person (member text, names, FAQ titles) is HTML-escaped, and it is
  clipped *after* escaping by whole characters/entities, so a cut never splits ``&amp;``;
* every result fits Telegram's limits (4096 for text, 1024 for captions), measured in UTF-16
  code units of the HTML source — never less strict than Telegram's count of the parsed text.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date, format_datetime, format_timedelta

from conversation.replies import Button
from desk.hours import aware
from i18n import Translator
from storage.store import parse_iso

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
QUESTION_BUDGET = 1200
LINE_BUDGET = 300
CARD_CONTEXT_LINES = 4
CARD_FOLLOW_UP_LINES = 5
DIGEST_LINES = 15
MAX_CANDIDATES = 3

#: Language of the member, as a flag staff can read at a glance (same flags as the language menu).
FLAGS = {"es": "🇬🇹 ES", "en": "🇺🇸 EN"}
STATE_ICONS = {"open": "🟢", "claimed": "🟡", "answered": "✅", "closed": "⚪"}

#: Ticket-message kinds with a special meaning (everything else is what a person sent).
KIND_CONTEXT = "context"  # a message from before the ticket was opened, copied for context
KIND_REASON = "reason"  # why the ticket was opened: no-match, human, own-case, none-of-these, thumbs-down
KIND_NOTE = "note"  # something the desk records for staff (blocked bot, 👎, reopened…)

FaqTitle = Callable[[str, str], str | None]


# ---------------------------------------------------------------------------------------- helpers
def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=False)


def clip(text: object, budget: int) -> str:
    """Escape ``text`` and cut it to at most ``budget`` UTF-16 units of HTML, ending with "…" if cut.

    Escaping char by char means the cut can never fall inside an entity such as ``&amp;``.
    """
    raw = " ".join(str(text if text is not None else "").split()) if budget <= LINE_BUDGET else str(text or "")
    full = esc(raw)
    if utf16_len(full) <= budget:
        return full
    out: list[str] = []
    used = 0
    for ch in raw:
        piece = esc(ch)
        size = utf16_len(piece)
        if used + size > budget - 1:
            break
        out.append(piece)
        used += size
    return "".join(out).rstrip() + "…"


def fit(text: str, limit: int = TEXT_LIMIT) -> str:
    """Last-resort guard for text we built from escaped pieces: cut at a line boundary."""
    if utf16_len(text) <= limit:
        return text
    lines = text.split("\n")
    while lines and utf16_len("\n".join([*lines, "…"])) > limit:
        lines.pop()
    return "\n".join([*lines, "…"]) if lines else "…"


def chunks(lines: Iterable[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Pack lines into as few messages as possible, each within ``limit``."""
    out: list[str] = []
    current = ""
    for line in lines:
        line = fit(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def flag(lang: str | None) -> str:
    return FLAGS.get(lang or "", f"🏳️ {esc((lang or '?').upper())}")


def parse_candidates(raw: object) -> list[tuple[str, float]]:
    """The ``candidates`` column (JSON ``[{"id", "score"}]``) as ``[(id, score)]``; junk → []."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else (raw or [])
        return [(str(c["id"]), float(c.get("score") or 0)) for c in data if isinstance(c, dict) and c.get("id")]
    except (ValueError, TypeError, KeyError):
        return []


def member_name(ticket: dict[str, Any]) -> str:
    """First name only — never a phone number or username — escaped."""
    return clip(ticket.get("first_name") or "", 64) or f"#{ticket.get('member_id', '?')}"


def reason_label(reason: str | None, lang: str) -> str:
    _ = Translator(lang)
    labels = {
        "no-match": _("No FAQ answer matched"),
        "human": _("Asked to talk to a person"),
        "danger": _("⚠️ Says someone is hurting them: answer first"),
        "own-case": _("Gave a case number (NSS, file or folio): their own case"),
        "none-of-these": _("None of the suggested questions fit"),
        "thumbs-down": _("Said an FAQ answer did not help"),
        "media": _("Sent a photo, voice note or file"),
        "limit": _("Wrote again after several requests"),
    }
    return labels.get(reason or "", esc(reason or ""))


def state_label(ticket: dict[str, Any], lang: str) -> str:
    _ = Translator(lang)
    state = ticket.get("state") or "open"
    staff = clip(ticket.get("staff_name") or "?", 64)
    labels = {
        "open": _("Open, nobody has claimed it"),
        "claimed": _("Claimed by {staff}", staff=staff),
        "answered": _("Answered by {staff}", staff=staff),
        "closed": _("Closed"),
    }
    return f"{STATE_ICONS.get(state, '❔')} " + labels.get(state, esc(state))


def message_line(msg: dict[str, Any], lang: str, *, budget: int = LINE_BUDGET, names: bool = True) -> str:
    """One ticket message as a short line: "› text", "› 📷 photo: caption", "👤 Luis: text"."""
    _ = Translator(lang)
    kind = msg.get("kind") or "text"
    text = msg.get("text") or ""
    media = {
        "photo": _("📷 photo"),
        "voice": _("🎤 voice note"),
        "audio": _("🎵 audio"),
        "video": _("🎬 video"),
        "video_note": _("🎬 video note"),
        "document": _("📄 document"),
        "sticker": _("sticker"),
        "animation": _("GIF"),
        "location": _("📍 location"),
        "contact": _("👤 contact card"),
    }
    body = clip(text, budget) if text and not (text.startswith("[") and text.endswith("]")) else ""
    if kind in media:
        body = f"{media[kind]}: {body}" if body else media[kind]
    author = msg.get("author")
    if kind == "internal":
        body = f"🔒 {body}"
    elif kind == "faq":  # an FAQ entry's answer sent with /faq
        body = f"📚 {body}"
    if author == "staff" and names:
        return f"👤 <b>{clip(msg.get('author_name') or '?', 64)}</b>: {body}"
    if author == "system":
        return f"🤖 {body}"
    return f"› {body}"


# ---------------------------------------------------------------------------------------- cards
def render_card(
    ticket: dict[str, Any],
    messages: Sequence[dict[str, Any]],
    *,
    lang: str,
    faq_title: FaqTitle | None = None,
) -> str:
    """The ticket card posted to (and kept up to date in) the staff group.

    Shows who (first name), which language, why, the question, the FAQ's best guesses, a few
    lines of earlier chat, the latest follow-ups and the state. Staff answer by *replying* to it.
    """
    _ = Translator(lang)
    number = ticket["id"]
    reason = next((m.get("text") for m in messages if m.get("kind") == KIND_REASON), None)
    # Earlier chat worth showing: a logged "[photo]" placeholder says nothing (the photo is copied).
    context = [m for m in messages if m.get("kind") == KIND_CONTEXT
               and message_line(m, lang) != "› "][-CARD_CONTEXT_LINES:]
    question_id = _question_message_id(messages)
    # Desk notes (claimed by…, reopened…) are not "since then" messages: the state line and the
    # notes posted under the card already say them, and they would push the member's words out.
    later = [
        m
        for m in messages
        if m.get("kind") not in (KIND_CONTEXT, KIND_REASON, KIND_NOTE) and m.get("id") != question_id
    ]
    head = [
        f"{STATE_ICONS.get(ticket.get('state') or 'open', '❔')} <b>#{number}</b> · {flag(ticket.get('lang'))} · "
        f"<b>{member_name(ticket)}</b>",
    ]
    if reason:
        head.append(f"<i>{reason_label(reason, lang)}</i>")
    question = clip(ticket.get("question") or "", QUESTION_BUDGET)
    if not question:  # a photo or voice note opened the ticket: say what it was, not "—"
        first = next((m for m in messages if m.get("id") == question_id), None)
        question = message_line(first, lang).removeprefix("› ") if first else "—"
    head.append("❓ " + question)

    cand_lines: list[str] = []
    candidates = parse_candidates(ticket.get("candidates"))[:MAX_CANDIDATES]
    if candidates:
        cand_lines.append(_("📚 Closest FAQ entries:"))
        for n, (entry_id, score) in enumerate(candidates, start=1):
            title = faq_title(entry_id, lang) if faq_title else None
            label = clip(title, 100) if title else ""
            cand_lines.append(f"{n}. {score:.0f} · <code>{clip(entry_id, 60)}</code> {label}".rstrip())
        # Numbered so that "/faq 2", in reply to the card, sends entry 2's answer (StaffDesk.staff_faq).
        cand_lines.append(_("<i>Reply /faq 1 (or another number) to send that answer in the member's language.</i>"))

    ctx_lines = [_("🕑 Earlier in the chat:"), *(message_line(m, lang, budget=200) for m in context)] if context else []
    tail = [state_label(ticket, lang), _("↩️ Reply to this message to answer {name}.", name=member_name(ticket))]

    shown = later[-CARD_FOLLOW_UP_LINES:]
    while True:
        follow: list[str] = []
        if shown:
            follow.append(
                _.ngettext("💬 Since then ({n} message):", "💬 Since then ({n} messages):", len(later))
            )
            if len(later) > len(shown):
                follow.append("…")
            follow.extend(message_line(m, lang) for m in shown)
        text = "\n".join([*head, *cand_lines, *ctx_lines, *follow, *tail])
        if utf16_len(text) <= TEXT_LIMIT or not (shown or ctx_lines):
            return fit(text)
        # Too long: drop the oldest follow-up first, then the earlier-chat context.
        if shown:
            shown = shown[1:]
        else:
            ctx_lines = []


def _question_message_id(messages: Sequence[dict[str, Any]]) -> int | None:
    """The ticket message that *is* the question (the first member message), not repeated as a follow-up."""
    for m in messages:
        if m.get("author") == "member" and m.get("kind") not in (KIND_CONTEXT, KIND_REASON):
            return m.get("id")
    return None


def card_buttons(ticket: dict[str, Any], lang: str) -> list[list[Button]]:
    """Claim / Close while open; Release / Close while claimed; Close when answered; Reopen when closed."""
    _ = Translator(lang)
    n = ticket["id"]
    state = ticket.get("state") or "open"
    claim = Button(_("✋ Claim"), f"tk:claim:{n}")
    close = Button(_("✖️ Close"), f"tk:close:{n}")
    release = Button(_("↩️ Release"), f"tk:release:{n}")
    reopen = Button(_("🔄 Reopen"), f"tk:reopen:{n}")
    rows = {
        "open": [[claim, close]],
        "claimed": [[release, close]],
        "answered": [[close]],
        "closed": [[reopen]],
    }
    return rows.get(state, [[close]])


def render_digest(ticket: dict[str, Any], new: Sequence[dict[str, Any]], *, lang: str) -> str:
    """One staff-group message for a burst of follow-ups (so 20 lines are 1 message, not 20)."""
    _ = Translator(lang)
    lines = [
        _.ngettext(
            "💬 <b>#{number}</b> · {name} wrote {n} more message:",
            "💬 <b>#{number}</b> · {name} wrote {n} more messages:",
            len(new),
            number=ticket["id"],
            name=member_name(ticket),
        )
    ]
    shown = list(new[-DIGEST_LINES:])
    if len(new) > len(shown):
        lines.append(_("… {n} earlier ones: /ticket {number}", n=len(new) - len(shown), number=ticket["id"]))
    hint = _("↩️ Reply to this message to answer {name}.", name=member_name(ticket))
    # Every message shown must fit, the newest and the reply hint included (they are marked as
    # relayed): shorten each line rather than let the limit cut the last ones off.
    budget = LINE_BUDGET
    while True:
        text = "\n".join([*lines, *(message_line(m, lang, budget=budget) for m in shown), hint])
        if utf16_len(text) <= TEXT_LIMIT or budget <= 20:
            return fit(text)
        budget = budget * 3 // 4


def render_note(ticket_id: int, text: str) -> str:
    """A desk notice in the group (already translated ``text``), tagged with the ticket number."""
    return fit(f"⚠️ <b>#{ticket_id}</b> · {text}")


def media_caption(ticket: dict[str, Any], kind: str, caption: str | None, *, lang: str) -> str:
    """Caption of a member's photo/voice/file copied into the group: whose, which ticket."""
    _ = Translator(lang)
    head = _("📎 <b>#{number}</b> · {name} sent this.", number=ticket["id"], name=member_name(ticket))
    body = f"\n{clip(caption, CAPTION_LIMIT - utf16_len(head) - 2)}" if caption else ""
    return fit(head + body, CAPTION_LIMIT)


# ---------------------------------------------------------------------------------------- member side
def answer_prefix(name: str, *, lang: str) -> str:
    """The line that tells a member a *person* answers, and who ("Luis" or "IGSS staff")."""
    _ = Translator(lang)
    return _("💬 <b>{name}</b>, from our team:", name=clip(name, 64))


def feedback_buttons(ticket_id: int, lang: str) -> list[list[Button]]:
    _ = Translator(lang)
    return [
        [
            Button(_("👍 Helpful"), f"sfb:{ticket_id}:1"),
            Button(_("👎 Not helpful"), f"sfb:{ticket_id}:-1"),
        ]
    ]


# ---------------------------------------------------------------------------------------- lists
def _when(value: str | None, lang: str, tz: str) -> str:
    if not value:
        return ""
    _ = Translator(lang)
    return format_datetime(parse_iso(value), "short", tzinfo=_zone(tz), locale=_.locale)


def _zone(tz: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)


def render_transcript(
    ticket: dict[str, Any], messages: Sequence[dict[str, Any]], *, lang: str, tz: str
) -> list[str]:
    """/ticket N: the whole conversation, split into as many messages as it needs."""
    _ = Translator(lang)
    # Why the request came to staff, as the card says it (session 17's review: /ticket left it out).
    reason = next((m.get("text") for m in messages if m.get("kind") == KIND_REASON), None)
    head = [
        f"{STATE_ICONS.get(ticket.get('state') or 'open', '❔')} <b>#{ticket['id']}</b> · {flag(ticket.get('lang'))}"
        f" · <b>{member_name(ticket)}</b>",
        *([f"<i>{reason_label(reason, lang)}</i>"] if reason else []),
        state_label(ticket, lang),
        _("Opened {when}", when=_when(ticket.get("created_at"), lang, tz)),
        "❓ " + (clip(ticket.get("question") or "", QUESTION_BUDGET) or "—"),
        "",
    ]
    body = []
    for m in messages:
        if m.get("kind") == KIND_REASON:
            continue
        stamp = _when(m.get("created_at"), lang, tz)
        body.append(f"<i>{esc(stamp)}</i> {message_line(m, lang, budget=TEXT_LIMIT // 2)}")
    return chunks([*head, *body])


def render_queue(tickets: Sequence[dict[str, Any]], *, now: datetime, lang: str,
                 total: int | None = None) -> list[str]:
    """/queue: unanswered tickets, oldest first, with their age ("3 hours") in the staff locale.
    ``total`` is how many there are when ``tickets`` is only the oldest of them."""
    _ = Translator(lang)
    if not tickets:
        return [_("🎉 No open requests.")]
    total = max(total or 0, len(tickets))
    lines = [_.ngettext("📋 {n} open request, oldest first:", "📋 {n} open requests, oldest first:", total)]
    for t in tickets:
        age = aware(now) - parse_iso(t["created_at"])
        age_text = format_timedelta(max(age, timedelta(0)), threshold=1.1, locale=_.locale)
        who = f" · {clip(t.get('staff_name') or '', 40)}" if t.get("state") == "claimed" else ""
        lines.append(
            f"{STATE_ICONS.get(t.get('state') or 'open', '❔')} <b>#{t['id']}</b> · {flag(t.get('lang'))} · "
            f"{member_name(t)} · {esc(age_text)}{who}\n    {clip(t.get('question') or '', 120)}"
        )
    if total > len(tickets):
        lines.append(_("Showing the oldest {shown} of {total}.", shown=len(tickets), total=total))
    lines.append(_("Full conversation: /ticket N"))
    # Every message of a long queue starts with the header, never with "🟢 #24": a reply to a
    # message starting "<icon> #N" is routed to ticket N (see handlers/staff.py), and a colleague
    # answering the queue must not be answering member 24.
    header, *items = lines
    parts = chunks(items, TEXT_LIMIT - utf16_len(header) - 1)
    return [f"{header}\n{part}" for part in parts]


def render_stats(stats: dict[str, Any], *, day: datetime, lang: str) -> str:
    """/stats: today's numbers in the office time zone."""
    _ = Translator(lang)
    median = stats.get("median_first_reply_seconds")
    median_text = (
        format_timedelta(timedelta(seconds=float(median)), threshold=1.1, locale=_.locale)
        if median is not None
        else "—"
    )
    return "\n".join(
        [
            _("📊 <b>Today</b> ({day})", day=esc(format_date(day.date(), "full", locale=_.locale))),
            _("Questions: {n}", n=stats.get("questions", 0)),
            _("Answered by the FAQ: {n}", n=stats.get("answered_by_faq", 0)),
            _("Passed to staff: {n}", n=stats.get("escalated", 0)),
            _("Median time to the first staff reply: {time}", time=esc(median_text)),
        ]
    )
