"""Language requests in words that refuse a language, name two, or come with a menu or a ticket
open; and the reply language of messages without grammar words (session 10's review: each test
failed when written; each is a message a member could send from a phone)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from conversation.pipeline import Member, NoDesk, Pipeline
from faq.matcher import Candidate
from faq.smalltalk import classify_smalltalk
from storage.store import Store
from tests.helpers import chosen, last_in

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")       # Spanish app
LUPE = Member(id=303, chat_id=303, first_name="Lupe", language_code="en-US")  # a US phone, writes Spanish


# ---------------------------------------------------------------------------------------- negation
@pytest.mark.parametrize(("text", "refused"), [
    ("not in english", "en"),
    ("dont answer in english", "en"),
    ("dont reply in english please", "en"),
    ("dont answer in spanish", "es"),
    ("i cant read in spanish", "es"),
    ("no me hable en ingles", "en"),
    ("no se hablar en ingles", "en"),
    ("no se escribir en ingles", "en"),
    ("el ingles no lo hablo", "en"),
    ("ingles no entiendo", "en"),
])
def test_a_language_refused_is_not_the_language_chosen(text: str, refused: str) -> None:
    """_NEGATED only sees a negation right before the language name (with a fixed list of verbs
    between): a "no" after it ("inglés no entiendo"), or an "en"/"in"/"me"/"answer" between ("no sé
    hablar en inglés", "don't answer in English") is missed, and the member is switched to — and
    locked into (chosen_language) — exactly the language they said they can't read."""
    assert classify_smalltalk(text) != f"language-{refused}"


async def test_dont_you_speak_spanish_does_not_switch_to_english(pipeline: Pipeline, store: Store) -> None:
    """Lupe (US phone) gets an English reply and asks, annoyed, "¿no hablan español?" ("don't you
    speak Spanish?"). "hablan" is among _NEGATED's verbs, so she is told "Done: I'll answer you in
    English" and chosen_language = "en" keeps every later answer in English."""
    await pipeline.handle_text(LUPE, "no hablan español?")
    assert chosen(store, LUPE) != "en"


# ---------------------------------------------------------------------------------------- not recognised
@pytest.mark.parametrize(("text", "wanted"), [
    ("en español porfavor", "es"),            # "porfavor" in one word: answered with the Mayan-languages entry
    ("mejor en español", "es"),
    ("me puede contestar en español", "es"),
    ("me puede responder en español por favor", "es"),
    ("no ingles, español por favor", "es"),   # two names: escalated as an unknown question
    ("english not spanish", "en"),
    ("not spanish, english please", "en"),
    ("puedo escribir en ingles?", "en"),      # "Todavía no tengo respuesta para eso…"
])
async def test_plain_language_requests_are_recognised(
        pipeline: Pipeline, store: Store, text: str, wanted: str) -> None:
    await pipeline.handle_text(ANA, text)
    assert chosen(store, ANA) == wanted, last_in(store, ANA)


@pytest.mark.parametrize("text", [
    "ayuda en español", "necesito ayuda en español", "help in spanish",
    "buenas, me podria atender en español", "hay alguien que hable español",
])
async def test_asking_for_help_in_a_language_is_not_answered_with_the_mayan_languages_entry(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """All of these are answered outright with "¿Hay información del programa de migrantes en
    idiomas mayas? Sí, el sitio web del IGSS tiene información en k'iche', kaqchikel…"."""
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[1:] != ("answer", "migrant-languages")


@pytest.mark.parametrize("text", ["menu en español", "menu in english"])
async def test_the_menu_in_a_language_is_not_an_unknown_question(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """"menu" alone shows the topics; "menu in english" is escalated ("I don't have an answer to
    that yet. I've noted your question so our team can add it")."""
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[1] != "escalate"


@pytest.mark.parametrize("text", ["cambiar idioma", "cambiar el idioma", "change language"])
async def test_change_language_in_words_offers_the_languages(pipeline: Pipeline, text: str) -> None:
    """/help says "/language – change the language"; typing it in words instead gets a list of FAQ
    questions topped by the Mayan-languages entry, and no way to pick Spanish or English."""
    replies = await pipeline.handle_text(ANA, text)
    data = [b.data for r in replies for row in r.buttons for b in row]
    assert any(d.startswith("lang:") for d in data), data


@pytest.mark.parametrize("text", ["idioma", "Idioma?", "otro idioma", "idioma por favor", "language",
                                  "language please", "other language"])
async def test_the_word_for_language_alone_offers_the_languages(pipeline: Pipeline, text: str) -> None:
    """Session 17's review: "idioma" or "language" typed alone (as a member who read /idioma would)
    was answered with the entry on information in Mayan languages."""
    replies = await pipeline.handle_text(ANA, text)
    data = [b.data for r in replies for row in r.buttons for b in row]
    assert data == ["lang:es", "lang:en"], [r.text[:60] for r in replies]


@pytest.mark.parametrize("text", ["mi idioma", "idiomas mayas", "solo hablo mi idioma", "idioma k'iche'"])
async def test_a_members_own_language_is_still_the_mayan_languages_entry(pipeline: Pipeline, store: Store,
                                                                         text: str) -> None:
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[2] == "migrant-languages"


# ---------------------------------------------------------------------------------------- reply language
@pytest.mark.parametrize("text", ["reembolso medicinas", "reembolso", "proveedor igss", "leer carta igss",
                                  "cooperativa"])
async def test_spanish_words_with_ee_or_oo_are_answered_in_spanish_on_a_spanish_phone(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """500b5fb runs the spelling vote whatever the phone says; _EN_SHAPE counts "ee"/"oo" as
    English, so "reembolso", "proveedor", "leer", "cooperativa" outvote a Spanish app and the
    member is answered in English."""
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[0] == "es"


@pytest.mark.parametrize(("member", "text", "wanted"), [
    (LUPE, "ayuda porfa", "es"),
    # ("cita medica" stays with the phone: the FAQ's English alternates say "get a cita at IGSS")
    (LUPE, "requisitos", "es"),
    (LUPE, "seguro migrantes", "es"),
    (ANA, "lost card", "en"),
    # ("late payment" stays with the Spanish phone: one English word is how Spanglish looks)
    (ANA, "insurance cost", "en"),
], ids=lambda v: v if isinstance(v, str) else None)
async def test_unmistakable_words_decide_the_language_over_the_phone(
        pipeline: Pipeline, store: Store, member: Member, text: str, wanted: str) -> None:
    """Without a grammar word or a telling suffix the phone's language wins, even when every word
    is plainly Spanish ("ayuda porfa" → the English /help text) or plainly English ("lost card" →
    the Spanish answer); the FAQ itself knows which language these words belong to."""
    await pipeline.handle_text(member, text)
    assert last_in(store, member)[0] == wanted


# ---------------------------------------------------------------------------------------- open ticket
class OpenTicketDesk(NoDesk):  # (NoDesk: the rest of the Desk protocol, a desk that asked nothing)
    """A desk where the member already has an open ticket: every follow-up joins it."""

    accepts_media = True

    def __init__(self) -> None:
        self.followed: list[str] = []

    async def escalate(self, member: Member, *, lang: str, question: str, candidates: Sequence[Candidate],
                       reason: str, **kw: Any) -> str:
        return "escalated"

    async def follow_up(self, member: Member, *, lang: str, text: str, **kw: Any) -> str | None:
        self.followed.append(text)
        return ""


async def test_a_language_request_while_waiting_for_staff_reaches_staff(pipeline: Pipeline) -> None:
    """Staff (who type the answers themselves) wrote to Ana in English; she replies "no entiendo,
    en español por favor". It is taken as a bot setting and never joins her ticket: staff do not
    learn she cannot read them and keep writing English."""
    desk = OpenTicketDesk()
    pipeline.desk = desk
    await pipeline.handle_text(ANA, "no entiendo, en español por favor")
    assert desk.followed == ["no entiendo, en español por favor"]


async def test_menu_in_a_language_shows_the_topics_in_it_and_keeps_it(pipeline: Pipeline, store: Store) -> None:
    [reply] = await pipeline.handle_text(ANA, "menu in english")
    assert chosen(store, ANA) == "en"
    assert any(b.data.startswith("cat:") for row in reply.buttons for b in row), reply.buttons
    [again] = await pipeline.handle_text(ANA, "menú en español")
    assert chosen(store, ANA) == "es" and again.text != reply.text


async def test_a_language_request_while_waiting_for_staff_also_sets_the_language(pipeline: Pipeline,
                                                                                  store: Store) -> None:
    pipeline.desk = OpenTicketDesk()
    replies = await pipeline.handle_text(LUPE, "english please")
    assert chosen(store, LUPE) == "en"
    assert any("English" in r.text for r in replies), [r.text for r in replies]


def test_words_by_language_keeps_only_words_one_language_uses() -> None:
    from faq.language import detect_language, words_by_language

    words = words_by_language([("¿Cuáles son los requisitos del IGSS?", "es"),
                               ("What are the IGSS requirements? Bring your DPI to the hospital", "en"),
                               ("Lleve su DPI al hospital", "es")])
    assert words["requisitos"] == "es" and words["requirements"] == "en" and words["bring"] == "en"
    assert "igss" not in words and "dpi" not in words and "hospital" not in words  # both languages use them
    # Without grammar words, those words decide over the phone's language; unknown words do not.
    assert detect_language("requisitos", default="en", words_of=words) == "es"
    assert detect_language("requirements bring", default="es", words_of=words) == "en"
    assert detect_language("requisitos", default="en") == "en"
    assert detect_language("igss", default="en", words_of=words) == "en"
    # One English word in a Spanish member's message is Spanglish, and words of both cancel out.
    assert detect_language("requirements igss", default="es", words_of=words) == "es"
    assert detect_language("requisitos bring", default="en", words_of=words) == "en"


@pytest.mark.parametrize(("text", "kind"), [
    ("is there someone who speaks spanish", "language-es"),
    ("no entiendo en español por favor", "language-es"),   # a correction, then the language wanted
    ("no entiendo en ingles", "language-es"),               # not understanding English
    ("habla inglés?", "language-en"),
    ("¿hay información en español?", None),                  # a question for the FAQ
    ("necesito mi acta de nacimiento en ingles", None),
    ("tengo 2 hijos que no hablan español", None),
    ("¿qué idioma hablan?", None),
])
def test_language_requests_read_as_meant(text: str, kind: str | None) -> None:
    assert classify_smalltalk(text) == kind
