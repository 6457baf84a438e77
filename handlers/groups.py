"""Groups that are not the staff group: Puente answers members only in private chats.

Member questions in a public group would expose their personal situation, so the bot says where
to write and leaves the group.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.common import services, telegram_language
from i18n import Translator

log = logging.getLogger(__name__)


async def foreign_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, message, desk = update.effective_chat, update.effective_message, services(context).desk
    if chat is None:
        return
    staff_id = desk.staff_chat_id if desk is not None else services(context).settings.staff_chat_id
    # Telegram upgraded the staff group to a supergroup (a new id): the old group says where it
    # went, the new one where it came from. The desk follows; leaving it would stop every escalation.
    if desk is not None and message is not None:
        if chat.id == staff_id and message.migrate_to_chat_id:
            await desk.move_staff_chat(message.migrate_to_chat_id)
            return
        if message.migrate_from_chat_id is not None and message.migrate_from_chat_id == staff_id:
            await desk.move_staff_chat(chat.id)
            return
    if chat.id == staff_id or (message is not None and message.migrate_from_chat_id is not None):
        return  # the staff group itself, or a group's own upgrade notice
    _ = Translator(telegram_language(update, services(context).settings.default_language))
    if staff_id is None:  # setting up the desk (README, "Set up the group"): the admin needs this id
        log.warning("leaving group %s (%s, %r): PUENTE_STAFF_CHAT_ID is not set. If it is the staff group, set "
                    "PUENTE_STAFF_CHAT_ID=%s, restart the bot and add it to the group again", chat.id, chat.type,
                    chat.title, chat.id)
    else:
        log.info("leaving group %s (%s): not the staff group (PUENTE_STAFF_CHAT_ID=%s)", chat.id, chat.type, staff_id)
    try:
        await context.bot.send_message(
            chat.id,
            _(
                "I only answer questions in a private chat, to protect your privacy. Write to me at @{bot}.",
                bot=context.bot.username,
            ),
        )
        await context.bot.leave_chat(chat.id)
    except TelegramError as exc:
        log.warning("could not leave group %s: %s", chat.id, exc)
