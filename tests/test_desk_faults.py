"""The staff desk and delivery under real-world conditions (independent review, session 9).

Each test was written against a reproduced problem. Same harness as
tests/test_staff_e2e.py: the real PTB Application against the fake Bot API server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.fake_telegram import Call, FakeTelegram, running_app
from tests.helpers import bot_settings, db_rows, wait_until
from tests.test_staff_e2e import (
    GROUP_ID,
    TestClock,
    ask_for_a_person,
    bot,
    build,
    card_for,
    datas,
    is_card,
    staff_in,
    to_member,
    upgraded_groups,
)

ADMIN_ID = 3001


def _sticker(fake: FakeTelegram) -> dict[str, Any]:
    file_id = fake.register_file(b"RIFF-fake-webp", kind="sticker")
    return {"file_id": file_id, "file_unique_id": f"U{file_id}", "type": "regular", "width": 512, "height": 512,
            "is_animated": False, "is_video": False, "emoji": "👍"}


# ---------------------------------------------------------------------------------------- 1
async def test_a_card_refused_for_missing_rights_is_delivered_once_the_group_accepts_it_again(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A group admin takes the bot's right to post (or closes the General topic of a forum): Telegram
    answers 400 "not enough rights…". That is the staff group being unreachable, like a kick — but
    the sender treats any 400 as permanent: the card and its fallback are marked failed, never
    retried, and admins are not told. When the rights come back, the request never appears."""
    fake, ana = fake_telegram, world["ana"]
    admin = fake.user(ADMIN_ID, "Admin", "es")
    fake.fail("sendMessage", status=400, chat_id=GROUP_ID, times=None,
              description="Bad Request: not enough rights to send text messages to the chat")
    async with bot(fake, tmp_path, TestClock(), caplog, env={"PUENTE_ADMIN_IDS": str(admin["id"])}):
        fake.push_text(ana, "quiero hablar con una persona")
        await to_member(fake, ana["id"], "#1")
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, count=2)  # the card and its fallback, refused
        await asyncio.sleep(0.5)
        fake.clear_faults()  # rights restored
        await card_for(fake, 1)  # the request must reach staff
        assert [c for c in fake.calls_to("sendMessage", chat_id=admin["id"]) if c.ok], "admins were never told"


# ---------------------------------------------------------------------------------------- 2
async def test_a_restart_while_an_answer_is_in_flight_does_not_send_it_twice(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An ordinary restart (deploy) while Telegram is still answering the send of a staff answer:
    OutboxSender.stop() promises to stop "after the current call" but cancels it, so the row stays
    pending although Telegram delivered it, and the next start sends the answer again."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await fake.wait_idle(quiet=0.3)
        fake.delay("sendMessage", 3.0)  # Telegram stores the message at once, answers slowly
        mark = fake.mark()
        fake.push_text(luis, "Puede pagar en cualquier agencia de Banrural.", group, reply_to=card)
        await fake.wait_for("sendMessage", chat_id=ana["id"], since=mark)
        await asyncio.sleep(0.2)
    async with bot(fake, tmp_path, TestClock(), caplog):  # same database, new process
        await asyncio.sleep(1.0)
        await fake.wait_idle(quiet=0.3)
    copies = [m for m in fake.messages_in(ana["id"], from_bot=True) if "Banrural" in (m.get("text") or "")]
    assert len(copies) == 1, f"Ana got the answer {len(copies)} times"


# ---------------------------------------------------------------------------------------- 3
async def test_a_request_reopened_after_the_group_moved_gets_a_card_there(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path) -> None:
    """The group becomes a supergroup while request #1 is closed. move_staff_chat clears the card of
    every request in the old group but re-posts only open/claimed/answered ones. When Ana's 👎
    reopens #1, the card refresh finds no card and is dropped as "still queued": staff in the new
    group get a loose ⚠️ note, never the card with the question and the Claim/Close buttons."""
    fake, ana, luis = fake_telegram, world["ana"], world["luis"]
    old, new = upgraded_groups(fake)
    async with running_app(build(staff_in(fake, tmp_path, old), TestClock()), fake):
        fake.push_text(ana, "quiero hablar con una persona")
        [posted] = await fake.wait_for("sendMessage", chat_id=old["id"], predicate=is_card)
        card = fake.message(old["id"], posted.result["message_id"])
        mark = fake.mark()
        fake.push_text(luis, "Hola Ana, ya quedó registrado.", old, reply_to=card)
        answer = await to_member(fake, ana["id"], "ya quedó", since=mark)
        fake.push_command(luis, "close", "1", chat=old)
        await wait_until(lambda: db_rows(tmp_path, "select state from tickets")[0]["state"] == "closed",
                         what="#1 closed")
        await fake.wait_idle(quiet=0.3)
        fake.push_service(luis, old, {"migrate_to_chat_id": new["id"]})
        fake.push_service(luis, new, {"migrate_from_chat_id": old["id"]})
        await wait_until(lambda: bool(fake.calls_to("setMyCommands", since=mark)), what="the desk to follow the move")
        await fake.wait_idle(quiet=0.3)
        mark = fake.mark()
        fake.push_callback(ana, "sfb:1:-1", fake.message(ana["id"], answer.result["message_id"]))
        await fake.wait_for("sendMessage", chat_id=new["id"], since=mark,
                            predicate=lambda c: c.ok and "👎" in c.params["text"])
        await wait_until(lambda: db_rows(tmp_path, "select state from tickets")[0]["state"] == "open",
                         what="#1 reopened")
        await fake.wait_for("sendMessage", chat_id=new["id"], since=mark,
                            predicate=lambda c: is_card(c) and "tk:claim:1" in datas(c.params))


# ---------------------------------------------------------------------------------------- 4
async def test_a_spanish_desk_reply_to_a_promote_answer_is_not_sent_to_the_member(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path) -> None:
    """With the default staff language (es), /promote's answers read "La #1 ya es el borrador…"; a
    reply to a bot message that is not mapped to a request falls back to the "<icon> #N" head of a
    card, and "La #1" matches it. María asking her colleagues about drafts writes to Ana."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    maria = fake.user(2002, "María", "es")
    settings = bot_settings(fake, tmp_path, PUENTE_STAFF_CHAT_ID=str(GROUP_ID), PUENTE_STAFF_LANGUAGE="es")
    async with running_app(build(settings, TestClock()), fake):
        card = await ask_for_a_person(fake, ana)
        mark = fake.mark()
        fake.push_text(luis, "Puede pagar en cualquier agencia de Banrural.", group, reply_to=card)
        await to_member(fake, ana["id"], "Banrural", since=mark)
        fake.push_command(luis, "promote", "1", chat=group)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "borrador" in c.params["text"])
        mark = fake.mark()
        fake.push_command(luis, "promote", "1", chat=group)  # a second time: "La #1 ya es el borrador de FAQ 1."
        [said] = await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                                     predicate=lambda c: c.ok and "borrador" in c.params["text"])
        assert said.params["text"].startswith("La #1")
        mark = fake.mark()
        fake.push_text(maria, "¿Dónde se revisan los borradores?", group,
                       reply_to=fake.message(GROUP_ID, said.result["message_id"]))
        await fake.wait_idle(quiet=0.5)
        leaked = [c for c in fake.calls_to("sendMessage", chat_id=ana["id"], since=mark) if "borradores" in
                  str(c.params.get("text"))]
        assert leaked == [], "a colleague's question about drafts was sent to the member"


# ---------------------------------------------------------------------------------------- 5
async def test_a_staff_reply_that_starts_with_a_slash_is_not_silently_dropped(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Luis answers the card with "/menu le muestra los temas…": the reply handler excludes commands,
    no staff command matches, and the group catch-all ignores the staff group. Nothing reaches Ana
    and Luis is not told, so he believes she has the answer."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await fake.wait_idle(quiet=0.3)
        mark = fake.mark()
        reply = fake.push_text(luis, "/menu le muestra los temas; el pago se hace en Banrural.", group,
                               reply_to=card)
        await fake.wait_idle(quiet=0.5)

        def told_staff(c: Call) -> bool:
            return c.ok and (c.params.get("reply_parameters") or {}).get("message_id") == reply["message_id"]

        delivered = [c for c in fake.calls_to("sendMessage", chat_id=ana["id"], since=mark)
                     if c.ok and "Banrural" in str(c.params.get("text"))]
        told = [c for c in fake.calls_to("sendMessage", chat_id=GROUP_ID, since=mark) if told_staff(c)]
        assert delivered or told, "the answer went nowhere and staff were not told"


# ---------------------------------------------------------------------------------------- 6
async def test_a_blocked_member_is_reported_once_per_answer(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A sticker (or a voice note too long to caption, or a text over 4096 with the heading) goes out
    as two calls: the heading, then the copy. When Ana has blocked the bot, both fail and each is
    reported: staff get the same ⚠️ "not delivered" note twice and the ticket records it twice."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await fake.wait_idle(quiet=0.3)
        fake.block_user(ana["id"])
        mark = fake.mark()
        fake._push_message(luis, group, {"sticker": _sticker(fake)}, reply_to=card)
        await fake.wait_for("sendMessage", chat_id=GROUP_ID, since=mark,
                            predicate=lambda c: c.ok and "blocked" in c.params["text"])
        await fake.wait_idle(quiet=0.5)
        notes = [c for c in fake.calls_to("sendMessage", chat_id=GROUP_ID, since=mark)
                 if c.ok and "blocked" in c.params["text"]]
        assert len(notes) == 1, [c.params["text"] for c in notes]
        rows = db_rows(tmp_path, "select count(*) from ticket_messages where kind = 'note' and text like '%blocked%'")
        assert rows[0][0] == 1
