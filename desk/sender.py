"""Drains the outbox: every message to the staff group (and every staff answer to a member).

Why a queue and not ``await bot.send_message`` in the handler: Telegram allows about 20
messages a minute into one group, answers 429 with a ``retry_after`` when a bot goes faster,
and a group can be missing for a while (bot removed, wrong id, Telegram 5xx). Each of those
must *delay* a ticket card, never lose it. So handlers write the call into the ``outbox``
table in the same breath as the ticket change, and this loop sends it:

* the staff group is limited to ``per_minute`` sends (an ``aiolimiter.AsyncLimiter``) and a
  429 pauses the whole chat for ``retry_after``;
* transient failures (network, 5xx, group unreachable) are retried with exponential back-off
  for as long as it takes, logged loudly at ERROR for the staff group;
* permanent failures for a *member* chat (403 blocked, chat gone) are marked failed and reported
  back to the desk (``undeliverable``), which tells staff in the group;
* per-chat order is kept (``storage.outbox.due`` holds newer rows back while an older one waits).

Nothing here imports ``telegram``: the bot is reached through a :class:`Transport` callable
that raises the small exception family below (handlers/staff.py adapts PTB to it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from aiolimiter import AsyncLimiter

from storage import outbox
from storage.store import Store, atomically

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------------------------------- errors
#: Outbox purpose of the calls that take a forgotten member's messages out of the staff group
#: (defined with storage.outbox.enqueue_withdrawal, which ``bot.py forget-member`` uses too).
WITHDRAW = outbox.WITHDRAW


class SendError(Exception):
    """Base of what a Transport raises; ``str(exc)`` is Telegram's description."""


class RetryLater(SendError):
    """Flood control (429): Telegram says when to try again."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds}s")
        self.seconds = float(seconds)


class Transient(SendError):
    """Network trouble, timeouts, 5xx: try again later."""


class Blocked(SendError):
    """403: the member blocked the bot, or the bot was removed from / is not in the group."""


class ChatGone(SendError):
    """400 "chat not found"."""


class Moved(SendError):
    """The group became a supergroup: Telegram names its new id (a staff group moves with it)."""

    def __init__(self, new_chat_id: int, message: str = "") -> None:
        super().__init__(message or f"the group moved to {new_chat_id}")
        self.new_chat_id = new_chat_id


class NotModified(SendError):
    """400 "message is not modified": an edit that changes nothing — a success for us."""


class MessageGone(SendError):
    """400: the message to edit / copy / reply to no longer exists."""


class Rejected(SendError):
    """Any other 400: Telegram will never accept this call as it is."""


class Transport(Protocol):
    """``await transport(method, params) -> message_id | None`` — one Bot API call."""

    def __call__(self, method: str, params: dict[str, Any]) -> Awaitable[int | None]: ...


# ---------------------------------------------------------------------------------------- hooks
@dataclass
class Prepared:
    """The call to make for an outbox row, plus what to remember for ``sent``."""

    method: str
    params: dict[str, Any]
    after: dict[str, Any] = field(default_factory=dict)


class Hooks(Protocol):
    """What the desk adds to plain sending: render at send time, record results, report failures."""

    async def prepare(self, item: dict[str, Any]) -> Prepared | None:
        """The call for ``item``, or None to drop it as done (nothing left to say)."""
        ...

    def record_sent(self, db: Any, item: dict[str, Any], prepared: Prepared, message_id: int | None) -> None:
        """Record what a delivered call means, inside the transaction that marks it sent."""
        ...

    async def undeliverable(self, item: dict[str, Any], error: SendError) -> None: ...

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        """A chat got a new id (a group upgraded to a supergroup): re-address what is queued for it."""
        ...

    async def unreachable(self, chat_id: int, error: SendError) -> None:
        """A rate-limited chat (the staff group) refuses every message; they stay queued."""
        ...

    async def sent(self, item: dict[str, Any]) -> None:
        """``item`` was delivered and its record committed (runs on the event loop)."""
        ...


class PlainHooks:
    """No desk logic: send ``payload`` as-is (keys starting with ``_`` are private metadata)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store

    async def prepare(self, item: dict[str, Any]) -> Prepared | None:
        return Prepared(item["method"], strip_meta(item["payload"]))

    def record_sent(self, db: Any, item: dict[str, Any], prepared: Prepared, message_id: int | None) -> None:
        return None

    async def undeliverable(self, item: dict[str, Any], error: SendError) -> None:
        return None

    async def unreachable(self, chat_id: int, error: SendError) -> None:
        return None

    async def sent(self, item: dict[str, Any]) -> None:
        return None

    async def moved(self, old_chat_id: int, new_chat_id: int) -> None:
        if self.store is not None:
            await self.store.call(outbox.readdress, old_chat_id, new_chat_id)


def strip_meta(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if not k.startswith("_")}


# ---------------------------------------------------------------------------------------- sender
class OutboxSender:
    """The background task that empties the outbox, politely and persistently.

    ``run_once()`` processes what is due now and returns how many rows it settled (tests drive
    it with an injected clock); ``start()``/``stop()`` run it forever as an asyncio task,
    woken at once by ``wake()`` after an enqueue.
    """

    def __init__(
        self,
        store: Store,
        transport: Transport,
        *,
        hooks: Hooks | None = None,
        limited_chats: frozenset[int] = frozenset(),
        per_minute: int = 20,
        clock: Clock = utcnow,
        backoff_base: float = 2.0,
        backoff_cap: float = 300.0,
        idle_poll: float = 1.0,
        batch: int = 20,
        tick: Callable[[datetime], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.transport = transport
        self.hooks: Hooks = hooks or PlainHooks(store)
        self.limited_chats = limited_chats
        self.limiter = AsyncLimiter(max(1, per_minute), 60)
        self.clock = clock
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.idle_poll = idle_poll
        self.batch = batch
        self.tick = tick
        self._paused: dict[int, datetime] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # stop() was asked: finish the current row, start no other (an Event, so that waiting for
        # the rate limit can end on it too).
        self._stop_asked = asyncio.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="puente-outbox")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop after the current call; unsent rows stay in the outbox for the next start.

        The call in flight is let finish (for at most ``grace`` seconds) and recorded: cancelling
        it while Telegram answers would leave a delivered message pending, and the next start
        (a deploy) would send the member the same answer again."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stop_asked.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        finally:
            self._stop_asked.clear()

    def wake(self) -> None:
        """Something was enqueued: look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        log.info("outbox sender started")
        while not self._stop_asked.is_set():
            try:
                settled = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the loop must survive anything: a dead sender loses the desk
                log.exception("outbox sender iteration failed; retrying")
                settled = 0
            if settled or self._stop_asked.is_set():
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_poll)

    # ------------------------------------------------------------------ one pass
    def backoff(self, attempts: int) -> float:
        """2 s, 4 s, 8 s … capped (5 minutes by default): a long outage costs few requests."""
        return min(self.backoff_cap, self.backoff_base * (2 ** max(0, attempts)))

    def _is_paused(self, chat_id: int, now: datetime) -> bool:
        until = self._paused.get(chat_id)
        return until is not None and until > now

    async def run_once(self) -> int:
        """Send what is due; returns the number of rows sent, dropped or given up on."""
        now = self.clock()
        if self.tick is not None:
            await self.tick(now)
        items = await self.store.call(outbox.due, now=now, limit=self.batch)
        settled = 0
        held: set[int] = set()  # chats with a row retried in this batch: keep their order
        for item in items:
            if self._stop_asked.is_set():
                break
            chat_id = int(item["chat_id"])
            if chat_id in held or self._is_paused(chat_id, self.clock()):
                continue
            done = await self._process(item)
            if done:
                settled += 1
            else:
                held.add(chat_id)
        return settled

    async def _process(self, item: dict[str, Any]) -> bool:
        """One row: True when settled (sent/dropped/failed), False when rescheduled."""
        chat_id = int(item["chat_id"])
        try:
            prepared = await self.hooks.prepare(item)
        except Exception as exc:
            log.exception("outbox #%s (%s): preparing failed", item["id"], item.get("purpose"))
            await self._retry(item, f"prepare: {exc!r}", self.backoff(int(item["attempts"])))
            return False
        if prepared is None:
            await self.store.call(outbox.mark_sent, item["id"], now=self.clock())
            return True
        if chat_id in self.limited_chats and not await self._acquire():
            return False  # stop() was asked while waiting for the rate limit: the row stays pending
        try:
            message_id = await self.transport(prepared.method, prepared.params)
        except NotModified:
            message_id = None
        except RetryLater as exc:
            wait = max(1.0, exc.seconds)
            self._paused[chat_id] = self.clock() + timedelta(seconds=wait)
            log.warning("outbox #%s: flood control on chat %s, waiting %.0fs", item["id"], chat_id, wait)
            await self._retry(item, f"429 {exc}", wait)
            return False
        except Moved as exc:
            log.warning("outbox #%s: chat %s moved to %s; re-addressing", item["id"], chat_id, exc.new_chat_id)
            if chat_id in self.limited_chats:
                self.limited_chats = self.limited_chats | {exc.new_chat_id}
            await self.hooks.moved(chat_id, exc.new_chat_id)
            await self._retry(item, f"moved: {exc}", 0.0)
            return False
        except (Blocked, ChatGone) as exc:
            if item.get("purpose") == WITHDRAW:
                return await self._withdrawal_refused(item, exc)
            if chat_id in self.limited_chats:
                return await self._staff_unreachable(item, exc)
            log.warning("outbox #%s: chat %s unreachable (%s): giving up", item["id"], chat_id, exc)
            await self.store.call(outbox.mark_failed, item["id"], error=f"{type(exc).__name__}: {exc}")
            await self._report(item, exc)
            return True
        except (MessageGone, Rejected) as exc:
            if item.get("purpose") == WITHDRAW:
                return await self._withdrawal_refused(item, exc)
            log.error("outbox #%s (%s %s to %s) refused: %s", item["id"], prepared.method, item.get("purpose"),
                      chat_id, exc)
            await self.store.call(outbox.mark_failed, item["id"], error=f"{type(exc).__name__}: {exc}")
            await self._report(item, exc)
            return True
        except Transient as exc:
            wait = self.backoff(int(item["attempts"]))
            log.warning("outbox #%s: %s; retry in %.0fs", item["id"], exc, wait)
            await self._retry(item, f"transient: {exc}", wait)
            return False
        except Exception as exc:  # an adapter bug must not drop the row either
            wait = self.backoff(int(item["attempts"]))
            log.exception("outbox #%s: unexpected error; retry in %.0fs", item["id"], wait)
            await self._retry(item, f"unexpected: {exc!r}", wait)
            return False
        now = self.clock()

        def settle(db: Any) -> None:
            # One transaction: a stop or crash cannot leave a delivered card marked sent but not
            # linked to its ticket (its edits would be lost and its messages posted again).
            outbox.mark_sent(db, item["id"], message_id=message_id, now=now)
            self.hooks.record_sent(db, item, prepared, message_id)

        try:
            await self.store.call(atomically(settle))
        except Exception:
            log.exception("outbox #%s sent, but recording the result failed", item["id"])
            await self.store.call(outbox.mark_sent, item["id"], message_id=message_id, now=now)
        try:
            await self.hooks.sent(item)
        except Exception:  # a courtesy (telling admins an outage is over): never stops the sender
            log.exception("outbox #%s: after-send hook failed", item["id"])
        return True

    async def _acquire(self) -> bool:
        """Wait for the per-minute limit, unless stop() is asked meanwhile (False): a shutdown
        must not wait out the limit only to start a send it would then have to cut off."""
        if self._stop_asked.is_set():
            return False
        acquire = asyncio.ensure_future(self.limiter.acquire())
        stopping = asyncio.ensure_future(self._stop_asked.wait())
        await asyncio.wait({acquire, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (acquire, stopping):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        return acquire.done() and not acquire.cancelled() and not self._stop_asked.is_set()

    async def _staff_unreachable(self, item: dict[str, Any], exc: SendError) -> bool:
        wait = self.backoff(int(item["attempts"]))
        self._paused[int(item["chat_id"])] = self.clock() + timedelta(seconds=wait)
        log.error(
            "STAFF GROUP %s UNREACHABLE (%s: %s). Ticket messages are queued (outbox #%s, attempt %d) and will be "
            "delivered when the group is back. Check that the bot is still a member of the group and that "
            "PUENTE_STAFF_CHAT_ID is right.",
            item["chat_id"], type(exc).__name__, exc, item["id"], int(item["attempts"]) + 1,
        )
        await self._retry(item, f"{type(exc).__name__}: {exc}", wait)
        try:
            await self.hooks.unreachable(int(item["chat_id"]), exc)
        except Exception:  # telling admins is a courtesy: it must not stop the sender
            log.exception("outbox: reporting the unreachable staff group failed")
        return False

    async def _retry(self, item: dict[str, Any], error: str, seconds: float) -> None:
        retry_at = self.clock() + timedelta(seconds=seconds)
        await self.store.call(outbox.mark_retry, item["id"], error=error[:500], retry_at=retry_at)

    async def _withdrawal_refused(self, item: dict[str, Any], exc: SendError) -> bool:
        """A /forget withdrawal Telegram refused (a copy older than 48 hours, a staff member's own
        message, an edit of a photo's text): expected, recorded, never an outage or a staff note."""
        log.info("outbox #%s: withdrawal refused (%s)", item["id"], exc)
        await self.store.call(outbox.mark_failed, item["id"], error=f"{type(exc).__name__}: {exc}")
        return True

    async def _report(self, item: dict[str, Any], exc: SendError) -> None:
        try:
            await self.hooks.undeliverable(item, exc)
        except Exception:
            log.exception("outbox #%s: reporting the failure failed", item["id"])
