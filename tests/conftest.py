"""Shared pytest fixtures. Keep generic: feature-specific fixtures belong in their own modules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
from conversation.pipeline import Pipeline
from faq.matcher import DEFAULT_THRESHOLDS
from faq.service import FaqService
from storage.store import Store
from tests.fake_telegram import FakeTelegram
from tests.helpers import GROUP_ID


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    """A started fake Bot API server (fresh per test, so no state leaks between tests)."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An open Store on a fresh database file (migrations applied), closed after the test."""
    s = Store(tmp_path / "puente.db")
    s.open()
    yield s
    s.close()


@pytest.fixture
def pipeline(store: Store) -> Pipeline:
    """The member pipeline over the bundled FAQ, without a staff desk (escalations are only logged)."""
    faqs = FaqService(BUNDLED_FAQ, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    return Pipeline(store, faqs, default_language="es")


@pytest.fixture
def world(fake_telegram: FakeTelegram) -> dict[str, Any]:
    """The cast of the staff-desk end-to-end tests: the staff group, members Ana (es) and John (en),
    and Luis, a staff member."""
    fake = fake_telegram
    return {
        "group": fake.group(GROUP_ID, "Puente staff"),
        "ana": fake.user(1001, "Ana", "es"),
        "john": fake.user(1002, "John", "en"),
        "luis": fake.user(2001, "Luis", "es"),
    }
