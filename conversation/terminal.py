"""The local terminal chat: the same pipeline as Telegram, with buttons shown as numbered choices.

It lets anyone try Puente without a bot token (``make run`` with no token, or ``python bot.py
chat``), and every exchange is logged to the same database with channel ``terminal``.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from conversation.callbacks import route_callback
from conversation.pipeline import Member, Pipeline
from conversation.replies import Button, Reply, plain
from i18n import Translator

TERMINAL_MEMBER = Member(id=0, chat_id=0, first_name=None, username="terminal", language_code=None)


def render(replies: list[Reply]) -> tuple[str, list[Button]]:
    """Text for the terminal, and the buttons in the order they are numbered."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        lines.append(plain(reply.text))
        for row in reply.buttons:
            for b in row:
                buttons.append(b)
                lines.append(f"  [{len(buttons)}] {b.label}")
        lines.append("")
    return "\n".join(lines), buttons


async def dispatch(pipeline: Pipeline, member: Member, line: str, buttons: list[Button]) -> list[Reply]:
    """One line typed by the user → pipeline replies (a number taps the numbered button)."""
    if line.isdecimal() and line.isascii() and buttons:  # "²" is a digit int() refuses
        n = int(line)
        if 1 <= n <= len(buttons):
            return await route_callback(pipeline, member, buttons[n - 1].data)
    command, _, arg = line.partition(" ")
    match command.lower():
        case "/start":
            return await pipeline.handle_start(member, arg.strip() or None)
        case "/help" | "/ayuda":
            return await pipeline.handle_help(member)
        case "/menu" | "/faq":  # (as on Telegram: handlers/__init__.py)
            return await pipeline.handle_menu(member)
        case "/language" | "/idioma":
            return await pipeline.handle_language_menu(member)
        case "/forget" | "/borrar":
            return await pipeline.handle_forget_request(member)
        case "/cancel" | "/cancelar":
            return await pipeline.handle_cancel(member)
    if line.startswith("/"):
        return await pipeline.handle_unknown_command(member, line)
    return await pipeline.handle_text(member, line)


async def chat(
    pipeline: Pipeline,
    *,
    stdin: TextIO,
    stdout: TextIO,
    lang: str = "es",
    member: Member = TERMINAL_MEMBER,
) -> None:
    """Read lines until EOF or /quit; write replies. Never raises on odd input."""
    _ = Translator(lang)
    stdout.write(
        _(
            "Puente local chat (no Telegram). Write a question; type a number to tap a button; "
            "/menu, /language, /help; /quit to leave."
        )
        + "\n\n"
    )
    stdout.flush()
    buttons: list[Button] = []
    while True:
        stdout.write("> ")
        stdout.flush()
        raw = await asyncio.to_thread(stdin.readline)
        if raw == "":
            break
        line = raw.strip()
        if line.lower() in ("/quit", "/exit", "/salir"):
            break
        number = int(line) if line.isdecimal() and line.isascii() else 0
        tapped = buttons[number - 1] if 0 < number <= len(buttons) else None
        replies = await dispatch(pipeline, member, line, buttons)
        if tapped is not None and tapped.data.startswith("fb:"):
            # As on Telegram, a vote removes only the 👍/👎: a "➕ other question" stays tappable.
            kept = [b for b in buttons if not b.data.startswith("fb:")]
            if kept and replies:
                replies[-1].buttons = [*replies[-1].buttons, *([b] for b in kept)]
        text, buttons = render(replies)
        stdout.write(text + "\n")
        stdout.flush()
