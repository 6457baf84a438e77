"""Handlers for members in private chats: commands, free text, button taps, media.

Each handler is a thin adapter: read the update, call the pipeline, send what it returns.
"""

from __future__ import annotations

import contextlib

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from conversation.callbacks import route_callback
from handlers.common import answer_query, member_from, send_replies, services


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, and deep links ``t.me/<bot>?start=es`` / ``?start=en`` that preselect the language."""
    member = member_from(update)
    if member is None:
        return
    payload = context.args[0] if context.args else None
    await send_replies(context, member.chat_id, await services(context).pipeline.handle_start(member, payload))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if member := member_from(update):
        await send_replies(context, member.chat_id, await services(context).pipeline.handle_help(member))


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if member := member_from(update):
        await send_replies(context, member.chat_id, await services(context).pipeline.handle_language_menu(member))


async def menu_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if member := member_from(update):
        await send_replies(context, member.chat_id, await services(context).pipeline.handle_menu(member))


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel (/cancelar): nothing changes; the member is told so (a /forget confirmation stays unanswered)."""
    if member := member_from(update):
        await send_replies(context, member.chat_id, await services(context).pipeline.handle_cancel(member))


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget (/borrar): delete what Puente stored about this member, after a confirmation button."""
    if member := member_from(update):
        await send_replies(context, member.chat_id, await services(context).pipeline.handle_forget_request(member))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Commands we don't offer — including admin commands sent by someone who isn't an admin."""
    member, message = member_from(update), update.effective_message
    if member is None or message is None:
        return
    replies = await services(context).pipeline.handle_unknown_command(member, message.text or "")
    await send_replies(context, member.chat_id, replies)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text (also edited messages: the corrected question is answered and logged as edited)."""
    member, message = member_from(update), update.effective_message
    if member is None or message is None:
        return
    replies = await services(context).pipeline.handle_text(
        member,
        message.text or "",
        telegram_message_id=message.message_id,
        edited=update.edited_message is not None,
        # Telegram's Reply on one of our messages (a staff answer): the member is answering it
        reply_to=message.reply_to_message.message_id if message.reply_to_message else None,
    )
    await send_replies(context, member.chat_id, replies)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tapped inline button. The spinner is stopped first so the phone never hangs on it."""
    query, member = update.callback_query, member_from(update)
    if query is None or member is None:
        return
    await answer_query(query)
    data = query.data or ""
    if data.startswith(("fb:", "forget:")) and query.message is not None:
        # One vote per answer, one answer per confirmation: remove the buttons once used (a vote
        # keeps the "➕ other question" row under an answer). BadRequest: the message is too old to
        # edit, or already has no buttons.
        markup = query.message.reply_markup if isinstance(query.message, Message) else None
        keep = [row for row in (markup.inline_keyboard if markup and data.startswith("fb:") else ())
                if not any(str(b.callback_data or "").startswith("fb:") for b in row)]
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup(keep) if keep else None)
    on_message = query.message.message_id if query.message is not None else None
    replies = await route_callback(services(context).pipeline, member, data, on_message)
    await send_replies(context, member.chat_id, replies)


def _media_kind(update: Update) -> tuple[str, str | None]:
    """What was sent, and a file id staff can receive it by."""
    m = update.effective_message
    assert m is not None
    if m.sticker:
        return "sticker", m.sticker.file_id
    if m.photo:
        return "photo", m.photo[-1].file_id
    if m.voice:
        return "voice", m.voice.file_id
    if m.audio:
        return "audio", m.audio.file_id
    if m.video:
        return "video", m.video.file_id
    if m.video_note:
        return "video_note", m.video_note.file_id
    if m.animation:
        return "animation", m.animation.file_id
    if m.document:
        return "document", m.document.file_id
    if m.location or m.venue:
        return "location", None
    if m.contact:
        return "contact", None
    if m.dice:
        return "dice", None
    if m.story:
        return "story", None
    if m.poll:
        return "poll", None
    return "other", None


async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes, locations…: logged and answered politely, never dropped."""
    member, message = member_from(update), update.effective_message
    if member is None or message is None:
        return
    kind, file_id = _media_kind(update)
    replies = await services(context).pipeline.handle_media(
        member, kind, caption=message.caption, file_id=file_id, telegram_message_id=message.message_id,
        edited=update.edited_message is not None,
    )
    await send_replies(context, member.chat_id, replies)
