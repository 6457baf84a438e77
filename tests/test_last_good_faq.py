"""The last good FAQ survives a restart (session 16's review): after a /reload refused a broken
file, the file stays broken on disk, and the next start (a deploy, a reboot) refused to start at
all: "Puente cannot start: the FAQ files have problems". Each FAQ loaded without problems is now
saved next to the database, and a start whose FAQ file has problems serves that copy."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY, Settings
from faq.errors import FaqLoadError
from faq.loader import load_faq
from faq.matcher import DEFAULT_THRESHOLDS
from faq.service import FaqService
from handlers.app import build_application
from tests.fake_telegram import FakeTelegram, running_app
from tests.helpers import DB_NAME, bot_settings
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' autouse fixture)

BROKEN = "entries:\n  - id: only-id\n"
ADMIN_ID = 999


def _service(faq: Path, copy: Path, vocabulary: Path = BUNDLED_VOCABULARY) -> FaqService:
    return FaqService(faq, vocabulary, DEFAULT_THRESHOLDS, last_good_path=copy)


def test_a_start_after_a_refused_reload_serves_the_last_good_faq(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    faq, copy = tmp_path / "faq.yaml", tmp_path / "puente.db.last-good-faq.yaml"
    faq.write_text(BUNDLED_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    running = _service(faq, copy)
    running.load()
    assert len(load_faq(copy)) == len(load_faq(BUNDLED_FAQ)) and running.fallback is None
    faq.write_text(BROKEN, encoding="utf-8")
    refused = running.reload()
    assert not refused.ok and refused.entries == len(load_faq(BUNDLED_FAQ))
    assert len(load_faq(copy)) == refused.entries  # a refused file never becomes the copy

    restarted = _service(faq, copy)  # the restart
    with caplog.at_level(logging.ERROR, logger="faq.service"):
        snapshot = restarted.load()
    assert len(snapshot.faq) == refused.entries and snapshot.faq.get("migrant-cost") is not None
    assert restarted.fallback is not None and restarted.fallback.copy == copy
    assert any("only-id" in str(p) for p in restarted.fallback.problems)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "last good FAQ" in record.getMessage() and str(faq) in record.getMessage()
    assert "only-id" in record.getMessage()
    # The configured file is still the one /reload reads: fixed, it is served and becomes the copy.
    faq.write_text(BUNDLED_FAQ.read_text(encoding="utf-8").replace("¿Qué es", "¿Qué es, dígame,", 1),
                   encoding="utf-8")
    assert restarted.reload().ok and restarted.fallback is None
    assert "dígame" in copy.read_text(encoding="utf-8")


def test_without_a_copy_or_with_a_broken_vocabulary_the_start_still_refuses(tmp_path: Path) -> None:
    faq, copy = tmp_path / "faq.yaml", tmp_path / "copy.yaml"
    faq.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(FaqLoadError):
        _service(faq, copy).load()  # never loaded before: nothing to fall back on
    _service(BUNDLED_FAQ, copy).load()
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text("synonyms: [", encoding="utf-8")
    with pytest.raises(FaqLoadError):
        _service(faq, copy, vocabulary).load()  # the copy does not replace the vocabulary


def test_the_copy_goes_next_to_the_database() -> None:
    settings = Settings.from_env({"PUENTE_DB": "/srv/puente/puente.db"})
    assert settings.last_good_faq_path == Path("/srv/puente/puente.db.last-good-faq.yaml")
    assert Settings.from_env({"PUENTE_DB": ":memory:"}).last_good_faq_path is None


def test_the_terminal_chat_starts_from_the_last_good_faq_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text(BUNDLED_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("PUENTE_FAQ", str(faq))
    assert run(["chat"], stdin="/quit\n")[0] == 0
    faq.write_text(BROKEN, encoding="utf-8")
    code, out = run(["chat"], stdin="cuanto cuesta el seguro pa migrantes\n/quit\n")
    assert code == 0 and "Q1,000" in out
    err = capsys.readouterr().err
    assert "cannot start" not in err and "ERROR" in err and "last good FAQ" in err and "only-id" in err


async def test_admins_are_told_when_the_bot_starts_from_the_last_good_faq(
        fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    faq = tmp_path / "faq.yaml"
    faq.write_text(BROKEN, encoding="utf-8")
    _service(BUNDLED_FAQ, tmp_path / f"{DB_NAME}.last-good-faq.yaml").load()  # an earlier run's copy
    settings = bot_settings(fake_telegram, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID), PUENTE_FAQ=str(faq))
    app = build_application(settings)
    entries = len(load_faq(BUNDLED_FAQ))
    async with running_app(app, fake_telegram):
        [told] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
        text = told.params["text"]
        assert f"Puente arrancó con la última copia buena de las preguntas frecuentes ({entries} entradas" in text
        assert "<code>faq.yaml</code>" in text and "only-id" in text and "/reload" in text
        admin = fake_telegram.user(ADMIN_ID, "Admin", "en")
        fake_telegram.push_command(admin, "reload")
        calls = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID, count=2)
        assert "NOT reloaded" in calls[1].params["text"]
        assert f"Still serving the last good copy of the FAQ ({entries} entries, saved " in calls[1].params["text"]


async def test_the_admin_alert_is_retried_in_the_background(
        fake_telegram: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Session 16's Telegram review: sent inside the start, a 429 on the alert held up polling for
    as long as Telegram asked, and one 500 lost the alert for good. It is now sent beside the
    running bot and tried again."""
    import handlers.admin

    monkeypatch.setattr(handlers.admin, "ALERT_RETRIES", (0.0, 0.3, 0.3))
    faq = tmp_path / "faq.yaml"
    faq.write_text(BROKEN, encoding="utf-8")
    _service(BUNDLED_FAQ, tmp_path / f"{DB_NAME}.last-good-faq.yaml").load()
    settings = bot_settings(fake_telegram, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID), PUENTE_FAQ=str(faq))
    fake_telegram.user(ADMIN_ID, "Admin", "es")  # (an admin who started a chat with the bot)
    fake_telegram.fail("sendMessage", status=500, times=1, chat_id=ADMIN_ID)
    async with running_app(build_application(settings), fake_telegram):
        member = fake_telegram.user(4242, "Ana", "es")
        fake_telegram.push_text(member, "cuanto cuesta el seguro pa migrantes")
        [answer] = await fake_telegram.wait_for("sendMessage", chat_id=4242)
        assert "Q1,000" in answer.params["text"]  # served from the copy while the alert waits
        calls = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID, count=2)
        assert [c.status for c in calls] == [500, 200], [c.error for c in calls]
        assert "última copia buena" in calls[1].params["text"] and "(America/Guatemala)" in calls[1].params["text"]


async def test_the_alert_and_a_refused_reload_speak_the_admins_language_and_name_the_copy(
        fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    """Session 16 left: the alert came in the staff group's language while /reload answers in the
    admin's own, and a refused /reload after such a start said "still serving the previous FAQ"
    (the previous FAQ being the broken file, as far as the admin knows) instead of the copy."""
    faq = tmp_path / "faq.yaml"
    faq.write_text(BUNDLED_FAQ.read_text(encoding="utf-8"), encoding="utf-8")
    settings = bot_settings(fake_telegram, tmp_path, PUENTE_ADMIN_IDS=str(ADMIN_ID), PUENTE_FAQ=str(faq),
                            PUENTE_STAFF_LANGUAGE="es", PUENTE_DEFAULT_LANGUAGE="es")
    admin = fake_telegram.user(ADMIN_ID, "Admin", "es")  # a Spanish phone, but the admin writes English
    async with running_app(build_application(settings), fake_telegram):
        fake_telegram.push_text(admin, "what is the phone number of igss")
        await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID)
    faq.write_text(BROKEN, encoding="utf-8")  # then a bad edit, and a restart
    since = fake_telegram.mark()
    async with running_app(build_application(settings), fake_telegram):
        [told] = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID, since=since)
        assert "Puente started with the last good copy of the FAQ" in told.params["text"], told.params["text"]
        fake_telegram.push_command(admin, "reload")
        calls = await fake_telegram.wait_for("sendMessage", chat_id=ADMIN_ID, count=2, since=since)
        refused = calls[1].params["text"]
        assert "NOT reloaded" in refused and "Still serving the last good copy of the FAQ" in refused, refused
        assert "previous FAQ" not in refused and "(America/Guatemala)" in refused
