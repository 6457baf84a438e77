"""Office hours: is a person at the desk now, and if not, when are they back?

Pure functions over an injected ``now`` (an aware datetime; naive ones are taken as UTC) so
tests pin the clock instead of sleeping. All reasoning happens in the office time zone
(``PUENTE_TIMEZONE``, America/Guatemala by default); members abroad are told the time in the
office zone *with the zone named*, because we do not know where each migrant lives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_timezone_location

from i18n import Translator


def aware(now: datetime) -> datetime:
    """Naive datetimes are UTC (tests pass them); aware ones are kept."""
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


@dataclass(frozen=True)
class OfficeHours:
    """When staff answer. ``days`` are weekday numbers (Monday = 0); ``start < end`` on the same day."""

    timezone: str = "America/Guatemala"
    days: frozenset[int] = frozenset(range(5))
    start: time = time(8, 0)
    end: time = time(16, 0)

    @classmethod
    def from_settings(cls, settings: object) -> OfficeHours:
        start, end = settings.office_hours  # type: ignore[attr-defined]
        return cls(settings.timezone, frozenset(settings.office_days), start, end)  # type: ignore[attr-defined]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, now: datetime) -> datetime:
        return aware(now).astimezone(self.tz)

    def is_open(self, now: datetime) -> bool:
        """True when ``now`` falls on an office day, at or after the start and before the end."""
        t = self.local(now)
        return t.weekday() in self.days and self.start <= t.time().replace(tzinfo=None) < self.end

    def next_opening(self, now: datetime) -> datetime:
        """The next moment the office opens, in the office zone; ``now`` itself when open.

        Searches at most eight days ahead (a week plus today), enough for any set of days.
        No office days at all → ``ValueError``: there is no honest time to promise.
        """
        t = self.local(now)
        if self.is_open(t):
            return t
        if not self.days:
            raise ValueError("no office days configured")
        for offset in range(8):
            day = (t + timedelta(days=offset)).date()
            if day.weekday() not in self.days:
                continue
            # Wall-clock construction: DST jumps (not in Guatemala, but elsewhere) resolve via fold=0.
            opening = datetime.combine(day, self.start, tzinfo=self.tz)
            if opening > t:
                return opening
        raise AssertionError("unreachable: an office day recurs within a week")  # pragma: no cover

    def closes_at(self, now: datetime) -> datetime | None:
        """Today's closing time when open now, else None."""
        t = self.local(now)
        if not self.is_open(t):
            return None
        if self.end == time.max:  # open until midnight ("…-24:00"): it closes as the next day starts
            return datetime.combine(t.date() + timedelta(days=1), time(0), tzinfo=self.tz)
        return datetime.combine(t.date(), self.end, tzinfo=self.tz)

    def day_bounds_utc(self, now: datetime) -> tuple[datetime, datetime]:
        """Midnight to midnight of ``now``'s office-zone day, in UTC (for /stats "today")."""
        t = self.local(now)
        start = datetime.combine(t.date(), time(0), tzinfo=self.tz)
        end = datetime.combine(t.date() + timedelta(days=1), time(0), tzinfo=self.tz)
        return start.astimezone(UTC), end.astimezone(UTC)


def format_when(when: datetime, now: datetime, lang: str) -> str:
    """"today at 8:00 AM (Guatemala time)" / "el lunes, 10 de marzo de 2025 a las 8:00 a. m. (hora de Guatemala)".

    Date and time come from babel in the member's locale and the office zone; only the glue
    words are ours (translated). Exact babel output is CLDR's business, so tests never pin it.
    """
    _ = Translator(lang)
    when = aware(when)
    today = aware(now).astimezone(when.tzinfo).date()
    hour, zone = _time_and_zone(when, _)
    if when.date() == today:
        return _("today at {time} ({zone})", time=hour, zone=zone)
    if when.date() == today + timedelta(days=1):
        return _("tomorrow at {time} ({zone})", time=hour, zone=zone)
    day = format_date(when.date(), "full", locale=_.locale)
    return _("on {day} at {time} ({zone})", day=day, time=hour, zone=zone)


def _time_and_zone(when: datetime, _: Translator) -> tuple[str, str]:
    """("4:00 p. m.", "hora de Guatemala"): the time of day by babel in the member's locale, and the zone named."""
    hour = format_time(when, "short", tzinfo=when.tzinfo, locale=_.locale)
    # "hora de Guatemala", not CLDR's generic zone name: es_GT calls it "hora de verano" though
    # Guatemala has no summer time, and "Central Standard Time" reads as US time to a migrant.
    city = get_timezone_location(when.tzinfo, locale=_.locale, return_city=True)
    return hour, _("{city} time", city=city)


def format_wait(wait: timedelta, lang: str) -> str:
    """A human duration ("2 hours" / "2 horas", "90 minutes") in the member's locale.

    Never shorter than ``wait``: babel rounds to the nearest unit, so 80 minutes would be
    promised as "1 hour". Whole hours are said in hours, anything else in (whole) minutes.
    """
    _ = Translator(lang)
    minutes = max(1, math.ceil(wait / timedelta(minutes=1)))
    if minutes % 60:
        return format_timedelta(timedelta(minutes=minutes), granularity="minute", threshold=math.inf,
                                locale=_.locale)
    return format_timedelta(timedelta(minutes=minutes), threshold=1, locale=_.locale)


def availability_notice(
    hours: OfficeHours, now: datetime, lang: str, *, expected_wait: timedelta, ticket_id: int
) -> str:
    """What a member is told when their question goes to a person, in their language.

    Inside office hours, with at least ``expected_wait`` left before closing: the expected wait.
    Inside office hours but closer to closing than that (a Friday at 15:55): when the office
    closes today and, if nobody answers before then, when staff are back — "within 2 hours"
    would be a promise nobody can keep over a weekend. Outside office hours: when staff are
    back, so nobody stares at a silent chat over a weekend wondering whether they were heard.
    """
    _ = Translator(lang)
    closes = hours.closes_at(now)
    if closes is not None and aware(now) + expected_wait <= closes:
        return _(
            "I've passed your question to our team (request #{number}). A person will answer you here, "
            "usually within {wait}. You can keep writing: everything you send is added to your request.",
            number=ticket_id,
            wait=format_wait(expected_wait, lang),
        )
    try:
        # After today's closing when open now (closing time itself is closed: the next opening).
        back = format_when(hours.next_opening(closes or now), now, lang)
    except ValueError:
        return _(
            "I've passed your question to our team (request #{number}). A person will answer you here "
            "as soon as possible.",
            number=ticket_id,
        )
    if closes is not None:
        closing, zone = _time_and_zone(closes, _)
        return _(
            "I've passed your question to our team (request #{number}). Our office closes today at {time} "
            "({zone}); if nobody can answer you before then, a person will answer you here when we're back, "
            "{when}. You can keep writing: everything you send is added to your request.",
            number=ticket_id,
            time=closing,
            zone=zone,
            when=back,
        )
    return _(
        "I've passed your question to our team (request #{number}). Our office is closed right now; "
        "a person will answer you here when we're back, {when}. You can keep writing: everything you "
        "send is added to your request.",
        number=ticket_id,
        when=back,
    )
