"""Updates from different chats are handled at the same time; one chat's updates, in order.

Handled one by one (PTB's default), one slow member stalls everyone: a 429 "retry after 8 s" on
Ana's chat delayed Ben's answer by 8 s, and an admin's /reload of a big FAQ held every member
until it finished. Fully concurrent, a member who sends two messages quickly could get the
answers swapped, or follow-ups could race their own ticket. So: concurrent across chats, and
first-come first-served within a chat (an ``asyncio.Lock`` per chat, which wakes its waiters in
order).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatOrder(BaseUpdateProcessor):
    """At most ``max_concurrent_updates`` at once; the updates of one chat one after another."""

    # PTB takes one of these slots before do_process_update waits for the chat's turn, so a chat
    # flooding hundreds of updates holds as many slots while it waits: keep plenty.
    def __init__(self, max_concurrent_updates: int = 2048) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # chat id -> updates holding or waiting for its lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody left for this chat: keep the dicts small
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
