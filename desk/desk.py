"""The staff desk: tickets in SQLite, cards in the staff group, answers back to members.

Telegram-agnostic on purpose: handlers/staff.py turns updates into calls on :class:`StaffDesk`
and adapts the bot to :class:`desk.sender.Transport`. Every message *to the staff group* and
every staff answer *to a member* is written to the ``outbox`` table in the same database call
as the ticket change it reports, and :class:`desk.sender.OutboxSender` delivers it. So a crash,
a restart, flood control or a missing group delays a message but never drops it.

Flood control towards staff, by design:

* one card per ticket; later state changes *edit* the card (no new message);
* a member's follow-up lines are collected and sent as one digest per ticket at most every
  ``digest_delay`` (a member typing 20 lines in a minute → one or two group messages);
* a member can open at most ``max_new_tickets`` tickets per ``new_ticket_window``; beyond
  that new questions join their latest ticket (reopening it) instead of making new cards;
* the member is told "added to your request" at most once per ``notice_interval``.

Pending digests live in memory (a dict of ticket → due time) but the messages they will show
are in ``ticket_messages`` with ``relayed = 0``; :meth:`StaffDesk.recover` reschedules them
after a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from conversation.replies import Button, plain
from desk import cards
from desk.cards import KIND_CONTEXT, KIND_NOTE, KIND_REASON, FaqTitle
from desk.hours import OfficeHours, availability_notice
from desk.sender import (
    Blocked,
    ChatGone,
    Clock,
    MessageGone,
    Prepared,
    SendError,
    strip_meta,
    utcnow,
)
from i18n import LANGUAGES, Translator
from storage import conversations as conv
from storage import drafts as drafts_db
from storage import outbox
from storage import tickets as tk
from storage.store import Store, atomically, iso_utc, parse_iso

log = logging.getLogger(__name__)

#: Member media that Telegram can copy into the group with a caption.
CAPTIONED = frozenset({"photo", "document", "voice", "audio", "video", "animation"})
#: Bot API method to re-send a member's file by file_id when we do not know its message id.
SEND_BY_FILE = {
    "photo": ("sendPhoto", "photo"),
    "document": ("sendDocument", "document"),
    "voice": ("sendVoice", "voice"),
    "audio": ("sendAudio", "audio"),
    "video": ("sendVideo", "video"),
    "animation": ("sendAnimation", "animation"),
    "sticker": ("sendSticker", "sticker"),
    "video_note": ("sendVideoNote", "video_note"),
}
CONTEXT_SKIP_KINDS = frozenset({"callback", "command"})
#: How many more logged rows than context lines are looked through for the member's last words.
CONTEXT_LOOKBACK = 12


def _placeholder(text: str) -> bool:
    """The "[photo]", "[sticker]" logged for media without a caption."""
    return text.startswith("[") and text.endswith("]")
#: A staff reply starting with this is an internal note: recorded on the ticket, not sent to the member.
INTERNAL_PREFIX = "//"
KIND_INTERNAL = "internal"
#: A staff answer that is an FAQ entry's answer, sent with /faq (see StaffDesk.staff_faq).
KIND_FAQ = "faq"
#: An FAQ entry's answer for the member, as (plain text, Telegram HTML), by entry id and language.
FaqAnswer = Callable[[str, str], tuple[str, str] | None]


def markup(rows: Sequence[Sequence[Button]]) -> dict[str, Any]:
    """Inline keyboard as Bot API JSON (stored in the outbox, so no telegram objects)."""
    return {"inline_keyboard": [[{"text": b.label, "callback_data": b.data} for b in row] for row in rows]}


def _relayed_by_copy(msg: dict[str, Any]) -> bool:
    """Member media with a file or message id is copied to the group on its own, not put in a digest."""
    return (msg.get("kind") or "text") != "text" and bool(msg.get("file_id") or msg.get("telegram_message_id"))


def _is_thread_message(msg: dict[str, Any]) -> bool:
    return msg.get("kind") not in (KIND_CONTEXT, KIND_REASON)


#: /queue lists at most this many requests (oldest first), and says how many there are in all.
QUEUE_SHOWN = 50


class StaffDesk:
    """Implements the pipeline's ``Desk`` protocol, plus what staff do in the group.

    Construct it with :meth:`from_settings`; set ``wake`` to the sender's ``wake`` so queued
    messages go out at once. Every method is safe to call concurrently: each change to the
    database is one ``store.call`` on the Store's single thread.
    """

    def __init__(
        self,
        store: Store,
        *,
        staff_chat_id: int,
        staff_language: str = "es",
        staff_label: str = "",
        hours: OfficeHours | None = None,
        faq_title: FaqTitle | None = None,
        faq_answer: FaqAnswer | None = None,
        clock: Clock = utcnow,
        expected_wait: timedelta = timedelta(hours=2),
        digest_delay: timedelta = timedelta(seconds=60),
        notice_interval: timedelta = timedelta(minutes=10),
        max_new_tickets: int = 3,
        new_ticket_window: timedelta = timedelta(hours=1),
        context_lines: int = 4,
        answered_window: timedelta = timedelta(hours=48),
        admin_ids: frozenset[int] = frozenset(),
        outbox_keep: timedelta = timedelta(days=30),
    ) -> None:
        self.store = store
        self.staff_chat_id = staff_chat_id
        self.staff_language = staff_language
        self.staff_label = staff_label
        self.hours = hours or OfficeHours()
        self.faq_title = faq_title
        self.faq_answer = faq_answer  # for /faq (staff_faq); None: the command says the FAQ has no such entry
        self.clock = clock
        self.expected_wait = expected_wait
        self.digest_delay = digest_delay
        self.notice_interval = notice_interval
        self.max_new_tickets = max_new_tickets
        self.new_ticket_window = new_ticket_window
        self.context_lines = context_lines
        self.answered_window = answered_window  # a member's message this soon after an answer reopens it
        #: Told in a private chat when the staff group stops accepting messages, and when it is back.
        self.admin_ids = admin_ids
        # Whether admins were told of an outage not yet over; None until read from the outbox
        # (see _outage_told), so a restart in the middle of an outage neither repeats the alert nor
        # forgets to say when the group is back.
        self._alerted: bool | None = None
        self.outbox_keep = outbox_keep  # settled outbox rows are deleted after this long (daily)
        self._next_purge: datetime | None = None
        self.wake: Callable[[], None] = lambda: None
        #: Called with (old id, new id) when the staff group moves (see move_staff_chat).
        self.on_move: list[Callable[[int, int], None]] = []
        self._digest_due: dict[int, datetime] = {}
        self._last_notice: dict[int, datetime] = {}

    @classmethod
    def from_settings(
        cls, settings: Any, store: Store, *, faq_title: FaqTitle | None = None, faq_answer: FaqAnswer | None = None,
        clock: Clock = utcnow, **kw: Any
    ) -> StaffDesk:
        if settings.staff_chat_id is None:
            raise ValueError("PUENTE_STAFF_CHAT_ID is not set: there is no staff group to escalate to")
        kw.setdefault("expected_wait", settings.expected_wait)  # PUENTE_EXPECTED_WAIT
        return cls(
            store,
            staff_chat_id=settings.staff_chat_id,
            staff_language=settings.staff_language,
            staff_label=settings.staff_label,
            hours=OfficeHours.from_settings(settings),
            admin_ids=frozenset(settings.admin_ids),
            faq_title=faq_title,
            faq_answer=faq_answer,
            clock=clock,
            **kw,
        )

    # ================================================================== member side (Desk protocol)
    async def escalate(
        self,
        member: Any,
        *,
        lang: str,
        question: str,
        candidates: Sequence[Any],
        reason: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
    ) -> str:
        """Open a ticket (or add to the member's active one); return the notice for the member.

        ``kind``/``file_id``/``message_id`` let a photo, voice note or document open a ticket too.
        """
        now = self.clock()
        cands = [_candidate_dict(c) for c in candidates][:5]
        since = now - self.new_ticket_window

        def work(db: Any) -> tuple[str, dict[str, Any], int]:
            outcome = "joined"
            active = tk.active_ticket(db, member.id)
            if active is None:
                recent = db.execute(
                    "SELECT COUNT(*) FROM tickets WHERE member_id = ? AND created_at >= ?",
                    [member.id, iso_utc(since)],
                ).fetchone()[0]
                if recent >= self.max_new_tickets:
                    latest = _latest_ticket(db, member.id)
                    if latest is not None:
                        active = tk.transition(db, latest["id"], "open", now=now)
                        tk.add_ticket_message(db, active["id"], author="system", kind=KIND_NOTE, now=now, relayed=True,
                                              text=self._limit_note())
                        outcome = "limited"
            if active is not None:
                tm = tk.add_ticket_message(
                    db, active["id"], author="member", text=question, kind=kind, file_id=file_id,
                    telegram_message_id=message_id, author_id=member.id, author_name=member.first_name, now=now,
                )
                return outcome, active, tm
            ticket = tk.open_ticket(
                db, member_id=member.id, chat_id=member.chat_id, lang=lang, first_name=member.first_name,
                question=question or "", candidates=cands, now=now,
            )
            tk.add_ticket_message(db, ticket["id"], author="system", kind=KIND_REASON, text=reason, relayed=True,
                                  now=now)
            for msg in self._context(db, member.id, question):
                tk.add_ticket_message(  # with its own time: /ticket N shows when it was really said
                    db, ticket["id"], author="member" if msg["direction"] == "in" else "system", kind=KIND_CONTEXT,
                    # the bot's replies are logged as sent (Telegram HTML); the card escapes text
                    text=(msg.get("text") or "") if msg["direction"] == "in" else plain(msg.get("text") or ""),
                    relayed=True,
                    now=parse_iso(msg["created_at"]) if msg.get("created_at") else now,
                )
            tm = tk.add_ticket_message(
                db, ticket["id"], author="member", text=question, kind=kind, file_id=file_id,
                telegram_message_id=message_id, author_id=member.id, author_name=member.first_name, now=now,
            )
            outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage", payload={"_ticket": ticket["id"]},
                           ticket_id=ticket["id"], purpose="card", now=now)
            return "new", ticket, tm

        outcome, ticket, tm = await self.store.call(atomically(work))
        _ = Translator(lang)
        if kind != "text" and (file_id or message_id):
            await self._enqueue_media(ticket, tm, kind=kind, file_id=file_id, message_id=message_id, caption=question,
                                      member_chat_id=member.chat_id)
        if outcome == "new":
            log.info("ticket #%s opened for member %s (%s)", ticket["id"], member.id, reason)
            self._last_notice[ticket["id"]] = now
            self.wake()
            return availability_notice(self.hours, now, lang, expected_wait=self.expected_wait,
                                       ticket_id=ticket["id"])
        log.info("escalation from member %s joined ticket #%s (%s)", member.id, ticket["id"], outcome)
        self._schedule_digest(ticket["id"], now)
        if outcome == "limited":
            await self._enqueue_refresh(ticket["id"])
        self._last_notice[ticket["id"]] = now
        self.wake()
        return _(
            "I've added this to your request #{number}. A person from our team will answer you here.",
            number=ticket["id"],
        )

    def _limit_note(self) -> str:
        _ = Translator(self.staff_language)
        return _("Reopened: a new question from a member over the limit of new requests per hour")

    async def answering(self, member_id: int, reply_to: int | None) -> int | None:
        """The ticket a member's message answers: the one of the staff answer they used Telegram's
        Reply on (``reply_to``, its message id in their chat), or the one where staff's last word
        asked them something within ``answered_window`` and they have not written since; else
        None. Session 14's review: "ella tiene 35 años y los niños 3 y 5", right after staff asked
        the ages, was answered with the FAQ's children's-age list, and staff never got it."""
        since = iso_utc(self.clock() - self.answered_window)

        def work(db: Any) -> int | None:
            ticket = tk.answered_with(db, member_id, reply_to) if reply_to is not None else None
            return ticket if ticket is not None else tk.staff_asked(db, member_id, since)

        return await self.store.call(work)

    async def withdraw(self, copies: Sequence[dict[str, Any]]) -> None:
        """Take a forgotten member's messages out of the staff group (/forget; copies from
        storage.tickets.staff_copies, read before the deletion): each text the bot posted (card,
        digest, note) is first blanked to a line saying so, each caption cleared, then every one
        deleted. Telegram deletes only messages under 48 hours old (and others' only for an
        admin); an older card stays, blank, and an older photo copy stays without its caption."""
        if not copies:
            return
        _ = Translator(self.staff_language)
        gone = _("🗑 Deleted at the member's request (/forget).")
        await self.store.call(outbox.enqueue_withdrawal, copies, notice=gone, now=self.clock())
        log.info("withdrawing %d staff-group message(s) of a member who asked to be forgotten", len(copies))
        self.wake()

    async def follow_up(
        self,
        member: Any,
        *,
        lang: str,
        text: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
        reopen: bool = False,
        replying_to: int | None = None,
        insist: bool = False,
    ) -> str | None:
        """Add a message to the member's active ticket; None when they have none. With ``reopen``,
        a ticket staff answered in the last ``answered_window`` counts too, and is reopened.
        ``replying_to``: the ticket the member is answering (Telegram's Reply on a staff answer, or
        the first message after staff asked something): that one, reopened whatever its state.

        Text waits for the next digest; media is copied to the group right away (a receipt
        photo is worth a message). The member hears "added to your request" at most once per
        ``notice_interval`` — the other times the notice is ``""`` (say nothing) — unless
        ``insist``: a member who asks for a person while waiting is always told it is on its way.
        """
        now = self.clock()

        def work(db: Any) -> tuple[dict[str, Any], int, bool] | None:
            ticket, reopened = tk.active_ticket(db, member.id), False
            asked = tk.get_ticket(db, replying_to) if replying_to is not None else None
            if asked is not None and asked["member_id"] == member.id \
                    and (ticket is None or ticket["id"] != asked["id"]):
                if asked["state"] in ("answered", "closed"):
                    ticket, reopened = tk.transition(db, asked["id"], "open", now=now), True
                    outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                                   payload={"_ticket": asked["id"]}, ticket_id=asked["id"], purpose="refresh",
                                   now=now)
                else:
                    ticket = asked
            if ticket is None and not reopen:
                return None
            if ticket is None:
                # The member answers staff's question ("es 123456789"): back to the queue on the
                # same ticket, where the person who asked will see it, not a new ticket.
                ticket = tk.recently_answered(db, member.id, iso_utc(now - self.answered_window))
                if ticket is None:
                    return None
                ticket, reopened = tk.transition(db, ticket["id"], "open", now=now), True
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                               payload={"_ticket": ticket["id"]}, ticket_id=ticket["id"], purpose="refresh", now=now)
            tm = tk.add_ticket_message(
                db, ticket["id"], author="member", text=text, kind=kind, file_id=file_id,
                telegram_message_id=message_id, author_id=member.id, author_name=member.first_name, now=now,
            )
            return ticket, tm, reopened

        found = await self.store.call(atomically(work))
        if found is None:
            return None
        ticket, tm, reopened = found
        if reopened:  # tell the member it went back to the team, however recent the last notice
            self._last_notice.pop(ticket["id"], None)
        if kind != "text" and (file_id or message_id):
            await self._enqueue_media(ticket, tm, kind=kind, file_id=file_id, message_id=message_id, caption=text,
                                      member_chat_id=member.chat_id)
            self.wake()
        else:
            self._schedule_digest(ticket["id"], now)
        last = self._last_notice.get(ticket["id"])
        if last is not None and now - last < self.notice_interval and not insist:
            return ""
        self._last_notice[ticket["id"]] = now
        _ = Translator(lang)
        return _(
            "I've added this to your request #{number}. A person from our team will answer you here.",
            number=ticket["id"],
        )

    async def feedback(self, member: Any, ticket_id: int, vote: int, *, lang: str | None = None) -> str:
        """👍/👎 under a staff answer. 👎 reopens the ticket and tells staff; returns the member's reply.

        Answered in the ticket's language unless ``lang`` is given; both the tap and the reply are
        logged like any other member exchange. The same vote again on the same staff answer (a slow
        phone's double tap reaches the bot twice before the buttons go) is logged and otherwise
        ignored, and the reply is ``""`` (session 15's review: the request was reopened, and staff
        told, twice); the other vote is a change of mind, as under an FAQ answer.
        """
        now = self.clock()

        def work(db: Any) -> tuple[dict[str, Any] | None, str]:
            inbound = conv.log_inbound(db, member_id=member.id, chat_id=member.chat_id, text=f"sfb:{ticket_id}:{vote}",
                                       kind="callback", now=now)
            ticket = tk.get_ticket(db, ticket_id)
            if ticket is None or ticket["member_id"] != member.id or vote not in (1, -1):
                return None, self._feedback_text(None, vote, ticket_id, lang, db, member, inbound, now)
            if tk.voted_since_last_answer(db, ticket_id, "👍" if vote > 0 else "👎"):
                return None, ""
            tk.add_ticket_message(db, ticket_id, author="member", kind="feedback", text="👍" if vote > 0 else "👎",
                                  author_id=member.id, author_name=member.first_name, relayed=True, now=now)
            if vote < 0:
                if ticket["state"] in ("answered", "closed"):
                    ticket = tk.transition(db, ticket_id, "open", now=now)
                self._enqueue_note_db(db, ticket, self._note_text("thumbs-down", ticket), now)
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                               payload={"_ticket": ticket_id}, ticket_id=ticket_id, purpose="refresh", now=now)
            return ticket, self._feedback_text(ticket, vote, ticket_id, lang, db, member, inbound, now)

        ticket, text = await self.store.call(atomically(work))
        if ticket is not None and vote < 0:
            log.info("ticket #%s reopened by the member's 👎", ticket_id)
            self.wake()
        return text

    def _feedback_text(
        self, ticket: dict[str, Any] | None, vote: int, ticket_id: int, lang: str | None, db: Any, member: Any,
        inbound: int, now: datetime,
    ) -> str:
        _ = Translator(lang or (self._member_lang_db(db, ticket) if ticket else _member_lang(member)))
        if ticket is None:
            text = _("That option is no longer available. Write your question or tap /menu.")
        elif vote > 0:
            text = _("Thank you for your feedback!")
        else:
            text = _(
                "Sorry that didn't help. I've reopened your request #{number}; a person will get back to you here.",
                number=ticket_id,
            )
        conv.log_outbound(db, member_id=member.id, chat_id=member.chat_id, text=text, in_reply_to=inbound,
                          decision="ticket", now=now)
        return text

    # ================================================================== staff side
    def display_name(self, staff_name: str | None) -> str:
        """What members see as the author: the generic label when configured, else the first name."""
        _ = Translator(self.staff_language)
        return self.staff_label or (staff_name or "").strip() or _("Staff")

    async def ticket_for_reply(self, reply_to_message_id: int) -> int | None:
        return await self.store.call(tk.ticket_for_staff_message, self.staff_chat_id, reply_to_message_id)

    async def staff_reply(
        self,
        *,
        reply_to_message_id: int,
        message_id: int,
        staff_id: int,
        staff_name: str | None,
        text: str,
        text_html: str | None = None,
        kind: str = "text",
        file_id: str | None = None,
        fallback_ticket_id: int | None = None,
    ) -> int | None:
        """A staff member replied (in the group) to a ticket's card or any of its messages.

        Relays the reply to the member, prefixed with who answers, in the member's language
        (unless it starts with ``//``: then it is an internal note for colleagues, kept on the ticket);
        records it (ticket thread + outbound log row); marks the ticket answered. Returns the
        ticket number, or None when the replied-to message belongs to no ticket (staff are told
        nothing was sent).
        ``fallback_ticket_id`` (the "#N" a bot message starts with) is used only when the replied-to
        message is not mapped — e.g. a reply that raced the recording of its mapping.
        """
        now = self.clock()
        gone: list[int] = []
        overlap: list[str] = []  # a colleague had claimed or answered it already

        def work(db: Any) -> int | None:
            ticket = self._reply_ticket_db(db, reply_to_message_id, fallback_ticket_id, gone)
            if ticket is None:
                return None
            ticket_id = int(ticket["id"])
            # "//" starts an internal note, in a text or in a photo's or document's caption alike.
            internal = text.lstrip().startswith(INTERNAL_PREFIX)
            if internal:
                tk.add_ticket_message(
                    db, ticket_id, author="staff", text=text, kind=KIND_INTERNAL, author_id=staff_id,
                    author_name=staff_name, file_id=file_id, telegram_message_id=message_id, relayed=True,
                    html=text_html or cards.esc(text), now=now,
                )
                tk.map_staff_message(db, self.staff_chat_id, message_id, ticket_id)
                return ticket_id  # a note between colleagues: kept on the ticket, never sent to the member
            self._answer_db(db, ticket, text=text, html=text_html or cards.esc(text), kind=kind, file_id=file_id,
                            staff_id=staff_id, staff_name=staff_name, message_id=message_id, overlap=overlap, now=now)
            return ticket_id

        ticket_id = await self.store.call(atomically(work))
        await self._after_answer(ticket_id, gone, overlap, staff_id=staff_id, staff_name=staff_name,
                                 message_id=message_id)
        return ticket_id

    def _reply_ticket_db(self, db: Any, reply_to_message_id: int, fallback_ticket_id: int | None,
                         gone: list[int]) -> dict[str, Any] | None:
        """The ticket a staff reply is about (see :meth:`staff_reply`), or None; a ticket deleted with
        /forget is added to ``gone``."""
        ticket_id = tk.ticket_for_staff_message(db, self.staff_chat_id, reply_to_message_id)
        if ticket_id is None:
            ticket_id = fallback_ticket_id
        if ticket_id is None:
            return None
        ticket = tk.get_ticket(db, ticket_id)
        if ticket is None:  # the member deleted their data (/forget) since the card was posted
            gone.append(ticket_id)
        return ticket

    def _answer_db(self, db: Any, ticket: dict[str, Any], *, text: str, html: str, kind: str,
                   file_id: str | None, staff_id: int, staff_name: str | None, message_id: int,
                   overlap: list[str], now: datetime, faq_id: str | None = None) -> None:
        """Record a staff answer on ``ticket`` and queue it for the member (see :meth:`staff_reply`):
        thread, routing of the staff message, state, conversation log, the member's copy, the card."""
        lang = self._member_lang_db(db, ticket)  # the heading and 👍/👎 speak it
        ticket_id = int(ticket["id"])
        tm = tk.add_ticket_message(
            db, ticket_id, author="staff", text=text, kind=KIND_FAQ if faq_id else kind, author_id=staff_id,
            author_name=staff_name, file_id=file_id, telegram_message_id=message_id, relayed=False, html=html,
            faq_id=faq_id, now=now,
        )
        tk.map_staff_message(db, self.staff_chat_id, message_id, ticket_id)
        if ticket["state"] in ("claimed", "answered") and ticket.get("staff_id") not in (None, staff_id):
            overlap.append(ticket.get("staff_name") or str(ticket["staff_id"]))
        if ticket["state"] == "closed":
            ticket = tk.transition(db, ticket_id, "open", now=now)
        if ticket["state"] != "answered":
            tk.transition(db, ticket_id, "answered", staff_id=staff_id, staff_name=staff_name, now=now)
        ticket = {**ticket, "lang": lang}
        log_id = conv.log_outbound(db, member_id=ticket["member_id"], chat_id=ticket["chat_id"], text=text,
                                   decision="staff", faq_id=faq_id, now=now)
        for method, params in self._answer_calls(ticket, self.display_name(staff_name), message_id, html, kind,
                                                 faq=faq_id is not None):
            outbox.enqueue(db, chat_id=ticket["chat_id"], method=method,
                           payload={**params, "_tm": tm, "_log": log_id}, ticket_id=ticket_id, purpose="answer",
                           now=now)
        outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText", payload={"_ticket": ticket_id},
                       ticket_id=ticket_id, purpose="refresh", now=now)

    @staticmethod
    def _member_lang_db(db: Any, ticket: dict[str, Any], default: str = "es") -> str:
        """The language to speak to a request's member in (answers, their edits, the 👍/👎 reply,
        the closing notice): the one the member chose (/language, the buttons) if they did, even
        after the request was opened; else the request's own."""
        member = conv.get_member(db, int(ticket["member_id"]))
        chosen = (member or {}).get("chosen_language")
        return chosen if chosen in LANGUAGES else (ticket.get("lang") or default)

    async def _after_answer(self, ticket_id: int | None, gone: list[int], overlap: list[str], *, staff_id: int,
                            staff_name: str | None, message_id: int) -> None:
        """What staff are told after a reply (see :meth:`staff_reply`), and the sender woken."""
        _ = Translator(self.staff_language)
        if ticket_id is not None:
            log.info("staff %s answered ticket #%s", staff_id, ticket_id)
            if overlap:  # the member gets both answers: colleagues should know, so they agree
                await self.say([_("Heads-up: {staff} was already handling #{number}; {name}'s answer was sent "
                                  "too.", staff=cards.clip(overlap[0], 64), number=ticket_id,
                                  name=cards.clip(staff_name or str(staff_id), 64))], reply_to=message_id)
            self.wake()
        elif gone:  # staff must not believe their answer went out
            await self.say([_("Request #{number} no longer exists (the member deleted their data): "
                              "your message was not sent.", number=gone[0])], reply_to=message_id)
        else:  # a reply to /queue, /stats, a command's answer…
            await self.say([_("Nothing was sent: that message belongs to no request. To answer a member, reply to "
                              "the card of their request.")], reply_to=message_id)

    async def staff_faq(
        self,
        *,
        reply_to_message_id: int,
        message_id: int,
        staff_id: int,
        staff_name: str | None,
        ref: str,
        fallback_ticket_id: int | None = None,
    ) -> int | None:
        """``/faq REF`` in reply to a request's card: send the member an FAQ entry's answer.

        Staff often see at a glance that the FAQ does answer the question (the card lists the
        closest entries, numbered): the curated answer goes out in the *member's* language, so a
        Spanish-speaking team answers English-speaking members as well, headed like any staff
        answer ("💬 Luis, from our team:") and with 👍/👎. ``ref`` is a number from the card's list
        or an entry id. Otherwise it works as a reply (:meth:`staff_reply`): the ticket is answered,
        the card updated, a deleted request explained. Returns the ticket number, or None.
        """
        now = self.clock()
        gone: list[int] = []
        overlap: list[str] = []
        unknown: list[str] = []
        unlisted: list[int] = []  # a number, on a card that lists no entry (a photo's card)
        ref = ref.strip().lstrip("#")

        def work(db: Any) -> int | None:
            ticket = self._reply_ticket_db(db, reply_to_message_id, fallback_ticket_id, gone)
            if ticket is None:
                return None
            listed = [c for c, _score in cards.parse_candidates(ticket.get("candidates"))][:cards.MAX_CANDIDATES]
            entry_id = listed[int(ref) - 1] if ref.isdigit() and 1 <= int(ref) <= len(listed) else ref
            lang = self._member_lang_db(db, ticket)
            found = self.faq_answer(entry_id, lang) if self.faq_answer and entry_id else None
            if found is None:
                unknown.append(entry_id)
                if ref.isdigit() and not listed:
                    unlisted.append(int(ticket["id"]))
                return int(ticket["id"])
            text, html = found
            self._answer_db(db, ticket, text=text, html=html, kind="text", file_id=None, staff_id=staff_id,
                            staff_name=staff_name, message_id=message_id, overlap=overlap, now=now, faq_id=entry_id)
            return int(ticket["id"])

        ticket_id = await self.store.call(atomically(work))
        if unknown:
            _ = Translator(self.staff_language)
            if unlisted:  # (session 15's review: the usual hint sent staff looking for a list)
                await self.say([_("Nothing was sent: the card of #{number} lists no FAQ entries. Reply to it with "
                                  "/faq and an entry id, e.g. /faq migrant-cost.", number=ticket_id)],
                               reply_to=message_id)
                return None
            await self.say([_("Nothing was sent: the FAQ has no entry “{ref}”. Reply to the card of #{number} with "
                              "/faq and the number of an entry it lists, or an entry id.",
                              ref=cards.clip(unknown[0], 60), number=ticket_id)], reply_to=message_id)
            return None
        await self._after_answer(ticket_id, gone, overlap, staff_id=staff_id, staff_name=staff_name,
                                 message_id=message_id)
        return ticket_id

    async def staff_edit(
        self, *, message_id: int, staff_id: int, text: str, text_html: str | None = None,
        fallback_ticket_id: int | None = None, media: bool = False,
    ) -> int | None:
        """A staff member edited one of their messages in the group.

        On Telegram an edit changes the message for everyone, so staff expect a corrected answer
        ("the office opens at 8", not 9) to be corrected for the member too: the member's copy is
        edited in place (with the 👍/👎 buttons again, for the corrected answer) and the edit is
        logged as its own outbound row (nothing is lost: the conversation log keeps both
        versions). The ticket's thread and an FAQ draft made from the answer change only once
        Telegram accepted the edit (see record_sent): they show what the member really has. A //
        note stays internal whatever its edit says, an answer already sent cannot be taken back
        by turning it into a note, and a replaced file cannot be carried over: staff are told.
        ``fallback_ticket_id`` is the "#N" of the bot message the edited one replied to (a request
        deleted with /forget is explained); ``media`` says the edited message carries a file.
        Returns the ticket number, or None when the edited message is not a staff reply to a request.
        """
        now = self.clock()
        told: list[str] = []
        new_html = text_html or cards.esc(text)

        def work(db: Any) -> int | None:
            ticket_id = tk.ticket_for_staff_message(db, self.staff_chat_id, message_id)
            if ticket_id is None and fallback_ticket_id is not None and tk.get_ticket(db, fallback_ticket_id) is None:
                told.append("gone")
                return fallback_ticket_id
            ticket = tk.get_ticket(db, ticket_id) if ticket_id is not None else None
            row = tk.staff_message_row(db, ticket_id, message_id) if ticket is not None and ticket_id else None
            if ticket is None or row is None:
                return None  # not a staff reply to a request
            current = outbox.pending_edit_html(db, row["id"]) or row.get("html") or cards.esc(row.get("text") or "")
            if current == new_html:
                if media and row["kind"] in CAPTIONED:  # (a live location "edits" itself every few seconds)
                    told.append("file")  # same caption: the file itself was replaced
                    return int(ticket["id"])
                return None  # nothing the member sees changed
            if row["kind"] == KIND_FAQ:  # the edit changes a "/faq 2" command, not the answer sent
                told.append("faq")
                return int(ticket["id"])
            internal = text.lstrip().startswith(INTERNAL_PREFIX)
            if row["kind"] == KIND_INTERNAL or internal:
                if row["kind"] == KIND_INTERNAL and internal:
                    tk.set_ticket_message_text(db, row["id"], text, new_html)  # a note corrected: still a note
                    outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                                   payload={"_ticket": ticket["id"]}, ticket_id=ticket["id"], purpose="refresh",
                                   now=now)
                else:
                    told.append("note" if row["kind"] == KIND_INTERNAL else "sent")
                return int(ticket["id"])
            log_id = conv.log_outbound(db, member_id=ticket["member_id"], chat_id=ticket["chat_id"], text=text,
                                       decision="staff-edit", now=now)
            outbox.enqueue(db, chat_id=ticket["chat_id"], method="editMessageText",
                           payload={"_edit": row["id"], "_log": log_id, "_html": new_html, "_text": text},
                           ticket_id=ticket["id"], purpose="answer-edit", now=now)
            return int(ticket["id"])

        ticket_id = await self.store.call(atomically(work))
        if ticket_id is None:
            return None
        _ = Translator(self.staff_language)
        if told == ["note"]:
            await self.say([_("Notes stay internal: your edit was not sent to the member. To answer #{number}, "
                              "reply to its card.", number=ticket_id)], reply_to=message_id)
        elif told == ["sent"]:
            await self.say([_("The member already has this answer, so an edit cannot make it an internal note: "
                              "their copy was not changed. If it was wrong, reply to the card of #{number} with "
                              "the correction.", number=ticket_id)], reply_to=message_id)
        elif told == ["faq"]:
            await self.say([_("The member already has that FAQ answer: editing the command does not change it. To "
                              "send another one, reply to the card of #{number} with /faq again, or with your own "
                              "words.", number=ticket_id)], reply_to=message_id)
        elif told == ["file"]:
            await self.say([_("A replaced file cannot be changed in the member's chat: their copy still has the "
                              "first one. To send another file, reply to the card of #{number} with it.",
                              number=ticket_id)], reply_to=message_id)
        elif told == ["gone"]:
            await self.say([_("Request #{number} no longer exists (the member deleted their data): nothing was "
                              "changed for them.", number=ticket_id)], reply_to=message_id)
            return None
        else:
            log.info("staff %s edited a message of ticket #%s", staff_id, ticket_id)
        self.wake()
        return ticket_id

    def _answer_calls(
        self, ticket: dict[str, Any], shown_name: str, staff_message_id: int, body_html: str, kind: str,
        faq: bool = False,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The Bot API call(s) that deliver one staff answer, ending with the 👍/👎 buttons.
        ``faq``: the body is an FAQ answer (/faq), not the staff message, which must never be copied."""
        lang = ticket.get("lang") or "es"
        prefix = cards.answer_prefix(shown_name, lang=lang)
        buttons = markup(cards.feedback_buttons(ticket["id"], lang))
        member_chat = ticket["chat_id"]
        # "_delivery" marks the call that carries the answer itself (see record_sent, staff_edit).
        if kind == "text":
            text = f"{prefix}\n{body_html}"
            if cards.utf16_len(text) <= cards.TEXT_LIMIT:
                return [("sendMessage", {"chat_id": member_chat, "text": text, "parse_mode": "HTML",
                                         "reply_markup": buttons, "link_preview_options": {"is_disabled": True},
                                         "_delivery": "text"})]
            if faq:  # an FAQ answer near Telegram's limit (the FAQ check allows it): the heading goes first
                return [
                    ("sendMessage", {"chat_id": member_chat, "text": prefix, "parse_mode": "HTML"}),
                    ("sendMessage", {"chat_id": member_chat, "text": body_html, "parse_mode": "HTML",
                                     "reply_markup": buttons, "link_preview_options": {"is_disabled": True},
                                     "_delivery": "faq"}),
                ]
        copy: dict[str, Any] = {"chat_id": member_chat, "from_chat_id": self.staff_chat_id,
                                "message_id": staff_message_id, "reply_markup": buttons}
        if kind in CAPTIONED:
            caption = f"{prefix}\n{body_html}" if body_html else prefix
            if cards.utf16_len(caption) <= cards.CAPTION_LIMIT:
                return [("copyMessage", {**copy, "caption": caption, "parse_mode": "HTML", "_delivery": "caption"})]
        # Too long for one message, or a kind without captions: the prefix first, then the copy.
        return [
            ("sendMessage", {"chat_id": member_chat, "text": prefix, "parse_mode": "HTML"}),
            ("copyMessage", {**copy, "_delivery": "copy"}),
        ]

    async def act(self, action: str, ticket_id: int, *, staff_id: int, staff_name: str | None) -> str:
        """Claim / release / close / reopen a ticket (buttons and commands); returns a staff-language reply."""
        now = self.clock()
        _ = Translator(self.staff_language)
        targets = {"claim": "claimed", "release": "open", "close": "closed", "reopen": "open"}
        if action not in targets:
            return _("Unknown action.")
        who = staff_name or str(staff_id)
        event = {  # kept on the ticket, shown in /ticket N (in the staff group's language)
            "claim": _("Claimed by {name}", name=who),
            "release": _("Released by {name}", name=who),
            "close": _("Closed by {name}", name=who),
            "reopen": _("Reopened by {name}", name=who),
        }[action]

        def work(db: Any) -> tuple[str, dict[str, Any] | None]:
            ticket = tk.get_ticket(db, ticket_id)
            if ticket is None:
                return "missing", None
            state = ticket["state"]
            if action == "claim" and state == "claimed":
                return ("mine" if ticket["staff_id"] == staff_id else "taken"), ticket
            if action == "release" and state != "claimed":
                return "not-claimed", ticket
            if action == "reopen" and state in ("open", "claimed"):
                return "already-open", ticket
            if action == "close" and state == "closed":  # two colleagues, or a double tap on ✖️
                return "already-closed", ticket
            try:
                mine = action == "claim"
                updated = tk.transition(db, ticket_id, targets[action], staff_id=staff_id if mine else None,
                                        staff_name=staff_name if mine else None, now=now)
            except tk.TicketStateError:
                return "illegal", ticket
            tk.add_ticket_message(db, ticket_id, author="system", kind=KIND_NOTE, author_id=staff_id,
                                  author_name=staff_name, text=event, relayed=True, now=now)
            outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText", payload={"_ticket": ticket_id},
                           ticket_id=ticket_id, purpose="refresh", now=now)
            if action == "close" and ticket.get("chat_id") and _member_waiting(db, ticket):
                # Closed without an answer here (handled by phone, a duplicate…), or after the member
                # wrote again or voted 👎: the member was promised a reply and must not wait for one.
                _ = Translator(self._member_lang_db(db, ticket, self.staff_language))  # the member's, not staff's
                text = _("Our team closed your request #{number}. If you still need help, write your question "
                         "again here.", number=ticket_id)
                log_id = conv.log_outbound(db, member_id=ticket["member_id"], chat_id=ticket["chat_id"], text=text,
                                           decision="closed", now=now)
                outbox.enqueue(db, chat_id=ticket["chat_id"], method="sendMessage",
                               payload={"chat_id": ticket["chat_id"], "text": text, "_log": log_id},
                               ticket_id=ticket_id, purpose="closed", now=now)
            return "ok", updated

        outcome, ticket = await self.store.call(atomically(work))
        if outcome == "ok":
            self.wake()
            log.info("ticket #%s: %s by staff %s", ticket_id, action, staff_id)
        name = cards.clip((ticket or {}).get("staff_name") or "?", 64)
        state = cards.state_label(ticket, self.staff_language) if ticket else ""
        messages = {
            "missing": _("There is no request #{number}.", number=ticket_id),
            "mine": _("You already claimed #{number}.", number=ticket_id),
            "taken": _("#{number} is already claimed by {staff}.", number=ticket_id, staff=name),
            "not-claimed": _("#{number} is not claimed: {state}", number=ticket_id, state=state),
            "already-open": _("#{number} is already open.", number=ticket_id),
            "already-closed": _("#{number} is already closed.", number=ticket_id),
            "illegal": _("#{number} cannot do that now: {state}", number=ticket_id, state=state),
        }
        if outcome != "ok":
            return messages[outcome]
        done = {
            "claim": _("#{number} is yours. Reply to its card to answer.", number=ticket_id),
            "release": _("#{number} is back in the queue.", number=ticket_id),
            "close": _("#{number} closed.", number=ticket_id),
            "reopen": _("#{number} reopened.", number=ticket_id),
        }
        return done[action]

    async def queue_texts(self) -> list[str]:
        """/queue: open and claimed tickets, oldest first, with their age."""
        def work(db: Any) -> tuple[list[dict[str, Any]], int]:
            states = ("open", "claimed")
            return tk.list_tickets(db, states=states, limit=QUEUE_SHOWN), tk.count_tickets(db, states)

        rows, total = await self.store.call(atomically(work))
        return cards.render_queue(rows, now=self.clock(), lang=self.staff_language, total=total)

    async def ticket_texts(self, ticket_id: int) -> list[str]:
        """/ticket N: the full conversation."""

        def work(db: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
            return tk.get_ticket(db, ticket_id), tk.ticket_messages(db, ticket_id)

        ticket, messages = await self.store.call(atomically(work))
        if ticket is None:
            _ = Translator(self.staff_language)
            return [_("There is no request #{number}.", number=ticket_id)]
        return cards.render_transcript(ticket, messages, lang=self.staff_language, tz=self.hours.timezone)

    async def stats_text(self) -> str:
        """/stats: today in the office time zone."""
        now = self.clock()
        start, end = self.hours.day_bounds_utc(now)
        stats = await self.store.call(tk.day_stats, start, end)
        return cards.render_stats(stats, day=self.hours.local(now), lang=self.staff_language)

    async def promote(self, ticket_id: int, *, staff_id: int) -> str:
        """/promote N: the member's question + the latest staff answer become an FAQ draft."""
        _ = Translator(self.staff_language)

        def work(db: Any) -> tuple[str, int]:
            ticket = tk.get_ticket(db, ticket_id)
            if ticket is None:
                return "missing", 0
            answers = [m for m in tk.ticket_messages(db, ticket_id)
                       if m["author"] == "staff" and m.get("text") and m.get("kind") != KIND_INTERNAL]
            if not answers:
                return "no-answer", 0
            if answers[-1].get("kind") == KIND_FAQ:  # answered from the FAQ: nothing new for admins
                return "faq", 0
            same = db.execute("SELECT id FROM faq_drafts WHERE ticket_id = ? AND answer = ? ORDER BY id LIMIT 1",
                              [ticket_id, answers[-1]["text"]]).fetchone()
            if same is not None:  # /promote twice: one draft
                return "exists", int(same[0])
            draft = drafts_db.create_draft(db, ticket_id=ticket_id, lang=ticket.get("lang") or "es",
                                           question=ticket.get("question") or "", answer=answers[-1]["text"],
                                           created_by=staff_id, now=self.clock())
            return "ok", draft

        outcome, draft_id = await self.store.call(atomically(work))
        if outcome == "missing":
            return _("There is no request #{number}.", number=ticket_id)
        if outcome == "no-answer":
            return _("#{number} has no staff answer yet: reply to its card first.", number=ticket_id)
        if outcome == "faq":
            return _("#{number} was answered with an FAQ entry (/faq): that answer is in the FAQ already. If the "
                     "member's words should find it, add them to the entry's alternates.", number=ticket_id)
        if outcome == "exists":
            return _("#{number} is already FAQ draft {draft}.", number=ticket_id, draft=draft_id)
        return _(
            "Saved as FAQ draft {draft} (from #{number}). An admin can review the drafts with: "
            "python bot.py faq drafts",
            draft=draft_id,
            number=ticket_id,
        )

    async def say(self, texts: Sequence[str], *, reply_to: int | None = None, ticket_id: int | None = None) -> None:
        """Queue plain messages to the staff group (command answers). With ``ticket_id`` they are mapped
        to the ticket, so replying to a /ticket transcript answers the member too."""
        now = self.clock()

        def work(db: Any) -> None:
            # "/ticket 999": the answer says there is no such request, and maps to nothing.
            mapped = ticket_id if ticket_id is not None and tk.get_ticket(db, ticket_id) is not None else None
            for text in texts:
                payload: dict[str, Any] = {"chat_id": self.staff_chat_id, "text": cards.fit(text),
                                           "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}
                if reply_to is not None:
                    payload["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
                if mapped is not None:
                    payload["_map"] = mapped
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage", payload=payload,
                               ticket_id=mapped, purpose="command", now=now)

        await self.store.call(atomically(work))
        self.wake()

    # ================================================================== scheduling
    def _schedule_digest(self, ticket_id: int, now: datetime) -> None:
        """Collect follow-ups: the first one starts the clock, later ones ride along."""
        self._digest_due.setdefault(ticket_id, now + self.digest_delay)

    async def tick(self, now: datetime) -> None:
        """Called by the sender on every pass: queue the digests (and card edits) that are due, and
        once a day drop outbox rows settled more than ``outbox_keep`` ago."""
        if self._next_purge is None or now >= self._next_purge:
            self._next_purge = now + timedelta(days=1)
            purged = await self.store.call(outbox.purge_settled, before=now - self.outbox_keep)
            if purged:
                log.info("outbox: %d delivered or abandoned calls older than %s deleted", purged, self.outbox_keep)
        stale = [t for t, when in self._last_notice.items() if now - when > self.notice_interval]
        for ticket_id in stale:  # keeps the dict small on a long-running bot
            self._last_notice.pop(ticket_id, None)
        due = [t for t, when in self._digest_due.items() if when <= now]
        if not due:
            return

        def work(db: Any) -> None:
            for ticket_id in due:
                if tk.get_ticket(db, ticket_id) is None:  # the member deleted their data meanwhile
                    continue
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage", payload={"_ticket": ticket_id},
                               ticket_id=ticket_id, purpose="digest", now=now)
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                               payload={"_ticket": ticket_id}, ticket_id=ticket_id, purpose="refresh", now=now)

        await self.store.call(atomically(work))
        for ticket_id in due:  # only once queued: a failed pass is tried again on the next one
            self._digest_due.pop(ticket_id, None)

    async def recover(self) -> int:
        """After a restart: reschedule digests for follow-ups that never reached the group."""

        def work(db: Any) -> list[int]:
            rows = db.execute(
                """
                SELECT DISTINCT tm.ticket_id FROM ticket_messages tm JOIN tickets t ON t.id = tm.ticket_id
                WHERE tm.author = 'member' AND tm.relayed = 0 AND tm.kind NOT IN (?, ?)
                  AND (tm.kind = 'text' OR (tm.file_id IS NULL AND tm.telegram_message_id IS NULL))
                """,
                [KIND_CONTEXT, KIND_REASON],
            ).fetchall()
            return [int(r[0]) for r in rows]

        ids = await self.store.call(atomically(work))
        now = self.clock()
        for ticket_id in ids:
            self._digest_due.setdefault(ticket_id, now)
        if ids:
            log.info("recovered %d ticket(s) with follow-ups not yet shown to staff", len(ids))
        return len(ids)

    async def _enqueue_refresh(self, ticket_id: int) -> None:
        await self.store.call(outbox.enqueue, chat_id=self.staff_chat_id, method="editMessageText",
                              payload={"_ticket": ticket_id}, ticket_id=ticket_id, purpose="refresh", now=self.clock())

    async def _enqueue_media(
        self,
        ticket: dict[str, Any],
        tm: int,
        *,
        kind: str,
        file_id: str | None,
        message_id: int | None,
        caption: str | None,
        member_chat_id: int,
    ) -> None:
        """Copy a member's photo/voice/file into the group as a reply to the card, captioned with whose."""
        cap = cards.media_caption(ticket, kind, caption, lang=self.staff_language)
        payload: dict[str, Any]
        if message_id is not None:
            method = "copyMessage"
            payload = {"chat_id": self.staff_chat_id, "from_chat_id": member_chat_id, "message_id": message_id}
        elif file_id and kind in SEND_BY_FILE:
            method, field = SEND_BY_FILE[kind]
            payload = {"chat_id": self.staff_chat_id, field: file_id}
        else:
            self._schedule_digest(ticket["id"], self.clock())
            return
        if kind in CAPTIONED:
            payload.update(caption=cap, parse_mode="HTML")
        payload.update(_reply_to_card=True, _tm=tm, _map=ticket["id"])
        await self.store.call(outbox.enqueue, chat_id=self.staff_chat_id, method=method, payload=payload,
                              ticket_id=ticket["id"], purpose="media", now=self.clock())

    def _enqueue_note_db(self, db: Any, ticket: dict[str, Any], text: str, now: datetime) -> None:
        payload = {"chat_id": self.staff_chat_id, "text": cards.render_note(ticket["id"], text), "parse_mode": "HTML",
                   "_reply_to_card": True, "_map": ticket["id"]}
        outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage", payload=payload, ticket_id=ticket["id"],
                       purpose="note", now=now)

    def _note_text(self, what: str, ticket: dict[str, Any], detail: str = "") -> str:
        _ = Translator(self.staff_language)
        name = cards.member_name(ticket)
        texts = {
            "thumbs-down": _("👎 {name} says the answer did not help. The request is open again.", name=name),
            "blocked": _(
                "{name} has blocked the bot or deleted the chat: the answer was NOT delivered. "
                "The member can only be reached another way.",
                name=name,
            ),
            "gone": _("The answer could not be delivered to {name}: {error}", name=name, error=cards.clip(detail, 300)),
            "card-failed": _("The card for this request could not be posted ({error}). See /ticket {number}.",
                             error=cards.clip(detail, 300), number=ticket["id"]),
            "edit-too-long": _("Your edit is too long for the message {name} already has, so their copy was NOT "
                               "changed. Send the correction as a new reply.", name=name),
            "edit-failed": _("{name}'s copy of your answer could not be changed ({error}). Send the correction "
                             "as a new reply.", name=name, error=cards.clip(detail, 300)),
            "edit-blocked": _("{name} has blocked the bot or deleted the chat: the correction was NOT delivered. "
                              "The member can only be reached another way.", name=name),
            "edit-unknown": _("This answer was sent before Puente could follow edits, so {name}'s copy was NOT "
                              "changed. Send the correction as a new reply.", name=name),
        }
        return texts[what]

    def _context(self, db: Any, member_id: int, question: str) -> list[dict[str, Any]]:
        """The last few messages before the escalation (not the question itself, not button presses,
        not the "[photo]" placeholders of media, which are copied to the group themselves).

        The member's question comes first: when the bot's replies and small talk would fill the
        lines (a question, its list of choices, a sticker and its "please write", a "hola?", then
        the photo that opens the ticket), the context starts at the member's last message that
        was not small talk, so staff see what was asked, not only what the bot said."""
        if not self.context_lines:
            return []
        rows = conv.recent_messages(db, member_id, limit=self.context_lines + CONTEXT_LOOKBACK)
        rows = [r for r in rows if r.get("kind") not in CONTEXT_SKIP_KINDS and (r.get("text") or "").strip()
                and not (r["direction"] == "in" and r.get("kind") != "text" and _placeholder(r.get("text") or ""))]
        if rows and rows[-1]["direction"] == "in" and (rows[-1].get("text") or "") == question:
            rows = rows[:-1]
        window = rows[-self.context_lines:]
        # (a "hola?" or "gracias" is not what was asked)
        said = [i for i, r in enumerate(rows) if r["direction"] == "in" and r.get("decision") != "smalltalk"]
        if said and rows[said[-1]] not in window:
            window = rows[said[-1]:said[-1] + self.context_lines]
        return window

    # ================================================================== sender hooks
    async def prepare(self, item: dict[str, Any]) -> Prepared | None:
        """Turn an outbox row into the call to make now (cards and digests are rendered at send time)."""
        purpose = item.get("purpose") or ""
        payload = dict(item["payload"])
        if purpose in ("card", "refresh", "digest"):
            return await self.store.call(self._render_db, purpose, int(payload["_ticket"]))
        if purpose == "answer-edit":
            return await self.store.call(self._render_edit, item)
        params = strip_meta(payload)
        if payload.get("_reply_to_card") and item.get("ticket_id"):
            ticket = await self.store.call(tk.get_ticket, int(item["ticket_id"]))
            if ticket and ticket.get("card_message_id"):
                params["reply_parameters"] = {"message_id": ticket["card_message_id"],
                                              "allow_sending_without_reply": True}
        return Prepared(item["method"], params, after={k: v for k, v in payload.items() if k.startswith("_")})

    def _render_db(self, db: Any, purpose: str, ticket_id: int) -> Prepared | None:
        ticket = tk.get_ticket(db, ticket_id)
        if ticket is None:
            return None
        # The flag is the language the member is answered in: the one they chose since, if they did
        # (session 15's review: the card said 🇺🇸 EN while staff answers went out in Spanish).
        ticket = dict(ticket, lang=self._member_lang_db(db, ticket))
        messages = tk.ticket_messages(db, ticket_id)
        lang = self.staff_language
        buttons = markup(cards.card_buttons(ticket, lang))
        if purpose == "refresh" and not ticket.get("card_message_id") and ticket["state"] != "closed" \
                and not outbox.has_pending(db, ticket_id, ("card", "card-fallback")):
            # No card anywhere (the group moved while the request was closed, and it was reopened
            # since): post one, or staff would only see loose notes without the question or buttons.
            purpose = "card"
        if purpose == "card":
            text = cards.render_card(ticket, messages, lang=lang, faq_title=self.faq_title)
            seen = [m["id"] for m in messages if m["author"] == "member" and not m["relayed"]
                    and not _relayed_by_copy(m)]
            return Prepared("sendMessage", {"chat_id": self.staff_chat_id, "text": text, "parse_mode": "HTML",
                                            "reply_markup": buttons, "link_preview_options": {"is_disabled": True}},
                            after={"_ticket": ticket_id, "_relayed": seen, "_card": True})
        if purpose == "refresh":
            if not ticket.get("card_message_id"):
                return None  # the card itself is still queued and will be rendered fresh
            text = cards.render_card(ticket, messages, lang=lang, faq_title=self.faq_title)
            return Prepared("editMessageText", {"chat_id": ticket["card_chat_id"] or self.staff_chat_id,
                                                "message_id": ticket["card_message_id"], "text": text,
                                                "parse_mode": "HTML", "reply_markup": buttons,
                                                "link_preview_options": {"is_disabled": True}})
        new = [m for m in messages if m["author"] == "member" and not m["relayed"] and _is_thread_message(m)
               and not _relayed_by_copy(m)]
        if not new:
            return None
        params: dict[str, Any] = {"chat_id": self.staff_chat_id, "text": cards.render_digest(ticket, new, lang=lang),
                                  "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}
        if ticket.get("card_message_id"):
            params["reply_parameters"] = {"message_id": ticket["card_message_id"], "allow_sending_without_reply": True}
        return Prepared("sendMessage", params, after={"_map": ticket_id, "_relayed": [m["id"] for m in new]})

    def _render_edit(self, db: Any, item: dict[str, Any]) -> Prepared | None:
        """The edit of a member's copy of a staff answer, built at send time: only then is it known
        where the answer landed (it may have been queued behind other messages to that member)."""
        payload = item["payload"]
        row = tk.get_ticket_message(db, int(payload["_edit"]))
        ticket = tk.get_ticket(db, int(item["ticket_id"])) if item.get("ticket_id") else None
        if row is None or ticket is None:
            return None  # forgotten meanwhile: nothing to correct
        if not row.get("member_message_id"):
            if row.get("relayed"):  # delivered before Puente remembered where (an older version)
                self._enqueue_note_db(db, ticket, self._note_text("edit-unknown", ticket), self.clock())
            return None  # never delivered (blocked, failed): staff were told then
        lang = self._member_lang_db(db, ticket)
        body = str(payload.get("_html") or "")
        prefix = cards.answer_prefix(self.display_name(row.get("author_name")), lang=lang)
        buttons = markup(cards.feedback_buttons(ticket["id"], lang))
        params: dict[str, Any] = {"chat_id": ticket["chat_id"], "message_id": row["member_message_id"],
                                  "parse_mode": "HTML", "reply_markup": buttons}
        after = {k: payload.get(k) for k in ("_log", "_edit", "_text", "_html")}
        delivery = row.get("delivery")
        # Telegram limits what the member sees, not the HTML that formats it.
        if delivery == "text" or (delivery == "copy" and row["kind"] == "text"):
            text = f"{prefix}\n{body}" if delivery == "text" else body
            if body and cards.utf16_len(plain(text)) <= cards.TEXT_LIMIT:
                return Prepared("editMessageText",
                                {**params, "text": text, "link_preview_options": {"is_disabled": True}}, after=after)
        elif delivery in ("caption", "copy"):
            caption = (f"{prefix}\n{body}" if body else prefix) if delivery == "caption" else body
            if cards.utf16_len(plain(caption)) <= cards.CAPTION_LIMIT:
                return Prepared("editMessageCaption", {**params, "caption": caption}, after=after)
        # Too long for the message the member has: staff must send the correction as a new reply.
        self._enqueue_note_db(db, ticket, self._note_text("edit-too-long", ticket), self.clock())
        return None  # the sender goes on to the note at once: this row counts as settled

    async def unreachable(self, chat_id: int, error: SendError) -> None:
        """The staff group refuses messages (the bot was removed, the id is wrong): requests pile
        up unseen while the only trace is an ERROR in a log nobody reads. Admins get a private
        message, once per outage (and another when the group is back, see record_sent)."""
        if chat_id != self.staff_chat_id or not self.admin_ids or await self._outage_told():
            return
        self._alerted = True
        now = self.clock()

        def work(db: Any) -> None:
            _ = Translator(self.staff_language)
            text = _("⚠️ Puente cannot post in the staff group ({error}). Members' requests are kept and will be "
                     "delivered when it is back ({count} messages waiting). Check that the bot is still a member "
                     "of the group and that PUENTE_STAFF_CHAT_ID is right.",
                     error=cards.esc(cards.clip(str(error), 200)), count=outbox.pending_count(db))
            self._alert_admins_db(db, text, now)

        await self.store.call(atomically(work))
        log.error("staff group %s unreachable: admins %s were told", chat_id, sorted(self.admin_ids))
        self.wake()

    async def sent(self, item: dict[str, Any]) -> None:
        """A call was delivered and recorded: a staff-group delivery ends an outage admins were told of."""
        if int(item["chat_id"]) != self.staff_chat_id or not self.admin_ids or not await self._outage_told():
            return
        self._alerted = False
        _ = Translator(self.staff_language)
        text = _("✅ The staff group accepts messages again: the queued requests are being delivered.")
        await self.store.call(atomically(lambda db: self._alert_admins_db(db, text, self.clock(), "alert-over")))
        self.wake()

    async def _outage_told(self) -> bool:
        """Whether admins were told the staff group is unreachable and not yet that it is back.

        Kept in memory once known; at the first need after a start it is read from the outbox,
        where both messages wait and stay for ``outbox_keep``: the latest of them says."""
        if self._alerted is None:
            def work(db: Any) -> bool:
                row = db.execute("SELECT purpose FROM outbox WHERE purpose IN ('alert', 'alert-over') "
                                 "ORDER BY id DESC LIMIT 1").fetchone()
                return bool(row and row[0] == "alert")

            self._alerted = await self.store.call(work)
        return self._alerted

    def _alert_admins_db(self, db: Any, text: str, now: datetime, purpose: str = "alert") -> None:
        """Queue ``text`` for every admin: ``purpose`` ``alert`` for an outage, ``alert-over`` when it ends."""
        for admin in sorted(self.admin_ids):  # an admin's private chat has their user id
            outbox.enqueue(db, chat_id=admin, method="sendMessage",
                           payload={"chat_id": admin, "text": text, "parse_mode": "HTML"}, purpose=purpose, now=now)

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """The sender learned from Telegram that a chat has a new id (see OutboxSender)."""
        if old_chat_id == self.staff_chat_id:
            await self.move_staff_chat(new_chat_id)
        else:
            await self.store.call(outbox.readdress, old_chat_id, new_chat_id)

    async def move_staff_chat(self, new_chat_id: int) -> bool:
        """Follow the staff group to its new id: Telegram gives a group a new id when it becomes a
        supergroup (it can happen when the bot is made an admin, as the README asks).

        Queued messages are re-addressed; open requests whose card was in the old group get a
        fresh card in the new one (staff could no longer act on the old card); ``on_move``
        callbacks let the Telegram layer follow (handler filter, send limits, command menu).
        Returns False when the desk is already there. The setting is not rewritten: the log says
        to update PUENTE_STAFF_CHAT_ID, and until then every restart follows the move again.
        """
        old = self.staff_chat_id
        if new_chat_id == old:
            return False
        now = self.clock()

        def work(db: Any) -> int:
            outbox.readdress(db, old, new_chat_id)
            stranded = [t["id"] for t in tk.list_tickets(db, states=("open", "claimed", "answered"), limit=500)
                        if t.get("card_chat_id") == old]
            db.execute("UPDATE tickets SET card_chat_id = NULL, card_message_id = NULL WHERE card_chat_id = ?", [old])
            for ticket_id in stranded:
                outbox.enqueue(db, chat_id=new_chat_id, method="sendMessage", payload={"_ticket": ticket_id},
                               ticket_id=ticket_id, purpose="card", now=now)
            return len(stranded)

        reposted = await self.store.call(atomically(work))
        self.staff_chat_id = new_chat_id
        log.error(
            "STAFF GROUP MOVED: Telegram upgraded group %s to a supergroup with id %s. The desk follows it now "
            "(%d open request card(s) posted again there). Set PUENTE_STAFF_CHAT_ID=%s so the next start "
            "begins there.", old, new_chat_id, reposted, new_chat_id,
        )
        for callback in self.on_move:
            callback(old, new_chat_id)
        self.wake()
        return True

    def record_sent(self, db: Any, item: dict[str, Any], prepared: Prepared, message_id: int | None) -> None:
        """Record what a delivered call means: card location, staff-message routing, relayed flags.
        Runs in the sender's transaction that marks the call sent (see OutboxSender._process)."""
        after = prepared.after
        purpose = item.get("purpose") or ""
        chat_id = int(item["chat_id"])
        if (purpose in ("card", "card-fallback") or after.get("_card")) and message_id is not None:
            tk.set_card(db, int(after["_ticket"]), chat_id=chat_id, message_id=message_id)
        if after.get("_map") is not None and message_id is not None:
            tk.map_staff_message(db, chat_id, message_id, int(after["_map"]))
        for tm in after.get("_relayed", []):
            tk.mark_relayed(db, int(tm))
        if after.get("_tm") is not None:
            tk.mark_relayed(db, int(after["_tm"]))
            if after.get("_delivery") and message_id is not None:
                tk.set_member_copy(db, int(after["_tm"]), message_id=message_id, delivery=str(after["_delivery"]))
        if after.get("_log") is not None and message_id is not None:
            conv.set_telegram_message_id(db, int(after["_log"]), message_id)
        if purpose == "answer-edit" and after.get("_edit") is not None:
            self._edit_accepted_db(db, after)

    def _edit_accepted_db(self, db: Any, after: dict[str, Any]) -> None:
        """Telegram changed the member's copy: now the thread, the card and an FAQ draft made
        from that answer show the corrected text (before, they would show what the member never got)."""
        row = tk.get_ticket_message(db, int(after["_edit"]))
        if row is None:
            return
        text = str(after.get("_text") or "")
        tk.set_ticket_message_text(db, row["id"], text, after.get("_html"))
        drafts_db.replace_answer(db, ticket_id=row["ticket_id"], old=row.get("text") or "", new=text)
        outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText", payload={"_ticket": row["ticket_id"]},
                       ticket_id=row["ticket_id"], purpose="refresh", now=self.clock())

    async def undeliverable(self, item: dict[str, Any], error: SendError) -> None:
        """A call Telegram will never accept. Staff must hear about it in the group."""
        purpose = item.get("purpose") or ""
        ticket_id = item.get("ticket_id")
        if ticket_id is None:
            return
        now = self.clock()

        def work(db: Any) -> bool:
            ticket = tk.get_ticket(db, int(ticket_id))
            if ticket is None:
                return False
            if purpose == "answer-edit":
                what = "edit-blocked" if isinstance(error, (Blocked, ChatGone)) else "edit-failed"
                text = self._note_text(what, ticket, str(error))
                self._enqueue_note_db(db, ticket, text, now)
                return True
            if purpose == "answer" and "_delivery" not in (item.get("payload") or {}):
                return False  # the heading of a two-part answer: the part carrying the answer reports
            if purpose == "answer":
                what = "blocked" if isinstance(error, (Blocked, ChatGone)) else "gone"
                text = self._note_text(what, ticket, str(error))
                tk.add_ticket_message(db, ticket["id"], author="system", kind=KIND_NOTE, text=text, relayed=True,
                                      now=now)
                self._enqueue_note_db(db, ticket, text, now)
                if ticket["state"] == "answered":
                    # Not answered as far as the member knows (session 15's review: the card said
                    # "Answered", /queue was empty, and the member's messages after unblocking the
                    # bot got "let's try again" instead of reaching the request).
                    tk.transition(db, ticket["id"], "open", now=now)
                    outbox.enqueue(db, chat_id=self.staff_chat_id, method="editMessageText",
                                   payload={"_ticket": ticket["id"]}, ticket_id=ticket["id"], purpose="refresh",
                                   now=now)
                return True
            if purpose == "card":
                # Never leave a ticket without anything in the group: post a minimal plain card.
                text = cards.render_note(ticket["id"], self._note_text("card-failed", ticket, str(error)))
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage",
                               payload={"chat_id": self.staff_chat_id, "text": text, "parse_mode": "HTML",
                                        "_ticket": ticket["id"]},
                               ticket_id=ticket["id"], purpose="card-fallback", now=now)
                return True
            if purpose == "refresh" and isinstance(error, MessageGone):
                # Someone deleted the card: post it again so the ticket stays visible and answerable.
                outbox.enqueue(db, chat_id=self.staff_chat_id, method="sendMessage", payload={"_ticket": ticket["id"]},
                               ticket_id=ticket["id"], purpose="card", now=now)
                return True
            return False

        if await self.store.call(atomically(work)):
            log.error("ticket #%s: %s could not be delivered (%s); staff are told in the group", ticket_id, purpose,
                      error)
            self.wake()


def _candidate_dict(c: Any) -> dict[str, Any]:
    if isinstance(c, dict):
        return {"id": c.get("id") or c.get("entry_id"), "score": float(c.get("score") or 0)}
    return {"id": getattr(c, "entry_id", str(c)), "score": float(getattr(c, "score", 0) or 0)}


def _member_lang(member: Any) -> str:
    code = (getattr(member, "language_code", None) or "").lower()
    return "en" if code.startswith("en") else "es"


def _member_waiting(db: Any, ticket: dict[str, Any]) -> bool:
    """Whether the member of an open or claimed request waits for a person: nobody answered it
    yet, or the member wrote again or voted 👎 after the last answer (each time they were told "a
    person will answer you here"). Not after staff reopened it themselves (/reopen)."""
    if ticket["state"] not in tk.ACTIVE_STATES:
        return False
    if not ticket.get("first_reply_at"):
        return True
    for msg in reversed(tk.ticket_messages(db, int(ticket["id"]))):
        if msg["author"] == "staff" and msg.get("kind") != KIND_INTERNAL:
            return False
        if msg["author"] == "member" and not (msg.get("kind") == "feedback" and msg.get("text") == "👍"):
            return True
    return False


def _latest_ticket(db: Any, member_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT id FROM tickets WHERE member_id = ? ORDER BY id DESC LIMIT 1", [member_id]).fetchone()
    return tk.get_ticket(db, int(row[0])) if row else None
