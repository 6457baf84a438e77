"""Turn an FAQ entry into the exact Telegram message a member receives.

Kept here (not in the handlers) so validation can measure the *real* message an admin's answer
produces and reject it before it ever reaches Telegram's 4096-character limit.
"""

from __future__ import annotations

import html

from faq.model import FaqEntry

#: Telegram's limit for one text message.
MAX_MESSAGE_CHARS = 4096


def escape(text: str) -> str:
    """Escape FAQ text for Telegram's HTML parse mode.

    Only ``<``, ``>`` and ``&`` are special in Telegram HTML outside attributes; quotes are left
    alone (``quote=False``) so answers read naturally and measure the same as they display.
    """
    return html.escape(text, quote=False)


def render_answer(entry: FaqEntry, lang: str) -> str:
    """The HTML message for ``entry`` in ``lang``: bold question, blank line, answer.

    All FAQ text is escaped, so an admin typing ``<`` or ``&`` can never break the message or
    inject markup. Falls back to the other language when ``lang`` has no text (validation makes
    sure both languages exist in a loaded FAQ).
    """
    question = escape(entry.question_in(lang))
    answer = escape(entry.answer_in(lang))
    return f"<b>{question}</b>\n\n{answer}"


def message_length(text: str) -> int:
    """Length as Telegram counts it, conservatively: UTF-16 code units of the whole HTML text.

    Telegram counts UTF-16 units after parsing entities, so counting the tags and escapes too
    is an upper bound: a message that passes here always fits.
    """
    return len(text.encode("utf-16-le")) // 2
