"""Fidelity tests for tests/fake_telegram.py, driven by the REAL python-telegram-bot objects.

Why: every end-to-end test of Puente trusts this fake. If it drifted from what PTB expects
(encoding, error mapping, long polling), those tests would pass while production breaks.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
import warnings

import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    MessageId,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from tests.fake_telegram import FakeTelegram, running_app

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Sí", callback_data="faq:1")]])


def make_bot(fake: FakeTelegram, **kwargs: object) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, **kwargs)  # type: ignore[arg-type]


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --------------------------------------------------------------------------- plain Bot


async def test_initialize_calls_get_me(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        assert bot.username == "puente_test_bot"
        assert bot.id == fake_telegram.bot_user["id"]
    assert [c.method for c in fake_telegram.calls] == ["getMe"]
    assert "FAKE" in fake_telegram.token


async def test_send_message_round_trip_records_decoded_params(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    async with make_bot(fake_telegram) as bot:
        first = await bot.send_message(alice["id"], "123", reply_markup=KEYBOARD)
        second = await bot.send_message(alice["id"], "dos")

    assert isinstance(first, Message)
    assert first.text == "123"  # a numeric-looking text must stay a string
    assert first.from_user is not None and first.from_user.username == "puente_test_bot"
    assert first.chat.type == "private"
    assert first.reply_markup == KEYBOARD
    assert second.message_id == first.message_id + 1

    call = fake_telegram.calls_to("sendMessage")[0]
    assert call.params["chat_id"] == 1001  # JSON-decoded int
    assert call.params["text"] == "123"
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Sí", "callback_data": "faq:1"}]]}
    assert [p["text"] for p in fake_telegram.sent(chat_id=1001)] == ["123", "dos"]
    assert [m["text"] for m in fake_telegram.messages_in(1001, from_bot=True)] == ["123", "dos"]


async def test_unknown_chat_is_bad_request(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(424242, "hola")


async def test_html_is_parsed_like_telegram(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    async with make_bot(fake_telegram) as bot:
        msg = await bot.send_message(alice["id"], "<b>Hola</b> &amp; adiós", parse_mode="HTML")
        assert msg.text == "Hola & adiós"
        assert msg.entities == (MessageEntity(MessageEntity.BOLD, 0, 4),)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(alice["id"], "<b>sin cerrar", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)too long"):
            await bot.send_message(alice["id"], "x" * 4097)


async def test_edit_not_modified_and_keyboard_removal(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    async with make_bot(fake_telegram) as bot:
        msg = await bot.send_message(alice["id"], "hola", reply_markup=KEYBOARD)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("hola", alice["id"], msg.message_id, reply_markup=KEYBOARD)
        edited = await bot.edit_message_text("hola", alice["id"], msg.message_id)
    assert isinstance(edited, Message)
    assert edited.reply_markup is None  # Telegram drops the keyboard when none is passed
    assert "reply_markup" not in fake_telegram.last_sent(alice["id"])


async def test_long_poll_offset_and_early_return(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    fake_telegram.push_text(alice, "uno")
    fake_telegram.push_text(alice, "dos")
    async with make_bot(fake_telegram) as bot:
        first = await bot.get_updates(timeout=0)
        assert [u.message.text for u in first if u.message] == ["uno", "dos"]
        # Without confirming, Telegram re-delivers; with offset=last+1 they are gone.
        assert len(await bot.get_updates(timeout=0)) == 2
        offset = first[-1].update_id + 1
        assert await bot.get_updates(offset=offset, timeout=0) == ()

        poll = asyncio.create_task(bot.get_updates(offset=offset, timeout=5))
        await asyncio.sleep(0.2)
        assert not poll.done()  # it really long-polls instead of returning [] at once
        started = time.monotonic()
        fake_telegram.push_text(alice, "tres")
        late = await asyncio.wait_for(poll, 2)
        assert time.monotonic() - started < 1.0
        assert [u.message.text for u in late if u.message] == ["tres"]
        assert late[0].update_id == offset


async def test_429_maps_to_retry_after(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    fake_telegram.fail("sendMessage", status=429, retry_after=7)
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(RetryAfter) as exc_info:
            await bot.send_message(alice["id"], "hola")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert seconds(exc_info.value.retry_after) == 7
        await bot.send_message(alice["id"], "otra vez")  # times=1: next call succeeds
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [429, 200]
    assert fake_telegram.messages_in(1001) and len(fake_telegram.messages_in(1001)) == 1


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_network_errors_not_bad_request(fake_telegram: FakeTelegram, status: int) -> None:
    alice = fake_telegram.user(1001, "Alice")
    fake_telegram.fail("sendMessage", status=status)
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(NetworkError) as exc_info:
            await bot.send_message(alice["id"], "hola")
    assert not isinstance(exc_info.value, BadRequest)


async def test_400_is_bad_request_and_chat_filter(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    bob = fake_telegram.user(1002, "Bob")
    fake_telegram.fail("sendMessage", status=400, description="Bad Request: nope", chat_id=bob["id"])
    async with make_bot(fake_telegram) as bot:
        await bot.send_message(alice["id"], "alice is unaffected")
        with pytest.raises(BadRequest, match=r"(?i)nope"):
            await bot.send_message(bob["id"], "hola")


async def test_blocked_user_and_removed_chats(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    staff = fake_telegram.group(-1001234, "Staff")
    gone = fake_telegram.group(-1005678, "Gone")
    fake_telegram.block_user(alice["id"])
    fake_telegram.remove_chat(staff["id"], kicked=True)
    fake_telegram.remove_chat(gone["id"])
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
            await bot.send_message(alice["id"], "hola")
        with pytest.raises(Forbidden, match=r"(?i)kicked"):
            await bot.send_message(staff["id"], "hola")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(gone["id"], "hola")
        fake_telegram.unblock_user(alice["id"])
        await bot.send_message(alice["id"], "ya")


async def test_slow_server_gives_timed_out(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    fake_telegram.delay("sendMessage", 2.0)
    async with make_bot(fake_telegram, request=HTTPXRequest(read_timeout=0.2)) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(alice["id"], "lento")
        assert time.monotonic() - started < 1.5
    # Like real Telegram, the message may have been delivered even though the client timed out.
    assert [m["text"] for m in fake_telegram.messages_in(1001)] == ["lento"]


async def test_rate_limiter_retries_single_429(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    fake_telegram.fail("sendMessage", status=429, retry_after=1)
    bot = ExtBot(fake_telegram.token, base_url=fake_telegram.base_url, rate_limiter=AIORateLimiter(max_retries=2))
    async with bot:
        msg = await bot.send_message(alice["id"], "hola")
    assert msg.text == "hola"
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [429, 200]


async def test_upload_photo_bytes_multipart_and_download(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    data = b"\x89PNG\r\n\x1a\n" + b"x" * 1000
    async with make_bot(fake_telegram) as bot:
        msg = await bot.send_photo(alice["id"], data, caption="foto", filename="card.png")
        assert msg.photo and msg.caption == "foto"
        file = await bot.get_file(msg.photo[-1].file_id)
        downloaded = await file.download_as_bytearray()
    call = fake_telegram.calls_to("sendPhoto")[0]
    assert call.files["photo"]["size"] == len(data)
    assert call.files["photo"]["filename"] == "card.png"
    assert call.params["caption"] == "foto"
    assert bytes(downloaded) == data


async def test_copy_message_and_reply_to(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    staff = fake_telegram.group(-1001234, "Staff")
    question = fake_telegram.push_text(alice, "¿Cuándo pagan?")
    async with make_bot(fake_telegram) as bot:
        copied = await bot.copy_message(staff["id"], alice["id"], question["message_id"])
        assert isinstance(copied, MessageId)
        card = fake_telegram.message(staff["id"], copied.message_id)
        assert card is not None and card["text"] == "¿Cuándo pagan?"
        reply = await bot.send_message(alice["id"], "El viernes", reply_to_message_id=question["message_id"])
        assert reply.reply_to_message is not None
        assert reply.reply_to_message.text == "¿Cuándo pagan?"
        with pytest.raises(BadRequest, match=r"(?i)message to copy not found"):
            await bot.copy_message(staff["id"], alice["id"], 999)


async def test_get_chat_member_status(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    carol = fake_telegram.user(1003, "Carol")
    staff = fake_telegram.group(-1001234, "Staff")
    fake_telegram.push_text(alice, "hola equipo", staff)
    fake_telegram.set_member(staff["id"], carol, "administrator")
    async with make_bot(fake_telegram) as bot:
        assert isinstance(await bot.get_chat_member(staff["id"], alice["id"]), ChatMemberMember)
        assert isinstance(await bot.get_chat_member(staff["id"], 5555), ChatMemberLeft)
        admin = await bot.get_chat_member(staff["id"], carol["id"])
        assert isinstance(admin, ChatMemberAdministrator) and admin.user.first_name == "Carol"
        chat = await bot.get_chat(staff["id"])
        assert chat.title == "Staff" and chat.type == "supergroup"


async def test_unknown_method_is_bad_request_and_recorded(fake_telegram: FakeTelegram) -> None:
    async with make_bot(fake_telegram) as bot:
        with pytest.raises(BadRequest, match=r"(?i)not supported by fake"):
            await bot.do_api_request("sendTelepathy", api_kwargs={"user_id": 1})
    assert fake_telegram.unsupported == ["sendTelepathy"]


async def test_wait_for_times_out_with_summary(fake_telegram: FakeTelegram) -> None:
    alice = fake_telegram.user(1001, "Alice")
    async with make_bot(fake_telegram) as bot:
        await bot.send_message(alice["id"], "algo")
    with pytest.raises(AssertionError, match=r"(?s)sendPhoto.*sendMessage chat_id=1001 text='algo'"):
        await fake_telegram.wait_for("sendPhoto", timeout=0.2)


# --------------------------------------------------------------------------- Application


def build_echo_app(fake: FakeTelegram) -> tuple[object, list[str]]:
    seen: list[str] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        seen.append(update.effective_message.text)
        await update.effective_message.reply_text(
            f"eco: {update.effective_message.text}", reply_markup=KEYBOARD, do_quote=True
        )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.append("/start")
        await update.effective_message.reply_text("bienvenido")

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("ok")
        await query.edit_message_text(f"elegiste {query.data}")

    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=1))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(on_button))
    return app, seen


async def test_application_polls_replies_and_handles_callbacks(fake_telegram: FakeTelegram) -> None:
    app, seen = build_echo_app(fake_telegram)
    alice = fake_telegram.user(1001, "Alice")
    started = time.monotonic()
    async with running_app(app, fake_telegram):
        fake_telegram.push_command(alice, "start")
        question = fake_telegram.push_text(alice, "hola")
        calls = await fake_telegram.wait_for("sendMessage", chat_id=alice["id"], count=2)
        echo = calls[1]
        assert echo.params["text"] == "eco: hola"
        assert echo.result["reply_to_message"]["message_id"] == question["message_id"]

        fake_telegram.push_callback(alice, "faq:1", echo.result)
        await fake_telegram.wait_for("answerCallbackQuery")
        [edit] = await fake_telegram.wait_for("editMessageText")
        assert edit.ok and edit.params["text"] == "elegiste faq:1"
        assert fake_telegram.message(alice["id"], echo.result["message_id"])["text"] == "elegiste faq:1"
        await fake_telegram.wait_idle(quiet=0.2)
    assert seen == ["/start", "hola"]  # each update handled exactly once (offset honoured)
    assert time.monotonic() - started < 4.0  # startup + clean stop are fast

    methods = [c.method for c in fake_telegram.calls]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    last_poll = [c for c in fake_telegram.calls if c.method == "getUpdates"][-1]
    assert last_poll.params["timeout"] == 0  # PTB's final "confirm offset" call
    assert last_poll.params["offset"] == fake_telegram.updates[-1]["update_id"] + 1


async def test_group_messages_and_forum_threads(fake_telegram: FakeTelegram) -> None:
    app, _ = build_echo_app(fake_telegram)
    alice = fake_telegram.user(1001, "Alice")
    forum = fake_telegram.group(-1009999, "Foro", forum=True)
    async with running_app(app, fake_telegram):
        fake_telegram.push_text(alice, "en el tema", forum, thread_id=77)
        [reply] = await fake_telegram.wait_for("sendMessage", chat_id=forum["id"])
    assert reply.result["message_thread_id"] == 77
    assert reply.result["is_topic_message"] is True
    assert reply.result["chat"]["type"] == "supergroup"


async def test_running_app_surfaces_handler_errors(fake_telegram: FakeTelegram) -> None:
    async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise ZeroDivisionError("handler bug")

    app = ApplicationBuilder().token(fake_telegram.token).base_url(fake_telegram.base_url).build()
    app.add_handler(MessageHandler(filters.ALL, boom))
    alice = fake_telegram.user(1001, "Alice")
    with pytest.raises(ZeroDivisionError, match="handler bug"):
        async with running_app(app, fake_telegram):
            fake_telegram.push_text(alice, "hola")
            for _ in range(50):
                if fake_telegram.handler_errors:
                    break
                await asyncio.sleep(0.05)


async def test_running_app_calls_post_init_and_post_shutdown(fake_telegram: FakeTelegram) -> None:
    events: list[str] = []

    async def post_init(app: object) -> None:
        events.append("init")
        await app.bot.set_my_commands([("ayuda", "Ver ayuda")])  # type: ignore[attr-defined]

    async def post_shutdown(app: object) -> None:
        events.append("shutdown")

    app = (
        ApplicationBuilder()
        .token(fake_telegram.token)
        .base_url(fake_telegram.base_url)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    async with running_app(app, fake_telegram):
        assert events == ["init"]
        commands = await app.bot.get_my_commands()
        assert [c.command for c in commands] == ["ayuda"]
    assert events == ["init", "shutdown"]
