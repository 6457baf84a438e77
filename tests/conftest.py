"""Shared pytest fixtures. Keep generic: feature-specific fixtures belong in their own modules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fake_telegram import FakeTelegram


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started fake Bot API server (fresh per test, so no state leaks between tests)."""
    async with FakeTelegram() as fake:
        yield fake
