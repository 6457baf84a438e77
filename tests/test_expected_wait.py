"""The expected wait is only promised when it fits before closing time (review r13, finding 7).

A member who writes on a Friday at 15:55 (office 08:00–16:00, Monday to Friday) used to be told
"a person will answer you, usually within 2 hours"; five minutes later the same request got the
closed-office message ("…cuando volvamos, el lunes … 8:00"). Now the promise is checked against
today's closing time, and the wait is a setting (``PUENTE_EXPECTED_WAIT``) next to the office hours.

Exact babel output is never pinned: expected times and dates come from babel (or from
``format_when``) for the same instant, as in tests/test_hours.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time

from config import ConfigError, Settings
from desk.hours import OfficeHours, availability_notice, format_wait, format_when
from tests.fake_telegram import FakeTelegram
from tests.test_staff_e2e import TestClock, bot, card_for, to_member

GT = ZoneInfo("America/Guatemala")  # UTC-6, no DST
HOURS = OfficeHours()  # America/Guatemala, Mon–Fri, 08:00–16:00
LOCALE = {"es": "es_GT", "en": "en_US"}
TWO_HOURS = {"es": "2 horas", "en": "2 hours"}


def gt(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=GT)


def clock(when: datetime, lang: str) -> str:
    return format_time(when, "short", tzinfo=GT, locale=LOCALE[lang])


def notice(now: datetime, lang: str = "en", wait: timedelta = timedelta(hours=2)) -> str:
    return availability_notice(HOURS, now, lang, expected_wait=wait, ticket_id=7)


FRIDAY_1555 = gt(2025, 3, 14, 15, 55)
MONDAY_8 = gt(2025, 3, 17, 8, 0)


# ------------------------------------------------------------------------------ desk/hours.py, fixed clocks
@pytest.mark.parametrize("lang", ["es", "en"])
def test_friday_just_before_closing_says_when_staff_are_back_not_within_two_hours(lang: str) -> None:
    text = notice(FRIDAY_1555, lang)
    assert TWO_HOURS[lang] not in text
    assert "#7" in text
    assert clock(gt(2025, 3, 14, 16, 0), lang) in text  # closes today at 16:00 …
    assert format_when(MONDAY_8, FRIDAY_1555, lang) in text  # … and back on Monday at 8:00, zone named
    # Not the closed-office message: the office is still open, someone may still answer today.
    assert text != notice(gt(2025, 3, 14, 16, 0), lang)


def test_weekday_afternoon_past_the_wait_says_tomorrow() -> None:
    wednesday_1430 = gt(2025, 3, 12, 14, 30)
    text = notice(wednesday_1430)
    assert "2 hours" not in text and "closes today" in text
    assert format_when(gt(2025, 3, 13, 8, 0), wednesday_1430, "en") in text
    assert "tomorrow" in text


def test_a_wait_ending_exactly_at_closing_time_is_still_promised() -> None:
    text = notice(gt(2025, 3, 12, 14, 0))
    assert "usually within 2 hours" in text and "closes" not in text


def test_naive_utc_clock_is_compared_in_the_office_zone() -> None:
    # 21:55 UTC Friday = 15:55 in Guatemala (naive datetimes are UTC, as everywhere in desk.hours).
    assert notice(datetime(2025, 3, 14, 21, 55)) == notice(FRIDAY_1555)
    assert notice(datetime(2025, 3, 14, 21, 55, tzinfo=UTC)) == notice(FRIDAY_1555)


def test_the_configured_wait_is_promised_while_it_fits() -> None:
    half_hour = timedelta(minutes=30)
    assert "within 30 minutes" in notice(gt(2025, 3, 14, 15, 20), wait=half_hour)
    later = notice(gt(2025, 3, 14, 15, 31), wait=half_hour)
    assert "30 minutes" not in later and format_when(MONDAY_8, FRIDAY_1555, "en") in later


def test_at_closing_time_the_closed_message_is_kept() -> None:
    text = notice(gt(2025, 3, 14, 16, 0))
    assert "closed right now" in text and "closes today" not in text
    assert clock(MONDAY_8, "en") in text


@pytest.mark.parametrize(
    ("minutes", "en"),
    [(120, "2 hours"), (60, "1 hour"), (45, "45 minutes"), (80, "80 minutes"), (150, "150 minutes")],
)
def test_format_wait_never_promises_less_than_the_setting(minutes: int, en: str) -> None:
    # babel alone says "1 hour" for 80 minutes and "2 hours" for 150: a shorter promise than configured.
    assert format_wait(timedelta(minutes=minutes), "en") == en
    assert format_wait(timedelta(minutes=minutes), "es").split()[0] == en.split()[0]


# ------------------------------------------------------------------------------ config.py
def test_expected_wait_defaults_to_two_hours() -> None:
    assert Settings.from_env({}).expected_wait == timedelta(hours=2)
    assert Settings.from_env({"PUENTE_EXPECTED_WAIT": "  "}).expected_wait == timedelta(hours=2)


@pytest.mark.parametrize(
    ("raw", "wait"),
    [("2h", timedelta(hours=2)), ("90m", timedelta(minutes=90)), ("1h30m", timedelta(minutes=90)),
     (" 1H 30M ", timedelta(minutes=90)), ("24h", timedelta(hours=24)), ("1m", timedelta(minutes=1))],
)
def test_expected_wait_is_read(raw: str, wait: timedelta) -> None:
    assert Settings.from_env({"PUENTE_EXPECTED_WAIT": raw}).expected_wait == wait


@pytest.mark.parametrize("raw", ["2", "120", "1.5h", "soon", "-1h", "0m", "0h0m", "25h", "h"])
def test_bad_expected_wait_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError, match="PUENTE_EXPECTED_WAIT"):
        Settings.from_env({"PUENTE_EXPECTED_WAIT": raw})


# ------------------------------------------------------------------------------ end to end (fake Telegram)
FRIDAY_1555_UTC = datetime(2025, 3, 14, 21, 55, tzinfo=UTC)
FRIDAY_1520_UTC = datetime(2025, 3, 14, 21, 20, tzinfo=UTC)


async def test_friday_before_close_the_member_hears_monday(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana = fake_telegram, world["ana"]
    async with bot(fake, tmp_path, TestClock(FRIDAY_1555_UTC), caplog):
        fake.push_text(ana, "quiero hablar con una persona")
        text = (await to_member(fake, 1001, "#1")).params["text"]
        assert "2 horas" not in text
        assert clock(gt(2025, 3, 14, 16, 0), "es") in text
        assert format_when(MONDAY_8, FRIDAY_1555, "es") in text
        await card_for(fake, 1)  # staff still get the card at once


async def test_the_configured_wait_reaches_the_member(
    fake_telegram: FakeTelegram, world: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, ana = fake_telegram, world["ana"]
    async with bot(fake, tmp_path, TestClock(FRIDAY_1520_UTC), caplog, env={"PUENTE_EXPECTED_WAIT": "30m"}):
        fake.push_text(ana, "quiero hablar con una persona")
        text = (await to_member(fake, 1001, "#1")).params["text"]
        assert format_wait(timedelta(minutes=30), "es") in text and "2 horas" not in text
        await card_for(fake, 1)
