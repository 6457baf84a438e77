"""`python bot.py run` as a real process: long polling against the fake Bot API, clean stop on SIGINT.

The other end-to-end tests drive the Application in-process; this one checks the production entry
point itself (run_polling, signal handling, post_init/post_shutdown, the token kept out of logs).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from pathlib import Path

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


async def test_bot_py_run_answers_and_stops_cleanly(fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PUENTE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=fake_telegram.token,
        TELEGRAM_API_BASE_URL=fake_telegram.base_url,
        PUENTE_DB=str(tmp_path / "run.db"),
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake_telegram.wait_for("getUpdates", timeout=30)
        ana = fake_telegram.user(4242, "Ana", "es")
        fake_telegram.push_text(ana, "cuanto cuesta el seguro pa migrantes")
        [call] = await fake_telegram.wait_for("sendMessage", chat_id=4242, timeout=15)
        assert "Q1,000" in call.params["text"]
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    log = stderr.decode()
    assert proc.returncode == 0, log
    assert fake_telegram.token.split(":")[1] not in log
    with sqlite3.connect(tmp_path / "run.db") as conn:
        (decision,) = conn.execute("select decision from messages where direction = 'in'").fetchone()
    assert decision == "answer"
    assert not (tmp_path / "run.db-wal").exists() or (tmp_path / "run.db-wal").stat().st_size == 0


def _env(fake: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PUENTE_"))}
    env.update(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url, PUENTE_DB=str(tmp_path / "run.db"))
    return env


async def test_a_token_refused_at_start_is_explained_without_printing_it(
        fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    fake_telegram.fail("getMe", status=401, description="Unauthorized", times=None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bot.py"), "run", env=_env(fake_telegram, tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    log = stderr.decode()
    assert proc.returncode == 1
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in log
    assert fake_telegram.token.split(":")[1] not in log


async def test_a_token_revoked_while_running_stops_the_bot_cleanly(
        fake_telegram: FakeTelegram, tmp_path: Path) -> None:
    """PTB's polling gives up on a 401 and the process would live on, deaf: it must stop, with
    the normal shutdown (database closed) and a non-zero exit code for the service manager."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bot.py"), "run", env=_env(fake_telegram, tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await fake_telegram.wait_for("getUpdates", timeout=30)
        fake_telegram.fail("getUpdates", status=401, description="Unauthorized", times=None)
        _, stderr = await asyncio.wait_for(proc.communicate(), timeout=60)
    finally:
        if proc.returncode is None:
            proc.kill()
    log = stderr.decode()
    assert proc.returncode == 1, log
    assert "no longer accepts the bot token" in log
    assert "Task was destroyed" not in log and "Event loop is closed" not in log
    assert fake_telegram.token.split(":")[1] not in log
