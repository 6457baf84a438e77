"""The error handler: log every unhandled error with its context, and tell the member, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers.common import member_language
from i18n import Translator

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update is None and isinstance(context.error, NetworkError):
        # Fetching updates failed (Telegram or the network is down; PTB retries on its own): one
        # line per failure, not a 90-line traceback every few seconds of an outage (session 15's review).
        log.warning("could not reach Telegram for updates (%s); retrying", context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE or isinstance(context.error, Forbidden):
        return
    _ = Translator(await member_language(update, context))
    try:
        await context.bot.send_message(
            update.effective_chat.id, _("Sorry, something went wrong on my side. Please try again in a moment.")
        )
    except TelegramError:
        log.warning("could not tell chat %s about the error", update.effective_chat.id)
