"""The staff desk end to end: real PTB Application, real pipeline and SQLite, fake Bot API server.

``build()`` prototypes the wiring the lead puts in handlers/__init__.py and handlers/app.py:
``register_staff`` before every other handler, ``start_desk`` in post_init, ``stop_desk`` in
post_stop / post_shutdown. The desk's clock is real time plus an offset the test can move
forward (digests, back-off) or pin to a weekday (office hours) — no sleeping for minutes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from telegram.ext import AIORateLimiter, Application

from config import Settings
from desk import cards
from handlers.app import build_application
from tests.fake_telegram import Call, FakeTelegram, running_app
from tests.helpers import DB_NAME, GROUP_ID, bot_settings, db_rows, wait_until

MONDAY_10_GT = datetime(2025, 3, 10, 16, 0, tzinfo=UTC)  # 10:00 in Guatemala
SATURDAY_GT = datetime(2025, 3, 15, 16, 0, tzinfo=UTC)
FAST = {"backoff_base": 0.05, "backoff_cap": 0.2, "idle_poll": 0.05}


class TestClock:
    """Real time, shifted: starts at ``start`` and runs; ``skip()`` jumps ahead."""

    __test__ = False

    def __init__(self, start: datetime = MONDAY_10_GT) -> None:
        self.start = start
        self.t0 = time.monotonic()
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.t0) + self.offset

    def skip(self, **kw: float) -> None:
        self.offset += timedelta(**kw)


def settings_for(fake: FakeTelegram, tmp_path: Path, **extra: str) -> Settings:
    return bot_settings(fake, tmp_path, PUENTE_STAFF_CHAT_ID=str(GROUP_ID), PUENTE_STAFF_LANGUAGE="en", **extra)


def build(settings: Settings, clock: TestClock, **desk_options: Any) -> Application:
    """The production application, with a frozen clock and fast retries for the staff desk."""
    return build_application(
        settings,
        rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2),
        desk_options={"clock": clock, "sender_options": FAST, **desk_options},
    )


@asynccontextmanager
async def bot(fake: FakeTelegram, tmp_path: Path, clock: TestClock, caplog: pytest.LogCaptureFixture,
              env: dict[str, str] | None = None, **desk_options: Any) -> AsyncIterator[Application]:
    app = build(settings_for(fake, tmp_path, **(env or {})), clock, **desk_options)
    with caplog.at_level(logging.WARNING):
        async with running_app(app, fake):
            yield app
    errors = [r.getMessage() for r in caplog.records if r.name == "handlers.errors"]
    assert not errors, errors


def datas(params: dict) -> list[str]:
    return [b["callback_data"] for row in (params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def is_card(c: Call) -> bool:
    return c.ok and any(d.startswith("tk:") for d in datas(c.params))


async def card_for(fake: FakeTelegram, number: int, since: int = 0) -> dict:
    [call] = await fake.wait_for(
        "sendMessage", chat_id=GROUP_ID, since=since,
        predicate=lambda c: is_card(c) and f"tk:claim:{number}" in datas(c.params),
    )
    message = fake.message(GROUP_ID, call.result["message_id"])
    assert message is not None
    return message


async def ask_for_a_person(fake: FakeTelegram, member: dict[str, Any],
                           text: str = "quiero hablar con una persona") -> dict:
    """``member`` writes ``text`` (asking for a person) in their private chat; return the card of
    request #1 once the staff group has it. Only for a desk with no request yet (the card is #1's)."""
    fake.push_text(member, text)
    return await card_for(fake, 1)


async def to_member(fake: FakeTelegram, chat_id: int, text: str, since: int = 0, method: str = "sendMessage") -> Call:
    calls = await fake.wait_for(method, chat_id=chat_id, since=since,
                                predicate=lambda c: c.ok and text in str(c.params.get("text") or
                                                                          c.params.get("caption") or ""))
    return calls[0]


# ---------------------------------------------------------------------------------------- the round trip
async def test_ask_claim_answer_feedback_round_trip(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        fake.push_text(ana, "quiero hablar con una persona")
        notice = await to_member(fake, 1001, "#1")
        card = await card_for(fake, 1)
        assert "Ana" in card["text"] and "🇬🇹" in card["text"] and "quiero hablar con una persona" in card["text"]
        assert "#1" in card["text"] and notice.params["text"] != card["text"]

        # Claim with the button: the card is edited, the presser gets a toast.
        fake.push_callback(luis, "tk:claim:1", card)
        [toast] = await fake.wait_for("answerCallbackQuery", predicate=lambda c: "#1" in str(c.params.get("text")))
        [edit] = await fake.wait_for("editMessageText", chat_id=GROUP_ID, predicate=lambda c: c.ok)
        assert "Luis" in edit.params["text"] and datas(edit.params) == ["tk:release:1", "tk:close:1"]

        # Reply to the card: Ana gets it with the prefix in her language, and 👍/👎 buttons.
        mark = fake.mark()
        fake.push_text(luis, "Puede pagar en cualquier agencia de Banrural.", group, reply_to=card)
        answer = await to_member(fake, 1001, "Banrural", since=mark)
        assert answer.params["text"].startswith(cards.answer_prefix("Luis", lang="es"))
        assert datas(answer.params) == ["sfb:1:1", "sfb:1:-1"]
        await fake.wait_for("editMessageText", chat_id=GROUP_ID, count=2, predicate=lambda c: c.ok)
        assert db_rows(tmp_path, "select state from tickets")[0]["state"] == "answered"
        logged = db_rows(tmp_path, "select telegram_message_id from messages where decision='staff'")
        assert logged[0]["telegram_message_id"] == answer.result["message_id"]

        # 👎 reopens the ticket and staff are told; the member is told too.
        mark = fake.mark()
        fake.push_callback(ana, "sfb:1:-1", fake.message(1001, answer.result["message_id"]))
        await to_member(fake, 1001, "#1", since=mark)
        [note] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                     predicate=lambda c: c.ok and "👎" in c.params["text"])
        assert note.params["reply_parameters"]["message_id"] == card["message_id"]
        assert db_rows(tmp_path, "select state, reopen_count from tickets")[0]["state"] == "open"

        # Second answer, 👍 this time.
        mark = fake.mark()
        fake.push_text(luis, "Le llamo mañana.", group, reply_to=card)
        second = await to_member(fake, 1001, "mañana", since=mark)
        fake.push_callback(ana, "sfb:1:1", fake.message(1001, second.result["message_id"]))
        await fake.wait_for("editMessageReplyMarkup", chat_id=1001, count=2)
        await fake.wait_idle()
        assert db_rows(tmp_path, "select state from tickets")[0]["state"] == "answered"
        assert toast.params["callback_query_id"]


async def test_forget_withdraws_the_card_from_the_staff_group(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """/forget on Telegram: the card the bot posted is blanked and then deleted in the staff group
    (the real PTB bot's deleteMessage, through the outbox)."""
    fake, ana = fake_telegram, world["ana"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        fake.push_text(ana, "quiero hablar con una persona, mi patron no me pago el igss")
        await to_member(fake, 1001, "#1")
        card = await card_for(fake, 1)
        mark = fake.mark()
        fake.push_command(ana, "forget")
        confirm = await to_member(fake, 1001, "", since=mark)
        assert "forget:yes" in datas(confirm.params)
        fake.push_callback(ana, "forget:yes", fake.message(1001, confirm.result["message_id"]))
        [blank] = await fake.wait_for("editMessageText", chat_id=GROUP_ID, since=mark, predicate=lambda c: c.ok)
        assert blank.params["message_id"] == card["message_id"] and "/forget" in blank.params["text"]
        [gone] = await fake.wait_for("deleteMessage", chat_id=GROUP_ID, since=mark, predicate=lambda c: c.ok)
        assert gone.params["message_id"] == card["message_id"]
        assert fake.message(GROUP_ID, card["message_id"]) is None


async def test_a_members_telegram_reply_to_a_staff_answer_reaches_staff(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The member uses Telegram's Reply on staff's answer: the message goes to that request, not
    to the FAQ (fourth review: "mi numero es 123456789…" got the FAQ's affiliation-number answer)."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana, "quiero hablar con una persona")
        mark = fake.mark()
        fake.push_text(luis, "Ya revisé su caso.", group, reply_to=card)
        answer = await to_member(fake, 1001, "Ya revisé", since=mark)
        mark = fake.mark()
        copy = fake.message(1001, answer.result["message_id"])
        fake.push_text(ana, "cual es mi numero de afiliacion del igss", reply_to=copy)
        notice = await to_member(fake, 1001, "#1", since=mark)
        assert "afiliaci" not in notice.params["text"].lower()
        await wait_until(lambda: db_rows(tmp_path, "select state from tickets")[0]["state"] == "open",
                         what="the request reopened")


async def test_english_member_and_staff_photo_answer(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, john, luis, group = fake_telegram, world["john"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, john, "I want to talk to a human")
        assert "🇺🇸" in card["text"]
        # Member media while the ticket is open: copied to the group as a reply to the card.
        fake.push_photo(john, caption=None)
        [photo] = await fake.wait_for("copyMessage", chat_id=GROUP_ID, predicate=lambda c: c.ok)
        assert photo.params["reply_parameters"]["message_id"] == card["message_id"]
        # Staff answer with a photo, replying to the relayed photo (not the card): still routed.
        mark = fake.mark()
        relayed = fake.message(GROUP_ID, photo.result["message_id"])
        fake.push_photo(luis, group, caption="This form", reply_to=relayed)
        copy = await to_member(fake, 1002, "This form", since=mark, method="copyMessage")
        assert copy.params["caption"].startswith(cards.answer_prefix("Luis", lang="en"))


async def test_staff_send_an_faq_answer_in_the_members_language(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Luis writes Spanish; John reads English: "/faq ID" in reply to the card sends the bundled
    FAQ's English answer, headed like any staff answer. In a private chat /faq is the topics menu."""
    fake, john, luis, group = fake_telegram, world["john"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog, env={"PUENTE_ADMIN_IDS": "2001"}):
        card = await ask_for_a_person(fake, john, "I want to talk to a human")
        assert "/faq 1" not in card["text"]  # no FAQ entry came close: no numbered list to pick from
        mark = fake.mark()
        fake.push_text(luis, "/faq migrant-cost", group, reply_to=card)
        answer = await to_member(fake, 1002, "How much does the IGSS migrant program cost?", since=mark)
        assert answer.params["text"].startswith(cards.answer_prefix("Luis", lang="en"))
        assert datas(answer.params) == ["sfb:1:1", "sfb:1:-1"]
        await wait_until(lambda: db_rows(tmp_path, "select state from tickets")[0]["state"] == "answered",
                         what="the request answered")
        logged = db_rows(tmp_path, "select faq_id from messages where decision='staff'")
        assert logged[0]["faq_id"] == "migrant-cost"
        # Without a reply there is no request to answer: staff get the usage.
        mark = fake.mark()
        fake.push_text(luis, "/faq migrant-cost", group)
        [usage] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                      predicate=lambda c: c.ok and "Usage" in c.params["text"])
        assert "/faq N" in usage.params["text"]
        # A member's /faq is the topics menu, not a refusal.
        mark = fake.mark()
        fake.push_command(john, "faq")
        [menu] = await fake.wait_for("sendMessage", chat_id=1002, since=mark, predicate=lambda c: c.ok)
        assert any(d.startswith("cat:") for d in datas(menu.params))
        # /gaps does not list a bare request for a person, nor suggest "I want to talk to a human" as an
        # alternate of the entry staff sent: asking for a person is not the question (session 14's
        # review: it was listed as an FAQ gap; storage test: a real question is).
        mark = fake.mark()
        fake.push_command(luis, "gaps")
        [gaps] = await fake.wait_for("sendMessage", chat_id=2001, since=mark, predicate=lambda c: c.ok)
        assert "I want to talk to a human" not in gaps.params["text"] and "migrant-cost" not in gaps.params["text"]


async def test_gaps_credits_staff_faq_to_the_question_a_typed_rejection_sent(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 16's review: a typed "ninguna de esas" was a gap of its own in /gaps, and staff's
    /faq answer to the request it opened was credited to it, not to the member's question."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    question = "cuanto vale el seguro para los que estamos en el norte"
    async with bot(fake, tmp_path, TestClock(), caplog, env={"PUENTE_ADMIN_IDS": "2001"}):
        fake.push_text(ana, question)
        await to_member(fake, 1001, "alguna de estas")
        fake.push_text(ana, "ninguna de esas es mi pregunta")
        card = await card_for(fake, 1)
        mark = fake.mark()
        fake.push_text(luis, "/faq migrant-cost", group, reply_to=card)
        await to_member(fake, 1001, "programa de migrantes", since=mark)
        mark = fake.mark()
        fake.push_command(luis, "gaps")
        [gaps] = await fake.wait_for("sendMessage", chat_id=2001, since=mark, predicate=lambda c: c.ok)
        listed = [line for line in gaps.params["text"].splitlines() if line.startswith("•")]
        assert listed == [f"• 1× {question} → <code>migrant-cost</code>"], gaps.params["text"]


# ---------------------------------------------------------------------------------------- flood control
async def test_fifty_more_lines_make_one_ticket_and_few_group_messages(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana = fake_telegram, world["ana"]
    clock = TestClock()
    async with bot(fake, tmp_path, clock, caplog):
        await ask_for_a_person(fake, ana)
        for i in range(50):
            fake.push_text(ana, f"le explico mi caso, parte {i}")
        member_lines = "select count(*) from ticket_messages where author='member' and kind='text'"
        await wait_until(lambda: db_rows(tmp_path, member_lines)[0][0] == 51, what="51 member lines on the ticket")
        clock.skip(seconds=61)  # the digest window closes
        [digest] = await fake.wait_for("sendMessage", chat_id=GROUP_ID,
                                       predicate=lambda c: c.ok and "parte 49" in c.params["text"])
        await fake.wait_idle(quiet=0.3)
        assert len(db_rows(tmp_path, "select * from tickets")) == 1
        group_messages = [c for c in fake.calls_to("sendMessage", chat_id=GROUP_ID) if c.ok]
        assert len(group_messages) <= 3, [c.summary() for c in group_messages]
        assert "50" in digest.params["text"]
        # Ana was not told "added to your request" fifty times either.
        notices = [c for c in fake.calls_to("sendMessage", chat_id=1001) if "#1" in c.params["text"]]
        assert len(notices) <= 2


# ---------------------------------------------------------------------------------------- persistence
async def test_reply_to_an_old_card_after_a_restart_still_arrives(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        fake.push_text(ana, "¿hay alguien?")
        joined = "select count(*) from ticket_messages where text = '¿hay alguien?'"
        await wait_until(lambda: db_rows(tmp_path, joined)[0][0] == 1, what="the follow-up to join the ticket")
    # A new Application on the same database (the process restarted).
    async with bot(fake, tmp_path, TestClock(), caplog):
        # The unshown follow-up is recovered and shown to staff after the restart.
        await fake.wait_for("sendMessage", chat_id=GROUP_ID,
                            predicate=lambda c: c.ok and "¿hay alguien?" in c.params["text"])
        assert db_rows(tmp_path, "select state from tickets")[0]["state"] == "open"
        mark = fake.mark()
        fake.push_text(luis, "Sí, aquí estoy.", group, reply_to=card)
        await to_member(fake, 1001, "aquí estoy", since=mark)


async def test_group_unreachable_card_is_queued_and_delivered_later(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana = fake_telegram, world["ana"]
    fake.remove_chat(GROUP_ID, kicked=True)
    async with bot(fake, tmp_path, TestClock(), caplog):
        fake.push_text(ana, "quiero hablar con una persona")
        await to_member(fake, 1001, "#1")  # the member is answered regardless
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, count=2)  # tried, failed, retried
        assert not [c for c in fake.calls_to("sendMessage", chat_id=GROUP_ID) if c.ok]
        assert any("UNREACHABLE" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
        fake.restore_chat(GROUP_ID)
        card = await card_for(fake, 1)
        assert "quiero hablar" in card["text"]


async def test_member_who_blocked_the_bot_staff_are_told(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await fake.wait_idle(quiet=0.2)
        fake.block_user(1001)
        fake.push_text(luis, "Hola Ana", group, reply_to=card)
        [note] = await fake.wait_for("sendMessage", chat_id=GROUP_ID,
                                     predicate=lambda c: c.ok and "blocked" in c.params["text"])
        assert "#1" in note.params["text"] and "Ana" in note.params["text"]


# ---------------------------------------------------------------------------------------- permissions
async def test_non_staff_cannot_claim_or_close(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana, john = fake_telegram, world["ana"], world["john"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        await ask_for_a_person(fake, ana)
        mark = fake.mark()
        fake.push_command(john, "claim", "1")
        fake.push_command(john, "close", "1")
        refusals = await fake.wait_for("sendMessage", chat_id=1002, count=2, since=mark)
        assert all("staff" in c.params["text"] for c in refusals)
        assert all("#1" not in c.params["text"] and "Ana" not in c.params["text"] for c in refusals)
        # A forged Close button in John's private chat is refused too.
        mine = fake.message(1002, refusals[0].result["message_id"])
        fake.push_callback(john, "tk:close:1", mine)
        [alert] = await fake.wait_for("answerCallbackQuery", since=mark)
        assert alert.params.get("show_alert") is True
        await fake.wait_idle(quiet=0.2)
        assert db_rows(tmp_path, "select state from tickets")[0]["state"] == "open"
        assert any("refused" in r.getMessage() for r in caplog.records)


async def test_staff_commands_in_the_group(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        mark = fake.mark()
        fake.push_command(luis, "queue", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "#1" in c.params["text"] and "oldest" in c.params["text"])
        fake.push_text(luis, "Ya lo reviso.", group, reply_to=card)
        await to_member(fake, 1001, "Ya lo reviso")
        mark = fake.mark()
        fake.push_command(luis, "ticket", "1", chat=group)
        [transcript] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                           predicate=lambda c: c.ok and "Ya lo reviso" in c.params["text"])
        assert "Asked to talk to a person" in card["text"] and "Asked to talk to a person" in transcript.params["text"]
        fake.push_command(luis, "promote", "1", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "draft" in c.params["text"])
        fake.push_command(luis, "stats", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "Passed to staff: 1" in c.params["text"])
        fake.push_command(luis, "close", "1", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "#1 closed" in c.params["text"])
        assert db_rows(tmp_path, "select state from tickets")[0]["state"] == "closed"
        # Replying to the transcript answers the member as well (and reopens the closed ticket).
        mark = fake.mark()
        fake.push_text(luis, "Una cosa más.", group, reply_to=fake.message(GROUP_ID, transcript.result["message_id"]))
        await to_member(fake, 1001, "Una cosa más", since=mark)
        assert len(db_rows(tmp_path, "select * from faq_drafts")) == 1
        # Staff see their commands in the group's menu (and only there).
        scoped = [c for c in fake.calls_to("setMyCommands") if (c.params.get("scope") or {}).get("type") == "chat"]
        assert scoped and scoped[0].params["scope"]["chat_id"] == GROUP_ID
        assert "queue" in [cmd["command"] for cmd in scoped[0].params["commands"]]


async def test_commands_in_reply_to_a_requests_message_take_its_number(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Session 17's review: "/close" in reply to a card answered "Usage: /close N", although
    "/faq 1" in reply to a card works. Every command that takes a request number takes it from
    the card, or from another message of the request, it replies to; without either: the usage."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]

    async def said(text: str, command: str, reply_to: dict | None) -> Call:
        mark = fake.mark()
        sent = fake.push_text(luis, command, group, reply_to=reply_to)
        [call] = await fake.wait_for(
            "sendMessage", chat_id=GROUP_ID, since=mark,
            predicate=lambda c: c.ok and text in c.params["text"]
            and (c.params.get("reply_parameters") or {}).get("message_id") == sent["message_id"])
        return call

    def state() -> str:
        return db_rows(tmp_path, "select state from tickets")[0]["state"]

    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await said("#1 is yours", "/claim", card)
        assert state() == "claimed"
        transcript = await said("Asked to talk to a person", "/ticket", card)
        assert "quiero hablar con una persona" in transcript.params["text"]
        # A member's photo copied into the group belongs to the request too.
        fake.push_photo(ana, caption=None)
        [photo] = await fake.wait_for("copyMessage", chat_id=GROUP_ID, predicate=lambda c: c.ok)
        await said("#1 is back in the queue", "/release", fake.message(GROUP_ID, photo.result["message_id"]))
        assert state() == "open"
        fake.push_text(luis, "Puede pagar en cualquier agencia de Banrural.", group, reply_to=card)
        await to_member(fake, 1001, "Banrural")
        await said("Saved as FAQ draft", "/promote", card)
        await said("#1 closed", "/close", fake.message(GROUP_ID, transcript.result["message_id"]))
        assert state() == "closed"
        await said("#1 reopened", "/reopen", card)
        assert state() == "open"
        # A number given wins over the message replied to; without a number, a reply to a message
        # of no request, or no reply at all, gets the usage line.
        await said("There is no request #7", "/close 7", card)
        stats = await said("Today", "/stats", None)
        usage = await said("Usage: /close N", "/close", fake.message(GROUP_ID, stats.result["message_id"]))
        assert "in reply to the request's card" in usage.params["text"]
        await said("Usage: /close N", "/close", None)
        assert state() == "open"


async def test_a_request_number_too_long_for_the_database_gets_the_usage(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Review 12: "/ticket 99999999999999999999" (a pasted account number) crashed the command with
    SQLite's OverflowError, and staff got no answer."""
    fake, luis, group = fake_telegram, world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        fake.push_command(luis, "ticket", "99999999999999999999", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID,
                            predicate=lambda c: c.ok and "Usage: /ticket N" in c.params["text"])


# ---------------------------------------------------------------------------------------- office hours
async def test_outside_office_hours_the_member_hears_when_staff_are_back(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, john = fake_telegram, world["john"]
    async with bot(fake, tmp_path, TestClock(SATURDAY_GT), caplog):
        fake.push_text(john, "I want to talk to a human")
        monday_8 = datetime(2025, 3, 17, 8, 0, tzinfo=ZoneInfo("America/Guatemala"))
        back = format_time(monday_8, "short", tzinfo=monday_8.tzinfo, locale="en_US")
        notice = await to_member(fake, 1002, "#1")
        assert "closed" in notice.params["text"] and back in notice.params["text"]
        await card_for(fake, 1)  # staff still get the card at once


async def test_follow_up_the_faq_answers_is_answered_and_joins_the_ticket(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana = fake_telegram, world["ana"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        await ask_for_a_person(fake, ana)
        mark = fake.mark()
        fake.push_text(ana, "cuanto cuesta el programa de migrantes del igss")
        answer = await to_member(fake, 1001, "Q1,000", since=mark)
        assert answer.params["parse_mode"] == "HTML"
        await fake.wait_idle()
        rows = db_rows(tmp_path, "select text from ticket_messages where author='member' order by id")
        assert [r["text"] for r in rows][-1] == "cuanto cuesta el programa de migrantes del igss"
        assert len(db_rows(tmp_path, "select id from tickets")) == 1


async def test_corrected_caption_is_not_a_second_photo(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The member fixes a typo in a receipt's caption: staff get the new text, not the photo again."""
    fake, ana = fake_telegram, world["ana"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        photo = fake.push_photo(ana, caption="mi patrono no me paga el igss, mire el recibo")
        await card_for(fake, 1)
        await wait_until(lambda: len(fake.calls_to("copyMessage", chat_id=GROUP_ID)) == 1, what="photo copied")
        mark = fake.mark()
        fake.push_edit(photo, "mi patrono no me paga el IGSS desde marzo, mire el recibo", field="caption")
        await wait_until(lambda: db_rows(tmp_path, "select count(*) from messages where edited = 1")[0][0] == 1,
                         what="edit logged")
        await fake.wait_idle(quiet=0.3)
        assert fake.calls_to("copyMessage", chat_id=GROUP_ID, since=mark) == []
        assert len(fake.calls_to("copyMessage", chat_id=GROUP_ID)) == 1


# ---------------------------------------------------------------------------------------- group upgrades
BASIC_ID = 4001  # a basic group; Telegram gives it -1000000004001 when it becomes a supergroup


def upgraded_groups(fake: FakeTelegram) -> tuple[dict, dict]:
    return fake.group(BASIC_ID, "staff", type="group"), fake.group(BASIC_ID, "staff", type="supergroup")


def staff_in(fake: FakeTelegram, tmp_path: Path, group: dict) -> Settings:
    return bot_settings(fake, tmp_path, PUENTE_STAFF_CHAT_ID=str(group["id"]), PUENTE_STAFF_LANGUAGE="en")


def refuse_old_id(fake: FakeTelegram, method: str, old: dict, new: dict) -> None:
    """Telegram's answer for a group that became a supergroup: 400 with the new id."""
    fake.fail(method, status=400, description="Bad Request: group chat was upgraded to a supergroup chat",
              parameters={"migrate_to_chat_id": new["id"]}, chat_id=old["id"], times=None)


async def test_desk_follows_the_staff_group_when_telegram_upgrades_it(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Making the bot an admin can turn a basic group into a supergroup with a new id: the bot
    must not leave its own desk, and requests, replies and commands go on in the new group."""
    fake, ana, luis = fake_telegram, world["ana"], world["luis"]
    old, new = upgraded_groups(fake)
    app = build(staff_in(fake, tmp_path, old), TestClock())
    with caplog.at_level(logging.WARNING):
        async with running_app(app, fake):
            fake.push_text(ana, "quiero hablar con una persona")
            await fake.wait_for("sendMessage", chat_id=old["id"], predicate=is_card)
            fake.push_service(luis, old, {"migrate_to_chat_id": new["id"]})
            fake.push_service(luis, new, {"migrate_from_chat_id": old["id"]})
            # The open request is posted again where staff now are.
            [card] = await fake.wait_for("sendMessage", chat_id=new["id"], predicate=is_card)
            assert fake.calls_to("leaveChat") == []
            mark = fake.mark()
            fake.push_text(luis, "Hola Ana, la llamamos mañana", new,
                           reply_to=fake.message(new["id"], card.result["message_id"]))
            await to_member(fake, ana["id"], "la llamamos mañana", since=mark)
            fake.push_command(luis, "queue", chat=new)
            await fake.wait_for("sendMessage", chat_id=new["id"], since=mark,
                                predicate=lambda c: "open request" in c.params.get("text", "") or
                                "No open requests" in c.params.get("text", ""))
    assert any("STAFF GROUP MOVED" in r.getMessage() and str(new["id"]) in r.getMessage() for r in caplog.records)


async def test_desk_follows_the_new_id_telegram_gives_when_a_send_fails(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path) -> None:
    """No service message seen (the bot was down): the first send to the old id fails with the
    new id (ChatMigrated) and the card goes there instead."""
    fake, ana = fake_telegram, world["ana"]
    old, new = upgraded_groups(fake)
    refuse_old_id(fake, "sendMessage", old, new)
    async with running_app(build(staff_in(fake, tmp_path, old), TestClock()), fake):
        fake.push_text(ana, "quiero hablar con una persona")
        [card] = await fake.wait_for("sendMessage", chat_id=new["id"], predicate=is_card)
        assert "quiero hablar con una persona" in card.params["text"]


async def test_a_restart_after_the_upgrade_finds_the_new_group_first(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path) -> None:
    """PUENTE_STAFF_CHAT_ID still names the old group: the desk asks Telegram at start and does not
    take its own (new) group for a stranger when staff write there."""
    fake, luis = fake_telegram, world["luis"]
    old, new = upgraded_groups(fake)
    refuse_old_id(fake, "getChat", old, new)
    async with running_app(build(staff_in(fake, tmp_path, old), TestClock()), fake):
        fake.push_command(luis, "queue", chat=new)
        await fake.wait_for("sendMessage", chat_id=new["id"],
                            predicate=lambda c: "No open requests" in c.params["text"])
        assert fake.calls_to("leaveChat") == []


async def test_staff_talk_is_never_relayed_and_unroutable_replies_are_explained(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    maria = fake.user(2002, "María", "es")
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        note = fake.push_text(luis, "// ¿no es la señora del patrono que no paga?", group, reply_to=card, entities=[])
        await wait_until(lambda: db_rows(tmp_path, "select count(*) from ticket_messages where kind='internal'")[0][0]
                         == 1, what="the note on the ticket")
        mark = fake.mark()
        fake.push_text(maria, "Sí, es ella, ya está en jurídico", group, reply_to=note)
        [said] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                     predicate=lambda c: "colleague's message" in c.params["text"])
        assert "#1" in said.params["text"]
        fake.push_command(luis, "stats", chat=group)
        [stats] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                      predicate=lambda c: "Today" in c.params["text"])
        fake.push_text(maria, "buenos números", group, reply_to=fake.message(GROUP_ID, stats.result["message_id"]))
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: "belongs to no request" in c.params["text"])
        await fake.wait_idle(quiet=0.3)
        assert [c for c in fake.calls_to("sendMessage", chat_id=ana["id"], since=mark)] == []


async def test_a_staff_edit_corrects_the_members_copy(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Luis fixes a wrong hour in his answer with Telegram's edit: Ana's message changes too."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        mark = fake.mark()
        reply = fake.push_text(luis, "La oficina abre a las 9.", group, reply_to=card)
        answer = await to_member(fake, ana["id"], "abre a las 9", since=mark)
        fake.push_edit(reply, "La oficina abre a las 8, <b>no</b> a las 9.")
        [edit] = await fake.wait_for("editMessageText", chat_id=ana["id"], predicate=lambda c: c.ok)
        assert edit.params["message_id"] == answer.result["message_id"]
        shown = fake.message(ana["id"], answer.result["message_id"])
        assert shown is not None and "abre a las 8, <b>no</b> a las 9." in shown["text"]
        assert shown["text"].startswith(cards.answer_prefix("Luis", lang="es").replace("<b>", "").replace("</b>", ""))
        await wait_until(lambda: db_rows(tmp_path, "select count(*) from messages where decision='staff-edit'")[0][0]
                         == 1, what="the edit logged")
        # An edit of a staff member's chat (not an answer) goes nowhere.
        chat = fake.push_text(luis, "café a las 10", group)
        fake.push_edit(chat, "café a las 11")
        await fake.wait_idle(quiet=0.3)
        assert len(fake.calls_to("editMessageText", chat_id=ana["id"])) == 1
        # Ana deletes her data: a later edit of the answer is explained, not silently dropped.
        from sqlite_utils import Database

        from storage.conversations import forget_member
        forget_member(Database(tmp_path / DB_NAME), ana["id"])
        mark = fake.mark()
        fake.push_edit(reply, "La oficina abre a las 8 en punto.")
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: "no longer exists" in c.params["text"])
        assert len(fake.calls_to("editMessageText", chat_id=ana["id"])) == 1
