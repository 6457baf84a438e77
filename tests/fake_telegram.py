"""A local fake Telegram Bot API server for end-to-end tests of the real PTB stack.

Why this exists: mocking ``telegram.Bot`` methods skips everything that breaks in
production — request encoding, error mapping (RetryAfter/Forbidden/BadRequest/TimedOut),
the Updater's long-poll/offset loop, AIORateLimiter retries, and Telegram's own validation
(4096-char limit, HTML entity parsing, 64-byte callback data, "message is not modified").
Instead, the bot under test is a genuine ``telegram.ext.Application`` pointed at this
aiohttp server via ``ApplicationBuilder().base_url(fake.base_url)``; the fake answers with
realistic JSON and records every call so tests can assert on what the bot actually sent.

Typical use::

    async with FakeTelegram() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
        app.add_handler(...)
        async with running_app(app, fake):
            alice = fake.user(1001, "Alice")
            fake.push_text(alice, "hola")
            [call] = await fake.wait_for("sendMessage", chat_id=alice["id"])

Behaviour notes (deliberately Telegram-like, so tests catch real bugs):

* Sending to a chat the fake does not know → 400 "Bad Request: chat not found". Register chats
  with :meth:`FakeTelegram.user` (private chat) or :meth:`FakeTelegram.group` first, or pass
  ``strict_chats=False``.
* ``parse_mode="HTML"`` is parsed: malformed markup → 400 "can't parse entities"; the stored
  message has plain ``text`` plus ``entities`` (UTF-16 offsets), like Telegram returns.
  ``MarkdownV2`` is checked only for unescaped reserved characters.
* Only inline keyboards are echoed back in Message.reply_markup (as Telegram does);
  ``editMessageText`` without ``reply_markup`` removes the keyboard (as Telegram does).
* Unknown methods → 400 "Bad Request: method not supported by fake: X" (404 would surface
  as InvalidToken in PTB, which is misleading). They are also listed in ``fake.unsupported``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dtm
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["Call", "FakeTelegram", "running_app"]

JSON = dict[str, Any]

#: Parameters PTB sends raw (never JSON-encoded) whose content may *look* like JSON
#: ("123", "true"); decoding them would corrupt the record.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "title",
        "name",
        "description",
        "short_description",
        "language_code",
        "action",
        "emoji",
        "icon_custom_emoji_id",
        "business_connection_id",
        "message_effect_id",
        "file_id",
        "custom_title",
        "question",
        "address",
        "first_name",
        "last_name",
        "phone_number",
        "vcard",
        "secret_token",
        "ip_address",
        "certificate",
        "query",
        "switch_pm_text",
        "sticker",
        "photo",
        "document",
        "voice",
        "audio",
        "video",
        "animation",
        "thumbnail",
    }
)

_SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendvoice",
        "sendsticker",
        "sendchataction",
        "sendlocation",
        "sendaudio",
        "sendvideo",
        "sendanimation",
        "sendmediagroup",
        "sendpoll",
        "sendcontact",
        "senddice",
        "copymessage",
        "forwardmessage",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
        "createforumtopic",
    }
)

_MEDIA_KINDS = {"sendphoto": "photo", "senddocument": "document", "sendvoice": "voice", "sendsticker": "sticker"}

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class _ApiError(Exception):
    """Raised inside method handlers; turned into Telegram's error JSON by the dispatcher."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


@dataclass
class Call:
    """One HTTP request the bot made to the fake.

    ``params`` are decoded the way Telegram would see them: JSON-encoded fields (ints,
    bools, reply_markup, allowed_updates, ...) are decoded, string fields stay strings.
    Uploaded files appear in ``files`` *and* in ``params`` under their field name as
    ``{"filename", "size", "content_type"}``. ``status`` is the HTTP status the fake
    answered (200 on success); ``result`` is the JSON ``result`` returned on success.
    """

    method: str
    params: JSON
    at: float
    files: dict[str, JSON] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    def summary(self) -> str:
        bits = [self.method]
        if "chat_id" in self.params:
            bits.append(f"chat_id={self.params['chat_id']!r}")
        for key in ("text", "data", "caption"):
            if key in self.params:
                value = str(self.params[key])
                bits.append(f"{key}={value[:60]!r}")
        bits.append("ok" if self.ok else f"{self.status} {self.error}")
        return " ".join(bits)


@dataclass
class _Fault:
    method: str
    status: int
    description: str
    parameters: JSON | None
    remaining: int | None
    chat_id: Any = None


@dataclass
class _Delay:
    method: str
    seconds: float
    remaining: int | None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parsing

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)\s*>")
_ATTR_RE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}


def _parse_html(source: str) -> tuple[str, list[JSON]]:
    """Telegram-style HTML → (plain text, entities); raises _ApiError like Telegram does."""
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[tuple[str, JSON]] = []
    pos = 0
    offset = 0  # UTF-16 offset in plain text

    def fail(reason: str) -> _ApiError:
        return _bad(f"can't parse entities: {reason} at byte offset {len(source[:pos].encode())}")

    while pos < len(source):
        ch = source[pos]
        if ch == "<":
            match = _TAG_RE.match(source, pos)
            if not match:
                raise fail("Unsupported start tag or unclosed '<'")
            closing, tag, attrs_src = match.group(1), match.group(2).lower(), match.group(3) or ""
            attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                     for m in _ATTR_RE.finditer(attrs_src)}
            if closing:
                if not stack or stack[-1][0] != tag:
                    raise fail(f'Unmatched end tag "{tag}"')
                _, entity = stack.pop()
                entity["length"] = offset - entity["offset"]
                if entity["length"] > 0 and entity["type"] != "_code_in_pre":
                    entities.append(entity)
            else:
                entity: JSON = {"offset": offset}
                if tag in _SIMPLE_TAGS:
                    entity["type"] = _SIMPLE_TAGS[tag]
                    if tag == "code" and stack and stack[-1][0] == "pre":
                        lang = attrs.get("class", "")
                        if lang.startswith("language-"):
                            stack[-1][1]["language"] = lang[len("language-"):]
                        entity["type"] = "_code_in_pre"
                elif tag == "span" and attrs.get("class") == "tg-spoiler":
                    entity["type"] = "spoiler"
                elif tag == "a":
                    href = attrs.get("href")
                    if not href:
                        raise fail("Link without href")
                    entity.update(type="text_link", url=href)
                elif tag == "blockquote":
                    entity["type"] = "expandable_blockquote" if "expandable" in attrs_src else "blockquote"
                elif tag == "tg-emoji":
                    entity.update(type="custom_emoji", custom_emoji_id=attrs.get("emoji-id", ""))
                else:
                    raise fail(f'Unsupported start tag "{tag}"')
                stack.append((tag, entity))
            pos = match.end()
            continue
        if ch == "&":
            match = _ENTITY_RE.match(source, pos)
            if match:
                name = match.group(1)
                if name.startswith("#x"):
                    decoded = chr(int(name[2:], 16))
                elif name.startswith("#"):
                    decoded = chr(int(name[1:]))
                else:
                    decoded = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name]
                out.append(decoded)
                offset += _utf16_len(decoded)
                pos = match.end()
                continue
            # Telegram tolerates a bare '&' that does not look like an entity.
        out.append(ch)
        offset += _utf16_len(ch)
        pos += 1
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def _check_markdown_v2(source: str) -> str:
    """Minimal MarkdownV2 check: catches the classic "character '.' is reserved" error.

    Returns an approximate plain text (markup characters and escapes removed); entities
    are not computed.
    """
    # Drop code blocks/spans and link targets, where reserved chars need no escaping.
    stripped = re.sub(r"```.*?```|`[^`]*`", "", source, flags=re.S)
    stripped = re.sub(r"\]\((?:[^)\\]|\\.)*\)", "]", stripped)
    i = 0
    while i < len(stripped):
        ch = stripped[i]
        if ch == "\\":
            i += 2
            continue
        if ch in ".!#+-={}" or (ch == ">" and i > 0 and stripped[i - 1] != "\n"):
            raise _bad(
                f"can't parse entities: Character '{ch}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        i += 1
    plain = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*_~|`]", "", source))
    return plain


# --------------------------------------------------------------------------- the fake


class FakeTelegram:
    """In-process fake of api.telegram.org, driven by the real PTB client.

    Not thread-safe; use it from the test's event loop. Push helpers are synchronous
    (they only enqueue); the server side answers the bot asynchronously.
    """

    token: str = "123456789:FAKE-token-for-tests"

    def __init__(self, *, strict_chats: bool = True, bot_username: str = "puente_test_bot") -> None:
        self.strict_chats = strict_chats
        self.bot_user: JSON = {
            "id": int(self.token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Puente Test",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port: int = 0
        self.calls: list[Call] = []
        self.updates: list[JSON] = []  # every update ever pushed (for inspection)
        self.unsupported: list[str] = []
        #: Exceptions raised inside the app's handlers (filled by running_app).
        self.handler_errors: list[BaseException] = []
        self.commands: dict[str, list[JSON]] = {}
        self.menu_buttons: dict[Any, JSON] = {}
        self.webhook_url: str = ""
        self._pending: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._topic_ids: dict[int, itertools.count[int]] = {}
        self._known_callbacks: set[str] = set()
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, JSON] = {}
        self._messages: dict[int, dict[int, JSON]] = {}
        self._next_message_id: dict[int, int] = {}
        self._members: dict[tuple[int, int], JSON] = {}
        self._seen_in_chat: dict[int, set[int]] = {}
        self._left_chats: set[int] = set()
        self._blocked: set[int] = set()
        self._removed: dict[int, tuple[int, str]] = {}
        self._faults: list[_Fault] = []
        self._delays: list[_Delay] = []
        self._files: dict[str, JSON] = {}
        self._poll_generation = 0
        self._closing = False
        self._update_signal = asyncio.Event()
        self._call_signal = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_url(...)``; PTB appends ``<token>/<method>``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_file_url(...)`` so File.download_* hits the fake."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/file/{bot_token}/{path:.*}", self._handle_file)
        app.router.add_route("*", "/{bot_token}/{method}", self._handle)
        # handler_cancellation: when PTB gives up (TimedOut) or cancels a long poll on stop,
        # the server-side handler is cancelled instead of lingering until its timeout.
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)  # port 0: the OS picks a free one
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ inspection

    def mark(self) -> int:
        """Index of the next call; pass as ``since=`` to wait_for/sent to ignore older calls."""
        return len(self.calls)

    def calls_to(self, method: str, *, chat_id: Any = None, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if self._matches(c, method, chat_id)]

    def sent(self, method: str = "sendMessage", chat_id: Any = None, *, since: int = 0) -> list[JSON]:
        """Params of *successful* calls to ``method`` (optionally to one chat)."""
        return [c.params for c in self.calls_to(method, chat_id=chat_id, since=since) if c.ok]

    async def wait_for(
        self,
        method: str,
        *,
        chat_id: Any = None,
        count: int = 1,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,
        since: int = 0,
    ) -> list[Call]:
        """Wait until at least ``count`` matching calls happened; return all matching calls.

        Failed attempts (injected faults) count too — filter with ``predicate=lambda c: c.ok``
        when you need delivered messages only. Raises AssertionError listing the calls seen.
        """
        deadline = time.monotonic() + timeout
        while True:
            signal = self._call_signal
            found = [
                c
                for c in self.calls_to(method, chat_id=chat_id, since=since)
                if predicate is None or predicate(c)
            ]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._timeout_report(method, chat_id, count, len(found), timeout))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    async def wait_idle(self, quiet: float = 0.1, timeout: float = 5.0) -> None:
        """Wait until no non-getUpdates call arrived for ``quiet`` seconds (handlers settled).

        While an app is polling, also waits until every pushed update has been confirmed.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len([c for c in self.calls if c.method != "getUpdates"])
            await asyncio.sleep(quiet)
            polling = any(c.method == "getUpdates" for c in self.calls)
            unconfirmed = polling and bool(self._pending)
            if len([c for c in self.calls if c.method != "getUpdates"]) == before and not unconfirmed:
                return
        raise AssertionError("fake Telegram never went idle")

    def messages_in(self, chat_id: int, *, from_bot: bool | None = None) -> list[JSON]:
        """All current messages in a chat (user pushes and bot sends), oldest first."""
        msgs = list(self._messages.get(chat_id, {}).values())
        if from_bot is not None:
            msgs = [m for m in msgs if (m.get("from", {}).get("id") == self.bot_user["id"]) == from_bot]
        return copy.deepcopy(msgs)

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        msg = self._messages.get(chat_id, {}).get(message_id)
        return copy.deepcopy(msg) if msg is not None else None

    def last_sent(self, chat_id: int) -> JSON:
        """The newest message the bot sent to ``chat_id`` (AssertionError if none)."""
        msgs = self.messages_in(chat_id, from_bot=True)
        if not msgs:
            raise AssertionError(f"bot sent nothing to chat {chat_id}")
        return msgs[-1]

    def _timeout_report(self, method: str, chat_id: Any, count: int, got: int, timeout: float) -> str:
        lines = [
            f"timed out after {timeout}s waiting for {count}x {method}"
            + (f" to chat {chat_id!r}" if chat_id is not None else "")
            + f" (matched {got}). Calls seen (getUpdates omitted):"
        ]
        lines += [f"  {c.summary()}" for c in self.calls if c.method != "getUpdates"] or ["  (none)"]
        if self.unsupported:
            lines.append(f"Unsupported methods called: {sorted(set(self.unsupported))}")
        if self.handler_errors:
            lines.append("Handler errors: " + "; ".join(repr(e) for e in self.handler_errors))
        return "\n".join(lines)

    @staticmethod
    def _matches(call: Call, method: str, chat_id: Any) -> bool:
        return call.method.lower() == method.lower() and (chat_id is None or call.chat_id == chat_id)

    # ------------------------------------------------------------------ fault injection

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        times: int | None = 1,
        chat_id: Any = None,
        parameters: JSON | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` (None = all, until clear_faults) fail.

        429 adds ``parameters.retry_after`` (→ telegram.error.RetryAfter). Other useful
        statuses: 400 (BadRequest), 403 (Forbidden), 500/502 (NetworkError), 409 (Conflict).
        """
        defaults = {
            429: f"Too Many Requests: retry after {retry_after}",
            400: "Bad Request: injected failure",
            403: "Forbidden: bot was blocked by the user",
            409: "Conflict: terminated by other getUpdates request",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }
        if status == 429 and parameters is None:
            parameters = {"retry_after": retry_after}
        self._faults.append(
            _Fault(
                method=method.lower(),
                status=status,
                description=description or defaults.get(status, f"Error {status}"),
                parameters=parameters,
                remaining=times,
                chat_id=chat_id,
            )
        )

    def delay(self, method: str, seconds: float, times: int | None = 1) -> None:
        """Answer the next ``times`` calls to ``method`` only after ``seconds``.

        The call's effect (e.g. the message being stored) happens immediately, like a real
        slow Telegram response: a bot that gets TimedOut may have delivered the message.
        """
        self._delays.append(_Delay(method.lower(), seconds, times))

    def clear_faults(self) -> None:
        self._faults.clear()
        self._delays.clear()

    def block_user(self, chat_id: int) -> None:
        """All sends to this private chat → 403 "Forbidden: bot was blocked by the user"."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def remove_chat(self, chat_id: int, *, kicked: bool = False) -> None:
        """Chat vanishes: 400 "chat not found", or with kicked=True 403 "bot was kicked"."""
        if kicked:
            kind = self._chats.get(chat_id, {}).get("type", "group")
            self._removed[chat_id] = (403, f"Forbidden: bot was kicked from the {kind} chat")
        else:
            self._removed[chat_id] = (400, "Bad Request: chat not found")

    def restore_chat(self, chat_id: int) -> None:
        self._removed.pop(chat_id, None)
        self._left_chats.discard(chat_id)

    # ------------------------------------------------------------------ world building

    def user(
        self,
        id: int,
        first_name: str = "Test",
        language_code: str | None = "es",
        is_bot: bool = False,
        *,
        username: str | None = None,
        last_name: str | None = None,
    ) -> JSON:
        """A Telegram User dict; also registers the user's private chat with the bot."""
        user: JSON = {"id": id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[id] = user
        self.private_chat(user)
        return copy.deepcopy(user)

    def private_chat(self, user: JSON) -> JSON:
        chat: JSON = {"id": user["id"], "type": "private", "first_name": user.get("first_name", "")}
        for key in ("last_name", "username"):
            if user.get(key):
                chat[key] = user[key]
        self._register_chat(chat)
        return copy.deepcopy(chat)

    def group(
        self,
        id: int = -1001000000001,
        title: str = "Puente staff",
        forum: bool = False,
        *,
        type: str = "supergroup",
        username: str | None = None,
    ) -> JSON:
        """A (super)group chat dict. A positive ``id`` is converted to the -100… form."""
        if id > 0:
            id = -(1_000_000_000_000 + id) if type == "supergroup" else -id
        chat: JSON = {"id": id, "type": type, "title": title}
        if forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        self._register_chat(chat)
        return copy.deepcopy(chat)

    def set_member(self, chat_id: int, user: JSON | int, status: str = "member", **fields: Any) -> None:
        """Configure getChatMember for (chat, user): creator/administrator/member/restricted/left/kicked."""
        user_id = user if isinstance(user, int) else user["id"]
        self._members[(chat_id, user_id)] = {"status": status, **fields}

    def register_file(self, content: bytes, *, kind: str = "document", **meta: Any) -> str:
        """Store bytes under a new file_id that getFile/downloads will serve."""
        file_id = f"FAKE-{kind}-{next(self._file_ids)}"
        self._files[file_id] = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(content),
            "file_path": f"{kind}s/{file_id}",
            "content": content,
            **meta,
        }
        return file_id

    def _register_chat(self, chat: JSON) -> None:
        self._chats[chat["id"]] = chat
        self._messages.setdefault(chat["id"], {})

    def _chat_or_fail(self, chat_id: Any) -> JSON:
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                for chat in self._chats.values():
                    if chat.get("username", "").lower() == chat_id[1:].lower():
                        return chat
                raise _bad("chat not found")
            try:
                chat_id = int(chat_id)
            except ValueError:
                raise _bad("chat not found") from None
        if not isinstance(chat_id, int):
            raise _bad("chat_id is empty" if chat_id is None else "chat not found")
        if chat_id in self._removed:
            status, description = self._removed[chat_id]
            raise _ApiError(status, description)
        chat = self._chats.get(chat_id)
        if chat is None:
            if self.strict_chats:
                raise _bad("chat not found")
            chat = (
                {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
                if chat_id > 0
                else {"id": chat_id, "type": "supergroup", "title": f"Chat {chat_id}"}
            )
            self._register_chat(chat)
        return chat

    def _user_dict(self, user_id: int) -> JSON:
        if user_id == self.bot_user["id"]:
            return self._bot_from()
        default = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        return copy.deepcopy(self._users.get(user_id, default))

    def _bot_from(self) -> JSON:
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    def _new_message(self, chat: JSON, sender: JSON, fields: JSON) -> JSON:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        msg: JSON = {
            "message_id": message_id,
            "from": copy.deepcopy(sender),
            "chat": copy.deepcopy(chat),
            "date": int(time.time()),
        }
        msg.update({k: v for k, v in fields.items() if v is not None})
        self._messages.setdefault(chat_id, {})[message_id] = msg
        return copy.deepcopy(msg)

    def _embed_reply(self, chat: JSON, target: JSON | int | None, *, allow_missing: bool = False) -> JSON | None:
        if target is None:
            return None
        message_id = target if isinstance(target, int) else target["message_id"]
        replied = self._messages.get(chat["id"], {}).get(message_id)
        if replied is None:
            if allow_missing:
                return None
            raise _bad("message to be replied not found")
        embedded = copy.deepcopy(replied)
        embedded.pop("reply_to_message", None)
        return embedded

    # ------------------------------------------------------------------ update factories

    def push_raw(self, update: JSON) -> JSON:
        """Enqueue an arbitrary update dict (update_id assigned when missing)."""
        update = copy.deepcopy(update)
        update.setdefault("update_id", next(self._update_ids))
        self._pending.append(update)
        self.updates.append(update)
        self._wake_pollers()
        return copy.deepcopy(update)

    def _push_message(
        self,
        user: JSON,
        chat: JSON | None,
        fields: JSON,
        *,
        reply_to: JSON | int | None = None,
        thread_id: int | None = None,
        edited: bool = False,
    ) -> JSON:
        self._users.setdefault(user["id"], copy.deepcopy(user))
        if chat is None:
            chat = self._chats.get(user["id"]) or self.private_chat(user)
        else:
            self._chats.setdefault(chat["id"], copy.deepcopy(chat))
            self._messages.setdefault(chat["id"], {})
        chat = self._chats[chat["id"]]
        self._seen_in_chat.setdefault(chat["id"], set()).add(user["id"])
        extra = dict(fields)
        reply = self._embed_reply(chat, reply_to)
        if reply is not None:
            extra["reply_to_message"] = reply
            if thread_id is None and reply.get("message_thread_id"):
                thread_id = reply["message_thread_id"]
        if thread_id is not None:
            extra["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                extra["is_topic_message"] = True
        if edited:
            extra["edit_date"] = int(time.time())
        msg = self._new_message(chat, user, extra)
        self.push_raw({"edited_message" if edited else "message": msg})
        return msg

    def push_service(self, user: JSON, chat: JSON, fields: JSON) -> JSON:
        """A service message in ``chat`` (e.g. ``{"migrate_from_chat_id": -4001}`` after an upgrade)."""
        return self._push_message(user, chat, fields)

    def push_text(
        self,
        user: JSON,
        text: str,
        chat: JSON | None = None,
        *,
        reply_to: JSON | int | None = None,
        thread_id: int | None = None,
        entities: list[JSON] | None = None,
        edited: bool = False,
    ) -> JSON:
        """A user's text message (private chat by default). Leading /command gets an entity.

        Returns the Message dict (use its message_id / pass it as reply_to later).
        """
        if entities is None and text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        fields: JSON = {"text": text}
        if entities:
            fields["entities"] = entities
        return self._push_message(user, chat, fields, reply_to=reply_to, thread_id=thread_id, edited=edited)

    def push_edit(self, message: JSON, text: str, *, field: str = "text") -> JSON:
        """An ``edited_message`` update for an earlier user message (same message_id); ``field``
        "caption" edits a photo's caption."""
        stored = self._messages[message["chat"]["id"]][message["message_id"]]
        stored[field] = text
        stored["edit_date"] = int(time.time())
        self.push_raw({"edited_message": copy.deepcopy(stored)})
        return copy.deepcopy(stored)

    def push_command(
        self,
        user: JSON,
        command: str,
        args: str = "",
        chat: JSON | None = None,
        *,
        mention_bot: bool = False,
        thread_id: int | None = None,
    ) -> JSON:
        """``/command args`` (``command`` with or without the slash; optional @botname)."""
        command = command.lstrip("/")
        if mention_bot:
            command += f"@{self.bot_user['username']}"
        text = f"/{command}" + (f" {args}" if args else "")
        return self.push_text(user, text, chat, thread_id=thread_id)

    def push_callback(
        self,
        user: JSON,
        data: str,
        message: JSON,
        *,
        chat_instance: str | None = None,
    ) -> JSON:
        """A callback_query from pressing an inline button on ``message`` (a bot message).

        The current stored version of the message is attached (so edits are reflected).
        Returns the CallbackQuery dict; its ``id`` is accepted by answerCallbackQuery.
        """
        self._users.setdefault(user["id"], copy.deepcopy(user))
        chat_id = message["chat"]["id"]
        current = self._messages.get(chat_id, {}).get(message["message_id"], message)
        query_id = f"{next(self._callback_ids)}{user['id']}"
        self._known_callbacks.add(query_id)
        query: JSON = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(current),
            "chat_instance": chat_instance or f"ci{chat_id}",
            "data": data,
        }
        self.push_raw({"callback_query": query})
        return copy.deepcopy(query)

    def push_sticker(self, user: JSON, chat: JSON | None = None, *, emoji: str = "👍") -> JSON:
        file_id = self.register_file(b"RIFF-fake-webp", kind="sticker")
        sticker = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_message(user, chat, {"sticker": sticker})

    def push_photo(
        self,
        user: JSON,
        chat: JSON | None = None,
        *,
        caption: str | None = None,
        content: bytes = b"\x89PNG-fake",
        reply_to: JSON | int | None = None,
    ) -> JSON:
        file_id = self.register_file(content, kind="photo")
        sizes = [
            {"file_id": f"{file_id}", "file_unique_id": f"U{file_id}", "width": w, "height": w,
             "file_size": len(content)}
            for w in (90, 320)
        ]
        return self._push_message(user, chat, {"photo": sizes, "caption": caption}, reply_to=reply_to)

    def push_voice(
        self, user: JSON, chat: JSON | None = None, *, duration: int = 3, content: bytes = b"OggS-fake"
    ) -> JSON:
        file_id = self.register_file(content, kind="voice")
        voice = {"file_id": file_id, "file_unique_id": f"U{file_id}", "duration": duration,
                 "mime_type": "audio/ogg", "file_size": len(content)}
        return self._push_message(user, chat, {"voice": voice})

    def push_document(
        self,
        user: JSON,
        chat: JSON | None = None,
        *,
        file_name: str = "documento.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        content: bytes = b"%PDF-1.4 fake",
    ) -> JSON:
        file_id = self.register_file(content, kind="document")
        doc = {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_name": file_name,
               "mime_type": mime_type, "file_size": len(content)}
        return self._push_message(user, chat, {"document": doc, "caption": caption})

    def push_location(
        self, user: JSON, chat: JSON | None = None, *, latitude: float = 14.6349, longitude: float = -90.5069
    ) -> JSON:
        return self._push_message(user, chat, {"location": {"latitude": latitude, "longitude": longitude}})

    # ------------------------------------------------------------------ HTTP plumbing

    def _wake_pollers(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _notify_call(self) -> None:
        self._call_signal.set()
        self._call_signal = asyncio.Event()

    @staticmethod
    def _decode(name: str, value: str) -> Any:
        if name in _STRING_FIELDS:
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value

    async def _read_params(self, request: web.Request) -> tuple[JSON, dict[str, JSON]]:
        params: JSON = {}
        files: dict[str, JSON] = {}
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            return dict(body or {}), files
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                content = value.file.read()
                info = {"filename": value.filename, "size": len(content), "content_type": value.content_type}
                files[name] = {**info, "content": content}
                params[name] = info
            else:
                params[name] = self._decode(name, str(value))
        for key, value in request.query.items():
            params.setdefault(key, self._decode(key, value))
        return params, files

    @staticmethod
    def _json_response(status: int, payload: JSON) -> web.Response:
        return web.json_response(payload, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["bot_token"] != f"bot{self.token}":
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        for meta in self._files.values():
            if meta["file_path"] == path:
                return web.Response(body=meta["content"], content_type="application/octet-stream")
        return web.Response(status=404, text="Not Found")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params, files = await self._read_params(request)
        call = Call(method=method, params=params, at=time.monotonic(),
                    files={k: {kk: vv for kk, vv in v.items() if kk != "content"} for k, v in files.items()})
        self.calls.append(call)
        self._notify_call()
        if request.match_info["bot_token"] != f"bot{self.token}":
            return self._finish(call, _ApiError(401, "Unauthorized"))
        try:
            fault = self._take_fault(method, params)
            if fault is not None:
                raise _ApiError(fault.status, fault.description, fault.parameters)
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                self.unsupported.append(method)
                raise _bad(f"method not supported by fake: {method}")
            self._check_chat_access(method.lower(), params)
            result = await handler(params, files)
        except _ApiError as exc:
            response = self._finish(call, exc)
        except asyncio.CancelledError:
            call.status, call.error = 499, "client disconnected"
            raise
        else:
            response = self._finish(call, result)
        delay = self._take_delay(method)
        if delay:
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                call.error = (call.error or "") + " (client gave up waiting)"
                raise
        return response

    def _finish(self, call: Call, outcome: Any) -> web.Response:
        if isinstance(outcome, _ApiError):
            call.status, call.error = outcome.status, outcome.description
            payload: JSON = {"ok": False, "error_code": outcome.status, "description": outcome.description}
            if outcome.parameters:
                payload["parameters"] = outcome.parameters
            self._notify_call()
            return self._json_response(outcome.status, payload)
        call.result = outcome
        self._notify_call()
        return self._json_response(200, {"ok": True, "result": outcome})

    def _take_fault(self, method: str, params: JSON) -> _Fault | None:
        for fault in self._faults:
            if fault.method != method.lower():
                continue
            if fault.chat_id is not None and params.get("chat_id") != fault.chat_id:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            return fault
        return None

    def _take_delay(self, method: str) -> float:
        for rule in self._delays:
            if rule.method == method.lower():
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining <= 0:
                        self._delays.remove(rule)
                return rule.seconds
        return 0.0

    def _check_chat_access(self, method: str, params: JSON) -> None:
        chat_id = params.get("chat_id")
        if chat_id is None or method not in _SEND_METHODS:
            return
        if chat_id in self._removed:
            status, description = self._removed[chat_id]
            raise _ApiError(status, description)
        if chat_id in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self._left_chats:
            kind = self._chats.get(chat_id, {}).get("type", "group")
            raise _ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")

    # ------------------------------------------------------------------ text helpers

    def _render_text(self, params: JSON, key: str, entities_key: str, limit: int) -> JSON:
        """Apply parse_mode like Telegram: plain text + entities; enforce length limits."""
        raw = params.get(key)
        if raw is None:
            return {}
        raw = str(raw)
        parse_mode = (params.get("parse_mode") or "").lower()
        entities = params.get(entities_key)
        if parse_mode == "html":
            plain, entities = _parse_html(raw)
        elif parse_mode == "markdownv2":
            plain = _check_markdown_v2(raw)
        else:
            plain = raw
        if key == "text" and not plain.strip():
            raise _bad("message text is empty")
        if _utf16_len(plain) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        out: JSON = {key: plain}
        if entities:
            out[entities_key] = entities
        return out

    @staticmethod
    def _inline_markup(params: JSON) -> JSON | None:
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise _bad("text buttons are unallowed in the inline keyboard")
        return markup if markup["inline_keyboard"] else None

    def _send(self, params: JSON, fields: JSON) -> JSON:
        chat = self._chat_or_fail(params.get("chat_id"))
        extra = dict(fields)
        reply_params = params.get("reply_parameters")
        target: int | None = None
        allow_missing = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply_params, dict):
            target = reply_params.get("message_id")
            allow_missing = allow_missing or bool(reply_params.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") is not None:
            target = params["reply_to_message_id"]
        reply = self._embed_reply(chat, target, allow_missing=allow_missing)
        thread_id = params.get("message_thread_id")
        if reply is not None:
            extra["reply_to_message"] = reply
            if thread_id is None:
                thread_id = reply.get("message_thread_id")
        if thread_id is not None:
            extra["message_thread_id"] = thread_id
            if chat.get("is_forum"):
                extra["is_topic_message"] = True
        markup = self._inline_markup(params)
        if markup is not None:
            extra["reply_markup"] = markup
        return self._new_message(chat, self._bot_from(), extra)

    def _stored(self, params: JSON) -> JSON:
        chat = self._chat_or_fail(params.get("chat_id"))
        msg = self._messages.get(chat["id"], {}).get(params.get("message_id"))  # type: ignore[arg-type]
        if msg is None:
            raise _bad("message to edit not found")
        return msg

    def _media_object(self, kind: str, params: JSON, files: dict[str, JSON]) -> Any:
        upload = files.get(kind)
        ref = params.get(kind)
        if upload is not None:
            file_id = self.register_file(upload["content"], kind=kind)
            size, name, mime = upload["size"], upload["filename"], upload["content_type"]
        elif isinstance(ref, str) and ref.startswith("attach://"):
            attached = files.get(ref[len("attach://"):])
            if attached is None:
                raise _bad(f"wrong file identifier/HTTP URL specified ({ref})")
            file_id = self.register_file(attached["content"], kind=kind)
            size, name, mime = attached["size"], attached["filename"], attached["content_type"]
        elif isinstance(ref, str) and (ref in self._files or ref.startswith(("http://", "https://"))):
            meta = self._files.get(ref) or {}
            file_id = ref if ref in self._files else self.register_file(b"", kind=kind)
            size, name, mime = meta.get("file_size", 0), meta.get("file_name", "file"), meta.get("mime_type")
        else:
            raise _bad("wrong file identifier/HTTP URL specified")
        base = {"file_id": file_id, "file_unique_id": f"U{file_id}", "file_size": size}
        if kind == "photo":
            return [{**base, "width": 90, "height": 90}, {**base, "width": 800, "height": 800}]
        if kind == "document":
            return {**base, "file_name": name or "document", "mime_type": mime or "application/octet-stream"}
        if kind == "voice":
            return {**base, "duration": int(params.get("duration") or 1), "mime_type": "audio/ogg"}
        return {**base, "type": "regular", "width": 512, "height": 512, "is_animated": False,
                "is_video": False, "emoji": params.get("emoji") or "🙂"}

    # ------------------------------------------------------------------ Bot API methods
    # Each _m_<lowercased method>(params, files) returns the JSON ``result``.

    async def _m_getme(self, params: JSON, files: dict[str, JSON]) -> Any:
        return copy.deepcopy(self.bot_user)

    async def _m_logout(self, params: JSON, files: dict[str, JSON]) -> Any:
        return True

    async def _m_close(self, params: JSON, files: dict[str, JSON]) -> Any:
        return True

    async def _m_deletewebhook(self, params: JSON, files: dict[str, JSON]) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setwebhook(self, params: JSON, files: dict[str, JSON]) -> Any:
        self.webhook_url = str(params.get("url", ""))
        return True

    async def _m_getwebhookinfo(self, params: JSON, files: dict[str, JSON]) -> Any:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._pending)}

    async def _m_getupdates(self, params: JSON, files: dict[str, JSON]) -> Any:
        if self.webhook_url:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                 "use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or None
        # Telegram semantics: an offset confirms (forgets) every update below it.
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older long poll still waiting gets 409, as on Telegram
        deadline = time.monotonic() + timeout

        def deliverable() -> list[JSON]:
            ups = self._pending
            if allowed:
                ups = [u for u in ups if any(k in u for k in allowed)]
            return copy.deepcopy(ups[:limit])

        while True:
            signal = self._update_signal
            ready = deliverable()
            if ready or self._closing:
                return ready
            if generation != self._poll_generation:
                raise _ApiError(409, "Conflict: terminated by other getUpdates request; "
                                     "make sure that only one bot instance is running")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    async def _m_sendmessage(self, params: JSON, files: dict[str, JSON]) -> Any:
        self._chat_or_fail(params.get("chat_id"))
        fields = self._render_text(params, "text", "entities", 4096)
        if not fields:
            raise _bad("message text is empty")
        return self._send(params, fields)

    async def _send_media(self, method: str, params: JSON, files: dict[str, JSON]) -> Any:
        self._chat_or_fail(params.get("chat_id"))
        kind = _MEDIA_KINDS[method]
        fields: JSON = {kind: self._media_object(kind, params, files)}
        if kind != "sticker":
            fields.update(self._render_text(params, "caption", "caption_entities", 1024))
        return self._send(params, fields)

    async def _m_sendphoto(self, params: JSON, files: dict[str, JSON]) -> Any:
        return await self._send_media("sendphoto", params, files)

    async def _m_senddocument(self, params: JSON, files: dict[str, JSON]) -> Any:
        return await self._send_media("senddocument", params, files)

    async def _m_sendvoice(self, params: JSON, files: dict[str, JSON]) -> Any:
        return await self._send_media("sendvoice", params, files)

    async def _m_sendsticker(self, params: JSON, files: dict[str, JSON]) -> Any:
        return await self._send_media("sendsticker", params, files)

    async def _m_sendlocation(self, params: JSON, files: dict[str, JSON]) -> Any:
        self._chat_or_fail(params.get("chat_id"))
        location = {"latitude": params.get("latitude"), "longitude": params.get("longitude")}
        return self._send(params, {"location": location})

    async def _m_editmessagetext(self, params: JSON, files: dict[str, JSON]) -> Any:
        if params.get("inline_message_id"):
            return True
        msg = self._stored(params)
        fields = self._render_text(params, "text", "entities", 4096)
        if not fields:
            raise _bad("message text is empty")
        markup = self._inline_markup(params)
        if (
            msg.get("text") == fields["text"]
            and msg.get("entities") == fields.get("entities")
            and msg.get("reply_markup") == markup
        ):
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        msg["text"] = fields["text"]
        msg.pop("entities", None)
        if fields.get("entities"):
            msg["entities"] = fields["entities"]
        self._set_markup(msg, markup)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    async def _m_editmessagecaption(self, params: JSON, files: dict[str, JSON]) -> Any:
        if params.get("inline_message_id"):
            return True
        msg = self._stored(params)
        fields = self._render_text(params, "caption", "caption_entities", 1024)
        markup = self._inline_markup(params)
        if msg.get("caption") == fields.get("caption") and msg.get("reply_markup") == markup:
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        msg.pop("caption", None)
        msg.pop("caption_entities", None)
        msg.update(fields)
        self._set_markup(msg, markup)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    async def _m_editmessagereplymarkup(self, params: JSON, files: dict[str, JSON]) -> Any:
        if params.get("inline_message_id"):
            return True
        msg = self._stored(params)
        markup = self._inline_markup(params)
        if msg.get("reply_markup") == markup:
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        self._set_markup(msg, markup)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    @staticmethod
    def _set_markup(msg: JSON, markup: JSON | None) -> None:
        if markup is None:
            msg.pop("reply_markup", None)
        else:
            msg["reply_markup"] = markup

    async def _m_deletemessage(self, params: JSON, files: dict[str, JSON]) -> Any:
        chat = self._chat_or_fail(params.get("chat_id"))
        if self._messages.get(chat["id"], {}).pop(params.get("message_id"), None) is None:  # type: ignore[arg-type]
            raise _bad("message to delete not found")
        return True

    async def _m_answercallbackquery(self, params: JSON, files: dict[str, JSON]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._known_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        return True

    @staticmethod
    def _commands_key(params: JSON) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)

    async def _m_setmycommands(self, params: JSON, files: dict[str, JSON]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("commands must be a JSON array")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise _bad("command description is empty" if not cmd.get("description")
                           else "BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = copy.deepcopy(commands)
        return True

    async def _m_getmycommands(self, params: JSON, files: dict[str, JSON]) -> Any:
        return copy.deepcopy(self.commands.get(self._commands_key(params), []))

    async def _m_deletemycommands(self, params: JSON, files: dict[str, JSON]) -> Any:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _m_setchatmenubutton(self, params: JSON, files: dict[str, JSON]) -> Any:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button") or {"type": "default"}
        return True

    async def _m_sendchataction(self, params: JSON, files: dict[str, JSON]) -> Any:
        self._chat_or_fail(params.get("chat_id"))
        return True

    async def _m_copymessage(self, params: JSON, files: dict[str, JSON]) -> Any:
        source_chat = self._chat_or_fail(params.get("from_chat_id"))
        source = self._messages.get(source_chat["id"], {}).get(params.get("message_id"))  # type: ignore[arg-type]
        if source is None:
            raise _bad("message to copy not found")
        fields = {
            k: copy.deepcopy(v)
            for k, v in source.items()
            if k in {"text", "entities", "photo", "document", "voice", "sticker", "location",
                     "caption", "caption_entities"}
        }
        if "caption" in params:
            fields.pop("caption_entities", None)
            fields.update(self._render_text(params, "caption", "caption_entities", 1024))
        msg = self._send(params, fields)
        return {"message_id": msg["message_id"]}

    async def _m_forwardmessage(self, params: JSON, files: dict[str, JSON]) -> Any:
        source_chat = self._chat_or_fail(params.get("from_chat_id"))
        source = self._messages.get(source_chat["id"], {}).get(params.get("message_id"))  # type: ignore[arg-type]
        if source is None:
            raise _bad("message to forward not found")
        fields = {
            k: copy.deepcopy(v)
            for k, v in source.items()
            if k not in {"message_id", "from", "chat", "date", "reply_to_message", "message_thread_id",
                         "is_topic_message", "edit_date", "reply_markup"}
        }
        sender = source.get("from") or {}
        fields["forward_origin"] = {"type": "user", "sender_user": copy.deepcopy(sender), "date": source["date"]}
        return self._send(params, fields)

    async def _m_leavechat(self, params: JSON, files: dict[str, JSON]) -> Any:
        chat = self._chat_or_fail(params.get("chat_id"))
        if chat["type"] == "private":
            raise _bad("chat member status can't be changed in private chats")
        self._left_chats.add(chat["id"])
        return True

    async def _m_getchat(self, params: JSON, files: dict[str, JSON]) -> Any:
        chat = copy.deepcopy(self._chat_or_fail(params.get("chat_id")))
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return chat

    async def _m_getchatmember(self, params: JSON, files: dict[str, JSON]) -> Any:
        chat = self._chat_or_fail(params.get("chat_id"))
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise _bad("invalid user_id specified")
        override = self._members.get((chat["id"], user_id))
        if override is not None:
            status, extra = override["status"], {k: v for k, v in override.items() if k != "status"}
        elif chat["type"] == "private":
            if user_id not in (chat["id"], self.bot_user["id"]):
                raise _bad("user not found")
            status, extra = "member", {}
        elif user_id == self.bot_user["id"]:
            status, extra = ("left" if chat["id"] in self._left_chats else "member"), {}
        else:
            status = "member" if user_id in self._seen_in_chat.get(chat["id"], set()) else "left"
            extra = {}
        return self._chat_member(status, self._user_dict(user_id), extra)

    @staticmethod
    def _chat_member(status: str, user: JSON, extra: JSON) -> JSON:
        member: JSON = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
                can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
                can_change_info=True, can_invite_users=True, can_post_stories=False,
                can_edit_stories=False, can_delete_stories=False, can_pin_messages=True,
                can_manage_topics=True,
            )
        elif status == "restricted":
            member.update(
                is_member=True, can_change_info=False, can_invite_users=False, can_pin_messages=False,
                can_send_messages=False, can_send_polls=False, can_send_other_messages=False,
                can_add_web_page_previews=False, can_manage_topics=False, until_date=0,
                can_send_audios=False, can_send_documents=False, can_send_photos=False,
                can_send_videos=False, can_send_video_notes=False, can_send_voice_notes=False,
                can_edit_tag=False, can_react_to_messages=False,
            )
        elif status == "kicked":
            member["until_date"] = 0
        member.update(extra)
        return member

    async def _m_createforumtopic(self, params: JSON, files: dict[str, JSON]) -> Any:
        chat = self._chat_or_fail(params.get("chat_id"))
        if not chat.get("is_forum"):
            raise _bad("the chat is not a forum")
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise _bad("TOPIC_TITLE_EMPTY" if not name else "TOPIC_TITLE_TOO_LONG")
        # Telegram uses the id of the service message that opened the topic.
        thread_id = self._next_message_id.get(chat["id"], 1)
        self._new_message(chat, self._bot_from(), {"forum_topic_created": {"name": name, "icon_color": 7322096}})
        self._messages[chat["id"]][thread_id]["message_thread_id"] = thread_id
        return {"message_thread_id": thread_id, "name": name,
                "icon_color": int(params.get("icon_color") or 7322096)}

    async def _m_getfile(self, params: JSON, files: dict[str, JSON]) -> Any:
        meta = self._files.get(str(params.get("file_id")))
        if meta is None:
            raise _bad("invalid file_id")
        return {k: meta[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}


# --------------------------------------------------------------------------- harness


@contextlib.asynccontextmanager
async def running_app(
    app: Any,
    fake: FakeTelegram,
    *,
    poll_timeout: float = 1.0,
    allowed_updates: Iterable[str] | None = None,
    drop_pending_updates: bool = False,
    raise_handler_errors: bool = True,
) -> AsyncIterator[Any]:
    """Run a real ``telegram.ext.Application`` against ``fake`` like run_polling would.

    Order mirrors Application.run_polling: initialize → post_init → start_polling → start,
    and on exit updater.stop → stop → post_stop → shutdown → post_shutdown (run_polling is
    not used because it owns the event loop and installs signal handlers).

    With ``raise_handler_errors`` (default) and no error handler of the app's own, handler
    exceptions are collected into ``fake.handler_errors`` (shown in wait_for timeouts) and
    re-raised on exit so a crashing handler cannot pass silently.
    """
    if not str(app.bot.base_url).startswith(fake.base_url):
        raise AssertionError(f"app.bot.base_url {app.bot.base_url!r} does not point at the fake {fake.base_url!r}")

    collector = None
    if raise_handler_errors and not app.error_handlers:

        async def collector(update: object, context: Any) -> None:
            fake.handler_errors.append(context.error)

        app.add_error_handler(collector)

    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=dtm.timedelta(seconds=poll_timeout),
            allowed_updates=list(allowed_updates) if allowed_updates is not None else None,
            drop_pending_updates=drop_pending_updates,
            # as run_polling does: a failed poll goes to the error handlers, with no update
            error_callback=lambda exc: app.create_task(app.process_error(error=exc, update=None)),
        )
        await app.start()
        yield app
    finally:
        try:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
        finally:
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)
            if collector is not None:
                app.remove_error_handler(collector)
    if collector is not None and fake.handler_errors:
        raise fake.handler_errors[0]
