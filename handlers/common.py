"""What every handler shares: the services in ``bot_data``, who the member is, and sending replies."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from config import Settings
from conversation.pipeline import Member, Pipeline, language_from_code
from conversation.replies import Reply
from faq.service import FaqService
from storage.store import Store

log = logging.getLogger(__name__)

#: Pauses before sending a member's reply again after a 5xx or a timeout (then the error handler
#: tells the member to try again). Flood control (429) is the rate limiter's to retry.
SEND_RETRY_PAUSES: tuple[float, ...] = (1.0, 3.0)


@dataclass
class Services:
    """Long-lived objects opened in ``post_init`` and closed in ``post_shutdown``."""

    settings: Settings
    store: Store
    faqs: FaqService
    pipeline: Pipeline
    desk: Any = None  # the staff desk, when PUENTE_STAFF_CHAT_ID is set


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


def member_from(update: Update) -> Member | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Member(
        id=user.id,
        chat_id=chat.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )


def telegram_language(update: Update, default: str) -> str:
    """The sender's language as their Telegram app reports it (for replies outside the pipeline)."""
    user = update.effective_user
    return language_from_code(user.language_code if user else None, default)


async def member_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The sender's language for a reply made outside the pipeline (an error notice, a refusal):
    their chosen or conversation language when the database can be read, else their app's."""
    svc = context.bot_data.get("services")
    member = member_from(update)
    if svc is not None and member is not None:
        try:
            return await svc.pipeline.language_for(member)
        except Exception:  # the error handler calls this: the database may be what failed
            log.warning("could not read the language of user %s", member.id, exc_info=True)
    return telegram_language(update, svc.settings.default_language if svc is not None else "es")


async def answer_query(query: CallbackQuery, text: str | None = None, *, show_alert: bool = False) -> None:
    """Stop the phone's spinner on a tapped button (and show ``text``).

    Telegram refuses to answer a query older than about 15 minutes (taps queued while the bot was
    down) and a send can hit a network hiccup; neither may cost the tap itself, so the failure is
    logged and the action goes on.
    """
    try:
        await query.answer(text, show_alert=show_alert)
    except TelegramError as exc:
        log.info("could not answer a callback query (%s); handling the tap anyway", exc)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
    )


async def send_replies(context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: list[Reply]) -> None:
    """Send each reply as HTML and record its Telegram message id against its log row.

    A failed send raises into the error handler; the reply is already logged (without a Telegram
    id), so it is visible as undelivered rather than lost.
    """
    pipeline = services(context).pipeline
    for reply in replies:
        for attempt, pause in enumerate((*SEND_RETRY_PAUSES, None)):
            try:
                sent = await context.bot.send_message(
                    chat_id,
                    reply.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=keyboard(reply),
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
                break
            except NetworkError as exc:  # (TimedOut and 5xx; BadRequest too, which is not retried)
                # A 5xx or a timeout on one reply (the notice that a question went to staff: the
                # ticket is already open) is tried again before the member is told to retry.
                if pause is None or isinstance(exc, BadRequest):
                    raise
                log.warning("sending a reply to chat %s failed (%s); retry %d in %.1fs", chat_id, exc,
                            attempt + 1, pause)
                await asyncio.sleep(pause)
        await pipeline.delivered(reply, sent.message_id)
