"""What members send that is not a plain question: a language or the menu asked for in words, double
taps, dice and stories, short Spanish that looks English. Each test was written against a reproduced
problem (independent review, session 9)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from conversation.callbacks import route_callback
from conversation.pipeline import Member, Pipeline
from handlers.app import build_application
from storage.store import Store
from tests.fake_telegram import FakeTelegram, running_app
from tests.helpers import db_rows, rows
from tests.test_e2e_member import loose_limiter, settings_for
from tests.test_pipeline import _desk_pipeline

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")


@pytest.fixture
async def bot(fake_telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Any]:
    app = build_application(settings_for(fake_telegram, tmp_path), rate_limiter=loose_limiter())
    with caplog.at_level(logging.ERROR):
        async with running_app(app, fake_telegram):
            yield app


# ------------------------------------------------------------------------------------------------
# 1. A Spanish message whose only grammar word is "a" (or the auxiliary "he") is answered in English.
@pytest.mark.parametrize("text", [
    "inscribirme a migrantes",          # "a" is counted as English
    "seguro a migrantes",
    "he pagado 3 meses",               # "he" (I have) is counted as English
])
async def test_spanish_question_with_a_or_he_is_answered_in_spanish(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """Ana's phone is in Spanish and she has just greeted the bot in Spanish; her next message is
    plain Spanish. faq/language.py says "a" is deliberately left out of the grammar words because
    it is also English, but EN_WORDS contains it (and "he"), so one "a" outvotes everything."""
    await pipeline.handle_text(ANA, "hola")
    replies = await pipeline.handle_text(ANA, text)
    assert replies
    logged = rows(store, "select lang from messages where direction='in' order by id desc limit 1")
    assert logged == [{"lang": "es"}], replies[0].text[:80]


# ------------------------------------------------------------------------------------------------
# 2. A dice (a lone ⚽/🎲/🎯/🏀/🎳/🎰 emoji becomes one on a phone) or a shared story is dropped.
@pytest.mark.parametrize("fields", [
    {"dice": {"emoji": "⚽", "value": 3}},
    {"story": {"chat": {"id": 5550, "type": "channel", "title": "Noticias"}, "id": 7}},
    {"poll": {"id": "p1", "question": "¿Vamos?", "options": [{"text": "sí", "voter_count": 0, "persistent_id": "o1"}],
              "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
              "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}},
], ids=["dice", "story", "poll"])
async def test_dice_or_story_in_a_private_chat_is_logged_and_answered(
        bot: Any, fake_telegram: FakeTelegram, tmp_path: Path, fields: dict) -> None:
    """Sending a lone ⚽ or 🎲 in Telegram sends a dice, and a story can be shared into the chat:
    neither matches any handler (handlers/__init__.py MEDIA lists no Dice/Story), so the member gets
    silence and nothing is stored, against "never ignored, nothing is lost"."""
    u = fake_telegram.user(1101, "Rosa", "es")
    fake_telegram.push_service(u, fake_telegram.private_chat(u), fields)
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1101, timeout=5)
    assert "pregunta" in call.params["text"]
    await fake_telegram.wait_idle()
    assert db_rows(tmp_path, "select count(*) from messages where direction='in' and member_id=1101")[0][0] == 1


# ------------------------------------------------------------------------------------------------
# 3. A double tap on 👎 (both taps reach the bot before the buttons are removed) escalates twice.
async def test_double_tap_on_thumbs_down_hands_the_question_to_staff_once(pipeline: Pipeline, store: Store) -> None:
    """On a slow phone both taps of 👎 arrive (handlers/member.py removes the buttons only while
    handling the first). record_feedback keeps one vote, but Pipeline.handle_feedback escalates
    again: Ana reads "Lamento que no le haya servido" twice and staff get her question twice."""
    pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    answer = (await pipeline.handle_text(ANA, "cuanto cuesta el programa de migrantes del igss"))[0]
    first = await route_callback(pipeline, ANA, f"fb:{answer.log_id}:-1")
    second = await route_callback(pipeline, ANA, f"fb:{answer.log_id}:-1")
    assert "Lamento" in first[0].text
    assert not any("Lamento" in r.text for r in second), second[0].text
    asked = rows(store, "select text from ticket_messages where author='member' and kind='text'")
    # once, with the member's words and (since session 14) which answer did not help
    assert asked == [{"text": "cuanto cuesta el programa de migrantes del igss\n"
                              "👎 ¿Cuánto cuesta el programa de migrantes del IGSS?"}]


# ------------------------------------------------------------------------------------------------
# 4. "menu" typed without the slash (as the bot itself keeps saying "toque /menu") opens a ticket.
@pytest.mark.parametrize("text", ["menu", "Menú", "ver menu", "el menu por favor"])
async def test_typing_menu_is_not_sent_to_staff_as_an_unanswered_question(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """Every reply says "toque /menu"; on a phone many members simply type "menu". The matcher
    finds no entry and escalates: "Todavía no tengo respuesta para eso. Anoté su pregunta…", a
    ticket for staff and a line in /gaps, instead of the topics (Pipeline.handle_text; faq/smalltalk.py
    has no menu/navigation intent)."""
    pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    replies = await pipeline.handle_text(ANA, text)
    assert replies
    assert rows(store, "select count(*) as n from tickets") == [{"n": 0}], replies[0].text[:80]
    logged = rows(store, "select decision from messages where direction='in'")
    assert logged != [{"decision": "escalate"}]


# ------------------------------------------------------------------------------------------------
# 5. Asking for a language in words gets the FAQ entry about Mayan languages (or staff).
@pytest.mark.parametrize("text", ["spanish please", "in spanish", "en español por favor", "español"])
async def test_asking_for_spanish_in_words_is_not_answered_with_the_mayan_languages_entry(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """A member who writes "spanish please" wants the conversation in Spanish. The matcher answers
    directly with the entry "Is there information about the migrant program in Mayan languages?"
    (for "spanish please" even in English), a wrong answer with 👍/👎 under it."""
    replies = await pipeline.handle_text(ANA, text)
    assert replies
    answered = rows(store, "select faq_id from messages where direction='out' and faq_id is not null")
    assert answered == [], replies[0].text[:80]


async def test_double_tap_on_none_of_these_hands_the_question_to_staff_once(pipeline: Pipeline, store: Store) -> None:
    """"None of these" stays on the message (a member may still pick); a second tap must not add
    the question to the request again."""
    pipeline, _desk, _sender, _transport = _desk_pipeline(store, pipeline.faqs)
    suggest = (await pipeline.handle_text(ANA, "igss migrantes"))[0]
    none = next(b.data for row in suggest.buttons for b in row if b.data.startswith("none:"))
    first = await route_callback(pipeline, ANA, none)
    second = await route_callback(pipeline, ANA, none)
    assert first and second == []
    asked = rows(store, "select text from ticket_messages where author='member' and kind='text'")
    assert asked == [{"text": "igss migrantes"}]
    assert rows(store, "select count(*) n from messages where direction='in' and text = ?", (none,)) == [{"n": 2}]


async def test_a_language_asked_for_in_words_is_chosen(pipeline: Pipeline, store: Store) -> None:
    """"english please" is the English button in words: the member's language changes, the
    confirmation comes in English, and later answers follow it."""
    reply = (await pipeline.handle_text(ANA, "english please"))[0]
    assert reply.text == "Done: I'll answer you in English. Write your question."
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,)) == [{"chosen_language": "en"}]
    back = (await pipeline.handle_text(ANA, "en español por favor"))[0]
    assert back.text.startswith("Listo")
    assert rows(store, "select chosen_language from members where id = ?", (ANA.id,)) == [{"chosen_language": "es"}]


async def test_menu_typed_in_words_shows_the_topics(pipeline: Pipeline) -> None:
    reply = (await pipeline.handle_text(ANA, "menu"))[0]
    assert reply.text == "Elija un tema:"
    assert reply.buttons and all(b.data.startswith("cat:") for row in reply.buttons for b in row)
