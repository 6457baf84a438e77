"""Edges of session 9's fixes: a photo the staff group refuses, a shutdown during the rate limit,
a command for another bot, names that must not switch a member's language, and language requests
("no english", "yo no hablo inglés", "en español plis"). Each test was written against a problem an
independent review reproduced. Same harness as tests/test_desk_faults.py and tests/test_staff_e2e.py.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from conversation.pipeline import Member, Pipeline
from desk.sender import OutboxSender
from faq.smalltalk import classify_smalltalk
from storage import outbox
from storage.store import Store
from tests.fake_telegram import FakeTelegram
from tests.helpers import wait_until
from tests.test_staff_e2e import GROUP_ID, TestClock, ask_for_a_person, bot, card_for, to_member

STAFF = -1001000000777


# ---------------------------------------------------------------------------------------- staff rights
async def test_a_photo_the_group_does_not_allow_does_not_hold_back_every_later_card(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The staff group lets members (and a bot that is not an admin) send text but not photos:
    Telegram answers the copy of Ana's photo with 400 "not enough rights to send photos to the
    chat", for good. handlers/staff.py's _NO_RIGHTS now reads that as the whole group being
    unreachable: the copy is retried forever, and since the outbox keeps per-chat order, every
    later message to the group (John's card) waits behind it. The desk goes dark over one photo."""
    fake, ana, john = fake_telegram, world["ana"], world["john"]
    fake.fail("copyMessage", status=400, chat_id=GROUP_ID, times=None,
              description="Bad Request: not enough rights to send photos to the chat")
    async with bot(fake, tmp_path, TestClock(), caplog):
        fake.push_photo(ana, caption="mi patrono no me paga el igss, mire el recibo")
        await fake.wait_for("copyMessage", chat_id=GROUP_ID)
        await fake.wait_idle(quiet=0.3)
        mark = fake.mark()
        fake.push_text(john, "I want to talk to a person")
        await to_member(fake, john["id"], "#", since=mark)
        await card_for(fake, 2, since=mark)


# ---------------------------------------------------------------------------------------- sender stop
async def test_stop_does_not_wait_out_the_rate_limit_nor_send_what_was_waiting_for_it(tmp_path: Path) -> None:
    """A backlog drains into the staff group at PUENTE_STAFF_MESSAGES_PER_MINUTE. A deploy stops the
    sender while the next row waits for the limiter (desk/sender.py _process: limiter.acquire()
    before the call): nothing is in flight, yet OutboxSender.stop() waits the whole grace (10 s
    here, per_minute=1) and cancels; with the default 20/minute it waits ~3 s and then *starts*
    a new send after stop was asked — one that a slow Telegram can see cut mid-flight at the end
    of the grace, the duplicate the grace was meant to prevent. stop() should return at once."""
    store = Store(tmp_path / "puente.db")
    store.open()
    sent: list[str] = []

    async def transport(method: str, params: dict[str, Any]) -> int:
        sent.append(params["text"])
        return len(sent)

    try:
        for text in ("first", "second", "third"):
            await store.call(outbox.enqueue, chat_id=STAFF, method="sendMessage",
                             payload={"chat_id": STAFF, "text": text})
        sender = OutboxSender(store, transport, limited_chats=frozenset({STAFF}), per_minute=1, idle_poll=0.05)
        sender.start()
        await wait_until(lambda: sent == ["first"], what="the first row sent")
        await asyncio.sleep(0.2)  # the second row now waits for the limiter
        started = time.monotonic()
        await sender.stop()
        took = time.monotonic() - started
        assert sent == ["first"]
        assert took < 2.0, f"stop() took {took:.1f}s with nothing in flight"
    finally:
        store.close()


# ---------------------------------------------------------------------------------------- reply language
ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")
MARY = Member(id=202, chat_id=202, first_name="Mary", language_code="en")


def logged_langs(store: Store, member: Member) -> list[str]:
    return store.call_sync(lambda db: [r[0] for r in db.execute(
        "select lang from messages where direction = 'in' and member_id = ? order by id", [member.id])])


@pytest.mark.parametrize(("member", "messages", "wanted"), [
    (ANA, ["whatsapp igss"], "es"),                           # WhatsApp: "wh"
    (ANA, ["telefono whatsapp"], "es"),
    (ANA, ["cita imss monterrey"], "es"),                     # Monterrey: "-ey"
    (ANA, ["facebook igss"], "es"),                           # Facebook: "oo"
    (ANA, ["hola", "numero de whatsapp del igss", "whatsapp?"], "es"),  # mid-conversation in Spanish
    (MARY, ["consulate Orlando"], "en"),                      # Orlando: "-ando"
    (MARY, ["IGSS office Florida"], "en"),                    # Florida: "-ida"
    (MARY, ["Florida clinic"], "en"),
    (MARY, ["hello", "Guatemalan consulate Orlando"], "en"),  # mid-conversation in English
], ids=lambda v: v if isinstance(v, str) else None)
async def test_a_brand_or_place_name_does_not_overrule_the_members_language(
        pipeline: Pipeline, store: Store, member: Member, messages: list[str], wanted: str) -> None:
    """faq/language.py detect_language: when no grammar word decides, _shape_votes now decides
    *before* the member's language (Telegram app, conversation so far) is consulted. One brand or
    place name is enough: "whatsapp", "facebook", "monterrey" look English (wh, oo, -ey), "Florida",
    "Orlando" look Spanish (-ida, -ando). Ana, on a Spanish phone, gets the IGSS phone entry in
    English for "whatsapp igss"; Mary, writing English on an English phone, gets Spanish for
    "IGSS office Florida". Before the change both were answered in their language."""
    for text in messages:
        replies = await pipeline.handle_text(member, text)
    assert logged_langs(store, member)[-1] == wanted, replies[0].text[:80]


# ---------------------------------------------------------------------------------------- language requests
@pytest.mark.parametrize("text", [
    "no english", "No english please", "no ingles", "no inglés por favor", "NO INGLES", "not english",
    "no se hablar ingles", "no le entiendo al ingles", "no hablo nada de ingles",
])
def test_no_english_is_not_a_request_for_english(text: str) -> None:
    """faq/smalltalk.py requested_language now flips the language only when _NEGATED finds a verb
    right before the name ("no hablo inglés"). A Spanish speaker who got an English reply and
    types "no english" / "no inglés por favor" — or "no sé hablar inglés", "no hablo nada de
    inglés" — is told "Done: I'll answer you in English" and every later answer comes in English
    (chosen_language is stored). Before the change all of these chose Spanish."""
    assert classify_smalltalk(text) == "language-es"


@pytest.mark.parametrize(("text", "wanted"), [
    ("yo no hablo ingles", "es"), ("yo no hablo inglés", "es"), ("yo no entiendo ingles", "es"),
    ("yo hablo español", "es"), ("yo solo hablo español", "es"),
])
def test_yo_does_not_hide_a_language_request(text: str, wanted: str) -> None:
    """requested_language used to drop greeting words, and "yo" is one; now only _LANGUAGE_AROUND
    (openers, fillers, thanks) is dropped, so "yo no hablo inglés" — how many members say it — is
    not a language request any more: it goes to the matcher, finds nothing and opens a request for
    staff ("Todavía no tengo respuesta…") while the member keeps getting English."""
    assert classify_smalltalk(text) == f"language-{wanted}"


async def test_yo_no_hablo_ingles_switches_an_english_phone_to_spanish(pipeline: Pipeline, store: Store) -> None:
    await pipeline.handle_text(MARY, "hi")
    reply = (await pipeline.handle_text(MARY, "yo no hablo ingles"))[0]
    chosen = store.call_sync(lambda db: db.execute("select chosen_language from members where id = ?",
                                                   [MARY.id]).fetchone()[0])
    assert chosen == "es", reply.text[:80]


# ---------------------------------------------------------------------------------------- command replies
async def test_a_command_for_another_bot_in_reply_to_a_card_is_not_answered_by_puente(
        fake_telegram: FakeTelegram, world: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Staff groups often have a moderation bot too. Luis replies to the card with
    "/warn@GroupHelpBot" (addressed to that bot, not to Puente and not to the member).
    handlers/staff.py command_reply answers every command in reply to a ticket message that no
    staff CommandHandler took, including those addressed to another bot, so Puente posts "Nothing
    was sent to the member… the desk has no such command… reply to its card again without the /"."""
    fake, ana, luis, group = fake_telegram, world["ana"], world["luis"], world["group"]
    async with bot(fake, tmp_path, TestClock(), caplog):
        card = await ask_for_a_person(fake, ana)
        await fake.wait_idle(quiet=0.3)
        mark = fake.mark()
        fake.push_text(luis, "/warn@GroupHelpBot spam", group, reply_to=card)
        await fake.wait_idle(quiet=0.5)
        said = [c.params["text"] for c in fake.calls_to("sendMessage", chat_id=GROUP_ID, since=mark) if c.ok]
        assert said == [], said


@pytest.mark.parametrize(("text", "wanted"), [
    ("en español plis", "es"),       # "plis": how "please" is typed across Latin America
    ("hablan español?", "es"),       # answered with the Mayan-languages entry
    ("i prefer english", "en"),      # "prefiero" is a pad word, "prefer" is not
    ("can we talk in english", "en"),
])
def test_everyday_language_requests_are_recognised(text: str, wanted: str) -> None:
    """faq/smalltalk.py requested_language accepts only LANGUAGE_PAD / _LANGUAGE_AROUND words
    around the language name, and these common ones are missing ("plis", "hablan", "prefer",
    "we"). The messages go to the matcher instead: "en español plis" opens a request for staff
    ("Anoté su pregunta…") and the language is not remembered; "¿hablan español?" is answered
    with the entry about information in Mayan languages (the symptom session 9 fixed for
    "en español por favor")."""
    assert classify_smalltalk(text) == f"language-{wanted}"
