"""Configuration is read once from the environment, validated, and never leaks the token."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, TELEGRAM_API, ConfigError, Settings


def test_defaults_are_safe() -> None:
    s = Settings.from_env({})
    assert s.telegram_bot_token == ""
    assert s.telegram_api_base_url == TELEGRAM_API
    assert s.faq_path == BUNDLED_FAQ
    assert s.db_path == Path("puente.db")
    assert s.default_language == "es"
    assert s.office_days == frozenset(range(5))
    assert s.office_hours == (time(8, 0), time(16, 0))
    assert s.staff_chat_id is None and s.admin_ids == frozenset()


def test_values_are_parsed() -> None:
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "PUENTE_DB": "/tmp/x.db",
            "PUENTE_ADMIN_IDS": "1, 2;3",
            "PUENTE_STAFF_CHAT_ID": "-100123",
            "PUENTE_OFFICE_DAYS": "sat-mon",
            "PUENTE_OFFICE_HOURS": "09:30-13:00",
            "PUENTE_ANSWER_THRESHOLD": "71.5",
            "PUENTE_DEFAULT_LANGUAGE": "EN",
        }
    )
    assert s.admin_ids == frozenset({1, 2, 3})
    assert s.staff_chat_id == -100123
    assert s.office_days == frozenset({5, 6, 0})
    assert s.office_hours == (time(9, 30), time(13, 0))
    assert s.answer_threshold == 71.5 and s.suggest_threshold is None
    assert s.default_language == "en"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PUENTE_ADMIN_IDS", "12,abc"),
        ("PUENTE_STAFF_CHAT_ID", "staff"),
        ("PUENTE_OFFICE_DAYS", "lunes"),
        ("PUENTE_OFFICE_HOURS", "17:00-08:00"),
        ("PUENTE_TIMEZONE", "Mars/Olympus"),
        ("PUENTE_DEFAULT_LANGUAGE", "fr"),
        ("PUENTE_ANSWER_THRESHOLD", "high"),
        # "nan" would quietly switch answering off; thresholds are scores 0..100.
        ("PUENTE_ANSWER_THRESHOLD", "nan"),
        ("PUENTE_ANSWER_THRESHOLD", "150"),  # 101 is the most: it switches answering off
        ("PUENTE_SUGGEST_THRESHOLD", "-1"),
        ("PUENTE_ANSWER_MARGIN", "inf"),
        # A lead of more than 100 points can never be met (session 14's note: 101 silently stopped answers).
        ("PUENTE_ANSWER_MARGIN", "101"),
        ("PUENTE_ANSWER_MARGIN", "-1"),
        # Session 15's review: a URL without its scheme started the bot, which then reported an outage.
        ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot"),
        ("TELEGRAM_API_BASE_URL", "https://"),
        # Session 16's review: without "/bot" the token ran into the port ("Invalid port").
        ("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081"),
        ("PUENTE_STAFF_MESSAGES_PER_MINUTE", "inf"),
        ("PUENTE_STAFF_MESSAGES_PER_MINUTE", "-3"),
        ("PUENTE_STAFF_MESSAGES_PER_MINUTE", "0"),
        ("PUENTE_LOG_LEVEL", "verbose"),
        ("PUENTE_STAFF_CHAT_ID", "12345"),  # a person's private chat, not a group
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_token_never_appears_in_repr_or_description() -> None:
    s = Settings.from_env({"TELEGRAM_BOT_TOKEN": "999999:SECRET-TOKEN-VALUE"})
    assert "SECRET" not in repr(s)
    assert "SECRET" not in str(s.describe())
    assert s.describe()["telegram_bot_token"] == "set"


def test_a_suggest_threshold_above_the_answer_threshold_is_refused() -> None:
    with pytest.raises(ConfigError, match="PUENTE_SUGGEST_THRESHOLD=60 is above PUENTE_ANSWER_THRESHOLD=40"):
        Settings.from_env({"PUENTE_ANSWER_THRESHOLD": "40", "PUENTE_SUGGEST_THRESHOLD": "60"})
    # 101 switches suggestions off: allowed with any answer threshold.
    off = Settings.from_env({"PUENTE_ANSWER_THRESHOLD": "40", "PUENTE_SUGGEST_THRESHOLD": "101"})
    assert off.suggest_threshold == 101
