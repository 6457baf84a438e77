"""Build the Telegram ``Application``: services opened in ``post_init``, closed in ``post_shutdown``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from config import Settings
from conversation.pipeline import Pipeline
from faq.service import FaqService
from handlers import register
from handlers.admin import ALERT_TASKS, tell_admins_of_fallback
from handlers.common import Services
from handlers.ordering import PerChatOrder
from handlers.staff import start_desk, stop_desk
from i18n import LANGUAGES, Translator
from storage.store import Store, check_writable

log = logging.getLogger(__name__)

DESK_OPTIONS = "desk_options"
FATAL = "fatal"  # set when the bot stops for a reason bot.py run must report (see watch_polling)
WATCHDOG = "polling_watchdog"
WATCH_INTERVAL = "watch_interval"  # seconds between checks of the polling loop (tests shorten it)
POLLING_TASK = "Updater:start_polling:polling_task"  # PTB's name for its polling loop task
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def file_url_for(base_url: str) -> str:
    """The file endpoint that goes with a Bot API base URL (``…/bot`` → ``…/file/bot``)."""
    if "{token}" in base_url:
        return base_url.replace("/bot{token}", "/file/bot{token}")
    return base_url[: -len("bot")] + "file/bot" if base_url.endswith("/bot") else base_url.rstrip("/") + "/file/bot"


def open_services(settings: Settings) -> Services:
    """Open the database and load the FAQ: shared by the Telegram bot and the terminal chat."""
    store = Store(settings.db_path)
    store.open()
    faqs = FaqService.from_settings(settings, last_good_path=settings.last_good_faq_path)
    try:
        store.call_sync(check_writable)  # a read-only file would fail on every message instead
        faqs.load()
    except Exception:
        store.close()
        raise
    pipeline = Pipeline(store, faqs, default_language=settings.default_language)
    return Services(settings=settings, store=store, faqs=faqs, pipeline=pipeline)


async def set_commands(app: Application) -> None:
    """The command menu in each member's language (Telegram picks by the app's language).

    Best effort: a 5xx here must not keep the bot from starting (the menu is a convenience; the
    commands work without it), so a failure is logged and start-up goes on.
    """
    for lang in (None, *LANGUAGES):
        _ = Translator(lang or app.bot_data["services"].settings.default_language)
        commands = [
            BotCommand("menu", _("Browse the topics")),
            BotCommand("language", _("Change the language")),
            BotCommand("help", _("How to use this bot")),
            BotCommand("start", _("Start over")),
        ]
        try:
            await app.bot.set_my_commands(commands, language_code=lang)
        except TelegramError as exc:
            log.warning("could not set the command menu (%s): %s", lang or "default", exc)


async def watch_polling(app: Application, interval: float = 5.0) -> None:
    """Stop the bot when Telegram stops accepting its token (revoked in @BotFather).

    PTB's polling loop gives up for good on InvalidToken, and the process would live on, deaf.
    The loop is found by its task name; stopping the updater here (and swallowing the error it
    re-raises) lets the normal shutdown run: the outbox sender stops, the database is closed.
    ``bot_data[FATAL]`` tells ``bot.py run`` to exit non-zero.
    """
    polling: asyncio.Task | None = None
    while True:
        await asyncio.sleep(interval)
        if polling is None:
            polling = next((t for t in asyncio.all_tasks() if t.get_name() == POLLING_TASK), None)
            continue
        if not polling.done() or polling.cancelled() or not isinstance(polling.exception(), InvalidToken):
            continue
        log.critical("Telegram no longer accepts the bot token (revoked or changed in @BotFather): stopping")
        app.bot_data[FATAL] = "token"
        if app.updater is not None and app.updater.running:
            with contextlib.suppress(InvalidToken):
                await app.updater.stop()
        app.stop_running()
        return


async def post_init(app: Application) -> None:
    """Open the shared services (unless the caller already did), then start the staff desk."""
    if "services" not in app.bot_data:
        app.bot_data["services"] = open_services(app.bot_data["settings"])
    await set_commands(app)
    await start_desk(app, **app.bot_data.get(DESK_OPTIONS, {}))
    await tell_admins_of_fallback(app)  # in the background: a slow Telegram never holds up the start
    app.bot_data[WATCHDOG] = asyncio.get_running_loop().create_task(
        watch_polling(app, app.bot_data.get(WATCH_INTERVAL, 5.0)), name="puente:watch_polling")
    log.info("Puente is up as @%s", app.bot.username)


async def post_stop(app: Application) -> None:
    """Stop the staff outbox sender while the bot can still finish its current send."""
    watchdog: asyncio.Task | None = app.bot_data.pop(WATCHDOG, None)
    if watchdog is not None and watchdog is not asyncio.current_task():
        watchdog.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watchdog
    for alert in app.bot_data.pop(ALERT_TASKS, []):  # a start-up alert still waiting to be retried
        alert.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await alert
    await stop_desk(app)


async def post_shutdown(app: Application) -> None:
    await stop_desk(app)
    services: Services | None = app.bot_data.pop("services", None)
    if services is not None:
        services.store.close()


#: Seconds to wait for Telegram's answer to a call (sendMessage, copyMessage…), not for long polling.
TELEGRAM_READ_TIMEOUT = 20.0


def build_application(
    settings: Settings,
    *,
    rate_limiter: AIORateLimiter | None = None,
    desk_options: dict[str, Any] | None = None,
) -> Application:
    """The bot, configured from ``settings``; handlers are registered in handlers/__init__.py.

    ``desk_options`` go to the staff desk and its sender (tests pass a frozen clock and fast retries).
    """
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url_for(settings.telegram_api_base_url))
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        # Telegram stores a message before it answers: a reply that times out may have arrived,
        # and sending it again shows it twice. PTB's 5 s made a slow answer a duplicate (session
        # 15's review); a longer wait makes a timeout mean "not sent".
        .read_timeout(TELEGRAM_READ_TIMEOUT)
        .write_timeout(TELEGRAM_READ_TIMEOUT)
        .concurrent_updates(PerChatOrder())
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["settings"] = settings
    app.bot_data[DESK_OPTIONS] = dict(desk_options or {})
    register(app)
    return app
