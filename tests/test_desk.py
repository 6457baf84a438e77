"""Desk logic on a real SQLite Store, with a recording transport and a hand-driven clock.

The sender is driven with ``run_once()`` and the clock is advanced by hand, so retries and
digests are tested without sleeping and without timing assertions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conversation.pipeline import Member
from desk.desk import StaffDesk
from desk.hours import OfficeHours
from desk.sender import Blocked, ChatGone, OutboxSender, RetryLater, SendError, Transient
from faq.matcher import Candidate
from storage import conversations as conv
from storage import drafts as drafts_db
from storage import outbox
from storage import tickets as tk
from storage.store import Store

STAFF = -1001234
ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")
JOHN = Member(id=202, chat_id=202, first_name="John", language_code="en")
MONDAY_10_GT = datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # 10:00 in Guatemala: office open


class Clock:
    def __init__(self, now: datetime = MONDAY_10_GT) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Sent:
    method: str
    params: dict[str, Any]
    message_id: int


class FakeTransport:
    """Records calls; ``fail(exc, when=...)`` makes matching calls raise until cleared."""

    def __init__(self) -> None:
        self.calls: list[Sent] = []
        self.attempts: list[tuple[str, dict[str, Any]]] = []
        self.rules: list[tuple[Callable[[str, dict[str, Any]], bool], SendError, int | None]] = []
        self._next = 500

    def fail(self, exc: SendError, when: Callable[[str, dict[str, Any]], bool] = lambda m, p: True,
             times: int | None = 1) -> None:
        self.rules.append((when, exc, times))

    async def __call__(self, method: str, params: dict[str, Any]) -> int | None:
        self.attempts.append((method, params))
        for i, (when, exc, times) in enumerate(self.rules):
            if when(method, params):
                if times is not None:
                    if times <= 1:
                        self.rules.pop(i)
                    else:
                        self.rules[i] = (when, exc, times - 1)
                raise exc
        self._next += 1
        self.calls.append(Sent(method, params, self._next))
        return self._next

    def to(self, chat_id: int, method: str | None = None) -> list[Sent]:
        return [c for c in self.calls if c.params.get("chat_id") == chat_id and (method is None or c.method == method)]


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_desk(store: Store, clock: Clock, **kw: Any) -> StaffDesk:
    return StaffDesk(store, staff_chat_id=STAFF, staff_language="en", clock=clock, hours=OfficeHours(), **kw)


def make_sender(store: Store, transport: FakeTransport, desk: StaffDesk, clock: Clock, **kw: Any) -> OutboxSender:
    return OutboxSender(store, transport, hooks=desk, limited_chats=frozenset({STAFF}), per_minute=1000,
                        clock=clock, tick=desk.tick, **kw)


@pytest.fixture
def transport() -> FakeTransport:
    return FakeTransport()


@pytest.fixture
def desk(store: Store, clock: Clock) -> StaffDesk:
    return make_desk(store, clock)


@pytest.fixture
def sender(store: Store, transport: FakeTransport, desk: StaffDesk, clock: Clock) -> OutboxSender:
    return make_sender(store, transport, desk, clock)


def q(store: Store, sql: str, params: tuple = ()) -> list[dict]:
    return store.call_sync(lambda db: [dict(r) for r in db.query(sql, params)])


async def drain(sender: OutboxSender, rounds: int = 10) -> None:
    for _ in range(rounds):
        if not await sender.run_once():
            return


async def ask(store: Store, desk: StaffDesk, member: Member, text: str, *, reason: str = "no-match",
              lang: str = "es") -> str:
    """What the pipeline does: log the inbound message, then escalate."""
    await store.call(conv.log_inbound, member_id=member.id, chat_id=member.chat_id, text=text)
    return await desk.escalate(member, lang=lang, question=text, candidates=[Candidate("migrant-cost", 61.0)],
                               reason=reason)


# ---------------------------------------------------------------------------------------- escalation
async def test_the_bots_earlier_replies_reach_the_card_as_text_not_markup(store: Store, desk: StaffDesk) -> None:
    """Session 12's review: the card and /ticket showed "&lt;b&gt;How much…&lt;/b&gt;" to staff:
    the logged reply is Telegram HTML, and the card escapes what it copies."""
    await store.call(conv.log_inbound, member_id=ANA.id, chat_id=ANA.chat_id, text="<b>hola</b> & adios")
    await store.call(conv.log_outbound, member_id=ANA.id, chat_id=ANA.chat_id,
                     text="<b>¿Cuánto cuesta?</b> Q1,000 &amp; más")
    await ask(store, desk, ANA, "quiero hablar con una persona", reason="human")
    context = [r["text"] for r in q(store, "select text from ticket_messages where kind = 'context' order by id")]
    assert context == ["<b>hola</b> & adios", "¿Cuánto cuesta? Q1,000 & más"]  # the member's text as typed


async def test_escalation_opens_one_ticket_and_queues_its_card(store: Store, desk: StaffDesk) -> None:
    await store.call(conv.log_inbound, member_id=ANA.id, chat_id=ANA.chat_id, text="hola")
    notice = await ask(store, desk, ANA, "mi patrono no me paga el IGSS")
    [ticket] = q(store, "select * from tickets")
    assert ticket["member_id"] == ANA.id and ticket["state"] == "open" and ticket["lang"] == "es"
    assert f"#{ticket['id']}" in notice
    [card] = q(store, "select * from outbox")
    assert card["chat_id"] == STAFF and card["purpose"] == "card" and card["ticket_id"] == ticket["id"]
    thread = q(store, "select author, kind, text from ticket_messages order by id")
    assert {"author": "system", "kind": "reason", "text": "no-match"} in thread
    assert {"author": "member", "kind": "context", "text": "hola"} in thread  # earlier chat, for context
    assert thread[-1] == {"author": "member", "kind": "text", "text": "mi patrono no me paga el IGSS"}
    # Escalating again while open joins the same ticket instead of making another card.
    again = await ask(store, desk, ANA, "es urgente", reason="human")
    assert len(q(store, "select * from tickets")) == 1 and len(q(store, "select * from outbox")) == 1
    assert f"#{ticket['id']}" in again


async def test_the_transcript_says_why_the_request_came_to_staff_as_the_card_does(
    store: Store, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    """Session 17's review: the card said "Asked to talk to a person"; /ticket N did not say why."""
    await ask(store, make_desk(store, clock), ANA, "quiero hablar con una persona", reason="human")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].params["text"]
    assert "<i>Asked to talk to a person</i>" in card
    [transcript] = await make_desk(store, clock).ticket_texts(1)
    assert transcript.split("\n")[1] == "<i>Asked to talk to a person</i>"  # under the head line, as on the card
    spanish = StaffDesk(store, staff_chat_id=STAFF, staff_language="es", clock=clock, hours=OfficeHours())
    [transcript] = await spanish.ticket_texts(1)
    assert transcript.split("\n")[1] == "<i>Pidió hablar con una persona</i>"


async def test_outside_office_hours_the_member_is_told_when_staff_are_back(store: Store, clock: Clock) -> None:
    clock.now = datetime(2025, 3, 15, 16, 0, tzinfo=UTC)  # Saturday
    desk = make_desk(store, clock)
    notice = await ask(store, desk, JOHN, "question nobody can answer", lang="en")
    assert "closed" in notice and "#1" in notice
    clock.now = MONDAY_10_GT
    notice = await ask(store, make_desk(store, clock), ANA, "otra pregunta")
    assert "closed" not in notice


async def test_follow_ups_are_added_and_coalesced_into_one_digest(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    await ask(store, desk, ANA, "necesito ayuda", reason="human")
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == 1  # the card
    notices = [await desk.follow_up(ANA, lang="es", text=f"línea {i}") for i in range(20)]
    assert all(n == "" for n in notices)  # just told them; don't repeat it 20 times
    # ... but asking for a person while waiting is always acknowledged (session 15's review)
    assert "#1" in (await desk.follow_up(ANA, lang="es", text="¿me pasan con alguien?", insist=True) or "")
    assert await desk.follow_up(ANA, lang="es", text="línea 20") == ""
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == 1  # nothing yet: the digest waits
    clock.advance(seconds=61)
    await drain(sender)
    digests = transport.to(STAFF, "sendMessage")[1:]
    assert len(digests) == 1
    assert "22 more messages" in digests[0].params["text"] and "línea 20" in digests[0].params["text"]
    card_id = transport.calls[0].message_id
    assert digests[0].params["reply_parameters"]["message_id"] == card_id
    [edit] = transport.to(STAFF, "editMessageText")
    assert edit.params["message_id"] == card_id and "línea 20" in edit.params["text"]
    assert q(store, "select count(*) n from ticket_messages where author='member' and relayed=0")[0]["n"] == 0
    # Replying to the digest reaches the same ticket.
    assert await desk.ticket_for_reply(digests[0].message_id) == 1
    # Nothing new → the next pass sends nothing.
    clock.advance(minutes=5)
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == 2
    # Much later the member is reminded that the message was added.
    clock.advance(minutes=15)
    assert "#1" in (await desk.follow_up(ANA, lang="es", text="¿hola?") or "")


async def test_follow_up_without_a_ticket_returns_none(desk: StaffDesk) -> None:
    assert await desk.follow_up(JOHN, lang="en", text="hello") is None


async def test_per_member_rate_limit_reuses_the_latest_ticket(store: Store, clock: Clock) -> None:
    desk = make_desk(store, clock, max_new_tickets=2)
    for i in range(2):
        await ask(store, desk, ANA, f"pregunta {i}")
        await desk.act("close", i + 1, staff_id=9, staff_name="Luis")
        clock.advance(minutes=1)
    notice = await ask(store, desk, ANA, "pregunta 3")
    tickets = q(store, "select id, state from tickets order by id")
    assert len(tickets) == 2 and tickets[-1]["state"] == "open"  # reopened, not a third card
    assert "#2" in notice
    assert q(store, "select count(*) n from outbox where purpose='card'")[0]["n"] == 2
    # Another member is not affected, and after the window Ana may open a new one.
    await ask(store, desk, JOHN, "other", lang="en")
    await desk.act("close", 2, staff_id=9, staff_name="Luis")
    clock.advance(hours=2)
    await ask(store, desk, ANA, "pregunta 4")
    assert len(q(store, "select id from tickets")) == 4


async def test_media_opens_and_joins_tickets_and_is_copied_to_the_group(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    notice = await desk.escalate(ANA, lang="es", question="", candidates=[], reason="media", kind="photo",
                                 file_id="F1", message_id=77)
    assert "#1" in notice
    await desk.follow_up(ANA, lang="es", text="", kind="voice", file_id="V1")
    await drain(sender)
    card, copy, voice = transport.to(STAFF)
    assert card.method == "sendMessage" and "🟢" in card.params["text"]
    assert copy.method == "copyMessage" and copy.params["from_chat_id"] == ANA.chat_id
    assert copy.params["message_id"] == 77 and copy.params["reply_parameters"]["message_id"] == card.message_id
    assert "#1" in copy.params["caption"]
    assert voice.method == "sendVoice" and voice.params["voice"] == "V1"
    assert await desk.ticket_for_reply(copy.message_id) == 1 and await desk.ticket_for_reply(voice.message_id) == 1
    assert q(store, "select count(*) n from ticket_messages where relayed=0")[0]["n"] == 0


async def test_a_photo_opening_a_ticket_keeps_the_members_question_on_the_card(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    """Third review (high): a question, the bot's list, a sticker and its "please write", then a
    photo: the four context lines were the bot's replies and placeholders, and the card and
    /ticket N never showed what the member had asked."""
    def say(direction: str, text: str, kind: str = "text", decision: str | None = None) -> None:
        def work(db: Any) -> None:
            if direction == "out":
                conv.log_outbound(db, member_id=ANA.id, chat_id=ANA.chat_id, text=text, now=clock.now)
                return
            row = conv.log_inbound(db, member_id=ANA.id, chat_id=ANA.chat_id, text=text, kind=kind, now=clock.now)
            if decision:
                conv.record_decision(db, row, lang="es", decision=decision, faq_id=None, score=0.0, latency_ms=1.0)
        store.call_sync(work)
        clock.advance(seconds=20)

    say("in", "mi papa trabajo 20 años en una finca y nunca lo inscribieron, puede cobrar pension?", decision="suggest")
    say("out", "No estoy seguro de haberle entendido. ¿Su pregunta es alguna de estas?")
    say("in", "[sticker]", "sticker")
    say("out", "Solo puedo leer mensajes de texto.")
    say("in", "hola?", decision="smalltalk")
    say("out", "¡Hola! ¿Qué le gustaría saber?")
    say("in", "[photo]", "photo")
    await desk.escalate(ANA, lang="es", question="", candidates=[], reason="media", kind="photo",
                        file_id="F1", message_id=77)
    context = [r["text"] for r in q(store, "select text from ticket_messages where kind = 'context' order by id")]
    assert context[0].startswith("mi papa trabajo 20 años")
    assert "[sticker]" not in context and "[photo]" not in context
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].params["text"]
    assert "nunca lo inscribieron" in card
    shown = "\n".join(await desk.ticket_texts(1))
    assert "nunca lo inscribieron" in shown


# ---------------------------------------------------------------------------------------- answering
async def answer(desk: StaffDesk, reply_to: int, text: str = "Puede pagar en el banco.", **kw: Any) -> int | None:
    return await desk.staff_reply(reply_to_message_id=reply_to, message_id=kw.pop("message_id", 9000), staff_id=7,
                                  staff_name="Luis", text=text, **kw)


async def answered(store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, question: str,
                   reply: str, **kw: Any) -> None:
    """Ana asks, the card goes out, Luis answers (staff message 9000 unless ``message_id``; ``kw``
    as for :func:`answer`) and the answer is delivered."""
    await ask(store, desk, ANA, question)
    await drain(sender)
    await answer(desk, transport.calls[0].message_id, reply, **kw)
    await drain(sender)


async def test_staff_reply_reaches_the_member_with_prefix_and_buttons(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿dónde pago?")
    await drain(sender)
    card = transport.calls[0]
    assert await answer(desk, card.message_id, "Puede pagar <en> el banco.") == 1
    await drain(sender)
    [to_member] = transport.to(ANA.chat_id)
    assert to_member.method == "sendMessage"
    assert "Luis" in to_member.params["text"] and "&lt;en&gt;" in to_member.params["text"]
    datas = [b["callback_data"] for row in to_member.params["reply_markup"]["inline_keyboard"] for b in row]
    assert datas == ["sfb:1:1", "sfb:1:-1"]
    [ticket] = q(store, "select * from tickets")
    assert ticket["state"] == "answered" and ticket["staff_name"] == "Luis" and ticket["first_reply_at"]
    [out] = q(store, "select * from messages where decision='staff'")
    assert out["direction"] == "out" and out["telegram_message_id"] == to_member.message_id
    assert q(store, "select relayed from ticket_messages where author='staff'")[0]["relayed"] == 1
    assert "Answered by Luis" in transport.to(STAFF, "editMessageText")[-1].params["text"]
    # Not a ticket message → not routed anywhere.
    assert await answer(desk, 424242) is None


async def test_staff_label_replaces_the_first_name(
    store: Store, clock: Clock, transport: FakeTransport
) -> None:
    desk = make_desk(store, clock, staff_label="IGSS staff")
    sender = make_sender(store, transport, desk, clock)
    await ask(store, desk, JOHN, "help", lang="en")
    await drain(sender)
    await answer(desk, transport.calls[0].message_id, "Hi John")
    await drain(sender)
    text = transport.to(JOHN.chat_id)[0].params["text"]
    assert "IGSS staff" in text and "Luis" not in text


async def test_staff_photo_is_copied_with_the_prefix_as_caption(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await answered(store, desk, sender, transport, "¿qué formulario?", "Este", kind="photo", file_id="P",
                   message_id=9100)
    [copy] = transport.to(ANA.chat_id)
    assert copy.method == "copyMessage" and copy.params["from_chat_id"] == STAFF and copy.params["message_id"] == 9100
    assert "Luis" in copy.params["caption"] and "Este" in copy.params["caption"]


async def test_thumbs_down_reopens_and_tells_staff(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿dónde pago?")
    await drain(sender)
    await answer(desk, transport.calls[0].message_id)
    await drain(sender)
    assert "no longer available" in await desk.feedback(JOHN, 1, -1)  # not John's ticket: refused
    assert q(store, "select state from tickets")[0]["state"] == "answered"
    reply = await desk.feedback(ANA, 1, -1)
    assert "#1" in reply
    assert q(store, "select state, reopen_count from tickets")[0] == {"state": "open", "reopen_count": 1}
    await drain(sender)
    note = transport.to(STAFF, "sendMessage")[-1]
    assert "👎" in note.params["text"]
    assert note.params["reply_parameters"]["message_id"] == transport.calls[0].message_id
    # A double tap is one vote: staff are told once (session 15's review: the request was reopened
    # twice); the other button after it is a change of mind.
    assert await desk.feedback(ANA, 1, -1) == ""
    await drain(sender)
    assert len([c for c in transport.to(STAFF, "sendMessage") if "👎" in c.params["text"]]) == 1
    assert q(store, "select reopen_count from tickets")[0]["reopen_count"] == 1
    assert "Gracias" in await desk.feedback(ANA, 1, 1)
    # the next staff answer can get a 👎 again
    await answer(desk, transport.calls[0].message_id)
    await drain(sender)
    assert "#1" in await desk.feedback(ANA, 1, -1)


async def test_claim_close_reopen_rules(store: Store, desk: StaffDesk) -> None:
    await ask(store, desk, ANA, "x")
    assert "yours" in await desk.act("claim", 1, staff_id=7, staff_name="Luis")
    assert "already claimed by Luis" in await desk.act("claim", 1, staff_id=8, staff_name="Eva")
    assert "already claimed" in await desk.act("claim", 1, staff_id=7, staff_name="Luis")
    assert "closed" in await desk.act("close", 1, staff_id=8, staff_name="Eva")
    assert q(store, "select state from tickets")[0]["state"] == "closed"
    assert "cannot" in await desk.act("claim", 1, staff_id=8, staff_name="Eva")
    # Two colleagues closing it, or a double tap on ✖️: not "cannot do that now" (review 12)
    assert await desk.act("close", 1, staff_id=7, staff_name="Luis") == "#1 is already closed."
    assert "reopened" in await desk.act("reopen", 1, staff_id=8, staff_name="Eva")
    assert "There is no request #99" in await desk.act("close", 99, staff_id=8, staff_name="Eva")


async def test_promote_saves_a_draft_and_commands_render(store: Store, desk: StaffDesk, clock: Clock,
                                                          sender: OutboxSender, transport: FakeTransport) -> None:
    await ask(store, desk, ANA, "¿Puedo pagar en línea?")
    assert "no staff answer" in await desk.promote(1, staff_id=7)
    await drain(sender)
    await answer(desk, transport.calls[0].message_id, "Sí, en la agencia virtual.")
    assert "draft" in await desk.promote(1, staff_id=7)
    [draft] = await store.call(drafts_db.list_drafts)
    assert draft["question"] == "¿Puedo pagar en línea?" and draft["answer"] == "Sí, en la agencia virtual."
    await ask(store, desk, JOHN, "help", lang="en")
    [queue] = await desk.queue_texts()
    assert "#2" in queue and "#1" not in queue  # #1 is answered
    transcript = "\n".join(await desk.ticket_texts(1))
    assert "agencia virtual" in transcript and "Luis" in transcript
    stats = await desk.stats_text()
    assert "Passed to staff: 2" in stats


# ---------------------------------------------------------------------------------------- /faq
FAQ_TEXTS = {
    ("migrant-cost", "en"): ("How much does it cost?\n\nQ1,000 a month.",
                             "<b>How much does it cost?</b>\n\nQ1,000 a month."),
    ("migrant-cost", "es"): ("¿Cuánto cuesta?\n\nQ1,000 al mes.", "<b>¿Cuánto cuesta?</b>\n\nQ1,000 al mes."),
    ("migrant-pay-from-us", "en"): ("How do I pay from the US?\n\nAt a partner bank.",
                                    "<b>How do I pay from the US?</b>\n\nAt a partner bank."),
}


def faq_desk(store: Store, clock: Clock) -> StaffDesk:
    return make_desk(store, clock, faq_title=lambda e, lang: FAQ_TEXTS.get((e, lang), (None,))[0],
                     faq_answer=lambda e, lang: FAQ_TEXTS.get((e, lang)))


async def ana_asks_the_faq_desk(store: Store, transport: FakeTransport,
                                clock: Clock) -> tuple[StaffDesk, OutboxSender, Sent]:
    """A desk that knows FAQ_TEXTS; Ana asks "¿cuánto cuesta?" and her card is posted (returned)."""
    desk = faq_desk(store, clock)
    sender = make_sender(store, transport, desk, clock)
    await ask(store, desk, ANA, "¿cuánto cuesta?")
    await drain(sender)
    return desk, sender, transport.calls[0]


async def test_faq_command_sends_the_entry_in_the_members_language(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    """A Spanish-speaking team answers an English-speaking member with the curated English text."""
    desk = faq_desk(store, clock)
    sender = make_sender(store, transport, desk, clock)
    await ask(store, desk, JOHN, "how much is it", lang="en")
    await drain(sender)
    card = transport.calls[0]
    assert "1. 61 · <code>migrant-cost</code> How much does it cost?" in card.params["text"]
    assert "/faq 1" in card.params["text"]
    assert await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9000, staff_id=7,
                                staff_name="Luis", ref="1") == 1
    await drain(sender)
    [to_member] = transport.to(JOHN.chat_id)
    assert "Luis" in to_member.params["text"] and "<b>How much does it cost?</b>\n\nQ1,000 a month." in \
        to_member.params["text"]
    datas = [b["callback_data"] for row in to_member.params["reply_markup"]["inline_keyboard"] for b in row]
    assert datas == ["sfb:1:1", "sfb:1:-1"]
    [ticket] = q(store, "select * from tickets")
    assert ticket["state"] == "answered" and ticket["staff_name"] == "Luis"
    [out] = q(store, "select * from messages where decision='staff'")
    assert out["faq_id"] == "migrant-cost" and out["text"].startswith("How much does it cost?")
    assert q(store, "select faq_id from ticket_messages where kind='faq'") == [{"faq_id": "migrant-cost"}]
    assert "📚" in transport.to(STAFF, "editMessageText")[-1].params["text"]  # the card shows what went out
    # An id works too, for an entry the card does not list.
    assert await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9001, staff_id=7,
                                staff_name="Luis", ref="migrant-pay-from-us") == 1
    await drain(sender)
    assert "At a partner bank." in transport.to(JOHN.chat_id)[-1].params["text"]
    # Answered from the FAQ: there is nothing for admins to promote.
    assert "FAQ entry (/faq)" in await desk.promote(1, staff_id=7)
    assert await store.call(drafts_db.list_drafts) == []


async def test_staff_answers_follow_the_language_the_member_chose_after_asking(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    """Ana asked in Spanish, then chose English with /language: the FAQ answer staff send, its
    heading and its buttons are in English (review)."""
    desk, sender, card = await ana_asks_the_faq_desk(store, transport, clock)
    store.call_sync(conv.set_member_language, ANA.id, "en")
    await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9000, staff_id=7, staff_name="Luis",
                         ref="migrant-cost")
    await drain(sender)
    [to_member] = transport.to(ANA.chat_id)
    assert "Q1,000 a month." in to_member.params["text"] and "from our team" in to_member.params["text"]
    # ... and the card, refreshed by the answer, shows the language she is answered in (review 6)
    edits = [c for c in transport.to(STAFF, "editMessageText") if c.params["message_id"] == card.message_id]
    assert edits and "🇺🇸 EN" in edits[-1].params["text"] and "🇬🇹 ES" not in edits[-1].params["text"]


def _button_labels(markup: dict) -> list[str]:
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def test_a_corrected_answer_keeps_the_language_the_member_chose(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿a qué hora abren?")
    await drain(sender)
    store.call_sync(conv.set_member_language, ANA.id, "en")
    await answer(desk, transport.calls[0].message_id, "We open at 9.")
    await drain(sender)
    [sent] = transport.to(ANA.chat_id)
    assert "from our team" in sent.params["text"]
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="We open at 8.") == 1
    await drain(sender)
    [edit] = transport.to(ANA.chat_id, "editMessageText")
    assert edit.params["text"].split("\n")[0] == sent.params["text"].split("\n")[0]
    assert _button_labels(edit.params["reply_markup"]) == _button_labels(sent.params["reply_markup"])


async def test_feedback_and_closing_notices_speak_the_language_the_member_chose(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿dónde pago?")
    await ask(store, desk, JOHN, "where do I pay?", lang="en")
    await drain(sender)
    store.call_sync(conv.set_member_language, ANA.id, "en")
    store.call_sync(conv.set_member_language, JOHN.id, "es")
    await answer(desk, transport.calls[0].message_id, "At the bank.")
    await drain(sender)
    assert (await desk.feedback(ANA, 1, -1)).startswith("Sorry that didn't help.")
    await desk.act("close", 2, staff_id=7, staff_name="Luis")  # John's, never answered
    await drain(sender)
    [closed] = transport.to(JOHN.chat_id)
    assert closed.params["text"].startswith("Nuestro equipo cerró su solicitud #2")


async def test_answering_a_closed_request_speaks_the_language_the_member_chose(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿a qué hora abren?")
    await drain(sender)
    card = transport.calls[0].message_id
    store.call_sync(conv.set_member_language, ANA.id, "en")
    await desk.act("close", 1, staff_id=7, staff_name="Luis")
    await drain(sender)
    assert transport.to(ANA.chat_id)[0].params["text"].startswith("Our team closed")
    await answer(desk, card, "We open at 9.")
    await drain(sender)
    assert "from our team" in transport.to(ANA.chat_id)[-1].params["text"]


async def test_faq_command_with_an_unknown_entry_sends_nothing(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    desk, sender, card = await ana_asks_the_faq_desk(store, transport, clock)
    for ref in ("no-such-entry", "7", "0"):
        assert await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9000, staff_id=7,
                                    staff_name="Luis", ref=ref) is None
        await drain(sender)
        said = transport.to(STAFF, "sendMessage")[-1].params
        assert "Nothing was sent" in said["text"] and said["reply_parameters"]["message_id"] == 9000
    assert transport.to(ANA.chat_id) == []
    assert q(store, "select state from tickets")[0]["state"] == "open"
    # Not a reply to a request at all: the usual answer.
    assert await desk.staff_faq(reply_to_message_id=424242, message_id=9001, staff_id=7, staff_name="Luis",
                                ref="1") is None
    await drain(sender)
    assert "belongs to no request" in transport.to(STAFF, "sendMessage")[-1].params["text"]


async def test_faq_by_number_on_a_card_that_lists_no_entry_says_so(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    """Session 15's review: "/faq 1" on a photo's card was told "the FAQ has no entry “1”… the
    number of an entry it lists", though the card lists none."""
    await store.call(conv.log_inbound, member_id=ANA.id, chat_id=ANA.chat_id, text="[photo]", kind="photo")
    await desk.escalate(ANA, lang="es", question="", candidates=[], reason="media", kind="photo", file_id="P1",
                        message_id=70)
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0]
    assert await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9000, staff_id=7,
                                staff_name="Luis", ref="1") is None
    await drain(sender)
    said = transport.to(STAFF, "sendMessage")[-1].params["text"]
    assert "lists no FAQ entries" in said and "/faq migrant-cost" in said


async def test_a_long_faq_answer_is_sent_as_text_never_as_a_copy_of_the_command(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    """An FAQ answer the FAQ check allows (up to Telegram's 4096) no longer fits with the staff
    heading: the heading goes first, then the answer; the "/faq 1" message is never copied."""
    body = "x" * (4096 - len("<b>¿Cuánto cuesta?</b>\n\n") - 20)
    long_html = f"<b>¿Cuánto cuesta?</b>\n\n{body}"
    desk = make_desk(store, clock, faq_answer=lambda e, lang: (f"¿Cuánto cuesta?\n\n{body}", long_html))
    sender = make_sender(store, transport, desk, clock)
    await ask(store, desk, ANA, "¿cuánto cuesta?")
    await drain(sender)
    assert await desk.staff_faq(reply_to_message_id=transport.calls[0].message_id, message_id=9000, staff_id=7,
                                staff_name="Luis", ref="1") == 1
    await drain(sender)
    heading, answer = transport.to(ANA.chat_id)
    assert heading.method == answer.method == "sendMessage" and "Luis" in heading.params["text"]
    assert answer.params["text"] == long_html and answer.params["reply_markup"]


async def test_editing_a_faq_command_does_not_change_the_members_answer(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    desk, sender, card = await ana_asks_the_faq_desk(store, transport, clock)
    await desk.staff_faq(reply_to_message_id=card.message_id, message_id=9000, staff_id=7,
                         staff_name="Luis", ref="1")
    await drain(sender)
    assert "Q1,000 al mes." in transport.to(ANA.chat_id)[-1].params["text"]
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="/faq 2") == 1
    await drain(sender)
    assert transport.to(ANA.chat_id, "editMessageText") == []
    assert "editing the command does not change it" in transport.to(STAFF, "sendMessage")[-1].params["text"]


# ---------------------------------------------------------------------------------------- sender
async def test_retry_after_reschedules_and_then_sends(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    transport.fail(RetryLater(30))
    await ask(store, desk, ANA, "x")
    await drain(sender)
    [row] = q(store, "select * from outbox")
    assert row["state"] == "pending" and row["attempts"] == 1 and "429" in row["last_error"]
    clock.advance(seconds=29)
    await drain(sender)
    assert transport.calls == []
    clock.advance(seconds=2)
    await drain(sender)
    assert q(store, "select state from outbox")[0]["state"] == "sent" and len(transport.calls) == 1


async def test_network_errors_back_off_and_never_lose_the_card(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    transport.fail(Transient("502 Bad Gateway"), times=3)
    await ask(store, desk, ANA, "x")
    for _ in range(3):
        await drain(sender)
        clock.advance(minutes=10)
    await drain(sender)
    assert len(transport.attempts) == 4 and len(transport.calls) == 1
    assert q(store, "select state, attempts from outbox")[0] == {"state": "sent", "attempts": 3}
    assert q(store, "select card_message_id from tickets")[0]["card_message_id"] == transport.calls[0].message_id


async def test_group_unreachable_is_logged_loudly_and_retried_until_back(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport.fail(ChatGone("Bad Request: chat not found"), times=None)
    await ask(store, desk, ANA, "x")
    await ask(store, desk, JOHN, "y", lang="en")
    with caplog.at_level(logging.ERROR):
        for _ in range(5):
            await drain(sender)
            clock.advance(minutes=10)
    assert any("UNREACHABLE" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert q(store, "select count(*) n from outbox where state='pending'")[0]["n"] == 2
    transport.rules.clear()
    await drain(sender)
    assert len(transport.calls) == 2 and "#1" in transport.calls[0].params["text"]
    assert "#2" in transport.calls[1].params["text"]
    assert q(store, "select count(*) n from outbox where state='sent'")[0]["n"] == 2


async def test_member_blocked_the_bot_staff_are_told(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    transport.fail(Blocked("Forbidden: bot was blocked by the user"), when=lambda m, p: p.get("chat_id") == ANA.chat_id)
    await answer(desk, transport.calls[0].message_id)
    await drain(sender)
    assert q(store, "select state from outbox where purpose='answer'")[0]["state"] == "failed"
    note = transport.to(STAFF, "sendMessage")[-1]
    assert "blocked" in note.params["text"] and "#1" in note.params["text"]
    assert q(store, "select count(*) n from ticket_messages where kind='note' and text like '%blocked%'")[0]["n"] == 1
    # Not answered as far as Ana knows: the request is open again (session 15's review), and when
    # she unblocks the bot and writes, her message joins it.
    assert q(store, "select state from tickets")[0]["state"] == "open"
    assert await desk.follow_up(ANA, lang="es", text="hola, ¿me escribieron?") is not None
    assert q(store, "select text from ticket_messages where author='member' order by id desc limit 1")[0]["text"] \
        == "hola, ¿me escribieron?"


async def test_order_per_chat_is_kept_while_one_waits(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    transport.fail(RetryLater(10))
    await ask(store, desk, ANA, "first")
    await ask(store, desk, JOHN, "second", lang="en")
    await drain(sender)
    assert transport.calls == []  # John's card may not overtake Ana's
    clock.advance(seconds=11)
    await drain(sender)
    assert ["first" in c.params["text"] for c in transport.calls] == [True, False]


async def test_rate_limit_is_respected_per_minute(store: Store, desk: StaffDesk, transport: FakeTransport,
                                                  clock: Clock) -> None:
    sender = OutboxSender(store, transport, hooks=desk, limited_chats=frozenset({STAFF}), per_minute=3,
                          clock=clock, tick=desk.tick)  # a 4th send would wait: check the bucket, don't sleep
    for i in range(3):
        await ask(store, desk, Member(id=300 + i, chat_id=300 + i, first_name=f"M{i}"), f"q{i}")
    await drain(sender)
    assert len(transport.calls) == 3 and not sender.limiter.has_capacity()


async def test_restart_keeps_tickets_routing_and_pending_digests(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock, tmp_path: Path
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    card_id = transport.calls[0].message_id
    await desk.follow_up(ANA, lang="es", text="¿me escuchan?")
    # Restart before the digest was due: the in-memory schedule is gone with the old desk.
    store.close()
    store2 = Store(store.path)
    store2.open()
    try:
        desk2 = make_desk(store2, clock)
        sender2 = make_sender(store2, transport, desk2, clock)
        assert await desk2.recover() == 1
        await drain(sender2)
        assert "¿me escuchan?" in transport.calls[-1].params["text"]
        assert await desk2.ticket_for_reply(card_id) == 1
        await answer(desk2, card_id, "Sí")
        await drain(sender2)
        assert "Sí" in transport.to(ANA.chat_id)[0].params["text"]
        assert [t["state"] for t in await store2.call(tk.list_tickets, states=None)] == ["answered"]
        assert await store2.call(outbox.pending_count) == 0
    finally:
        store2.close()


async def test_internal_note_is_kept_but_not_sent_to_the_member(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    assert await answer(desk, transport.calls[0].message_id, "// Eva, ¿lo ves tú?") == 1
    await drain(sender)
    assert transport.to(ANA.chat_id) == []
    assert q(store, "select state from tickets")[0]["state"] == "open"
    assert "🔒" in "\n".join(await desk.ticket_texts(1))
    assert "no staff answer" in await desk.promote(1, staff_id=7)


# ---------------------------------------------------------------------------------------- /forget and gone tickets
async def _human(desk: StaffDesk, member: Member, text: str) -> str:
    return await desk.escalate(member, lang="es", question=text, candidates=[], reason="human")


async def test_ticket_command_for_a_missing_request_still_answers(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await desk.say(await desk.ticket_texts(999), reply_to=5, ticket_id=999)
    await drain(sender)
    assert "There is no request #999." in transport.to(STAFF, "sendMessage")[0].params["text"]


async def test_forget_with_a_pending_digest_does_not_hold_up_other_tickets(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock) -> None:
    await _human(desk, ANA, "mi patrono no paga")
    await _human(desk, JOHN, "my employer does not pay")
    await drain(sender)
    await desk.follow_up(JOHN, lang="en", text="hello? anyone?")
    await desk.follow_up(ANA, lang="es", text="sigo esperando")
    store.call_sync(conv.forget_member, ANA.id)  # before the digests are due
    clock.advance(seconds=61)
    await drain(sender)
    digests = [c.params["text"] for c in transport.to(STAFF, "sendMessage") if "hello? anyone?" in c.params["text"]]
    assert len(digests) == 1
    assert q(store, "select relayed from ticket_messages where text = 'hello? anyone?'") == [{"relayed": 1}]


async def test_forget_leaves_none_of_the_members_words_behind(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await _human(desk, ANA, "soy indocumentada, mi patrono Juan Pérez no paga")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.say(await desk.queue_texts(), reply_to=1)  # a /queue listing naming her
    await desk.staff_reply(reply_to_message_id=card, message_id=9000, staff_id=7, staff_name="Luis",
                           text="Llame al 1234")
    await desk.promote(1, staff_id=7)
    await drain(sender)
    store.call_sync(conv.forget_member, ANA.id)
    dump = " ".join(str(v) for table in ("outbox", "faq_drafts", "tickets", "ticket_messages", "messages")
                    for row in q(store, f"select * from {table}") for v in row.values())
    assert "indocumentada" not in dump and "Pérez" not in dump and "Ana" not in dump
    assert q(store, "select answer from faq_drafts") == [{"answer": "Llame al 1234"}]  # staff's words stay


async def test_staff_reply_to_a_forgotten_request_tells_staff(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await _human(desk, ANA, "pregunta")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    store.call_sync(conv.forget_member, ANA.id)
    result = await desk.staff_reply(reply_to_message_id=card, message_id=9001, staff_id=7, staff_name="Luis",
                                    text="Aquí tiene la respuesta", fallback_ticket_id=1)
    await drain(sender)
    assert result is None and transport.to(ANA.chat_id) == []
    said = transport.to(STAFF, "sendMessage")[-1].params
    assert "#1 no longer exists" in said["text"] and said["reply_parameters"]["message_id"] == 9001


async def test_photo_captioned_as_an_internal_note_stays_in_the_group(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await _human(desk, ANA, "pregunta")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9002, staff_id=7, staff_name="Luis",
                           text="// ojo: esta foto es solo para el equipo", kind="photo", file_id="F1")
    await drain(sender)
    assert transport.to(ANA.chat_id) == []


async def test_a_delivered_card_is_linked_and_keeps_no_payload(
        store: Store, desk: StaffDesk, transport: FakeTransport, clock: Clock) -> None:
    """Marking a call sent and linking the card to its ticket are one write (OutboxSender._process),
    and a delivered call keeps no copy of what it said."""
    await _human(desk, ANA, "pregunta")
    sender = make_sender(store, transport, desk, clock)
    await drain(sender)
    ticket = store.call_sync(tk.get_ticket, 1)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    assert ticket["card_message_id"] == card
    assert q(store, "select state, payload from outbox where purpose = 'card'") == [{"state": "sent", "payload": "{}"}]


async def test_a_long_digest_shows_every_message_it_marks_relayed(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock) -> None:
    await _human(desk, ANA, "ayuda")
    await drain(sender)
    for i in range(1, 16):
        await desk.follow_up(ANA, lang="es", text=f"MSG{i:02d} " + "detalle de mi caso " * 16)
    clock.advance(seconds=61)
    await drain(sender)
    [digest] = [c.params["text"] for c in transport.to(STAFF, "sendMessage") if "more messages" in c.params["text"]]
    assert len(digest) <= 4096
    assert all(f"MSG{i:02d}" in digest for i in range(1, 16)) and "Reply to this message" in digest
    assert q(store, "select count(*) n from ticket_messages where relayed = 0")[0]["n"] == 0


async def test_a_members_reply_to_staffs_answer_reopens_that_request(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock) -> None:
    """Staff ask "¿cuál es su número de afiliación?"; the member's "es 123456789" goes back to the
    same request (now in the queue again), not to a new ticket nobody connects with the first."""
    await _human(desk, ANA, "mi patrono no me paga el igss")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9100, staff_id=7, staff_name="Luis",
                           text="¿Cuál es su número de afiliación?")
    await drain(sender)
    assert store.call_sync(tk.get_ticket, 1)["state"] == "answered"
    # A thanks, a sticker or a question the FAQ answers does not reopen it (the pipeline says so).
    assert await desk.follow_up(ANA, lang="es", text="¿cuánto cuesta el programa?") is None
    assert store.call_sync(tk.get_ticket, 1)["state"] == "answered"
    notice = await desk.follow_up(ANA, lang="es", text="es 123456789", reopen=True)
    assert notice and "#1" in notice
    assert store.call_sync(tk.get_ticket, 1)["state"] == "open"
    clock.advance(seconds=61)
    await drain(sender)
    assert any("es 123456789" in c.params["text"] for c in transport.to(STAFF, "sendMessage"))
    assert q(store, "select count(*) n from tickets")[0]["n"] == 1
    # Long after the answer, a new message is a new matter.
    await desk.act("close", 1, staff_id=7, staff_name="Luis")
    clock.advance(hours=1)
    assert await desk.follow_up(ANA, lang="es", text="otra cosa", reopen=True) is None


async def test_closing_a_request_nobody_answered_tells_the_member(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await _human(desk, ANA, "mi patrono no me paga")
    await _human(desk, JOHN, "my employer does not pay")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[1].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9200, staff_id=7, staff_name="Luis",
                           text="Call us at 1234")
    await desk.act("close", 1, staff_id=7, staff_name="Luis")  # Ana: never answered here
    await desk.act("close", 2, staff_id=7, staff_name="Luis")  # John: answered, nothing more to say
    await drain(sender)
    [closed] = [c.params["text"] for c in transport.to(ANA.chat_id)]
    assert closed.startswith("Nuestro equipo cerró su solicitud #1")
    assert not any("closed your request" in c.params.get("text", "") for c in transport.to(JOHN.chat_id))


async def test_closing_a_request_the_member_came_back_to_tells_the_member(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    """Answered, then the member voted 👎 or wrote again ("a person will get back to you here"):
    a close must not leave them waiting (review 12: only a request nobody ever answered was told)."""
    await _human(desk, ANA, "mi patrono no me paga")
    await _human(desk, JOHN, "my employer does not pay")
    await drain(sender)
    cards_sent = transport.to(STAFF, "sendMessage")
    for number, card in ((1, cards_sent[0]), (2, cards_sent[1])):
        await desk.staff_reply(reply_to_message_id=card.message_id, message_id=9300 + number, staff_id=7,
                               staff_name="Luis", text="Le llamo mañana")
    await drain(sender)
    assert "#1" in await desk.feedback(ANA, 1, -1)  # 👎: reopened, "a person will get back to you"
    await desk.feedback(JOHN, 2, 1)  # 👍: nothing more to say
    await desk.act("reopen", 2, staff_id=7, staff_name="Luis")  # staff reopen it themselves
    await drain(sender)
    before = len(transport.calls)
    await desk.act("close", 1, staff_id=7, staff_name="Luis")
    await desk.act("close", 2, staff_id=7, staff_name="Luis")
    await drain(sender)
    closed = [c.params.get("text", "") for c in transport.calls[before:] if c.params.get("chat_id") in (101, 202)]
    assert len(closed) == 1 and closed[0].startswith("Nuestro equipo cerró su solicitud #1")


async def test_desk_events_are_in_the_staff_language_and_stay_out_of_the_card(
        store: Store, transport: FakeTransport, clock: Clock) -> None:
    desk = StaffDesk(store, staff_chat_id=STAFF, staff_language="es", clock=clock, hours=OfficeHours())
    sender = make_sender(store, transport, desk, clock)
    await _human(desk, ANA, "mi patrono no me paga")
    await drain(sender)
    await desk.act("claim", 1, staff_id=7, staff_name="Luis")
    await desk.act("release", 1, staff_id=7, staff_name="Luis")
    await drain(sender)
    card = [c.params["text"] for c in transport.calls if c.method == "editMessageText"][-1]
    assert "Luis" not in card and "Desde entonces" not in card and "claim by" not in card
    transcript = "\n".join(await desk.ticket_texts(1))
    assert "Tomada por Luis" in transcript and "Liberada por Luis" in transcript


async def test_promote_twice_keeps_one_draft_and_context_keeps_its_own_time(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock) -> None:
    await store.call(conv.log_inbound, member_id=ANA.id, chat_id=ANA.chat_id, text="hola", now=clock.now)
    clock.advance(minutes=30)
    await _human(desk, ANA, "mi patrono no me paga")
    context = q(store, "select created_at from ticket_messages where kind = 'context'")
    assert context and all(r["created_at"].startswith(MONDAY_10_GT.strftime("%Y-%m-%dT%H:%M")) for r in context)
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.staff_reply(reply_to_message_id=card, message_id=9300, staff_id=7, staff_name="Luis",
                           text="Llame al 1234")
    first = await desk.promote(1, staff_id=7)
    again = await desk.promote(1, staff_id=7)
    assert "Saved as FAQ draft" in first and "already FAQ draft" in again
    assert q(store, "select count(*) n from faq_drafts")[0]["n"] == 1


async def test_a_second_colleague_answering_is_pointed_out(
        store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport) -> None:
    await _human(desk, ANA, "pregunta")
    await drain(sender)
    card = transport.to(STAFF, "sendMessage")[0].message_id
    await desk.act("claim", 1, staff_id=7, staff_name="Luis")
    await desk.staff_reply(reply_to_message_id=card, message_id=9400, staff_id=8, staff_name="María",
                           text="Hola Ana, ¿en qué le ayudo?")
    await drain(sender)
    said = [c.params["text"] for c in transport.to(STAFF, "sendMessage")]
    assert any("Luis was already handling #1; María's answer was sent too" in t for t in said)
    await desk.staff_reply(reply_to_message_id=card, message_id=9401, staff_id=8, staff_name="María",
                           text="¿Sigue ahí?")  # her own ticket now: no warning
    await drain(sender)
    assert sum("already handling" in c.params["text"] for c in transport.to(STAFF, "sendMessage")) == 1


# ---------------------------------------------------------------------------------------- staff edits
async def test_an_edited_answer_is_corrected_in_the_members_chat(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await answered(store, desk, sender, transport, "¿a qué hora abren?", "Abrimos a las 9.")
    [sent] = transport.to(ANA.chat_id)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Abrimos a las <8>.") == 1
    await drain(sender)
    [edit] = transport.to(ANA.chat_id, "editMessageText")
    assert edit.params["message_id"] == sent.message_id
    assert edit.params["text"].startswith(sent.params["text"].split("\n")[0])  # same "💬 Luis…" prefix
    assert "Abrimos a las &lt;8&gt;." in edit.params["text"] and "9" not in edit.params["text"].split("\n")[-1]
    datas = [b["callback_data"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row]
    assert datas == ["sfb:1:1", "sfb:1:-1"]  # a vote on the corrected answer
    # Nothing lost: both versions are in the conversation log; the thread shows the new one.
    logged = q(store, "select text, decision from messages where direction='out' and decision like 'staff%' "
                      "order by id")
    assert [(r["decision"], r["text"]) for r in logged] == [("staff", "Abrimos a las 9."),
                                                            ("staff-edit", "Abrimos a las <8>.")]
    assert "&lt;8&gt;" in transport.to(STAFF, "editMessageText")[-1].params["text"]  # the card
    # The same text again (Telegram sends edits of other fields too): nothing more happens.
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Abrimos a las <8>.") is None
    await drain(sender)
    assert len(transport.to(ANA.chat_id, "editMessageText")) == 1


async def test_an_edit_waits_for_an_answer_still_queued_and_follows_a_caption(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "¿qué formulario?")
    await drain(sender)
    await answer(desk, transport.calls[0].message_id, "Este", kind="photo", file_id="P", message_id=9100)
    # Edited before the answer went out: the edit follows it, to the message the member got.
    assert await desk.staff_edit(message_id=9100, staff_id=7, text="Este, firmado") == 1
    await drain(sender)
    [copy] = transport.to(ANA.chat_id, "copyMessage")
    [edit] = transport.to(ANA.chat_id, "editMessageCaption")
    assert edit.params["message_id"] == copy.message_id and "Este, firmado" in edit.params["caption"]
    assert "Luis" in edit.params["caption"]


async def test_notes_stay_internal_and_answers_cannot_become_notes(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    card = transport.calls[0].message_id
    await answer(desk, card, "// Eva, ¿lo ves tú?", message_id=9001)
    await answer(desk, card, "Ya lo revisamos.", message_id=9002)
    await drain(sender)
    # A note edited into plain text is not sent: staff are told how to answer.
    assert await desk.staff_edit(message_id=9001, staff_id=7, text="Eva, ¿lo ves tú?") == 1
    await drain(sender)
    assert transport.to(ANA.chat_id, "editMessageText") == []
    assert "Notes stay internal" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    # A note corrected as a note: the thread shows it, the member sees nothing.
    assert await desk.staff_edit(message_id=9001, staff_id=7, text="// Eva, ¿lo ves tú hoy?") == 1
    await drain(sender)
    assert "hoy" in "\n".join(await desk.ticket_texts(1))
    # An answer the member has cannot be taken back by making it a note.
    assert await desk.staff_edit(message_id=9002, staff_id=7, text="// Ya lo revisamos.") == 1
    await drain(sender)
    assert transport.to(ANA.chat_id, "editMessageText") == []
    assert "cannot make it an internal note" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    # A message that is no staff reply (a card, anything else) is not acted on.
    assert await desk.staff_edit(message_id=card, staff_id=7, text="hola") is None
    assert await desk.staff_edit(message_id=424242, staff_id=7, text="hola") is None


async def test_an_edit_that_cannot_reach_the_member_is_reported(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    from desk.sender import MessageGone

    await answered(store, desk, sender, transport, "x", "Corto.")
    # Too long for the member's message: not sent, staff told to send a new reply.
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="a" * 4090) == 1
    await drain(sender)
    assert transport.to(ANA.chat_id, "editMessageText") == []
    assert "too long" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    # The member deleted the message: staff are told the correction did not arrive.
    transport.fail(MessageGone("message to edit not found"), when=lambda m, p: p.get("chat_id") == ANA.chat_id)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Corto, de verdad.") == 1
    await drain(sender)
    assert "could not be changed" in transport.to(STAFF, "sendMessage")[-1].params["text"]


async def test_admins_are_told_once_when_the_staff_group_is_unreachable_and_when_it_is_back(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    desk = make_desk(store, clock, admin_ids=frozenset({900, 901}))
    sender = make_sender(store, transport, desk, clock)
    transport.fail(Blocked("Forbidden: bot was kicked from the supergroup chat"),
                   when=lambda m, p: p.get("chat_id") == STAFF, times=None)
    await ask(store, desk, ANA, "x")
    await ask(store, desk, JOHN, "y", lang="en")
    for _ in range(4):  # several failed attempts: one alert per admin, not one per attempt
        await drain(sender)
        clock.advance(minutes=10)
    for admin in (900, 901):
        [alert] = transport.to(admin)
        assert "cannot post in the staff group" in alert.params["text"] and "kicked" in alert.params["text"]
        assert "2 messages waiting" in alert.params["text"]
    transport.rules.clear()
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == 2  # both cards delivered
    for admin in (900, 901):
        assert [c.params["text"][:1] for c in transport.to(admin)] == ["⚠", "✅"]


async def test_a_restart_during_an_outage_neither_repeats_the_alert_nor_forgets_the_all_clear(
    store: Store, transport: FakeTransport, clock: Clock
) -> None:
    """Whether admins were told is read back from the outbox: a new process (a deploy, a crash
    loop) in the middle of an outage does not alert again, and still says when the group is back."""
    desk = make_desk(store, clock, admin_ids=frozenset({900}))
    sender = make_sender(store, transport, desk, clock)
    transport.fail(Blocked("Forbidden: bot was kicked from the supergroup chat"),
                   when=lambda m, p: p.get("chat_id") == STAFF, times=None)
    await ask(store, desk, ANA, "x")
    for _ in range(2):
        await drain(sender)
        clock.advance(minutes=10)
    assert [c.params["text"][:1] for c in transport.to(900)] == ["⚠"]
    for _ in range(2):  # two restarts, the group still unreachable
        desk = make_desk(store, clock, admin_ids=frozenset({900}))
        sender = make_sender(store, transport, desk, clock)
        clock.advance(minutes=10)
        await drain(sender)
    assert [c.params["text"][:1] for c in transport.to(900)] == ["⚠"]
    transport.rules.clear()
    desk = make_desk(store, clock, admin_ids=frozenset({900}))
    sender = make_sender(store, transport, desk, clock)
    clock.advance(minutes=10)
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == 1  # the card got through
    assert [c.params["text"][:1] for c in transport.to(900)] == ["⚠", "✅"]
    # The next outage is a new one: admins are told again.
    transport.fail(Blocked("Forbidden: bot was kicked from the supergroup chat"),
                   when=lambda m, p: p.get("chat_id") == STAFF, times=None)
    desk = make_desk(store, clock, admin_ids=frozenset({900}))
    sender = make_sender(store, transport, desk, clock)
    await ask(store, desk, JOHN, "y", lang="en")
    for _ in range(2):
        await drain(sender)
        clock.advance(minutes=10)
    assert [c.params["text"][:1] for c in transport.to(900)] == ["⚠", "✅", "⚠"]


async def test_without_admins_an_unreachable_group_is_only_logged(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    transport.fail(ChatGone("Bad Request: chat not found"), when=lambda m, p: p.get("chat_id") == STAFF, times=2)
    await ask(store, desk, ANA, "x")
    for _ in range(3):
        await drain(sender)
        clock.advance(minutes=10)
    assert [c.params["chat_id"] for c in transport.calls] == [STAFF]  # just the card, once it got through


async def test_settled_outbox_rows_are_purged_after_a_month(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    assert q(store, "select count(*) n from outbox where state='sent'")[0]["n"] == 1
    clock.advance(days=20)
    await drain(sender)
    assert q(store, "select count(*) n from outbox")[0]["n"] == 1  # too recent to go
    clock.advance(days=15)
    await drain(sender)
    assert q(store, "select count(*) n from outbox")[0]["n"] == 0
    assert [t["state"] for t in q(store, "select state from tickets")] == ["open"]  # tickets untouched


async def test_what_the_member_has_is_what_the_ticket_shows(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await answered(store, desk, sender, transport, "¿a qué hora abren?", "Abrimos a las 9.")
    await desk.promote(1, staff_id=7)
    assert [d["answer"] for d in q(store, "select answer from faq_drafts")] == ["Abrimos a las 9."]
    # An edit the member never got (too long) changes neither the thread nor the draft.
    await desk.staff_edit(message_id=9000, staff_id=7, text="x" * 4090)
    await drain(sender)
    assert "x" * 50 not in "\n".join(await desk.ticket_texts(1))
    assert [d["answer"] for d in q(store, "select answer from faq_drafts")] == ["Abrimos a las 9."]
    # A delivered correction updates both: an admin never approves the wrong hour.
    await desk.staff_edit(message_id=9000, staff_id=7, text="Abrimos a las 8.")
    await drain(sender)
    assert "Abrimos a las 8." in "\n".join(await desk.ticket_texts(1))
    assert [d["answer"] for d in q(store, "select answer from faq_drafts")] == ["Abrimos a las 8."]


async def test_an_edit_that_only_fixes_a_link_reaches_the_member(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await ask(store, desk, ANA, "x")
    await drain(sender)
    await desk.staff_reply(reply_to_message_id=transport.calls[0].message_id, message_id=9000, staff_id=7,
                           staff_name="Luis", text="Vea el sitio",
                           text_html='Vea <a href="https://igss.gob.gt/malo">el sitio</a>')
    await drain(sender)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Vea el sitio",
                                 text_html='Vea <a href="https://igss.gob.gt/bueno">el sitio</a>') == 1
    await drain(sender)
    [edit] = transport.to(ANA.chat_id, "editMessageText")
    assert "https://igss.gob.gt/bueno" in edit.params["text"]


async def test_a_long_formatted_answer_is_measured_as_the_member_sees_it(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    links = " ".join(f'<a href="https://igss.gob.gt/pagina/{i:03d}">p{i}</a>' for i in range(80))  # ~3,900 chars
    await ask(store, desk, ANA, "x")
    await drain(sender)
    await desk.staff_reply(reply_to_message_id=transport.calls[0].message_id, message_id=9000, staff_id=7,
                           staff_name="Luis", text="páginas", text_html=links)
    await drain(sender)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="páginas:", text_html="Páginas: " + links) == 1
    await drain(sender)
    assert len(transport.to(ANA.chat_id, "editMessageText")) == 1
    assert "too long" not in str([c.params.get("text") for c in transport.to(STAFF, "sendMessage")])


async def test_edits_staff_cannot_carry_over_are_explained(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await answered(store, desk, sender, transport, "¿qué formulario?", "Este", kind="photo", file_id="P",
                   message_id=9100)
    # Telegram's "replace file" keeps the caption: the member's copy cannot get the new file.
    assert await desk.staff_edit(message_id=9100, staff_id=7, text="Este", media=True) == 1
    await drain(sender)
    assert "replaced file" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    # An answer delivered before Puente remembered where it landed (an older version).
    store.call_sync(lambda db: db.execute("UPDATE ticket_messages SET member_message_id = NULL, delivery = NULL"))
    await desk.staff_edit(message_id=9100, staff_id=7, text="Este, firmado")
    await drain(sender)
    assert "before Puente could follow edits" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    assert transport.to(ANA.chat_id, "editMessageCaption") == []


async def test_an_edit_for_a_member_who_left_is_explained(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    await answered(store, desk, sender, transport, "x", "Corto.")
    transport.fail(Blocked("Forbidden: bot was blocked by the user"), when=lambda m, p: p.get("chat_id") == ANA.chat_id)
    await desk.staff_edit(message_id=9000, staff_id=7, text="Corto, de verdad.")
    await drain(sender)
    assert "the correction was NOT delivered" in transport.to(STAFF, "sendMessage")[-1].params["text"]
    # After /forget the request is gone: the edit of its answer is explained, not silently dropped.
    store.call_sync(conv.forget_member, ANA.id)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Corto!", fallback_ticket_id=1) is None
    await drain(sender)
    assert "no longer exists" in transport.to(STAFF, "sendMessage")[-1].params["text"]


async def test_a_live_location_answer_updating_itself_says_nothing(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport
) -> None:
    """Telegram "edits" a live location every few seconds: no note per update in the group."""
    await ask(store, desk, ANA, "¿dónde queda la oficina?")
    await drain(sender)
    await answer(desk, transport.calls[0].message_id, "", kind="other")
    await drain(sender)
    before = len(transport.to(STAFF, "sendMessage"))
    for _ in range(5):
        assert await desk.staff_edit(message_id=9000, staff_id=7, text="", media=True) is None
    await drain(sender)
    assert len(transport.to(STAFF, "sendMessage")) == before


async def test_undoing_an_edit_still_queued_reaches_the_member(
    store: Store, desk: StaffDesk, sender: OutboxSender, transport: FakeTransport, clock: Clock
) -> None:
    await answered(store, desk, sender, transport, "¿a qué hora abren?", "Abrimos a las 9.")
    transport.fail(RetryLater(30, "flood"), when=lambda m, p: p.get("chat_id") == ANA.chat_id)
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Abrimos a las 8.") == 1
    await drain(sender)  # the edit waits for the member's chat
    assert await desk.staff_edit(message_id=9000, staff_id=7, text="Abrimos a las 9.") == 1  # undone
    clock.advance(minutes=1)
    await drain(sender)
    edits = transport.to(ANA.chat_id, "editMessageText")
    assert [e.params["text"].rsplit("\n", 1)[-1] for e in edits] == ["Abrimos a las 8.", "Abrimos a las 9."]
    assert "Abrimos a las 9." in "\n".join(await desk.ticket_texts(1))


async def test_the_all_clear_waits_for_a_committed_delivery(
    store: Store, transport: FakeTransport, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording the delivery fails once: the ✅ for admins must not be lost with it."""
    desk = make_desk(store, clock, admin_ids=frozenset({900}))
    sender = make_sender(store, transport, desk, clock)
    transport.fail(Blocked("Forbidden: bot was kicked"), when=lambda m, p: p.get("chat_id") == STAFF, times=1)
    await ask(store, desk, ANA, "x")
    await drain(sender)
    clock.advance(minutes=10)
    real = tk.set_card
    calls = {"n": 0}

    def flaky(*a: Any, **kw: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk hiccup")
        real(*a, **kw)

    monkeypatch.setattr(tk, "set_card", flaky)
    await drain(sender)
    assert [c.params["text"][:1] for c in transport.to(900)] == ["⚠", "✅"]


async def test_queue_is_answered_before_a_burst_of_cards(
    store: Store, desk: StaffDesk, transport: FakeTransport, clock: Clock
) -> None:
    """Twelve new requests wait for the group's rate limit; /queue must not wait behind them."""
    sender = make_sender(store, transport, desk, clock, batch=1)  # one message per pass, like a busy minute
    for i in range(12):
        await ask(store, desk, Member(id=300 + i, chat_id=300 + i, first_name=f"M{i}", language_code="es"), "x")
    await sender.run_once()
    await desk.say(await desk.queue_texts())
    await sender.run_once()
    assert "12" in transport.to(STAFF, "sendMessage")[-1].params["text"]  # the /queue answer, second message
    assert len(transport.to(STAFF, "sendMessage")) == 2
