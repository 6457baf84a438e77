"""End to end: the real python-telegram-bot Application against the local fake Bot API server.

Nothing of ours is mocked: updates go through PTB's polling, our handlers, the pipeline, the
matcher and SQLite, and the replies are checked as the fake server received them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import AIORateLimiter

from config import Settings
from faq.loader import load_faq
from handlers.app import build_application
from storage import conversations as conv
from tests.fake_telegram import FakeTelegram, running_app
from tests.helpers import bot_settings, db_rows, wait_until

FAQ = load_faq(Path(__file__).resolve().parent.parent / "faq" / "data" / "faq.yaml")
ADMIN_ID = 999


def settings_for(fake: FakeTelegram, tmp_path: Path, **extra: str) -> Settings:
    return bot_settings(fake, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID), **extra)


def loose_limiter() -> AIORateLimiter:
    # Real limiter (so 429 retries are exercised) without the 20/min group stall in tests.
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=2)


@pytest.fixture
async def bot(fake_telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> AsyncIterator[Any]:
    settings = settings_for(fake_telegram, tmp_path)
    app = build_application(settings, rate_limiter=loose_limiter())
    with caplog.at_level(logging.ERROR):
        async with running_app(app, fake_telegram):
            yield app
    errors = [r for r in caplog.records if r.name == "handlers.errors"]
    assert not errors or app.bot_data.get("expect_errors"), [r.getMessage() for r in errors]


def buttons(call_params: dict) -> list[dict]:
    markup = call_params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def test_start_greets_and_offers_languages_and_registers_commands(bot: Any, fake_telegram: FakeTelegram) -> None:
    ana = fake_telegram.user(1001, "Ana", "es")
    fake_telegram.push_command(ana, "start")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1001)
    assert "Ana" in call.params["text"] and "Puente" in call.params["text"]
    assert [b["callback_data"] for b in buttons(call.params)] == ["lang:es", "lang:en"]
    langs = {c.params.get("language_code") for c in fake_telegram.calls_to("setMyCommands")}
    assert {"es", "en"} <= langs
    es_cmds = next(c for c in fake_telegram.calls_to("setMyCommands") if c.params.get("language_code") == "es")
    assert any(cmd["description"] == "Ver los temas" for cmd in es_cmds.params["commands"])


async def test_deep_link_sets_language(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1002, "Luis", "es")
    fake_telegram.push_command(u, "start", "en")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1002)
    assert call.params["text"].startswith("Hi, Luis")
    assert db_rows(tmp_path, "select chosen_language from members where id = 1002")[0][0] == "en"


async def test_spanish_question_with_typos_gets_spanish_answer(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    ana = fake_telegram.user(1003, "Ana", "es")
    fake_telegram.push_text(ana, "cuanto cuesta el seguro pa migrantes")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1003)
    assert call.params["parse_mode"] == "HTML"
    assert FAQ.get("migrant-cost").answer["es"][:40] in call.params["text"]  # type: ignore[union-attr]
    assert [b["callback_data"].split(":")[-1] for b in buttons(call.params)] == ["1", "-1"]
    delivered = "select count(*) from messages where direction='out' and telegram_message_id is not null"
    await wait_until(lambda: db_rows(tmp_path, delivered)[0][0] == 1, what="the reply's Telegram id")
    inbound = db_rows(tmp_path, "select * from messages where direction='in'")
    outbound = db_rows(tmp_path, "select * from messages where direction='out'")
    assert inbound[0]["decision"] == "answer" and inbound[0]["faq_id"] == "migrant-cost"
    assert inbound[0]["telegram_message_id"] is not None
    assert outbound[0]["telegram_message_id"] == call.result["message_id"]


async def test_english_question_gets_english_answer(bot: Any, fake_telegram: FakeTelegram) -> None:
    john = fake_telegram.user(1004, "John", "en")
    fake_telegram.push_text(john, "how do i pay my igss contribution from the united states")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1004)
    assert FAQ.get("migrant-pay-from-us").answer["en"][:40] in call.params["text"]  # type: ignore[union-attr]


async def test_ambiguous_question_buttons_then_tap_answers(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = bot.bot_data["services"]
    query = next(
        q
        for q in ("igss migrantes", "pago igss", "cancer igss", "pension igss", "familia igss migrante", "igss")
        if services.faqs.snapshot.matcher.match(q).decision == "suggest"
    )
    u = fake_telegram.user(1005, "Rosa", "es")
    fake_telegram.push_text(u, query)
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1005)
    options = buttons(call.params)
    assert options[-1]["callback_data"].startswith("none:") and len(options) >= 3
    bot_message = fake_telegram.message(1005, call.result["message_id"])
    fake_telegram.push_callback(u, options[0]["callback_data"], bot_message)
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1005, count=2)
    await fake_telegram.wait_for("answerCallbackQuery")
    picked = options[0]["callback_data"].split(":", 1)[1]
    assert FAQ.get(picked).answer["es"][:30] in calls[1].params["text"]  # type: ignore[union-attr]


async def test_unknown_question_gets_escalation_message(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1006, "Mario", "es")
    fake_telegram.push_text(u, "quien gano el partido de futbol anoche")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1006)
    assert "No tengo respuesta para eso" in call.params["text"] and "/menu" in call.params["text"]
    await fake_telegram.wait_idle()
    assert db_rows(tmp_path, "select decision from messages where direction='in'")[0][0] == "escalate"


async def test_sticker_photo_voice_get_polite_reply(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1007, "Eva", "en")
    fake_telegram.push_sticker(u)
    fake_telegram.push_voice(u)
    fake_telegram.push_location(u)
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1007, count=3)
    assert all("write your question" in c.params["text"] for c in calls)
    await fake_telegram.wait_idle()
    kinds = [r[0] for r in db_rows(tmp_path, "select kind from messages where direction='in' order by id")]
    assert kinds == ["sticker", "voice", "location"]


async def test_feedback_is_stored_and_buttons_removed(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1008, "Juan", "es")
    fake_telegram.push_text(u, "cuanto cuesta el programa de migrantes del igss")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1008)
    up = buttons(call.params)[0]["callback_data"]
    fake_telegram.push_callback(u, up, fake_telegram.message(1008, call.result["message_id"]))
    thanks = await fake_telegram.wait_for("sendMessage", chat_id=1008, count=2)
    assert "Gracias" in thanks[1].params["text"]
    edits = await fake_telegram.wait_for("editMessageReplyMarkup")
    assert edits[0].params["message_id"] == call.result["message_id"]
    await fake_telegram.wait_idle()
    fb = db_rows(tmp_path, "select vote, faq_id from feedback")
    assert [tuple(r) for r in fb] == [(1, "migrant-cost")]


async def test_two_questions_the_second_is_one_tap_away_even_after_a_vote(
        bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1018, "Rosa", "es")
    fake_telegram.push_text(u, "cuanto cuesta el seguro de migrantes y como pago desde usa?")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1018)
    datas = [b["callback_data"] for b in buttons(call.params)]
    assert datas[-1] == "pick:migrant-pay-from-us" and datas[0].startswith("fb:")
    # A 👍 removes the vote buttons only: the other question stays under the answer.
    fake_telegram.push_callback(u, datas[0], fake_telegram.message(1018, call.result["message_id"]))
    [edit] = await fake_telegram.wait_for("editMessageReplyMarkup", chat_id=1018)
    kept = [b["callback_data"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row]
    assert kept == ["pick:migrant-pay-from-us"]
    fake_telegram.push_callback(u, kept[0], fake_telegram.message(1018, call.result["message_id"]))
    answers = await fake_telegram.wait_for("sendMessage", chat_id=1018, count=3)
    assert "remesa" in answers[2].params["text"]
    await fake_telegram.wait_idle()
    picked = db_rows(tmp_path, "select faq_id from messages where direction='out' and faq_id is not null order by id")
    assert [r[0] for r in picked] == ["migrant-cost", "migrant-pay-from-us"]


async def test_odd_messages_never_crash(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1009, "Test", "es")
    odd = ["😀😀", "<b>hola</b> & <script>x</script>", "x" * 4096, "\u0000\u0007 control", "¿?"]
    for text in odd:
        fake_telegram.push_text(u, text)
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1009, count=len(odd), predicate=lambda c: c.ok)
    assert all(c.ok for c in calls)
    await fake_telegram.wait_idle()
    logged = [r[0] for r in db_rows(tmp_path, "select text from messages where direction='in' order by id")]
    assert logged == odd


async def test_edited_message_is_answered(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1010, "Sofi", "es")
    msg = fake_telegram.push_text(u, "asdfgh")
    await fake_telegram.wait_for("sendMessage", chat_id=1010)
    fake_telegram.push_edit(msg, "cuanto cuesta el programa de migrantes del igss")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1010, count=2)
    assert "Q1,000" in calls[1].params["text"]
    await fake_telegram.wait_idle()
    assert [r[0] for r in db_rows(tmp_path, "select edited from messages where direction='in' order by id")] == [0, 1]


async def test_an_edit_that_only_fixes_a_typo_is_not_answered_twice(
        bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    """Third review: "how do i pay igss from the us" edited to "How do I pay IGSS from the US?"
    got the identical answer a second time. An edit answered with the same entry gets no new
    reply (the answer is right above); an edit that changes the question is answered."""
    u = fake_telegram.user(1015, "John", "en")
    msg = fake_telegram.push_text(u, "how do i pay igss from the us")
    [first] = await fake_telegram.wait_for("sendMessage", chat_id=1015)
    fake_telegram.push_edit(msg, "How do I pay IGSS from the US?")
    await fake_telegram.wait_idle()
    assert len(fake_telegram.calls_to("sendMessage", chat_id=1015)) == 1
    fake_telegram.push_edit(msg, "how much does the igss migrant program cost")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1015, count=2)
    assert "Q1,000" in calls[1].params["text"] and calls[1].params["text"] != first.params["text"]
    edits = db_rows(tmp_path, "select decision, faq_id, edited from messages where direction='in' order by id")
    assert [tuple(r) for r in edits][:2] == [("answer", "migrant-pay-from-us", 0), ("answer", "migrant-pay-from-us", 1)]


async def test_other_groups_are_left(bot: Any, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture) -> None:
    group = fake_telegram.group(-100555, "Random group")
    u = fake_telegram.user(1011, "Pepe", "es")
    with caplog.at_level(logging.WARNING, logger="handlers.groups"):
        fake_telegram.push_text(u, "/start", group)
        await fake_telegram.wait_for("leaveChat")
    assert fake_telegram.calls_to("leaveChat")[0].params["chat_id"] == group["id"]
    # Without a staff group yet, the log gives the id to set (README, "Set up the group", step 3; review 12).
    assert any("PUENTE_STAFF_CHAT_ID=-100555" in r.getMessage() and "'Random group'" in r.getMessage()
               for r in caplog.records if r.levelno >= logging.WARNING)


async def test_429_is_retried_and_the_answer_arrives(bot: Any, fake_telegram: FakeTelegram) -> None:
    u = fake_telegram.user(1012, "Rita", "es")
    fake_telegram.fail("sendMessage", status=429, retry_after=1, chat_id=1012)
    fake_telegram.push_text(u, "cuanto cuesta el programa de migrantes del igss")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1012, count=2, timeout=10)
    assert calls[0].status == 429 and calls[1].ok and "Q1,000" in calls[1].params["text"]


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.common.SEND_RETRY_PAUSES", (0.05, 0.05))


async def test_a_reply_hit_by_one_5xx_is_sent_again(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path, quick_retries: None
) -> None:
    """Third review: one 502 on "I've passed your question to our team (request #1)" lost the
    notice (the ticket was open) and told the member "something went wrong, try again"."""
    u = fake_telegram.user(1014, "Olga", "es")
    fake_telegram.fail("sendMessage", status=502, description="Bad Gateway", chat_id=1014)
    fake_telegram.push_text(u, "cuanto cuesta el programa de migrantes del igss")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1014, count=2)
    assert calls[0].status == 502 and calls[1].ok and "Q1,000" in calls[1].params["text"]
    await fake_telegram.wait_idle()
    assert not [c for c in fake_telegram.calls_to("sendMessage") if "algo falló" in str(c.params.get("text"))]
    outbound = db_rows(tmp_path, "select telegram_message_id from messages where direction='out'")
    assert outbound[0][0] == calls[1].result["message_id"]


async def test_failed_send_keeps_the_log_and_reports_the_error(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path, quick_retries: None
) -> None:
    bot.bot_data["expect_errors"] = True
    u = fake_telegram.user(1013, "Olga", "es")
    fake_telegram.fail("sendMessage", status=500, description="Internal Server Error", chat_id=1013, times=3)
    fake_telegram.push_text(u, "cuanto cuesta el programa de migrantes del igss")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1013, count=4)
    assert [c.status for c in calls[:3]] == [500, 500, 500]  # the reply, tried three times
    assert "algo falló" in calls[3].params["text"]  # the error handler apologised
    await fake_telegram.wait_idle()
    inbound = db_rows(tmp_path, "select decision from messages where direction='in'")
    outbound = db_rows(tmp_path, "select telegram_message_id from messages where direction='out'")
    assert inbound[0][0] == "answer" and outbound[0][0] is None  # logged, visibly undelivered


async def test_reload_admin_only_and_bad_file_keeps_serving(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = bot.bot_data["services"]
    faq_copy = tmp_path / "faq.yaml"
    faq_copy.write_text(Path(services.faqs.faq_path).read_text(encoding="utf-8"), encoding="utf-8")
    services.faqs.faq_path = faq_copy
    admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
    member = fake_telegram.user(1014, "Nora", "es")

    fake_telegram.push_command(member, "reload")
    [refused] = await fake_telegram.wait_for("sendMessage", chat_id=1014)
    assert "comando" in refused.params["text"]

    faq_copy.write_text("entries: [ {id: broken", encoding="utf-8")
    fake_telegram.push_command(admin, "reload")
    [bad] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    assert "NOT reloaded" in bad.params["text"] and "faq.yaml" in bad.params["text"]
    assert len(services.faqs.snapshot.faq) == len(FAQ)

    fake_telegram.push_text(member, "cuanto cuesta el programa de migrantes del igss")
    answers = await fake_telegram.wait_for("sendMessage", chat_id=1014, count=2)
    assert "Q1,000" in answers[1].params["text"]

    faq_copy.write_text(Path(__file__).resolve().parent.parent.joinpath("faq/data/faq.yaml").read_text("utf-8"))
    fake_telegram.push_command(admin, "reload")
    ok = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID, count=2)
    assert f"{len(FAQ)} entries" in ok[1].params["text"]
    assert "alternates" not in ok[1].params["text"]  # every bundled entry has three or more per language


async def test_reload_names_the_entries_with_too_few_alternates(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An admin's own sheet with one or two alternates per question: the reload works and says which
    entries members will more often get buttons or staff for (in the admin's language)."""
    services = bot.bot_data["services"]
    services.faqs.faq_path = Path(__file__).resolve().parent / "data" / "faq-alt22.csv"
    admin = fake_telegram.user(ADMIN_ID, "Admin", "es")
    fake_telegram.push_command(admin, "reload")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    text = call.params["text"]
    assert len(services.faqs.snapshot.faq) == 22
    assert "22 entradas tienen menos de 3 preguntas alternativas" in text
    thin = text[text.index("22 entradas tienen"):]
    assert "<code>alt22-diabetes-program</code>" in thin and thin.count("<code>") == 10 and " …" in thin
    # a whole other FAQ: the reload also says what members' buttons lose (faq.changes)
    assert "Ya no están en las preguntas frecuentes: <code>migrant-" in text


async def test_forget_command_deletes_after_confirmation(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    u = fake_telegram.user(1015, "Lupe", "es")
    fake_telegram.push_text(u, "cuanto cuesta el programa de migrantes del igss")
    await fake_telegram.wait_for("sendMessage", chat_id=1015)
    fake_telegram.push_command(u, "borrar")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1015, count=2)
    confirm = calls[1]
    yes = buttons(confirm.params)[0]["callback_data"]
    fake_telegram.push_callback(u, yes, fake_telegram.message(1015, confirm.result["message_id"]))
    done = await fake_telegram.wait_for("sendMessage", chat_id=1015, count=3)
    assert "borr" in done[2].params["text"].lower()
    await fake_telegram.wait_for("editMessageReplyMarkup", chat_id=1015)
    await fake_telegram.wait_idle()
    assert db_rows(tmp_path, "select count(*) from messages where member_id = 1015")[0][0] == 0
    assert db_rows(tmp_path, "select count(*) from members where id = 1015")[0][0] == 0


async def test_gaps_shows_admins_what_the_faq_did_not_answer(bot: Any, fake_telegram: FakeTelegram) -> None:
    member = fake_telegram.user(1016, "Tito", "es")
    admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
    for _ in range(2):
        fake_telegram.push_text(member, "quien gano el partido de futbol anoche")
    await fake_telegram.wait_for("sendMessage", chat_id=1016, count=2)
    fake_telegram.push_command(admin, "gaps")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    assert "2× quien gano el partido de futbol anoche" in call.params["text"]
    fake_telegram.push_command(member, "gaps")  # members get the ordinary unknown-command reply
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1016, count=3)
    assert "partido" not in calls[2].params["text"]


async def test_gaps_lists_a_gap_behind_many_requests_for_a_person(bot: Any, fake_telegram: FakeTelegram) -> None:
    """Session 16's review: /gaps took its 15 rows before leaving out requests for a person, and
    said there were no unanswered questions while one was logged."""
    store = bot.bot_data["services"].store

    asked = ["quiero hablar con una persona", "quiero hablar con un humano", "talk to a human",
             "i want to talk to a person", "quiero hablar con alguien", "necesito hablar con una persona",
             "puedo hablar con una persona", "hablar con una persona", "quiero hablar con un agente",
             "talk to a real person", "can i talk to a person", "i need to talk to someone", "speak to a human",
             "necesito hablar con alguien", "comuniqueme con una persona", "hablar con un asesor"]

    def log(db: Any) -> None:
        # Each request twice, the gap once: the requests come first in the most-frequent order.
        for i, text in enumerate([*asked, *asked, "como cambio mi clinica"]):
            row = conv.log_inbound(db, member_id=1100 + i, chat_id=1100 + i, text=text)
            conv.record_decision(db, row, lang="es", decision="escalate", faq_id=None, score=0.0, latency_ms=1.0)

    await store.call(log)
    admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
    fake_telegram.push_command(admin, "gaps")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    assert "1× como cambio mi clinica" in call.params["text"] and "hablar" not in call.params["text"]


async def test_gaps_names_the_entry_whose_answer_got_a_thumbs_down(bot: Any, fake_telegram: FakeTelegram) -> None:
    """Session 16's review: a question whose answer got a 👎 did not say which answer it was."""
    member = fake_telegram.user(1017, "Rita", "es")
    fake_telegram.push_text(member, "cuanto cuesta el programa de migrantes del igss")
    [answer] = await fake_telegram.wait_for("sendMessage", chat_id=1017)
    down = [b["callback_data"] for b in buttons(answer.params) if b["callback_data"].endswith(":-1")]
    fake_telegram.push_callback(member, down[0], fake_telegram.message(1017, answer.result["message_id"]))
    await fake_telegram.wait_for("sendMessage", chat_id=1017, count=2)
    admin = fake_telegram.user(ADMIN_ID, "Admin", "es")
    fake_telegram.push_command(admin, "gaps")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    text = call.params["text"]
    assert "1× cuanto cuesta el programa de migrantes del igss 👎 <code>migrant-cost</code>" in text, text
    assert "👎 la entrada cuya respuesta no le sirvió al miembro" in text


async def test_gaps_marks_a_suggestion_the_member_resolved(bot: Any, fake_telegram: FakeTelegram) -> None:
    """Session 16's review: a suggested question the member tapped looked like an unresolved gap."""
    member = fake_telegram.user(1018, "Rosa", "es")
    fake_telegram.push_text(member, "puedo pagar con tarjeta")
    [listing] = await fake_telegram.wait_for("sendMessage", chat_id=1018)
    first = buttons(listing.params)[0]["callback_data"]
    fake_telegram.push_callback(member, first, fake_telegram.message(1018, listing.result["message_id"]))
    await fake_telegram.wait_for("sendMessage", chat_id=1018, count=2)
    admin = fake_telegram.user(ADMIN_ID, "Admin", "es")
    fake_telegram.push_command(admin, "gaps")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    text = call.params["text"]
    assert f"1× puedo pagar con tarjeta 👆 <code>{first.removeprefix('pick:')}</code>" in text, text
    assert "👆 la entrada que el miembro eligió entre las preguntas sugeridas" in text


async def test_reload_with_many_problems_still_fits_one_valid_message(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    services = bot.bot_data["services"]
    broken = tmp_path / "broken.csv"
    header = "id,category,question_es,question_en,alternates_es,alternates_en,answer_es,answer_en,source\n"
    rows = "".join(f'e{i},c,"¿{"<&>" * 80} {i}?",q{i},,,a,,\n' for i in range(40))  # 40 × missing answer_en
    broken.write_text(header + rows, encoding="utf-8")
    services.faqs.faq_path = broken
    admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
    fake_telegram.push_command(admin, "reload")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    assert call.ok, call.error  # valid HTML, within 4096 characters
    assert "NOT reloaded" in call.params["text"] and "answer_en" in call.params["text"]


async def test_tap_is_handled_even_when_telegram_refuses_to_answer_the_query(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """After downtime, Telegram rejects answerCallbackQuery for old taps ("query is too old"):
    the spinner cannot be stopped, but the member still gets what they tapped."""
    services = bot.bot_data["services"]
    query = next(q for q in ("igss migrantes", "pago igss", "cancer igss", "pension igss", "igss")
                 if services.faqs.snapshot.matcher.match(q).decision == "suggest")
    u = fake_telegram.user(1020, "Lupe", "es")
    fake_telegram.push_text(u, query)
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1020)
    pick = buttons(call.params)[0]["callback_data"]
    fake_telegram.fail("answerCallbackQuery", status=400,
                       description="Bad Request: query is too old and response timeout expired or query ID is invalid")
    fake_telegram.push_callback(u, pick, fake_telegram.message(1020, call.result["message_id"]))
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1020, count=2)
    picked = FAQ.get(pick.split(":", 1)[1])
    assert picked is not None and picked.answer["es"][:30] in calls[1].params["text"]
    logged = db_rows(tmp_path, f"select decision from messages where text = '{pick}'")
    assert [tuple(r) for r in logged] == [("answer",)]


async def test_error_notice_speaks_the_members_chosen_language(
    bot: Any, fake_telegram: FakeTelegram, quick_retries: None
) -> None:
    bot.bot_data["expect_errors"] = True
    u = fake_telegram.user(1021, "Ana", "es")  # Spanish phone ...
    fake_telegram.push_command(u, "start", "en")  # ... but she chose English
    await fake_telegram.wait_for("sendMessage", chat_id=1021)
    mark = fake_telegram.mark()
    fake_telegram.fail("sendMessage", status=502, description="Bad Gateway", chat_id=1021, times=3)
    fake_telegram.push_text(u, "how much does the migrant program cost")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1021, since=mark, count=4)
    assert calls[0].status == 502
    assert calls[3].params["text"].startswith("Sorry, something went wrong")


async def test_a_slow_chat_does_not_hold_up_other_members(
    bot: Any, fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Updates of different chats are handled side by side (handlers/ordering.py)."""
    ana, ben = fake_telegram.user(1030, "Ana", "es"), fake_telegram.user(1031, "Ben", "en")
    fake_telegram.delay("sendMessage", 3.0)  # Telegram takes 3 s to confirm Ana's answer
    fake_telegram.push_text(ana, "cuanto cuesta el programa de migrantes del igss")
    await fake_telegram.wait_for("sendMessage", chat_id=1030)
    fake_telegram.push_text(ben, "how much does the IGSS migrant program cost?")
    await fake_telegram.wait_for("sendMessage", chat_id=1031)
    # Ben has his answer while Ana's send is still waiting for Telegram's reply.
    pending = db_rows(tmp_path, "select telegram_message_id from messages where direction='out' and member_id=1030")
    assert [tuple(r) for r in pending] == [(None,)]


async def test_failed_polls_are_one_warning_line_each(bot: Any, fake_telegram: FakeTelegram,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """Session 15's review: every failed getUpdates (Telegram down) was logged at ERROR as "error
    while handling an update" with a 90-line traceback, several times a second of an outage."""
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        mark = fake_telegram.mark()
        fake_telegram.fail("getUpdates", status=502, description="Bad Gateway", times=2)
        await fake_telegram.wait_for("getUpdates", since=mark, count=3)
        u = fake_telegram.user(1035, "Rosa", "es")
        fake_telegram.push_text(u, "hola")
        await fake_telegram.wait_for("sendMessage", chat_id=1035)
    mine = [r for r in caplog.records if r.name == "handlers.errors"]
    assert mine and all(r.levelno == logging.WARNING and r.exc_info is None for r in mine)
    assert all("could not reach Telegram for updates" in r.getMessage() for r in mine)


async def test_a_slow_confirmation_is_not_sent_twice(bot: Any, fake_telegram: FakeTelegram) -> None:
    """Session 15's review: Telegram stored the answer at once but confirmed it after 8 s; past
    PTB's default 5 s the bot took it for lost and sent it again, so the member got it twice."""
    ana = fake_telegram.user(1034, "Ana", "es")
    fake_telegram.delay("sendMessage", 7.0)
    fake_telegram.push_text(ana, "cuanto cuesta el programa de migrantes del igss")
    await fake_telegram.wait_for("sendMessage", chat_id=1034)
    await asyncio.sleep(9.0)  # past the confirmation and the retry pauses
    assert len(fake_telegram.sent(chat_id=1034)) == 1


async def test_one_members_messages_are_answered_in_order(bot: Any, fake_telegram: FakeTelegram) -> None:
    ana = fake_telegram.user(1032, "Ana", "es")
    fake_telegram.delay("sendMessage", 1.0)
    fake_telegram.push_text(ana, "cuanto cuesta el programa de migrantes del igss")
    fake_telegram.push_text(ana, "gracias")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1032, count=2)
    assert "Q1,000" in calls[0].params["text"] and "Con mucho gusto" in calls[1].params["text"]


async def test_the_bot_starts_even_if_the_command_menu_cannot_be_set(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    fake_telegram.fail("setMyCommands", status=502, description="Bad Gateway", times=None)
    app = build_application(settings_for(fake_telegram, tmp_path), rate_limiter=loose_limiter())
    async with running_app(app, fake_telegram):
        u = fake_telegram.user(1033, "Rosa", "es")
        fake_telegram.push_text(u, "hola")
        [call] = await fake_telegram.wait_for("sendMessage", chat_id=1033)
        assert "Hola" in call.params["text"]


async def test_ayuda_is_the_help_command(bot: Any, fake_telegram: FakeTelegram) -> None:
    """Session 17's review: a Spanish speaker's guess, /ayuda, got "I don't know that command"."""
    u = fake_telegram.user(1040, "Rosa", "es")
    fake_telegram.push_command(u, "ayuda")
    [call] = await fake_telegram.wait_for("sendMessage", chat_id=1040)
    assert call.params["text"].startswith("<b>Cómo usar Puente</b>")


async def test_cancel_changes_nothing_and_says_so(bot: Any, fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    """Review 11: /cancel under the /borrar confirmation got "I don't know that command"."""
    u = fake_telegram.user(1041, "Rosa", "es")
    fake_telegram.push_text(u, "cuanto cuesta el seguro pa migrantes")
    fake_telegram.push_command(u, "borrar")
    fake_telegram.push_command(u, "cancel")
    calls = await fake_telegram.wait_for("sendMessage", chat_id=1041, count=3)
    assert calls[2].params["text"].startswith("Cancelado: no se cambió ni se borró nada"), calls[2].params["text"]
    logged = "select count(*) from messages where member_id = 1041 and direction = 'in' and text = '/cancel'"
    await wait_until(lambda: db_rows(tmp_path, logged)[0][0] == 1, what="the /cancel in the log")
