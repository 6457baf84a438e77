"""All configuration, read once from the environment.

Every setting Puente knows is a field of :class:`Settings`; README.md documents each variable.
Secrets (the bot token) live only here and in the process environment: ``Settings.__repr__``
masks them so a logged settings object never leaks the token.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BUNDLED_FAQ = ROOT / "faq" / "data" / "faq.yaml"
BUNDLED_VOCABULARY = ROOT / "faq" / "data" / "vocabulary.yaml"
TELEGRAM_API = "https://api.telegram.org/bot"
LANGUAGES = ("es", "en")

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A variable is set to something Puente cannot use; the message names the variable."""


def _float(env: Mapping[str, str], name: str, default: float, *, low: float = 0.0,
           high: float = math.inf) -> float:
    """A number within ``low..high`` (``nan`` and ``inf`` are refused: "nan" as a threshold would
    quietly switch answering off)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        bound = f"between {low:g} and {high:g}" if math.isfinite(high) else f"at least {low:g}"
        raise ConfigError(f"{name}={raw!r} must be a number {bound}")
    return value


def _int_or_none(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer chat id") from None


def _ids(env: Mapping[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "")
    out: set[int] = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(int(part))
        except ValueError:
            raise ConfigError(f"{name}: {part!r} is not a numeric Telegram user id") from None
    return frozenset(out)


def _days(env: Mapping[str, str], name: str, default: str) -> frozenset[int]:
    """Parse ``mon-fri`` or ``mon,wed,fri`` into weekday numbers (Monday = 0)."""
    raw = (env.get(name) or default).strip().lower()
    days: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        ends = [p.strip()[:3] for p in part.split("-")]
        if any(e not in _WEEKDAYS for e in ends) or len(ends) > 2:
            raise ConfigError(f"{name}={raw!r}: use day names like 'mon-fri' or 'mon,wed,fri'")
        a, b = _WEEKDAYS.index(ends[0]), _WEEKDAYS.index(ends[-1])
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return frozenset(days)


def _hours(env: Mapping[str, str], name: str, default: str) -> tuple[time, time]:
    raw = (env.get(name) or default).strip()
    try:
        first, last = (p.strip() for p in raw.split("-"))
        # "24:00" closes at midnight (the end of the day; Python's time stops at 23:59:59.999999)
        start, end = time.fromisoformat(first), time.max if last == "24:00" else time.fromisoformat(last)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: use 'HH:MM-HH:MM', e.g. '08:00-16:00' (or '…-24:00' for midnight)") \
            from None
    if end <= start:
        raise ConfigError(f"{name}={raw!r}: the end must be after the start")
    return start, end


_DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?", re.IGNORECASE)
#: The longest expected wait Puente will promise: a day. Anything past closing time is answered
#: with the reopening time anyway (desk.hours.availability_notice).
MAX_EXPECTED_WAIT = timedelta(hours=24)


def _wait(env: Mapping[str, str], name: str, default: str) -> timedelta:
    """A duration with its unit: ``2h``, ``90m`` or ``1h30m``, from 1 minute to 24 hours.

    A bare number is refused: "2" could mean hours or minutes, and members are promised it."""
    raw = (env.get(name) or "").strip() or default
    match = _DURATION.fullmatch(raw)
    if match is None or not any(match.groups()):
        raise ConfigError(f"{name}={raw!r}: use hours and/or minutes with their unit, e.g. '2h', '90m' or '1h30m'")
    hours, minutes = (int(g or 0) for g in match.groups())
    wait = timedelta(hours=hours, minutes=minutes)
    if not timedelta(minutes=1) <= wait <= MAX_EXPECTED_WAIT:
        raise ConfigError(f"{name}={raw!r} must be between 1 minute ('1m') and 24 hours ('24h')")
    return wait


@dataclass(frozen=True)
class Settings:
    """Puente's configuration. Build it with :meth:`from_env`; never read ``os.environ`` elsewhere."""

    telegram_bot_token: str = field(default="", repr=False)
    telegram_api_base_url: str = TELEGRAM_API
    db_path: Path = Path("puente.db")
    faq_path: Path = BUNDLED_FAQ
    vocabulary_path: Path = BUNDLED_VOCABULARY
    default_language: str = "es"
    answer_threshold: float | None = None
    suggest_threshold: float | None = None
    answer_margin: float | None = None
    admin_ids: frozenset[int] = frozenset()
    staff_chat_id: int | None = None
    staff_label: str = ""
    staff_language: str = "es"
    staff_messages_per_minute: int = 20
    timezone: str = "America/Guatemala"
    office_days: frozenset[int] = frozenset(range(5))
    office_hours: tuple[time, time] = (time(8, 0), time(16, 0))
    #: How soon members are told a person usually answers, inside office hours.
    expected_wait: timedelta = timedelta(hours=2)
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read every variable once; raise :class:`ConfigError` naming the bad variable."""
        env = os.environ if env is None else env
        lang = (env.get("PUENTE_DEFAULT_LANGUAGE") or "es").strip().lower()
        if lang not in LANGUAGES:
            raise ConfigError(f"PUENTE_DEFAULT_LANGUAGE={lang!r}: use one of {', '.join(LANGUAGES)}")
        staff_lang = (env.get("PUENTE_STAFF_LANGUAGE") or "es").strip().lower()
        if staff_lang not in LANGUAGES:
            raise ConfigError(f"PUENTE_STAFF_LANGUAGE={staff_lang!r}: use one of {', '.join(LANGUAGES)}")
        tz = (env.get("PUENTE_TIMEZONE") or "America/Guatemala").strip()
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except Exception:
            raise ConfigError(f"PUENTE_TIMEZONE={tz!r} is not a known IANA time zone") from None

        def thr(name: str) -> float | None:
            # Scores are 0..100; 101 is allowed and switches that decision off (never answer, never suggest).
            return _float(env, name, -1.0, high=101.0) if env.get(name, "").strip() else None

        level = (env.get("PUENTE_LOG_LEVEL") or "INFO").strip().upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"PUENTE_LOG_LEVEL={level!r} must be one of {', '.join(LOG_LEVELS)}")
        answer, suggest = thr("PUENTE_ANSWER_THRESHOLD"), thr("PUENTE_SUGGEST_THRESHOLD")
        if answer is not None and suggest is not None and answer < suggest <= 100:
            # Scores between the two would be neither answered nor offered: always a typo.
            raise ConfigError(f"PUENTE_SUGGEST_THRESHOLD={suggest:g} is above PUENTE_ANSWER_THRESHOLD={answer:g}: "
                              "suggestions are for scores below the answer threshold (101 switches them off)")
        staff_chat = _int_or_none(env, "PUENTE_STAFF_CHAT_ID")
        if staff_chat is not None and staff_chat >= 0:
            raise ConfigError(f"PUENTE_STAFF_CHAT_ID={staff_chat}: a group's id is negative (like -1001234567890); "
                              "a positive id is a person's private chat")

        base_url = (env.get("TELEGRAM_API_BASE_URL") or TELEGRAM_API).strip()
        if not re.match(r"^https?://[^/\s]+", base_url):
            # (Otherwise the bot starts, then reports "could not reach Telegram", like an outage.)
            raise ConfigError(f"TELEGRAM_API_BASE_URL={base_url!r} must start with http:// or https:// and a host "
                              f"(default {TELEGRAM_API})")
        if not base_url.rstrip("/").endswith("/bot"):
            # The token is appended to it: "http://127.0.0.1:8081" made "…:8081123456:ABC…", and the
            # bot failed on an "invalid port" (session 16's review).
            raise ConfigError(f"TELEGRAM_API_BASE_URL={base_url!r} must end with /bot, as Bot API servers expect "
                              f"(default {TELEGRAM_API}; a local server: http://127.0.0.1:8081/bot)")
        base_url = base_url.rstrip("/")
        margin = env.get("PUENTE_ANSWER_MARGIN", "").strip()

        return cls(
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_api_base_url=base_url,
            db_path=Path(env.get("PUENTE_DB") or "puente.db"),
            faq_path=Path(env.get("PUENTE_FAQ") or BUNDLED_FAQ),
            vocabulary_path=Path(env.get("PUENTE_VOCABULARY") or BUNDLED_VOCABULARY),
            default_language=lang,
            answer_threshold=answer,
            suggest_threshold=suggest,
            # A lead of points between two scores of 0..100 (more than 100 could never be met).
            answer_margin=_float(env, "PUENTE_ANSWER_MARGIN", 0.0, high=100.0) if margin else None,
            admin_ids=_ids(env, "PUENTE_ADMIN_IDS"),
            staff_chat_id=staff_chat,
            staff_label=(env.get("PUENTE_STAFF_LABEL") or "").strip(),
            staff_language=staff_lang,
            staff_messages_per_minute=int(_float(env, "PUENTE_STAFF_MESSAGES_PER_MINUTE", 20, low=1, high=600)),
            timezone=tz,
            office_days=_days(env, "PUENTE_OFFICE_DAYS", "mon-fri"),
            office_hours=_hours(env, "PUENTE_OFFICE_HOURS", "08:00-16:00"),
            expected_wait=_wait(env, "PUENTE_EXPECTED_WAIT", "2h"),
            log_level=level,
        )

    @property
    def last_good_faq_path(self) -> Path | None:
        """Where the bot keeps a copy of the last FAQ it loaded without problems, to start from when
        the FAQ file has problems (faq.service): next to the database, which is the one place the
        bot is sure to be able to write. None for an in-memory database."""
        if str(self.db_path) == ":memory:":
            return None
        return self.db_path.with_name(self.db_path.name + ".last-good-faq.yaml")

    def describe(self) -> dict[str, str]:
        """A loggable view of the settings, with the token masked."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "telegram_bot_token":
                value = "set" if value else "not set"
            out[f.name] = str(value)
        return out
