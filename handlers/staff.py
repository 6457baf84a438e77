"""Staff-group handlers: replies to tickets, Claim/Close buttons, /queue /ticket /claim /close /reopen
/release /stats /promote /faq — plus the 👍/👎 members give on a staff answer.

Thin on purpose: read the update, call :class:`desk.desk.StaffDesk`, queue what it returns. Also
home of the PTB adapter for :class:`desk.sender.Transport` (the only place the desk meets
``telegram``) and of :func:`start_desk` / :func:`stop_desk` for the application's lifecycle.

Who may do what: the staff commands and replies are registered with ``filters.Chat(staff group)``,
so only that group can claim, answer or close. The same commands in a private chat get a clear
refusal (and a log line); Claim/Close buttons pressed anywhere else are refused the same way.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
import warnings
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageId,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from conversation.replies import parse_callback
from desk.desk import StaffDesk
from desk.sender import (
    Blocked,
    ChatGone,
    Clock,
    MessageGone,
    Moved,
    NotModified,
    OutboxSender,
    Rejected,
    RetryLater,
    Transient,
    Transport,
    utcnow,
)
from faq.render import render_answer
from handlers.common import answer_query, member_from, member_language, services
from i18n import Translator

log = logging.getLogger(__name__)

#: Commands that only work in the staff group, refused in private chats. (/faq works only there
#: too, but a member who types it in a private chat gets the topics menu: handlers/__init__.py.)
STAFF_COMMANDS = ("queue", "ticket", "claim", "release", "close", "reopen", "stats", "promote")
#: Callback data this module owns; register these handlers before the member catch-all.
TICKET_CALLBACK = r"^tk:"
FEEDBACK_CALLBACK = r"^sfb:"
SENDER_KEY = "desk_sender"
STAFF_FILTER_KEY = "staff_chat_filter"

#: Bot API methods the outbox may carry (anything else is refused, not improvised).
METHODS = {
    "sendMessage": "send_message",
    "editMessageText": "edit_message_text",
    "editMessageCaption": "edit_message_caption",
    "deleteMessage": "delete_message",
    "copyMessage": "copy_message",
    "sendPhoto": "send_photo",
    "sendDocument": "send_document",
    "sendVoice": "send_voice",
    "sendAudio": "send_audio",
    "sendVideo": "send_video",
    "sendAnimation": "send_animation",
    "sendSticker": "send_sticker",
    "sendVideoNote": "send_video_note",
}
# The head of every ticket message the bot posts: an icon, then the number ("🆕 #12", "💬 #12").
# An icon, not a word: "La #1 ya es el borrador 3" (a reply to a command) names no ticket to answer.
_TICKET_HEAD = re.compile(r"^\s*[^\w\s]{1,4}\s+#(\d+)\b")
_GONE = re.compile(r"message to (edit|copy|delete|be replied|reply|forward) not found|message_id_invalid"
                   r"|message can't be")
# The bot may no longer write in the chat at all: a group admin took its right to post, or closed
# the forum topic. For the staff group that is an outage like a kick (retry, tell admins), not a
# message Telegram will never accept. A group that only refuses photos or stickers ("not enough
# rights to send photos") refuses that one message: it fails alone and the desk carries on.
_NO_RIGHTS = re.compile(r"not enough rights to send text|have no rights to send a message|chat_write_forbidden|"
                        r"topic_closed|need administrator rights|chat_admin_required|chat_restricted")


# ---------------------------------------------------------------------------------------- transport
def _ptb_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """Outbox JSON → PTB keyword arguments (keyboards, reply and link-preview options as objects)."""
    kwargs = dict(params)
    if isinstance(kwargs.get("reply_markup"), dict):
        kwargs["reply_markup"] = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b["text"], callback_data=b.get("callback_data")) for b in row]
                for row in kwargs["reply_markup"].get("inline_keyboard", [])
            ]
        )
    if isinstance(kwargs.get("reply_parameters"), dict):
        kwargs["reply_parameters"] = ReplyParameters(**kwargs["reply_parameters"])
    if isinstance(kwargs.get("link_preview_options"), dict):
        kwargs["link_preview_options"] = LinkPreviewOptions(**kwargs["link_preview_options"])
    return kwargs


def _retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns about int vs timedelta; we accept both
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def telegram_transport(bot: Bot) -> Transport:
    """Adapt a PTB bot to the desk's Transport: one call, Telegram errors mapped to desk.sender's."""

    async def call(method: str, params: dict[str, Any]) -> int | None:
        name = METHODS.get(method)
        if name is None:
            raise Rejected(f"method {method!r} is not allowed in the outbox")
        try:
            result = await getattr(bot, name)(**_ptb_kwargs(params))
        except RetryAfter as exc:
            raise RetryLater(_retry_seconds(exc), str(exc)) from exc
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except ChatMigrated as exc:
            raise Moved(int(exc.new_chat_id), f"the group became a supergroup with id {exc.new_chat_id}") from exc
        except BadRequest as exc:
            text = exc.message.lower()
            if "not modified" in text:
                raise NotModified(exc.message) from exc
            if "chat not found" in text or "chat_id is empty" in text:
                raise ChatGone(exc.message) from exc
            if _NO_RIGHTS.search(text):
                raise Blocked(exc.message) from exc
            if _GONE.search(text):
                raise MessageGone(exc.message) from exc
            raise Rejected(exc.message) from exc
        except (NetworkError, TelegramError) as exc:  # TimedOut, 5xx, connection errors…
            raise Transient(str(exc)) from exc
        if isinstance(result, (Message, MessageId)):
            return result.message_id
        return None

    return call


# ---------------------------------------------------------------------------------------- lifecycle
async def start_desk(
    app: Application,
    *,
    clock: Clock = utcnow,
    sender_options: dict[str, Any] | None = None,
    **desk_options: Any,
) -> StaffDesk | None:
    """Create the desk and its outbox sender (call in post_init, after the services are open).

    Does nothing when PUENTE_STAFF_CHAT_ID is not set (the pipeline keeps its NoDesk).
    """
    svc = app.bot_data["services"]
    settings = svc.settings
    if settings.staff_chat_id is None:
        log.warning("PUENTE_STAFF_CHAT_ID is not set: questions the FAQ cannot answer are only logged")
        return None

    def faq_title(entry_id: str, lang: str) -> str | None:
        entry = svc.faqs.snapshot.faq.get(entry_id)
        return entry.question_in(lang) if entry is not None else None

    def faq_answer(entry_id: str, lang: str) -> tuple[str, str] | None:
        """The FAQ entry as the bot itself would answer with it (the FAQ in force: after /reload, the new one)."""
        entry = svc.faqs.snapshot.faq.get(entry_id)
        if entry is None:
            return None
        return f"{entry.question_in(lang)}\n\n{entry.answer_in(lang)}", render_answer(entry, lang)

    desk = StaffDesk.from_settings(settings, svc.store, faq_title=faq_title, faq_answer=faq_answer, clock=clock,
                                   **desk_options)
    sender = OutboxSender(
        svc.store,
        telegram_transport(app.bot),
        hooks=desk,
        limited_chats=frozenset({settings.staff_chat_id}),
        per_minute=settings.staff_messages_per_minute,
        clock=clock,
        tick=desk.tick,
        **(sender_options or {}),
    )
    desk.wake = sender.wake

    def follow(old: int, new: int) -> None:
        """The staff group moved (see StaffDesk.move_staff_chat): handlers and limits follow."""
        chat_filter = app.bot_data.get(STAFF_FILTER_KEY)
        if chat_filter is not None:
            chat_filter.add_chat_ids(new)
        sender.limited_chats = sender.limited_chats | {new}
        if app.running:  # at start-up the command menu is set below, for the group we ended up in
            app.create_task(set_staff_commands(app, new, settings.staff_language))

    desk.on_move.append(follow)
    await desk.recover()
    # A group upgraded while the bot was down answers with its new id: follow it before the first
    # update arrives from there (the group handler would otherwise take it for a foreign group).
    try:
        await app.bot.get_chat(settings.staff_chat_id)
    except ChatMigrated as exc:
        await desk.move_staff_chat(int(exc.new_chat_id))
    except TelegramError as exc:
        log.warning("could not check the staff group %s: %s", settings.staff_chat_id, exc)
    await set_staff_commands(app, desk.staff_chat_id, settings.staff_language)
    svc.desk = desk
    svc.pipeline.desk = desk
    app.bot_data[SENDER_KEY] = sender
    sender.start()
    log.info("staff desk on: group %s, %d messages/minute", desk.staff_chat_id, settings.staff_messages_per_minute)
    return desk


async def set_staff_commands(app: Application, chat_id: int, lang: str) -> None:
    """The command menu staff see in their group (members never see these). Best effort."""
    _ = Translator(lang)
    commands = [
        BotCommand("queue", _("Open requests, oldest first")),
        BotCommand("ticket", _("Full conversation of request N")),
        BotCommand("claim", _("Take request N")),
        BotCommand("release", _("Put request N back in the queue")),
        BotCommand("close", _("Close request N")),
        BotCommand("reopen", _("Reopen request N")),
        BotCommand("stats", _("Today's numbers")),
        BotCommand("promote", _("Save the answer to request N as an FAQ draft")),
        BotCommand("faq", _("In reply to a card: send FAQ entry N of its list (or an entry id)")),
    ]
    try:
        await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.warning("could not set the staff group's command menu: %s", exc)


async def stop_desk(app: Application) -> None:
    """Stop the sender (call in post_stop and again, harmlessly, before the store closes)."""
    sender: OutboxSender | None = app.bot_data.pop(SENDER_KEY, None)
    if sender is not None:
        await sender.stop()


def _desk(context: ContextTypes.DEFAULT_TYPE) -> StaffDesk | None:
    desk = services(context).desk
    return desk if isinstance(desk, StaffDesk) else None


def _staff_name(update: Update) -> str:
    user = update.effective_user
    return (user.first_name if user else "") or "?"


def _int_arg(context: ContextTypes.DEFAULT_TYPE) -> int | None:
    if not context.args:
        return None
    with contextlib.suppress(ValueError):
        number = int(context.args[0].lstrip("#"))
        return number if abs(number) < 2**63 else None  # (SQLite's integers: a longer one crashed the command)
    return None


async def _replied_ticket(desk: StaffDesk, replied: Message, bot_id: int) -> int | None:
    """The request the replied-to message belongs to: any message the desk mapped to one (a card, a
    copied photo, a digest, a transcript, a colleague's answer), or the "#N" a bot message starts
    with (a reply that raced the recording of its mapping); None for anything else."""
    ticket = await desk.ticket_for_reply(replied.message_id)
    if ticket is None and replied.from_user is not None and replied.from_user.id == bot_id:
        found = _TICKET_HEAD.match(replied.text or replied.caption or "")
        ticket = int(found.group(1)) if found else None
    return ticket


# ---------------------------------------------------------------------------------------- staff group
async def command_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to a ticket message that starts with a command the desk does not have ("/menu le
    muestra los temas…"): Telegram marks it a command, so it is not relayed; say so, or staff
    believe the member has the answer."""
    message, user, desk = update.message, update.effective_user, _desk(context)
    if message is None or user is None or desk is None or user.is_bot or message.reply_to_message is None:
        return
    replied = message.reply_to_message
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    command = (message.text or message.caption or "").split(maxsplit=1)[0]
    addressee = command.partition("@")[2]
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # "/warn@GroupHelpBot": another bot's command, not an answer to the member
    ticket = await _replied_ticket(desk, replied, context.bot.id)
    if ticket is None:
        return
    _ = Translator(desk.staff_language)
    await desk.say([_("Nothing was sent to the member: a message that starts with {command} is read as a "
                      "command, and the desk has no such command. To answer #{number}, reply to its card "
                      "again without the “/” at the start.", command=html.escape(command), number=ticket)],
                   reply_to=message.message_id)


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in the staff group to a ticket message → the member gets it (text, photo, file)."""
    message, user, desk = update.message, update.effective_user, _desk(context)
    if message is None or user is None or desk is None or user.is_bot or message.reply_to_message is None:
        return
    kind, file_id = _kind(message)
    replied = message.reply_to_message
    # Every ticket message the bot posts starts "<icon> #N": a fallback when the mapping of this
    # very message is not recorded yet (a reply within milliseconds of the post).
    from_bot = replied.from_user is not None and replied.from_user.id == context.bot.id
    _ = Translator(desk.staff_language)
    if not from_bot:
        # Staff talking among themselves ("Luis, ¿no es la señora del patrono que no paga?") is
        # never relayed, even when the colleague's message belongs to a ticket (an answer, a //
        # note): only replies to the bot's own messages about a request reach the member.
        ticket = await desk.ticket_for_reply(replied.message_id)
        if ticket is not None:
            await desk.say([_("Not sent to the member: that is a reply to a colleague's message. To answer "
                              "#{number}, reply to its card.", number=ticket)], reply_to=message.message_id)
        return
    found = _TICKET_HEAD.match(replied.text or replied.caption or "")
    hint = int(found.group(1)) if found else None
    if kind == "text":
        text, text_html = message.text or "", message.text_html if message.text else ""
    else:
        text, text_html = message.caption or "", message.caption_html if message.caption else ""
    await desk.staff_reply(
        reply_to_message_id=message.reply_to_message.message_id,
        message_id=message.message_id,
        staff_id=user.id,
        staff_name=user.first_name,
        text=text,
        text_html=text_html,
        kind=kind,
        file_id=file_id,
        fallback_ticket_id=hint,
    )


async def faq_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/faq N (or /faq ID) in reply to a request's card: the member gets that FAQ entry's answer in
    their language, headed like a staff answer."""
    message, user, desk = update.message, update.effective_user, _desk(context)
    if message is None or user is None or desk is None or user.is_bot:
        return
    replied = message.reply_to_message
    from_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    if replied is None or not from_bot or not context.args:
        _ = Translator(desk.staff_language)
        await desk.say([_("Usage: reply to a request's card with /faq N (an entry the card lists) or /faq ID "
                          "(any FAQ entry id): the member gets that answer in their language.")],
                       reply_to=message.message_id)
        return
    found = _TICKET_HEAD.match(replied.text or replied.caption or "")
    await desk.staff_faq(
        reply_to_message_id=replied.message_id,
        message_id=message.message_id,
        staff_id=user.id,
        staff_name=user.first_name,
        ref=context.args[0],
        fallback_ticket_id=int(found.group(1)) if found else None,
    )


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A staff member edited a message in the group: a corrected answer is corrected for the member too."""
    message, user, desk = update.edited_message, update.effective_user, _desk(context)
    if message is None or user is None or desk is None or user.is_bot:
        return
    if message.text:
        text, text_html = message.text, message.text_html
    else:
        text, text_html = message.caption or "", message.caption_html if message.caption else ""
    replied = message.reply_to_message
    from_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    found = _TICKET_HEAD.match((replied.text or replied.caption or "") if replied is not None and from_bot else "")
    await desk.staff_edit(message_id=message.message_id, staff_id=user.id, text=text, text_html=text_html,
                          fallback_ticket_id=int(found.group(1)) if found else None,
                          media=_kind(message)[0] != "text")


def _kind(message: Message) -> tuple[str, str | None]:
    if message.text:
        return "text", None
    for kind in ("photo", "document", "voice", "audio", "video", "animation", "sticker", "video_note"):
        value = getattr(message, kind, None)
        if value:
            return kind, (value[-1] if kind == "photo" else value).file_id
    return "other", None


async def ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Claim / Release / Close / Reopen on a card. Pressed outside the staff group → refused."""
    query, desk = update.callback_query, _desk(context)
    if query is None or desk is None:
        return
    user = update.effective_user
    chat = query.message.chat if query.message is not None else None
    if chat is None or chat.id != desk.staff_chat_id or user is None or user.is_bot:
        log.warning("ticket button %r refused for user %s in chat %s", query.data, user and user.id, chat and chat.id)
        _ = Translator(await member_language(update, context))
        await answer_query(query, _("This button only works in the staff group."), show_alert=True)
        return
    kind, args = parse_callback(query.data or "")
    number = int(args[1]) if len(args) == 2 and args[1].isdigit() else None
    if kind != "tk" or number is None:
        await answer_query(query)
        return
    answer = await desk.act(args[0], number, staff_id=user.id, staff_name=user.first_name)
    await answer_query(query, answer[:200])


async def _command(update: Update, context: ContextTypes.DEFAULT_TYPE, action: str) -> None:
    message, user, desk = update.message, update.effective_user, _desk(context)
    if message is None or user is None or desk is None or user.is_bot:
        return
    _ = Translator(desk.staff_language)
    # "/close" without a number, in reply to a request's card (or another of its messages): that
    # request, as "/faq 1" in reply to a card (session 17's review: it got the usage line).
    if context.args:
        number = _int_arg(context)
    elif message.reply_to_message is not None:
        number = await _replied_ticket(desk, message.reply_to_message, context.bot.id)
    else:
        number = None
    if number is None:
        await desk.say([_("Usage: /{command} N (the request number), or /{command} in reply to the request's card",
                          command=action)], reply_to=message.message_id)
        return
    if action == "ticket":
        await desk.say(await desk.ticket_texts(number), reply_to=message.message_id, ticket_id=number)
    elif action == "promote":
        await desk.say([await desk.promote(number, staff_id=user.id)], reply_to=message.message_id)
    else:
        text = await desk.act(action, number, staff_id=user.id, staff_name=user.first_name)
        await desk.say([text], reply_to=message.message_id)


async def ticket_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ticket N: the whole conversation (replying to it answers the member)."""
    await _command(update, context, "ticket")


async def claim_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _command(update, context, "claim")


async def release_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _command(update, context, "release")


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _command(update, context, "close")


async def reopen_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _command(update, context, "reopen")


async def promote_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/promote N: question + staff answer → FAQ draft for admins to review."""
    await _command(update, context, "promote")


async def queue_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/queue: open tickets, oldest first."""
    message, desk, user = update.message, _desk(context), update.effective_user
    if message is not None and desk is not None and not (user and user.is_bot):
        await desk.say(await desk.queue_texts(), reply_to=message.message_id)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: today's numbers in the office time zone."""
    message, desk, user = update.message, _desk(context), update.effective_user
    if message is not None and desk is not None and not (user and user.is_bot):
        await desk.say([await desk.stats_text()], reply_to=message.message_id)


# ---------------------------------------------------------------------------------------- elsewhere
async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A staff command outside the staff group: refused clearly, logged, nothing revealed."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    log.warning(
        "staff command %r refused for user %s in chat %s (not the staff group)",
        (message.text or "")[:40], user and user.id, message.chat_id,
    )
    _ = Translator(await member_language(update, context))
    await message.reply_text(_("That command is only for our staff team. Write your question and I'll help you."))


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍/👎 under a staff answer (member, private chat). 👎 reopens the ticket and tells staff."""
    query, member, desk = update.callback_query, member_from(update), _desk(context)
    if query is None or member is None:
        return
    await answer_query(query)
    if query.message is not None:
        with contextlib.suppress(BadRequest):  # one vote per answer: remove the buttons
            await query.edit_message_reply_markup(reply_markup=None)
    args = parse_callback(query.data or "")[1]
    ticket_id = int(args[0]) if len(args) == 2 and args[0].isdigit() else None
    vote = {"1": 1, "-1": -1}.get(args[1]) if len(args) == 2 else None
    if desk is None or ticket_id is None or vote is None:
        _ = Translator(await member_language(update, context))
        text = _("That option is no longer available. Write your question or tap /menu.")
    else:
        text = await desk.feedback(member, ticket_id, vote)
    if text:  # ("": a double tap, already answered)
        await context.bot.send_message(member.chat_id, text, parse_mode=ParseMode.HTML)


# ---------------------------------------------------------------------------------------- registration
def register_staff(app: Application) -> None:
    """Attach the staff handlers. Call FIRST in handlers.register (before member handlers and the
    group catch-all), so staff commands in private chats are refused rather than treated as unknown."""
    settings = app.bot_data["settings"]
    app.add_handler(CallbackQueryHandler(feedback_button, pattern=FEEDBACK_CALLBACK))
    if settings.staff_chat_id is None:
        return
    chat_filter = filters.Chat(settings.staff_chat_id)
    app.bot_data[STAFF_FILTER_KEY] = chat_filter  # the desk adds the group's new id if it moves
    staff = chat_filter & filters.UpdateType.MESSAGE
    handlers = {
        "queue": queue_command,
        "ticket": ticket_command,
        "claim": claim_command,
        "release": release_command,
        "close": close_command,
        "reopen": reopen_command,
        "stats": stats_command,
        "promote": promote_command,
        "faq": faq_command,
    }
    for command, callback in handlers.items():
        app.add_handler(CommandHandler(command, callback, filters=staff))
    app.add_handler(CommandHandler(list(STAFF_COMMANDS), refuse, filters=filters.ChatType.PRIVATE))
    app.add_handler(MessageHandler(staff & filters.REPLY & ~filters.COMMAND, reply))
    # A reply that starts with a command the desk does not have: not relayed, and staff are told.
    app.add_handler(MessageHandler(staff & filters.REPLY & filters.COMMAND, command_reply))
    # A staff member corrects an answer they sent: the member's copy is edited too.
    app.add_handler(MessageHandler(chat_filter & filters.UpdateType.EDITED_MESSAGE, edited))
    app.add_handler(CallbackQueryHandler(ticket_button, pattern=TICKET_CALLBACK))
