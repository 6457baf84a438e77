"""The member conversation: event in → log → match → decide → log → replies out.

Used unchanged by the Telegram handlers and by the terminal chat (``python bot.py chat``), so the
local chat is an honest preview of the bot. Nothing here imports ``telegram``.

Order of work for a question, and why:
1. the inbound message is written to SQLite first, so a crash later loses nothing;
2. the matcher decides (pure, sub-millisecond);
3. the decision, FAQ id, score and handling time are recorded on the inbound row;
4. each reply is logged as an outbound row before it is handed back for sending, and its
   Telegram message id is filled in once sent (``delivered``), so undelivered replies are visible.
"""

from __future__ import annotations

import hashlib
import html
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from conversation.replies import Button, Reply, short_label
from faq.matcher import Candidate, MatchResult
from faq.normalize import clean
from faq.render import render_answer
from faq.service import FaqService
from faq.smalltalk import asks_to_change_language, bare_none, language_asked_aside, menu_language, typed_none
from i18n import LANGUAGES, Translator
from storage import conversations as conv
from storage import tickets as tk
from storage.store import Store, atomically, fold_wal, parse_iso

log = logging.getLogger(__name__)

# What a member may send that staff can read or hear when the bot cannot (stickers are just mood).
ATTACHABLE_MEDIA = frozenset(
    {"photo", "voice", "audio", "video", "video_note", "document", "animation", "location", "contact"}
)


@dataclass(frozen=True)
class Member:
    """Who is writing. ``language_code`` is what their Telegram app reports (a hint only)."""

    id: int
    chat_id: int
    first_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class Desk(Protocol):
    """Where escalations go (the staff desk). The pipeline only asks; the desk decides how."""

    async def escalate(
        self,
        member: Member,
        *,
        lang: str,
        question: str,
        candidates: Sequence[Candidate],
        reason: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
    ) -> str:
        """Open (or add to) the member's ticket; return the notice to show the member."""
        ...

    async def follow_up(
        self,
        member: Member,
        *,
        lang: str,
        text: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
        reopen: bool = False,
        replying_to: int | None = None,
        insist: bool = False,
    ) -> str | None:
        """If the member has an open ticket, add this message to it and return the notice to show
        (``""`` for "added, say nothing"); return None when there is no open ticket. With
        ``reopen``, a ticket staff answered recently counts too (the member replies to staff).
        ``insist``: the member asks for a person; the notice is shown however recent the last."""
        ...

    async def withdraw(self, copies: Sequence[dict[str, Any]]) -> None:
        """Take a forgotten member's messages out of the staff group (see storage.tickets.staff_copies)."""
        ...

    async def answering(self, member_id: int, reply_to: int | None) -> int | None:
        """The request a member's message answers (a Reply on a staff answer, or the first message
        after staff asked something), or None."""
        ...


class NoDesk:
    """No staff group configured: escalations are recorded in the log for admins to review."""

    accepts_media = False

    async def escalate(
        self,
        member: Member,
        *,
        lang: str,
        question: str,
        candidates: Sequence[Candidate],
        reason: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
    ) -> str:
        _ = Translator(lang)
        if reason == "thumbs-down":  # the caller says "Sorry that didn't help." first
            return _(
                "I've noted it so our team can improve that answer. You can write your question in other "
                "words, or tap /menu to browse the topics."
            )
        if reason == "own-case":  # an NSS or a file number: only the institution can look it up
            return _(
                "That is about your own case, which only the institution can look up, and no one from our "
                "team reads this chat yet: please contact the institution (phone numbers and offices are "
                "under /menu)."
            )
        if reason == "danger":  # the emergency numbers were just given (Pipeline.handle_text)
            return _(
                "No one from our team reads this chat yet. Your consulate can also help you and your "
                "family, whatever your papers: its phone numbers are under /menu."
            )
        if reason == "human":  # promising "our team" would be untrue: nobody reads this chat
            return _(
                "No one from our team answers in this chat yet, so I can't pass you to a person. "
                "To talk to someone, use the institution's official contact channels (phone numbers "
                "and offices are under /menu). I can still answer questions about the topics in /menu."
            )
        if reason == "none-of-these":  # a question on the FAQ's topics that it does not answer yet
            return _(
                "Then I don't have the answer to your question yet; it is saved for the team that writes "
                "these answers. No one from our team reads this chat yet: for your own case, please contact "
                "the institution (phone numbers and offices are under /menu)."
            )
        # Anything from "mi patrono no me paga el IGSS" to the weather: no promise that it will be
        # added to the FAQ, and no "I only help with IGSS topics" to a question about the IGSS.
        return _(
            "I don't have an answer to that. For a question about your own case, please contact the "
            "institution (phone numbers and offices are under /menu). I answer questions about IGSS and "
            "IMSS topics (see /menu); for immigration, US benefits or other matters, your consulate can "
            "tell you where to go."
        )

    async def follow_up(
        self,
        member: Member,
        *,
        lang: str,
        text: str,
        kind: str = "text",
        file_id: str | None = None,
        message_id: int | None = None,
        reopen: bool = False,
        replying_to: int | None = None,
        insist: bool = False,
    ) -> str | None:
        return None

    async def withdraw(self, copies: Sequence[dict[str, Any]]) -> None:
        return None  # no staff group: nothing was posted anywhere

    async def answering(self, member_id: int, reply_to: int | None) -> int | None:
        return None  # no staff group: nobody asked the member anything


#: How long a typed number refers to the numbered questions just shown.
CHOICE_TTL_SECONDS = 1800.0
#: The same suggestion tapped again this soon is one tap reaching the bot twice, not a new request.
DOUBLE_TAP_SECONDS = 10.0
TOPIC_TTL_SECONDS = 600.0  # a follow-up this soon after an answer is about the same institution
STATED_TTL_SECONDS = 6 * 3600.0  # "soy guatemalteco" holds for the conversation, not for ever
RECALL_MESSAGES = 30  # how many of a member's recent messages a restart looks through (Pipeline._recall)
TOPICS_KEPT = 10_000  # members whose last answer's institutions are remembered

V = TypeVar("V")


class RecentPerMember(Generic[V]):
    """What was last shown to each member, for a while: newest ``kept`` members, each value
    forgotten after ``ttl`` seconds. In memory, so a message pays no query for it (a restart
    recalls it from the log once per member: Pipeline._recall), and evicting the oldest member
    is O(1), so a long-running bot pays nothing per message for it. (Numbered choices are not
    kept here: they are read from the log, see Pipeline._typed_choice.)"""

    def __init__(self, ttl: float, kept: int = TOPICS_KEPT) -> None:
        self.ttl, self.kept = ttl, kept
        self._items: OrderedDict[int, tuple[float, V]] = OrderedDict()

    def set(self, member_id: int, value: V, age: float = 0.0) -> None:
        """Keep ``value`` for ``member_id``, as if set ``age`` seconds ago (recalled from the log)."""
        self._items.pop(member_id, None)
        self._items[member_id] = (time.monotonic() - age, value)
        if len(self._items) > self.kept:
            self._items.popitem(last=False)

    def get(self, member_id: int) -> V | None:
        item = self._items.get(member_id)
        if item is None or time.monotonic() - item[0] > self.ttl:
            return None
        return item[1]

    def forget(self, member_id: int) -> None:
        self._items.pop(member_id, None)


_ORDINALS = {"primera": 1, "primero": 1, "first": 1, "segunda": 2, "segundo": 2, "second": 2,
             "tercera": 3, "tercero": 3, "third": 3, "cuarta": 4, "cuarto": 4, "fourth": 4,
             # spelled-out numbers: "la dos", "two" (a member answering staff's "¿1 o 2?" too)
             "uno": 1, "una": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3, "cuatro": 4,
             "four": 4, "cinco": 5, "five": 5, "seis": 6, "six": 6, "siete": 7, "seven": 7, "ocho": 8,
             "eight": 8, "nueve": 9, "nine": 9, "diez": 10, "ten": 10,
             "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}
_TYPED_NUMBER = re.compile(
    # "quiero la 2", "es la número 2" (session 17's review: "la numero 2" got a new list)
    r"^(?:(?:quiero|elijo|escojo|es|dame|deme|i want|i choose|i pick|give me)\s+)?(?:(?:el|la|the)\s+)?"
    r"(?:(?:pregunta|opcion|opción|option|question|number|numero|número|nro\.?|no\.?)\s*)?#?\s*"
    r"(\d{1,2}|" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
    # "the second one", "la segunda opción"
    r"(?:\s+(?:one|option|opcion|opción|pregunta|question))?"
    # "la 2 por favor", "2 gracias" (it got "let's try again, write your question in other words")
    r"(?:\s*,?\s*(?:por favor|porfavor|porfa|plis|please|pls|plz|gracias|thanks|thank you))?\s*[.)!?]*$"
)


def _choices_since() -> datetime:
    """The oldest a list of choices (or an answer) may be for a typed "2", "ninguna" or "no me
    sirvió" to refer to it."""
    return datetime.now(UTC) - timedelta(seconds=CHOICE_TTL_SECONDS)


def typed_number(text: str) -> int | None:
    """The number a message consists of ("2", "#2", "la 2", "la dos", "la segunda", "2️⃣"), or None."""
    plain = " ".join(text.casefold().replace("\ufe0f", "").replace("\u20e3", "").split())
    found = _TYPED_NUMBER.match(plain)
    if not found:
        return None
    number = found.group(1)
    return int(number) if number.isdigit() else _ORDINALS[number]


#: The 👎 button's words typed right under an answer ("no me sirvió", "esa no era mi pregunta").
_TYPED_THUMBS_DOWN = re.compile(
    r"^(?:no (?:me|nos|le) (?:sirvio|sirve|ayudo|ayuda)(?: de nada| mucho| nada)?"
    r"|(?:esa|eso|esta|esto) no (?:era|es) (?:mi pregunta|lo que (?:pregunte|pedi|buscaba|queria))"
    r"|no (?:era|es) (?:eso|esa|lo que (?:pregunte|pedi|buscaba|queria))"
    r"|(?:that|this|it) (?:didnt|did not|doesnt|does not) help(?: me)?|not helpful|no help"
    r"|(?:thats|that is|this is) not what i (?:asked|meant|wanted|was looking for)|wrong answer|respuesta equivocada)$")


def typed_thumbs_down(text: str) -> bool:
    """Whether a message is the 👎 vote typed ("👎", "no me sirvió", "that's not what I asked")."""
    return text.strip() in ("👎", "👎🏻", "👎🏽", "👎🏾") or bool(_TYPED_THUMBS_DOWN.match(clean(text)))


#: Room for the listed questions of a /menu topic (Telegram allows 4096 characters).
MENU_TEXT_BUDGET = 3800
#: A /menu topic lists this many questions per message, with "More"/"Previous" buttons: Telegram
#: refuses a keyboard of more than 100 buttons (a one-category sheet of 110 entries broke /menu),
#: and a phone shows about ten.
MENU_PAGE = 10


def category_key(slug: str) -> str:
    """A short, stable name for a category in callback data (Telegram allows 64 bytes; a category
    written in a spreadsheet may be a long label with accents)."""
    return hashlib.sha1(slug.encode("utf-8")).hexdigest()[:10]


def _start_language(payload: str | None) -> str | None:
    """The language a /start deep link asks for: ``es`` or ``en``, alone or before ``-``/``_`` and
    a campaign tag (``?start=es-consulado``). Any other payload ("enlace", "encuesta") picks none:
    a Spanish campaign word starting with "en" must not lock a member into English."""
    head = (payload or "").strip().lower().replace("_", "-").split("-")[0]
    return head if head in LANGUAGES else None


def language_from_code(code: str | None, default: str) -> str:
    """The supported language a Telegram app's ``language_code`` ("es-MX", "en") points to."""
    base = (code or "").split("-")[0].split("_")[0].lower()
    return base if base in LANGUAGES else default


class Pipeline:
    """One instance per process; every method is safe to call concurrently from the event loop."""

    def __init__(
        self,
        store: Store,
        faqs: FaqService,
        *,
        default_language: str = "es",
        desk: Desk | None = None,
        channel: str = "telegram",
    ) -> None:
        self.store = store
        self.faqs = faqs
        self.default_language = default_language
        self.desk: Desk = desk or NoDesk()
        self.channel = channel
        # Each member's last answer: its institutions carry over to short follow-ups ("¿y cuánto
        # cuesta?" after an IMSS answer), and it is not repeated to one (Matcher.match).
        self._last_answer: RecentPerMember[str] = RecentPerMember(TOPIC_TTL_SECONDS)
        # The countries a member said they or their family are from ("soy guatemalteco"): later
        # questions that name none are about that country's institution (Matcher.match: stated).
        self._stated: RecentPerMember[frozenset[str]] = RecentPerMember(STATED_TTL_SECONDS)
        # Members whose last answer and stated country were looked up in the log since this process
        # started (see _recall): a restart or deploy mid-conversation must not forget them.
        self._recalled: RecentPerMember[bool] = RecentPerMember(STATED_TTL_SECONDS)
        # Whether the last reply to each member was a numbered list: only then is a short message
        # read against it for a topic word ("el de migrantes"), so other messages pay no query for
        # it. (Typed numbers always read the list from the log: they must survive a restart.)
        self._listed: RecentPerMember[bool] = RecentPerMember(CHOICE_TTL_SECONDS)

    async def _recall(self, member_id: int, *, before: int) -> None:
        """After a restart, what the memory held for a member's conversation, from the log: the
        country they stated (within STATED_TTL_SECONDS) and the entry last answered (within
        TOPIC_TTL_SECONDS). Once per member per process; each message after that uses memory."""
        now = datetime.now(UTC)
        since = now - timedelta(seconds=STATED_TTL_SECONDS)
        rows = await self.store.call(conv.texts_since, member_id, since=since, before=before, limit=RECALL_MESSAGES)
        self._recalled.set(member_id, True)
        matcher = self.faqs.snapshot.matcher
        for row in reversed(rows):  # newest first
            age = (now - parse_iso(row["created_at"])).total_seconds()
            if self._last_answer.get(member_id) is None and row["decision"] == "answer" and row["faq_id"] \
                    and age <= TOPIC_TTL_SECONDS and matcher.faq.get(row["faq_id"]) is not None:
                self._last_answer.set(member_id, row["faq_id"], age=age)
            if self._stated.get(member_id) is None:
                stated = matcher.stated_countries(row["text"] or "")
                if stated:
                    self._stated.set(member_id, stated, age=age)

    # ------------------------------------------------------------------ language
    def _fallback_lang(self, member_row: dict[str, Any] | None, member: Member) -> str:
        """The language to use when the event has no text to detect it from (a button tap, a
        command) or the text says nothing (an ambiguous "ok"): the chosen language wins, then the
        language the conversation is in (``last_language``, added to the row by :meth:`_inbound`
        and :meth:`language_for`), then what the Telegram app says, then the configured default.
        A member on a Spanish phone who writes in English gets English buttons, so tapping one
        must answer in English too."""
        if member_row and member_row.get("chosen_language") in LANGUAGES:
            return member_row["chosen_language"]
        if member_row and member_row.get("last_language") in LANGUAGES:
            return member_row["last_language"]
        return language_from_code(member.language_code, self.default_language)

    async def language_for(self, member: Member) -> str:
        """The language to speak to ``member`` in when there is no text to detect it from."""

        def work(db: Any) -> dict[str, Any] | None:
            row = conv.get_member(db, member.id)
            return dict(row, last_language=conv.last_language(db, member.id)) if row else None

        return self._fallback_lang(await self.store.call(work), member)

    def _reply_lang(self, member_row: dict[str, Any] | None, member: Member, text: str) -> str:
        if member_row and member_row.get("chosen_language") in LANGUAGES:
            return member_row["chosen_language"]
        return self.faqs.snapshot.matcher.language(text, default=self._fallback_lang(member_row, member))

    def _language_of_words(self, text: str) -> str | None:
        """The language ``text`` is in when its words decide it whatever the member's language
        ("¿cuánto cuesta el seguro?"), else None ("ok", "IGSS", "requisitos")."""
        matcher = self.faqs.snapshot.matcher
        said = matcher.language(text, default="es")
        return said if said == matcher.language(text, default="en") else None

    # ------------------------------------------------------------------ storage helpers
    async def _inbound(
        self, member: Member, text: str, kind: str, *, telegram_message_id: int | None, edited: bool = False
    ) -> tuple[dict[str, Any], int]:
        def work(db: Any) -> tuple[dict[str, Any], int, bool]:
            known = conv.get_member(db, member.id) is not None
            row = conv.touch_member(
                db,
                member.id,
                first_name=member.first_name,
                username=member.username,
                language_code=member.language_code,
                chat_id=member.chat_id,
            )
            row = dict(row, last_language=conv.last_language(db, member.id))  # before this message
            msg_id = conv.log_inbound(
                db,
                member_id=member.id,
                chat_id=member.chat_id,
                text=text,
                kind=kind,
                channel=self.channel,
                telegram_message_id=telegram_message_id,
                edited=edited,
            )
            return row, msg_id, known

        row, msg_id, known = await self.store.call(atomically(work))
        if not known:
            # New to the database: a first message, or the member's data was deleted by
            # `bot.py forget-member` while this bot ran. What memory holds of them is then the
            # forgotten conversation's (the country they named, the last answer): drop it.
            self._forget_memory(member.id)
        return row, msg_id

    def _forget_memory(self, member_id: int) -> None:
        """Drop everything this process remembers of a member's conversation."""
        for memory in (self._last_answer, self._stated, self._recalled, self._listed):
            memory.forget(member_id)

    async def _out(
        self,
        member: Member,
        reply: Reply,
        *,
        in_reply_to: int | None,
        decision: str | None = None,
        faq_id: str | None = None,
        choices: list[str] | None = None,
    ) -> Reply:
        self._listed.set(member.id, bool(choices))
        reply.log_id = await self.store.call(
            conv.log_outbound,
            member_id=member.id,
            chat_id=member.chat_id,
            text=reply.text,
            channel=self.channel,
            in_reply_to=in_reply_to,
            decision=decision,
            faq_id=faq_id,
            choices=choices,
        )
        return reply

    async def _respond(self, member: Member, logged: str, kind: str, build: Callable[[str], Reply]) -> list[Reply]:
        """Log a member event, then log and return the one reply ``build`` makes in their language."""
        row, inbound_id = await self._inbound(member, logged, kind, telegram_message_id=None)
        return [await self._out(member, build(self._fallback_lang(row, member)), in_reply_to=inbound_id)]

    async def delivered(self, reply: Reply, telegram_message_id: int) -> None:
        """Record the Telegram id of a sent reply (rows without one were never delivered)."""
        if reply.log_id is not None:
            await self.store.call(conv.set_telegram_message_id, reply.log_id, telegram_message_id)

    # ------------------------------------------------------------------ replies
    def _answer_reply(self, faq_id: str, lang: str) -> Reply | None:
        entry = self.faqs.snapshot.faq.get(faq_id)
        if entry is None:
            return None
        return Reply(render_answer(entry, lang))

    def _with_feedback(self, reply: Reply, lang: str) -> Reply:
        """👍/👎 under an answer; the buttons point at the answer's own log row."""
        _ = Translator(lang)
        assert reply.log_id is not None
        reply.buttons = [
            [
                Button(_("👍 Helpful"), f"fb:{reply.log_id}:1"),
                Button(_("👎 Not helpful"), f"fb:{reply.log_id}:-1"),
            ]
        ]
        return reply

    async def _send_answer(
        self, member: Member, faq_id: str, lang: str, *, in_reply_to: int | None, decision: str = "answer",
        also: str | None = None,
    ) -> Reply | None:
        """Log and return the answer ``faq_id`` with 👍/👎; ``also`` is a second question the member
        asked in the same message (Matcher.other_question), offered as one more button."""
        reply = self._answer_reply(faq_id, lang)
        if reply is None:
            return None
        self._last_answer.set(member.id, faq_id)
        await self._out(member, reply, in_reply_to=in_reply_to, decision=decision, faq_id=faq_id)
        reply = self._with_feedback(reply, lang)
        other = self.faqs.snapshot.faq.get(also) if also and also != faq_id else None
        if other is not None:
            reply.buttons.append([Button(short_label("➕ " + other.question_in(lang)), f"pick:{other.id}")])
        return reply

    def _suggest_reply(self, result: MatchResult, lang: str, inbound_id: int,
                       context: frozenset[str] = frozenset()) -> Reply:
        _ = Translator(lang)
        faq = self.faqs.snapshot.faq
        rows: list[list[Button]] = []
        listed: list[str] = []
        # Exactly the entries the matcher offers (the ones its accuracy is measured on), in its
        # order, likeliest first (at most faq.matcher.MAX_OFFERED).
        for entry_id in self.faqs.snapshot.matcher.suggestions(result, context):
            entry = faq.get(entry_id)
            if entry is not None:
                n = len(rows) + 1
                question = entry.question_in(lang)
                # Buttons are cut to one phone line, so the full questions are listed in the text too.
                listed.append(f"{n}. {html.escape(question, quote=False)}")
                rows.append([Button(short_label(f"{n}. {question}"), f"pick:{entry.id}")])
        rows.append([Button(_("None of these"), f"none:{inbound_id}")])
        text = _("I'm not sure I understood. Is your question one of these?") + "\n\n" + "\n".join(listed)
        return Reply(text, rows)

    @staticmethod
    def _numbered(reply: Reply) -> list[str]:
        """The entry ids ``reply`` numbers ("1. …", "2. …"), logged with it for a typed "2"."""
        return [b.data.split(":", 1)[1] for row in reply.buttons for b in row if b.data.startswith("pick:")]

    async def _number_beyond_list(self, member_id: int, text: str, inbound_id: int) -> list[str] | None:
        """The questions of the list right before this message, when the message is a number past
        its end; None otherwise (no number, no list, or a number in range)."""
        n = typed_number(text)
        if n is None:
            return None
        picks = await self.store.call(conv.last_choices, member_id, since=_choices_since(), before=inbound_id)
        return picks if picks and n > len(picks) else None

    async def _typed_choice(self, member_id: int, text: str, inbound_id: int,
                            reply_to: int | None = None) -> str | None:
        """The entry a member picked by typing its number ("2", "#2", "la segunda", "option 2"), by
        naming its institution ("del IGSS", "el de Guatemala") or its topic ("el de migrantes",
        Matcher.narrowed) when one listed entry is about it, right under a list of numbered
        questions shown in the last half hour, or None.

        The list is read from the log (:func:`storage.conversations.last_choices`): only when the
        message just before this one (``inbound_id``) is that list. Anything in between — a new
        question, a tap, a message that joined a request, a staff answer — means the number is not
        a pick; and a restart between the list and the number changes nothing. A number the member
        sent with Telegram's Reply on a list (``reply_to``) picks from that list, however old
        (session 17's review: "2" replied to a list two messages back got "let's try again")."""
        if typed_none(text):  # "ninguna de las 4" rejects the list: no "4", no topic in it picks
            return None
        n = typed_number(text)
        replied = await self.store.call(conv.list_replied_to, member_id, reply_to) \
            if reply_to is not None and n is not None else None
        if replied is not None:
            return replied[1][n - 1] if n is not None and 1 <= n <= len(replied[1]) else None
        named = self._names_only_an_institution(text) if n is None else frozenset()
        if n is None and not named and (len(text.split()) > 4 or not self._listed.get(member_id)):
            return None
        picks = await self.store.call(conv.last_choices, member_id, since=_choices_since(), before=inbound_id)
        if not picks and named:
            return await self._corrected(member_id, named, inbound_id)
        if not picks:
            return None
        matcher = self.faqs.snapshot.matcher
        if named:  # "del IGSS" under "1. ¿…teléfono del IMSS? 2. ¿…teléfono del IGSS?": the one about it
            about = [p for p in picks if named & matcher.entry_institutions(p)]
            return about[0] if len(about) == 1 else None
        if n is None:  # "el de migrantes": the one listed entry about that
            return matcher.narrowed(text, picks)
        return picks[n - 1] if 1 <= n <= len(picks) else None

    async def _corrected(self, member_id: int, named: frozenset[str], inbound_id: int) -> str | None:
        """Right under an answer about another institution, "no, el de Guatemala" / "the IGSS one"
        corrects it: the entry the member's question matches for the institution named (also
        remembered as the member's), or None. Session 14's review: "no, el de guatemala" after the
        IMSS family-insurance price got an unrelated list."""
        answer = await self.store.call(conv.answer_before, member_id, since=_choices_since(), before=inbound_id)
        matcher = self.faqs.snapshot.matcher
        if answer is None or named & matcher.entry_institutions(answer["faq_id"]) or not answer.get("in_reply_to"):
            return None
        asked = await self.store.call(conv.get_message, answer["in_reply_to"])
        if not asked or asked.get("kind") != "text" or not asked.get("text"):
            return None
        countries = named & self._country_institutions()
        if countries:
            self._stated.set(member_id, countries)
        again = matcher.match(asked["text"], stated=named)
        if again.decision not in ("answer", "suggest"):
            return None
        # (the first entry about the institution named: the question's own words may lead back to
        # the one just answered, offered first beside it, see Matcher.match's ``stated``)
        return next((c.entry_id for c in again.candidates if c.entry_id != answer["faq_id"]
                     and named & matcher.entry_institutions(c.entry_id)), None)

    def _country_institutions(self) -> frozenset[str]:
        """The institutions the vocabulary ties to a country (igss, imss)."""
        return frozenset(self.faqs.snapshot.vocabulary.countries)

    def _names_only_an_institution(self, text: str) -> frozenset[str]:
        """The institutions a short message names and says nothing else ("del IGSS", "el de
        Guatemala", "the IMSS one"), or nothing."""
        matcher = self.faqs.snapshot.matcher
        if len(text.split()) > 4 or len(matcher.analyze(text)) > 2:  # (most messages stop at the first test)
            return frozenset()
        return matcher.institutions(text) | matcher.stated_countries(text)

    async def _typed_button(self, member: Member, row: dict[str, Any], text: str,
                            inbound_id: int) -> list[Reply] | None:
        """The replies to a button's words typed right under its message, or None: "no me sirvió"
        under an answer is that answer's 👎; "ninguna de esas" under a list hands the listed
        question to staff, with what the member added ("…es sobre el pago")."""
        if typed_thumbs_down(text):
            answer = await self.store.call(conv.answer_before, member.id, since=_choices_since(), before=inbound_id)
            if answer is not None:
                lang = self._fallback_lang(row, member)
                # (logged as the reply to that answer: `faq gaps` counts the question, not these words)
                await self.store.call(conv.record_decision, inbound_id, lang=lang, decision="escalate",
                                      faq_id=answer["faq_id"], score=0.0, latency_ms=0.0, in_reply_to=answer["id"])
                return await self._vote(member, answer, -1, inbound_id, lang)
        if typed_none(text):
            listed = await self.store.call(conv.listed_for, member.id, since=_choices_since(), before=inbound_id)
            asked = await self.store.call(conv.get_message, listed) if listed is not None else None
            if asked and asked.get("kind") == "text":  # (a /menu topic's list answers no question)
                said = None if bare_none(text) else text
                the_list = await self.store.call(conv.list_before, member.id, since=_choices_since(),
                                                 before=inbound_id)
                return await self._none_fit(member, asked["id"], inbound_id, self._fallback_lang(row, member), said,
                                            replied_to=the_list)
        return None

    def _smalltalk_reply(self, kind: str | None, lang: str) -> Reply:
        if kind == "help":  # a bare "ayuda" / "help": how to use the bot
            return self._help_reply(lang)
        if kind == "menu":  # "menu" typed rather than tapped
            return self._menu_reply(lang)
        _ = Translator(lang)
        # Without a staff group, "write I want to talk to a person" only gets "nobody from our team
        # answers in this chat" (review 12): the help points to the institution instead.
        staffless = isinstance(self.desk, NoDesk)
        if kind == "forget":  # "borrar mis datos" typed rather than /forget
            return self._forget_reply(lang)
        if kind == "ask":  # "tengo una pregunta": the question is still to come
            _ = Translator(lang)
            return Reply(_("Of course: write your question here, in your own words."))
        if kind == "language":  # "cambiar idioma" typed rather than /language
            return Reply(_("Choose your language:"), self._language_buttons())
        texts = {
            "greeting": _("Hello! What would you like to know? Write your question or tap /menu to see the topics."),
            "thanks": _("You're welcome! If you have another question, just write it here."),
            "goodbye": _("Take care! I'm here whenever you need me."),
            "who": _(
                "I'm Puente, an automatic assistant: I answer questions about IGSS (Guatemala) and IMSS "
                "(Mexico) with information our team keeps up to date. To talk to a person, use the "
                "institution's official contact channels (the phones and offices are in /menu)."
            ) if staffless else _(
                "I'm Puente, an automatic assistant: I answer questions about IGSS (Guatemala) and IMSS "
                "(Mexico) with information our team keeps up to date. To talk to a person, write "
                "<i>I want to talk to a person</i>."
            ),
            "unclear": _(
                "Sorry, let's try again. Write your question in other words (for example: <i>how do I "
                "sign up from the US?</i>), or tap /menu to browse the topics."
            ) if staffless else _(
                "Sorry, let's try again. Write your question in other words (for example: <i>how do I "
                "sign up from the US?</i>), or tap /menu to browse the topics. To talk to a person, write "
                "<i>I want to talk to a person</i>."
            ),
        }
        return Reply(
            texts.get(
                kind or "",
                _("Please write your question in words, for example: How much does the migrant program cost?"),
            )
        )

    # ------------------------------------------------------------------ events
    async def handle_text(
        self,
        member: Member,
        text: str,
        *,
        telegram_message_id: int | None = None,
        edited: bool = False,
        kind: str = "text",
        file_id: str | None = None,
        reply_to: int | None = None,
    ) -> list[Reply]:
        """A member wrote something (or captioned a photo): answer, offer choices, or hand to staff.
        ``reply_to``: the message of ours the member used Telegram's Reply on (a staff answer: the
        message is the member's reply to it, see Desk.answering)."""
        started = time.perf_counter()
        text = text or ""
        row, inbound_id = await self._inbound(
            member, text, kind, telegram_message_id=telegram_message_id, edited=edited
        )
        picked = None if edited or kind != "text" else await self._typed_choice(member.id, text, inbound_id, reply_to)
        if picked is None and not edited and kind == "text":
            tapped = await self._typed_button(member, row, text, inbound_id)
            if tapped is not None:
                return tapped
        if picked is None and not edited and kind == "text":
            listed = await self._number_beyond_list(member.id, text, inbound_id)
            if listed:  # "7" under four questions: say which numbers there are (session 15's review)
                _ = Translator(self._fallback_lang(row, member))
                reply = Reply(_("Please type a number from 1 to {count}, or write your question in words.",
                                count=len(listed)))
                # Logged as the same list again, for the same question: the next number still picks
                # from it, and "ninguna de esas" still hands that question to staff.
                question = await self.store.call(conv.listed_for, member.id, since=_choices_since(),
                                                 before=inbound_id)
                return [await self._out(member, reply, in_reply_to=question or inbound_id, decision="smalltalk",
                                        choices=listed)]
        if picked is not None:
            lang = self._fallback_lang(row, member)
            # (the list picked from, if that is what the message was under: `faq gaps` shows the
            # listed question as resolved with this entry)
            replied = await self.store.call(conv.list_replied_to, member.id, reply_to) if reply_to else None
            the_list = replied[0] if replied else \
                await self.store.call(conv.list_before, member.id, since=_choices_since(), before=inbound_id)
            answer = await self._send_answer(member, picked, lang, in_reply_to=inbound_id, decision="answer")
            if answer is None:  # an entry a /reload removed since the list: as its button says
                return [await self._out(member, self._stale(lang), in_reply_to=inbound_id, decision="smalltalk")]
            await self.store.call(conv.record_decision, inbound_id, lang=lang, decision="answer", faq_id=picked,
                                  score=100.0, latency_ms=round((time.perf_counter() - started) * 1000, 3),
                                  in_reply_to=the_list)
            return [answer]
        snap = self.faqs.snapshot
        if not self._recalled.get(member.id):
            await self._recall(member.id, before=inbound_id)
        last = self._last_answer.get(member.id)
        context = snap.matcher.entry_institutions(last) if last else frozenset()
        stated = snap.matcher.stated_countries(text)
        if stated:
            self._stated.set(member.id, stated)
        result = snap.matcher.match(text, context, last, self._stated.get(member.id) or frozenset())
        also = snap.matcher.other_question(result, context)  # "¿cuánto cuesta y cómo pago?"
        lang = self._reply_lang(row, member, text)
        replies: list[Reply] = []
        decision = result.decision
        # "en español por favor", "menu in english": the same as choosing the language with its
        # button, also while a request waits for staff (who then see it: they type the answers).
        talk = result.smalltalk or ""
        language_request = talk.startswith("language-")
        asked = talk.removeprefix("language-") if language_request else menu_language(text) if talk == "menu" else None
        before = self._fallback_lang(row, member)  # the language the conversation was in
        if decision == "smalltalk" and asked in LANGUAGES:
            lang = asked
            await self.store.call(conv.set_member_language, member.id, lang)
        elif decision != "smalltalk" and (aside := language_asked_aside(text)) \
                and (aside != lang or not row or row.get("chosen_language") != aside):
            # "¿cuánto cuesta el programa? no hablo inglés": answered in Spanish and kept, also when
            # the question itself was Spanish already (session 15's review: the next English-worded
            # message got English), and over a link that preselected English.
            lang = aside
            await self.store.call(conv.set_member_language, member.id, lang)
        if row and row.get("language_source") == "link" and row.get("chosen_language") == lang:
            # A link only preselects: a Spanish speaker who scanned an English poster's code and
            # writes a whole Spanish sentence is answered in Spanish, and detected from then on.
            said = self._language_of_words(text)
            if said is not None and said != lang:
                lang = said
                await self.store.call(conv.drop_preselected_language, member.id)

        # A member who already has an open ticket: the message joins it instead of opening another
        # (small talk such as "gracias" is answered, not passed to staff; "¿hay alguien?", "no
        # entiendo" or "ayuda" while waiting are for the people handling the request).
        notice = None
        if decision != "smalltalk" or talk in ("unclear", "help", "who") or language_request:
            # Only what would otherwise go to staff reopens a request staff already answered
            # ("es 123456789"), and a bare number ("2", "la segunda" after staff asked "¿1 o 2?");
            # a thanks, an "ya entendí", a question the FAQ answers or a sticker does not.
            number = result.smalltalk == "unclear" and typed_number(text) is not None
            replying_to = None if edited else await self.desk.answering(member.id, reply_to)
            notice = await self.desk.follow_up(
                # (an edit is marked: staff see a corrected message, not a new one)
                member, lang=lang, text=f"✏️ {text}" if edited else text, kind=kind, file_id=file_id,
                message_id=telegram_message_id, reopen=decision == "escalate" or number, replying_to=replying_to,
                # "can I talk to a real person?" while waiting: always acknowledged (session 15's review)
                insist=result.smalltalk == "human",
            )
            if notice is not None and replying_to is not None:
                # The member answers staff ("ella tiene 35 años y los niños 3 y 5"): for the person
                # who asked, whatever the FAQ would make of it.
                decision = "ticket"
        if file_id and kind in ATTACHABLE_MEDIA and not getattr(self.desk, "accepts_media", True) \
                and result.smalltalk not in ("thanks", "goodbye"):
            # Without a staff group nobody sees the file: said first, so that a receipt captioned "mi
            # recibo de pago" is not taken as read by what follows (session 17's review), and a list
            # stays the last message, for a typed "2".
            _ = Translator(lang)
            replies.append(await self._out(member, Reply(_(
                "I can't see photos, voice notes or files: I can only read the words written with them.")),
                in_reply_to=inbound_id))
        if notice is not None:
            if decision == "answer" and result.best_id:
                answer = await self._send_answer(member, result.best_id, lang, in_reply_to=inbound_id, also=also)
                if answer:
                    replies.append(answer)
            elif language_request:
                replies.append(await self._out(member, self._language_set_reply(lang), in_reply_to=inbound_id,
                                               decision="ticket"))
            else:
                decision = "ticket"
            if notice:
                replies.append(await self._out(member, Reply(notice), in_reply_to=inbound_id, decision=decision))
        elif decision == "answer" and result.best_id and edited and await self.store.call(
                conv.answered_before_edit, member.id, telegram_message_id, result.best_id, before=inbound_id):
            pass  # a typo fixed in a question already answered with this entry: the answer is there
        elif decision == "answer" and result.best_id:
            answer = await self._send_answer(member, result.best_id, lang, in_reply_to=inbound_id, also=also)
            if answer:
                replies.append(answer)
        elif decision == "suggest":
            reply = self._suggest_reply(result, lang, inbound_id, context)
            replies.append(await self._out(member, reply, in_reply_to=inbound_id, decision=decision,
                                           choices=self._numbered(reply)))
        elif decision == "smalltalk" and language_request:
            replies += await self._language_switched(member, lang, before, inbound_id, decision)
        elif decision == "smalltalk":
            replies.append(
                await self._out(
                    member, self._smalltalk_reply(result.smalltalk, lang), in_reply_to=inbound_id, decision=decision
                )
            )
        else:
            reason = {"human": "human", "case": "own-case", "danger": "danger"}.get(result.smalltalk or "", "no-match")
            if reason == "danger":
                _ = Translator(lang)
                replies.append(await self._out(member, Reply(_(
                    "If you are in danger right now, call 911 (United States and Mexico) or 110 (Guatemala's "
                    "National Civil Police). In the United States, the National Domestic Violence Hotline "
                    "answers in Spanish and English, free, day and night: 1-800-799-7233.")),
                    in_reply_to=inbound_id, decision="escalate"))
            notice = await self.desk.escalate(
                member,
                lang=lang,
                question=text,
                candidates=result.candidates,
                reason=reason,
                kind=kind,
                file_id=file_id,
                message_id=telegram_message_id,
            )
            replies.append(await self._out(member, Reply(notice), in_reply_to=inbound_id, decision="escalate"))
            decision = "escalate"

        if file_id and kind in ATTACHABLE_MEDIA and notice is None and decision not in ("escalate", "ticket") \
                and result.smalltalk not in ("thanks", "goodbye") and getattr(self.desk, "accepts_media", True):
            # A receipt photographed with "mi recibo de pago" under it: the caption may be answered
            # from the FAQ, but the file is for a person (session 15's review: it never reached staff,
            # not even after a 👎, while the rest of the album opened a request).
            staff_notice = await self.desk.escalate(
                member, lang=lang, question=text, candidates=result.candidates, reason="media", kind=kind,
                file_id=file_id, message_id=telegram_message_id,
            )
            replies.append(await self._out(member, Reply(staff_notice), in_reply_to=inbound_id, decision="escalate"))

        await self.store.call(
            conv.record_decision,
            inbound_id,
            lang=lang,
            decision=decision,
            faq_id=result.best_id,
            score=result.score,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        return replies

    async def handle_pick(self, member: Member, faq_id: str) -> list[Reply]:
        """The member tapped a suggested or browsed question."""
        row, inbound_id = await self._inbound(member, f"pick:{faq_id}", "callback", telegram_message_id=None)
        if await self.store.call(conv.tapped_before, member.id, f"pick:{faq_id}", before=inbound_id,
                                 since=datetime.now(UTC) - timedelta(seconds=DOUBLE_TAP_SECONDS)):
            return []  # a double tap on a slow phone: the answer is already on its way (session 15's review)
        lang = self._fallback_lang(row, member)
        answer = await self._send_answer(member, faq_id, lang, in_reply_to=inbound_id, decision="answer")
        if answer is None:
            return [await self._out(member, self._stale(lang), in_reply_to=inbound_id)]
        await self.store.call(
            conv.record_decision, inbound_id, lang=lang, decision="answer", faq_id=faq_id, score=100.0, latency_ms=0.0
        )
        return [answer]

    async def handle_none_of_these(self, member: Member, question_id: int,
                                   on_message: int | None = None) -> list[Reply]:
        """None of the suggestions fit: the original question goes to staff. ``on_message``: the
        Telegram message the button is on, when known (it must be that question's list)."""
        row, inbound_id = await self._inbound(member, f"none:{question_id}", "callback", telegram_message_id=None)
        lang = self._fallback_lang(row, member)
        if not await self.store.call(conv.list_offered, member.id, question_id, on_message):
            # A list from before a forget: its question is gone, and SQLite gave its number to
            # another message (session 17's review: the tap itself went to staff as "none:1").
            return [await self._out(member, self._stale(lang), in_reply_to=inbound_id)]
        if await self.store.call(conv.tapped_before, member.id, f"none:{question_id}", before=inbound_id):
            return []  # a double tap: the question went to staff with the first, whose reply is above
        return await self._none_fit(member, question_id, inbound_id, lang)

    async def _none_fit(self, member: Member, question_id: int, inbound_id: int, lang: str,
                        said: str | None = None, replied_to: int | None = None) -> list[Reply]:
        """Hand the member's question ``question_id`` to staff: none of the choices offered for it
        fit (the button, or the same typed). ``lang`` is the conversation's, not the words': a
        Spanish speaker typing "none of these" still gets Spanish, and so does their request.
        ``replied_to``: the list a typed "ninguna de esas" answers, logged with it (session 16's
        review: `faq gaps` listed the words as a question of their own)."""
        original = await self.store.call(conv.get_message, question_id)
        if not original or original.get("member_id") != member.id:
            return [await self._out(member, self._stale(lang), in_reply_to=inbound_id)]
        question = original.get("text") or ""
        candidates = self.faqs.snapshot.matcher.match(question).candidates
        if said:  # "ninguna de esas, es sobre mi pensión": staff read both
            question = f"{question}\n{said}"
        notice = await self.desk.escalate(
            member, lang=lang, question=question, candidates=candidates, reason="none-of-these"
        )
        await self.store.call(conv.record_decision, inbound_id, lang=lang, decision="escalate", faq_id=None,
                              score=0.0, latency_ms=0.0, in_reply_to=replied_to)
        return [await self._out(member, Reply(notice), in_reply_to=inbound_id, decision="escalate")]

    async def handle_feedback(self, member: Member, answer_id: int, vote: int,
                              on_message: int | None = None) -> list[Reply]:
        """👍/👎 on an answer. A 👎 hands the question to staff.

        ``on_message``: the Telegram message the buttons are on. After a forget, SQLite may give a
        deleted row's number to a new answer, and an old 👎 named that number (session 16's review:
        it voted down the newer answer): a button must be on the answer it names."""
        answer = await self.store.call(conv.get_message, answer_id)
        moved = on_message is not None and answer is not None and answer.get("telegram_message_id") is not None \
            and answer["telegram_message_id"] != on_message
        # (a tap on another message's buttons is logged as such: it is no earlier tap of these)
        logged = f"fb:{answer_id}:{vote}" + (f" on message {on_message}" if moved else "")
        row, inbound_id = await self._inbound(member, logged, "callback", telegram_message_id=None)
        lang = self._fallback_lang(row, member)
        _ = Translator(lang)
        if not answer or moved or answer.get("member_id") != member.id or vote not in (1, -1):
            return [await self._out(member, self._stale(lang), in_reply_to=inbound_id)]
        if await self.store.call(conv.tapped_before, member.id, f"fb:{answer_id}:{vote}", before=inbound_id):
            return []  # a double tap (the buttons go only once the first is handled): one vote, one reply
        return await self._vote(member, answer, vote, inbound_id, lang)

    async def _vote(self, member: Member, answer: dict[str, Any], vote: int, inbound_id: int,
                    lang: str) -> list[Reply]:
        """Record a 👍/👎 on the logged ``answer`` (tapped, or "no me sirvió" typed); a 👎 hands the
        question to staff."""
        _ = Translator(lang)
        await self.store.call(
            conv.record_feedback, member_id=member.id, message_id=answer["id"], faq_id=answer.get("faq_id"), vote=vote
        )
        if vote > 0:
            return [await self._out(member, Reply(_("Thank you for your feedback!")), in_reply_to=inbound_id)]
        question = ""
        asked = await self.store.call(conv.get_message, answer["in_reply_to"]) if answer.get("in_reply_to") else None
        if asked and (asked.get("text") or "").startswith("pick:"):
            # Answered from a list: the member's own words are the question the list was for (session
            # 14's review: the card showed the FAQ's question, not what the member had asked).
            since = parse_iso(asked["created_at"]) - timedelta(seconds=CHOICE_TTL_SECONDS)
            earlier = await self.store.call(conv.texts_since, member.id, since=since, before=asked["id"], limit=1)
            asked = earlier[-1] if earlier else None
        question = (asked or {}).get("text") or ""
        entry = self.faqs.snapshot.faq.get(answer.get("faq_id") or "")
        if not question or question.startswith(("pick:", "none:", "fb:")):
            question = entry.question_in(lang) if entry else ""
        elif entry:  # staff see which answer did not help
            question = f"{question}\n👎 {entry.question_in(lang)}"
        # The closest entries to the question other than the one that did not help (a card's /faq 1
        # must not send it again).
        others = [c for c in self.faqs.snapshot.matcher.match(question.split("\n")[0]).candidates
                  if c.entry_id != answer.get("faq_id")] if question else []
        notice = await self.desk.escalate(
            member,
            lang=lang,
            question=question,
            candidates=others,
            reason="thumbs-down",
        )
        text = _("Sorry that didn't help.") + " " + notice
        return [await self._out(member, Reply(text), in_reply_to=inbound_id, decision="escalate")]

    async def handle_start(self, member: Member, payload: str | None = None) -> list[Reply]:
        """/start, optionally with a deep-link payload ``es``/``en`` that preselects the language."""
        row, inbound_id = await self._inbound(
            member, "/start" + (f" {payload}" if payload else ""), "command", telegram_message_id=None
        )
        chosen = _start_language(payload)
        if chosen in LANGUAGES:
            await self.store.call(conv.set_member_language, member.id, chosen, "link")
            lang = chosen
        else:
            lang = self._fallback_lang(row, member)
        _ = Translator(lang)
        name = f", {member.first_name}" if member.first_name else ""
        text = _(
            "Hi{name}! I'm Puente, an assistant for IGSS (Guatemala) and IMSS (Mexico) members. "
            "Write your question in your own words, in Spanish or English, and I'll look for the answer. "
            "Tap /menu to browse the topics, or /help for more.",
            name=_escape(name),
        )
        reply = Reply(text, self._language_buttons() if chosen not in LANGUAGES else [])
        return [await self._out(member, reply, in_reply_to=inbound_id)]

    async def handle_help(self, member: Member) -> list[Reply]:
        return await self._respond(member, "/help", "command", self._help_reply)

    def _help_reply(self, lang: str) -> Reply:
        _ = Translator(lang)
        text = _(
            "<b>How to use Puente</b>\n"
            "• Write your question in your own words, e.g. <i>how much does the migrant program cost</i>.\n"
            "• If I'm not sure, I'll show you the closest questions as buttons.\n"
            "• To talk to a person, use the institution's official contact channels (the phones and offices "
            "are in /menu).\n\n"
            "/menu – browse the topics\n/language – change the language\n"
            "/forget – delete your data from Puente\n/help – this help"
        ) if isinstance(self.desk, NoDesk) else _(
            "<b>How to use Puente</b>\n"
            "• Write your question in your own words, e.g. <i>how much does the migrant program cost</i>.\n"
            "• If I'm not sure, I'll show you the closest questions as buttons.\n"
            "• To talk to a person, write <i>I want to talk to a person</i>.\n\n"
            "/menu – browse the topics\n/language – change the language\n"
            "/forget – delete your data from Puente\n/help – this help"
        )
        return Reply(text)

    def _language_buttons(self) -> list[list[Button]]:
        # Each language's name is written in that language, so both are readable to everyone.
        return [[Button("🇬🇹🇲🇽 Español", "lang:es"), Button("🇺🇸 English", "lang:en")]]

    async def handle_language_menu(self, member: Member) -> list[Reply]:
        def build(lang: str) -> Reply:
            _ = Translator(lang)
            return Reply(_("Choose your language:"), self._language_buttons())

        return await self._respond(member, "/language", "command", build)

    async def set_language(self, member: Member, lang: str) -> list[Reply]:
        row, inbound_id = await self._inbound(member, f"lang:{lang}", "callback", telegram_message_id=None)
        before = self._fallback_lang(row, member)
        if lang not in LANGUAGES:
            return [await self._out(member, self._stale(before), in_reply_to=inbound_id)]
        await self.store.call(conv.set_member_language, member.id, lang)
        return await self._language_switched(member, lang, before, inbound_id)

    async def _language_switched(self, member: Member, lang: str, before: str, inbound_id: int,
                                 decision: str | None = None) -> list[Reply]:
        """The replies to a language chosen (a button, or asked in words): said in the new language,
        and, right after an answer in the other language, that answer again in the new one (session
        15's reviews: "can you say it in spanish" and the buttons after "cambiar idioma" made the
        member ask the question again). Right after: the member wrote nothing else since, only a
        command, a tap or "cambiar idioma" for these buttons (conv.wrote_since_answer)."""
        if not self._recalled.get(member.id):
            await self._recall(member.id, before=inbound_id)
        again = self._last_answer.get(member.id) if before != lang else None
        if again and await self.store.call(conv.wrote_since_answer, member.id, before=inbound_id,
                                           asks_for_languages=asks_to_change_language):
            again = None
        _ = Translator(lang)
        told = Reply(_("Done: I'll answer you in English. Here is my last answer again:")) if again \
            else self._language_set_reply(lang)
        said = await self._out(member, told, in_reply_to=inbound_id, decision=decision)
        answer = await self._send_answer(member, again, lang, in_reply_to=inbound_id) if again else None
        return [said, answer] if answer else [said]

    @staticmethod
    def _language_set_reply(lang: str) -> Reply:
        _ = Translator(lang)
        return Reply(_("Done: I'll answer you in English. Write your question."))

    async def handle_menu(self, member: Member) -> list[Reply]:
        """/menu: the FAQ's categories as buttons, for members who prefer to browse."""
        return await self._respond(member, "/menu", "command", self._menu_reply)

    def _menu_reply(self, lang: str) -> Reply:
        _ = Translator(lang)
        faq = self.faqs.snapshot.faq
        rows = [
            [Button(short_label(faq.category_label(slug, lang)), f"cat:{category_key(slug)}")]
            for slug in faq.category_slugs()
        ]
        return Reply(_("Choose a topic:"), rows)

    async def handle_category(self, member: Member, key: str, page: int = 1) -> list[Reply]:
        """A topic tapped in /menu (``page``: its questions MENU_PAGE at a time, numbered 1… on each
        page like any list). The button names the category by a key of its slug, not its
        position: after an admin reorders or retires topics (/reload), an old button still opens
        its own topic, or says it is no longer available."""
        data = f"cat:{key}" + (f":{page}" if page > 1 else "")
        row, inbound_id = await self._inbound(member, data, "callback", telegram_message_id=None)
        lang = self._fallback_lang(row, member)
        _ = Translator(lang)
        faq = self.faqs.snapshot.faq
        slug = next((s for s in faq.category_slugs() if category_key(s) == key), None)
        if slug is None:
            return [await self._out(member, self._stale(lang), in_reply_to=inbound_id)]
        entries = faq.in_category(slug)
        pages = max(1, math.ceil(len(entries) / MENU_PAGE))
        page = min(page, pages)
        text = _("Questions about <b>{topic}</b>:", topic=_escape(faq.category_label(slug, lang)))
        if pages > 1:
            text += " " + _("(page {page} of {pages})", page=page, pages=pages)
        rows: list[list[Button]] = []
        listed: list[str] = []
        for n, entry in enumerate(entries[(page - 1) * MENU_PAGE:page * MENU_PAGE], start=1):
            question = entry.question_in(lang)
            rows.append([Button(short_label(f"{n}. {question}"), f"pick:{entry.id}")])
            # Buttons are cut to one phone line ("Do those contr…"): the full questions are in the
            # text, numbered like the buttons, as long as the message stays within Telegram's limit.
            line = f"{n}. {html.escape(question, quote=False)}"
            if len(text) + sum(len(x) + 1 for x in listed) + len(line) < MENU_TEXT_BUDGET:
                listed.append(line)
        turns = ([Button(_("⬅️ Previous"), f"cat:{key}:{page - 1}")] if page > 1 else []) + \
            ([Button(_("More ➡️"), f"cat:{key}:{page + 1}")] if page < pages else [])
        if turns:
            rows.append(turns)
        rows.append([Button(_("⬅️ All topics"), "menu")])
        reply = Reply("\n\n".join([text, "\n".join(listed)]), rows)
        return [await self._out(member, reply, in_reply_to=inbound_id, choices=self._numbered(reply))]

    async def handle_menu_button(self, member: Member) -> list[Reply]:
        return await self._respond(member, "menu", "callback", self._menu_reply)

    async def handle_media(
        self,
        member: Member,
        kind: str,
        *,
        caption: str | None = None,
        file_id: str | None = None,
        telegram_message_id: int | None = None,
        edited: bool = False,
    ) -> list[Reply]:
        """Stickers, photos, voice notes…: logged; joined to the member's ticket, or opening one when a
        staff desk exists (staff can read a receipt or hear a voice note); otherwise ask for text.

        An edit (the member corrected a caption) is handled as an edited text message: the file
        itself already reached us, and staff, with the first version, and must not be sent twice."""
        if edited:
            if caption and caption.strip():
                return await self.handle_text(member, caption, telegram_message_id=telegram_message_id, edited=True)
            await self._inbound(member, f"[{kind}]", kind, telegram_message_id=telegram_message_id, edited=True)
            return []
        if caption and caption.strip():
            # A photo with a caption is a question with an attachment: treat the caption as the text.
            return await self.handle_text(
                member, caption, telegram_message_id=telegram_message_id, kind=kind, file_id=file_id
            )
        row, inbound_id = await self._inbound(member, f"[{kind}]", kind, telegram_message_id=telegram_message_id)
        lang = self._fallback_lang(row, member)
        notice = await self.desk.follow_up(
            member, lang=lang, text="", kind=kind, file_id=file_id, message_id=telegram_message_id,
            reopen=kind in ATTACHABLE_MEDIA,  # the photo of a receipt staff asked for; not a sticker
        )
        if notice is None and kind in ATTACHABLE_MEDIA and getattr(self.desk, "accepts_media", True):
            # A photo of a receipt or a voice note is a question we cannot read: a person will.
            notice = await self.desk.escalate(
                member,
                lang=lang,
                question="",
                candidates=[],
                reason="media",
                kind=kind,
                file_id=file_id,
                message_id=telegram_message_id,
            )
            await self.store.call(
                conv.record_decision, inbound_id, lang=lang, decision="escalate", faq_id=None, score=0.0, latency_ms=0.0
            )
            return [await self._out(member, Reply(notice), in_reply_to=inbound_id, decision="escalate")]
        if notice is not None:
            return [await self._out(member, Reply(notice), in_reply_to=inbound_id)] if notice else []
        _ = Translator(lang)
        text = _("I can only read text messages. Please write your question in words and I'll help you.")
        return [await self._out(member, Reply(text), in_reply_to=inbound_id)]

    async def handle_forget_request(self, member: Member) -> list[Reply]:
        """/forget: a member may have everything Puente stored about them deleted (after confirming).

        The request and a Cancel are logged like any exchange (a member who changes their mind
        keeps a complete history, and a number typed next is not read against a list shown before
        the question); the confirmed deletion is not, since logging it would re-create what it
        deletes.
        """

        return await self._respond(member, "/forget", "command", self._forget_reply)

    def _forget_reply(self, lang: str) -> Reply:
        """The confirmation of /forget (or "borrar mis datos" typed). Without a staff group there is
        no team's chat to remove anything from, and no requests to a team (session 16's review)."""
        _ = Translator(lang)
        text = _(
            "This deletes everything Puente has stored about you: your messages and votes. Messages "
            "already in this chat stay on your phone. Delete your data?"
        ) if isinstance(self.desk, NoDesk) else _(
            "This deletes everything Puente has stored about you: your messages, votes and requests to "
            "our team. What Puente passed to our team's chat is removed there too (Telegram only allows "
            "that for two days: older messages are blanked, but an older photo stays). Messages already "
            "in this chat stay on your phone. Delete your data?"
        )
        return Reply(text, [[Button(_("🗑 Yes, delete my data"), "forget:yes"), Button(_("Cancel"), "forget:no")]])

    async def handle_cancel(self, member: Member) -> list[Reply]:
        """/cancel (/cancelar): what members type to back out, of a /forget confirmation above all
        (review 11: it got "I don't know that command"). Nothing is pending on the bot's side, so
        nothing changes: the member is told so, and where to go on."""

        def cancelled(lang: str) -> Reply:
            _ = Translator(lang)
            return Reply(_("Cancelled: nothing was changed or deleted. Write your question, or tap /menu to "
                           "browse the topics."))

        return await self._respond(member, "/cancel", "command", cancelled)

    async def handle_forget(self, member: Member, confirmed: bool) -> list[Reply]:
        if not confirmed:

            def kept(lang: str) -> Reply:
                _ = Translator(lang)
                return Reply(_("Nothing was deleted."))

            return await self._respond(member, "forget:no", "callback", kept)
        row = await self.store.call(conv.get_member, member.id)
        _ = Translator(self._fallback_lang(row, member))
        copies = await self.store.call(tk.staff_copies, member.id)  # (read before the rows go)
        deleted = await self.store.call(conv.forget_member, member.id)
        await self.desk.withdraw(copies)
        if not await self.store.call(fold_wal):
            log.warning("member %s forgotten, but another connection kept the database's -wal file from being "
                        "emptied: their words stay in it until the next checkpoint", member.id)
        self._forget_memory(member.id)
        log.info("member %s asked to forget their data: %d rows deleted", member.id, deleted)
        return [Reply(_("Done: your data has been deleted from Puente. You can write again at any time."))]

    async def handle_stale(self, member: Member, data: str) -> list[Reply]:
        """A button we no longer understand (old keyboard, FAQ reloaded, forged data)."""
        return await self._respond(member, data[:64], "callback", self._stale)

    async def handle_unknown_command(self, member: Member, command: str) -> list[Reply]:
        """A command we don't offer (or one the member may not use): say what we do offer."""

        def build(lang: str) -> Reply:
            _ = Translator(lang)
            return Reply(_("I don't know that command. Write your question in your own words, or tap /menu or /help."))

        return await self._respond(member, command[:200], "command", build)

    def _stale(self, lang: str) -> Reply:
        _ = Translator(lang)
        return Reply(_("That option is no longer available. Write your question or tap /menu."))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
