"""Office hours with a frozen clock: open/closed, weekends, next opening, time zones, the notice.

Exact babel output (CLDR spacing, U+202F before AM/PM) is never pinned: tests compare with what
babel itself produces for the same instant, or check only structure.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time

from config import Settings
from desk.hours import OfficeHours, availability_notice, format_when

GT = ZoneInfo("America/Guatemala")  # UTC-6, no DST
HOURS = OfficeHours()  # America/Guatemala, Mon–Fri, 08:00–16:00


def gt(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=GT)


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (gt(2025, 3, 10, 8, 0), True),  # Monday at opening time
        (gt(2025, 3, 10, 15, 59), True),
        (gt(2025, 3, 10, 16, 0), False),  # closing time is already closed
        (gt(2025, 3, 10, 7, 59), False),
        (gt(2025, 3, 14, 12, 0), True),  # Friday
        (gt(2025, 3, 15, 12, 0), False),  # Saturday
        (gt(2025, 3, 16, 12, 0), False),  # Sunday
    ],
)
def test_inside_and_outside(when: datetime, is_open: bool) -> None:
    assert HOURS.is_open(when) is is_open


def test_decision_is_made_in_the_office_time_zone_not_utc() -> None:
    # 15:00 UTC Monday = 09:00 in Guatemala: open. 23:00 UTC Monday = 17:00 there: closed.
    assert HOURS.is_open(datetime(2025, 3, 10, 15, 0, tzinfo=UTC))
    assert not HOURS.is_open(datetime(2025, 3, 10, 23, 0, tzinfo=UTC))
    # 01:00 UTC Saturday is still Friday 19:00 in Guatemala: closed, but because of the hour.
    assert HOURS.local(datetime(2025, 3, 15, 1, 0, tzinfo=UTC)).weekday() == 4
    # Naive datetimes are UTC.
    assert HOURS.is_open(datetime(2025, 3, 10, 15, 0))


def test_next_opening_same_day_next_day_and_across_the_weekend() -> None:
    assert HOURS.next_opening(gt(2025, 3, 10, 6, 30)) == gt(2025, 3, 10, 8, 0)  # Monday early
    assert HOURS.next_opening(gt(2025, 3, 10, 17, 0)) == gt(2025, 3, 11, 8, 0)  # Monday evening
    assert HOURS.next_opening(gt(2025, 3, 14, 16, 0)) == gt(2025, 3, 17, 8, 0)  # Friday close → Monday
    assert HOURS.next_opening(gt(2025, 3, 15, 9, 0)) == gt(2025, 3, 17, 8, 0)  # Saturday
    open_now = gt(2025, 3, 12, 10, 0)
    assert HOURS.next_opening(open_now) == open_now


def test_next_opening_with_custom_days_and_zone() -> None:
    # Mexico City office open Tue and Thu 09:00-13:00.
    mx = OfficeHours("America/Mexico_City", frozenset({1, 3}), time(9), time(13))
    friday_noon_utc = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    nxt = mx.next_opening(friday_noon_utc)
    assert nxt.weekday() == 1 and nxt.hour == 9 and nxt.tzinfo == ZoneInfo("America/Mexico_City")
    assert nxt - friday_noon_utc < timedelta(days=5)
    with pytest.raises(ValueError):
        OfficeHours(days=frozenset()).next_opening(friday_noon_utc)


def test_from_settings_reads_the_configured_hours() -> None:
    s = Settings.from_env({"PUENTE_OFFICE_DAYS": "sat-sun", "PUENTE_OFFICE_HOURS": "10:00-12:00",
                           "PUENTE_TIMEZONE": "America/Mexico_City"})
    h = OfficeHours.from_settings(s)
    assert h.days == frozenset({5, 6}) and h.start == time(10) and h.end == time(12)
    assert h.is_open(datetime(2025, 3, 15, 11, 0, tzinfo=ZoneInfo("America/Mexico_City")))


def test_day_bounds_are_office_midnights() -> None:
    start, end = HOURS.day_bounds_utc(datetime(2025, 3, 11, 3, 0, tzinfo=UTC))  # Monday 21:00 in Guatemala
    assert start == datetime(2025, 3, 10, 6, 0, tzinfo=UTC) and end == datetime(2025, 3, 11, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_format_when_uses_babel_in_the_member_locale(lang: str) -> None:
    locale = {"es": "es_GT", "en": "en_US"}[lang]
    opening = gt(2025, 3, 17, 8, 0)
    expected_time = format_time(opening, "short", tzinfo=GT, locale=locale)
    later_in_week = format_when(opening, gt(2025, 3, 14, 17, 0), lang)  # Friday evening → Monday
    assert expected_time in later_in_week
    tomorrow = format_when(gt(2025, 3, 11, 8, 0), gt(2025, 3, 10, 20, 0), lang)
    assert expected_time in tomorrow
    assert tomorrow != later_in_week


def test_notice_inside_hours_gives_the_expected_wait() -> None:
    now = gt(2025, 3, 10, 9, 0)
    en = availability_notice(HOURS, now, "en", expected_wait=timedelta(hours=2), ticket_id=7)
    assert "#7" in en and "2 hours" in en and "closed" not in en


def test_notice_outside_hours_says_when_staff_are_back() -> None:
    saturday = gt(2025, 3, 15, 10, 0)
    en = availability_notice(HOURS, saturday, "en", expected_wait=timedelta(hours=2), ticket_id=7)
    back = format_time(gt(2025, 3, 17, 8, 0), "short", tzinfo=GT, locale="en_US")
    assert "closed" in en and back in en and "#7" in en
    es = availability_notice(HOURS, saturday, "es", expected_wait=timedelta(hours=2), ticket_id=7)
    assert format_time(gt(2025, 3, 17, 8, 0), "short", tzinfo=GT, locale="es_GT") in es


def test_office_hours_may_close_at_midnight() -> None:
    """Session 14's review: "…-24:00" was refused, so an office open until midnight could not be
    configured. It is open until the day ends, and closes as the next one starts."""
    h = OfficeHours.from_settings(Settings.from_env({"PUENTE_OFFICE_HOURS": "16:00-24:00"}))
    assert h.is_open(gt(2025, 3, 10, 23, 59)) and not h.is_open(gt(2025, 3, 11, 0, 0))
    assert h.closes_at(gt(2025, 3, 10, 22, 0)) == gt(2025, 3, 11, 0, 0)
    late = availability_notice(h, gt(2025, 3, 10, 23, 30), "en", expected_wait=timedelta(hours=2), ticket_id=3)
    assert "#3" in late and "closes" in late
