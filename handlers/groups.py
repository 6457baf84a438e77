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
    chat = update.effective_chat
    if chat is None or chat.id == services(context).settings.staff_chat_id:
        return
    _ = Translator(telegram_language(update, services(context).settings.default_language))
    log.info("leaving group %s (%s): not the staff group", chat.id, chat.type)
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
