"""What the pipeline answers with: text (Telegram HTML) plus rows of buttons.

Buttons carry short callback data (Telegram allows 64 *bytes*): ``pick:<faq id>``,
``none:<message id>``, ``fb:<message id>:<+1|-1>``, ``lang:<es|en>``, ``cat:<category key>``, ``menu``,
``forget:<yes|no>``.
The terminal chat shows the same buttons as numbered choices.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

CALLBACK_DATA_MAX_BYTES = 64
BUTTON_LABEL_MAX = 60
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise ValueError(f"callback data over {CALLBACK_DATA_MAX_BYTES} bytes: {self.data!r}")


@dataclass
class Reply:
    """One message to send. ``log_id`` is its row in the messages table (set once logged)."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    log_id: int | None = None


def plain(text: str) -> str:
    """Telegram HTML → what a person sees (tags dropped, entities decoded): the terminal chat
    prints this, and Telegram's length limits count it, not the markup."""
    return html.unescape(_TAG.sub("", text))


def short_label(text: str, limit: int = BUTTON_LABEL_MAX) -> str:
    """Button labels are shown on one phone line; cut long questions with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def parse_callback(data: str) -> tuple[str, list[str]]:
    """Split ``kind:arg1:arg2`` into ``("kind", ["arg1", "arg2"])``; unknown kinds are the caller's job."""
    kind, _, rest = (data or "").partition(":")
    return kind, (rest.split(":") if rest else [])
