"""The reply language of short messages without grammar words on phones set to the other
language, and language statements that are not requests ("hablo poco inglés", "él no habla
inglés", "No, English please"). Each test was written against a problem an independent review
reproduced (session 9's last review)."""

from __future__ import annotations

import pytest

from conversation.pipeline import Member, Pipeline
from faq.smalltalk import classify_smalltalk
from storage.store import Store
from tests.helpers import chosen

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")       # Spanish app
MARY = Member(id=202, chat_id=202, first_name="Mary", language_code="en")     # English app
LUPE = Member(id=303, chat_id=303, first_name="Lupe", language_code="en-US")  # a US phone, writes Spanish


def logged_langs(store: Store, member: Member) -> list[str]:
    return store.call_sync(lambda db: [r[0] for r in db.execute(
        "select lang from messages where direction = 'in' and member_id = ? order by id", [member.id])])


# ---------------------------------------------------------------------------------------- reply language
@pytest.mark.parametrize(("member", "messages", "wanted"), [
    (LUPE, ["he pagado 3 meses"], "es"),              # the docstring's own Spanish example
    (LUPE, ["pension atrasada"], "es"),
    (LUPE, ["constancia afiliacion"], "es"),
    (LUPE, ["incapacidad trabajo"], "es"),
    (LUPE, ["hello", "he pagado 3 meses"], "es"),     # switches to Spanish mid-conversation
    (ANA, ["need a new card"], "en"),                 # the docstring's own English example
    (ANA, ["checking payment status"], "en"),
    (ANA, ["sick leave"], "en"),
], ids=lambda v: v if isinstance(v, str) else None)
async def test_a_phone_language_does_not_overrule_what_the_member_plainly_wrote(
        pipeline: Pipeline, store: Store, member: Member, messages: list[str], wanted: str) -> None:
    """conversation/pipeline.py _reply_lang now passes by_spelling=False whenever the Telegram app
    sends a language code — which every Telegram app does — so detect_language's spelling step
    ("-ado", "-ción", "ee", "-ing") runs only for members without one. A Spanish speaker on a
    US phone (app in English) who types "he pagado 3 meses" or "pension atrasada" — short, no
    grammar word, no accent, as phones type — now gets the answer in English, and the
    conversation is logged as English (buttons and later taps follow); before the commit these
    were answered in Spanish. The other way round, "need a new card" from a Spanish app now gets
    Spanish. The commit wanted a brand or place name ("whatsapp", "Orlando") not to switch the
    language; it switched off the spelling of every word instead."""
    for text in messages:
        replies = await pipeline.handle_text(member, text)
    assert logged_langs(store, member)[-1] == wanted, replies[0].text[:80]


# ---------------------------------------------------------------------------------------- language requests
@pytest.mark.parametrize("text", [
    "hablo poco ingles", "hablo muy poco inglés", "entiendo poco ingles", "sé muy poco inglés",
    "solo hablo un poco de ingles", "muy poco ingles",
])
def test_a_little_english_is_not_a_request_for_english(text: str) -> None:
    """faq/smalltalk.py: the commit added "un", "poco", "nada", "de"… to LANGUAGE_PAD, so a
    member saying they barely speak English ("hablo muy poco inglés") is read as asking for
    English: told "Done: I'll answer you in English", and chosen_language = "en" makes every later
    answer English. Before the commit these were not language requests at all."""
    assert classify_smalltalk(text) != "language-en"


@pytest.mark.parametrize("text", [
    "no hablamos ingles", "no hablamos inglés por favor", "nada de inglés, por favor", "nada de ingles plis",
])
def test_we_do_not_speak_english_and_nada_de_ingles_ask_for_spanish(text: str) -> None:
    """"hablamos" and "nada" are new LANGUAGE_PAD words, but _NEGATED knows neither "hablamos" as a
    verb nor "nada de" without a "no" before it: "no hablamos inglés" (a couple writing together)
    and "nada de inglés, por favor" now switch the member to English — the opposite of what they
    asked. Before the commit they were not read as language requests."""
    assert classify_smalltalk(text) == "language-es"


async def test_no_english_please_with_a_comma_keeps_an_english_speaker_in_english(
        pipeline: Pipeline, store: Store) -> None:
    """An English speaker on a Spanish app writes "need a new card" and (see above) is answered in
    Spanish. She corrects it the usual way: "No, English please". _NEGATED now reads any "no"
    before a language name as "not this language" (clean() drops the comma), so Puente answers
    "Listo: le contesto en español" and stores chosen_language = "es": she is locked into Spanish.
    Before the commit "no, english please" chose English; the commit's own comment keeps a leading
    "no," as a correction that names the language wanted."""
    await pipeline.handle_text(ANA, "need a new card")
    reply = (await pipeline.handle_text(ANA, "No, English please"))[0]
    assert chosen(store, ANA) == "en", reply.text[:80]


@pytest.mark.parametrize("text", ["él no habla inglés", "el no habla ingles"])
def test_a_relative_who_does_not_speak_english_is_not_a_request_for_english(text: str) -> None:
    """(Not new in this commit, but in the code it touched.) "él no habla inglés" — about a
    husband or father — is read as a language request (él, habla are pad words) and, as "habla" is
    not among _NEGATED's verbs, as a request for *English*: the Spanish-speaking member is
    switched to English and the statement never reaches the matcher or an open ticket."""
    assert classify_smalltalk(text) != "language-en"


async def test_a_held_down_key_is_answered_in_the_conversations_language(
        pipeline: Pipeline, store: Store) -> None:
    """A member writing English who holds a key down ("xxxx…", 5000 times) was told "Disculpe,
    intentemos de nuevo…": the repeated letter folds to "x", Spanish for "por". The reply and the
    language logged for the conversation stay English, so the next "lol" is not answered in Spanish."""
    await pipeline.handle_text(ANA, "how much does the program cost?")
    replies = await pipeline.handle_text(ANA, "x" * 5000)
    assert replies[0].text.startswith("Sorry"), replies[0].text[:80]
    assert logged_langs(store, ANA)[-1] == "en"


async def test_a_language_switch_turns_later_does_not_replay_an_old_answer(pipeline: Pipeline) -> None:
    """Session 16's review: an answer, then a list, "none of these", a request for a person, and
    only then "en español por favor": the phone number from four turns before came again. The
    answer is sent again only right after it (nothing but a command or a tap in between)."""
    await pipeline.handle_text(MARY, "what's the igss phone number")
    await pipeline.handle_text(MARY, "can i talk to a real person")
    replies = await pipeline.handle_text(MARY, "en español por favor")
    assert len(replies) == 1 and "otra vez" not in replies[0].text, [r.text[:60] for r in replies]
    await pipeline.handle_text(MARY, "how much does the igss migrant program cost")
    replies = await pipeline.handle_text(MARY, "in english please")
    assert len(replies) == 2, [r.text[:60] for r in replies]  # right after the answer: sent again
