"""Language and age edge cases from the review of session 10's changes (language requests in words,
reply language from the FAQ's one-language words, ages adding "edad"): messages a member could send
from a phone that were still read wrongly. Each test failed when written."""

from __future__ import annotations

import pytest

from conversation.pipeline import Member, Pipeline
from storage.store import Store
from tests.helpers import ages, chosen, last_in

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")      # Spanish app
JOHN = Member(id=202, chat_id=202, first_name="John", language_code="en")    # English app, writes English


# ------------------------------------------------------------------ asking FOR Spanish, locked into English
@pytest.mark.parametrize("text", [
    "no me puede contestar en español?",   # "can't you answer me in Spanish?"
    "no hay en español?",                  # "isn't there (this) in Spanish?"
    "no hay alguien que hable español?",   # "isn't there anyone who speaks Spanish?"
    "no se puede en español?",
    "en español no se puede?",
    "no entiende español?",                # "don't you understand Spanish?" (like "¿no hablan español?")
    "can't you answer in spanish?",
    "don't you speak spanish?",
])
async def test_a_negated_question_asking_for_spanish_does_not_switch_to_english(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """_refused only exempts "habla/hablan/entiende/sabe" right after the "no": with "puede",
    "hay", "se puede", "you speak" (or a "no" after the name) Spanish counts as refused, so the
    member is told "Done: I'll answer you in English" and chosen_language = "en" sticks."""
    await pipeline.handle_text(ANA, text)
    assert chosen(store, ANA) != "en", last_in(store, ANA)


@pytest.mark.parametrize("text", [
    "no entiendo en ingles por favor", "no entiendo en ingles porfa", "no entiendo en inglés porfavor",
])
async def test_not_understanding_english_please_is_not_a_request_for_english(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """The "correction" exemption (for "no entiendo en español por favor") also fires for English:
    a member who says they don't understand English is switched to English."""
    await pipeline.handle_text(ANA, text)
    assert chosen(store, ANA) != "en"


# ------------------------------------------------------------------ real questions taken as requests
@pytest.mark.parametrize("text", ["necesito hablar ingles?", "hay que hablar ingles?"])
async def test_asking_whether_english_is_required_is_not_a_language_switch(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """"Do I need to speak English?" (for the consulate, the enrolment…): "necesito", "hay", "que"
    are now language padding, so the member who fears English is locked into English."""
    await pipeline.handle_text(ANA, text)
    assert chosen(store, ANA) != "en" and last_in(store, ANA)[0] == "es", last_in(store, ANA)


# ------------------------------------------------------------------ requests not recognised
@pytest.mark.parametrize(("text", "wanted"), [
    ("quien habla español", "es"),          # "who speaks spanish" works; answered with the Mayan-languages entry
    ("puede ser en español", "es"),         # Mayan-languages entry
    ("Espanol por fa", "es"),               # "porfa" works, "por fa" does not
    ("podemos hablar en ingles", "en"),     # escalated as an unknown question
])
async def test_more_plain_language_requests_are_recognised(
        pipeline: Pipeline, store: Store, text: str, wanted: str) -> None:
    await pipeline.handle_text(ANA, text)
    assert chosen(store, ANA) == wanted, last_in(store, ANA)


@pytest.mark.parametrize("text", ["menu en español porfavor", "menu en español plis"])
async def test_the_menu_in_a_language_with_a_one_word_please_shows_the_topics(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """"menu en español por favor" opens the topics; with "porfavor"/"plis" it is escalated."""
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[1] == "smalltalk", last_in(store, ANA)


@pytest.mark.parametrize("text", ["language options", "language settings", "opciones de idioma"])
async def test_asking_for_the_language_settings_offers_the_languages(pipeline: Pipeline, text: str) -> None:
    """Answered with "Is there information about the migrant program in Mayan languages?"."""
    replies = await pipeline.handle_text(ANA, text)
    data = [b.data for r in replies for row in r.buttons for b in row]
    assert any(d.startswith("lang:") for d in data), [r.text[:60] for r in replies]


async def test_menu_no_english_is_not_answered_in_english(pipeline: Pipeline, store: Store) -> None:
    """Escalated, and the "I don't have an answer" reply is in English."""
    await pipeline.handle_text(ANA, "menu, no english")
    assert last_in(store, ANA)[0] == "es", last_in(store, ANA)


# ------------------------------------------------------------------ reply language from words_of
@pytest.mark.parametrize(("member", "text", "wanted"), [
    # The FAQ's Spanish alternate "¿El IGSS me cubre el urgent care o la emergency room aquí?" makes
    # "room" and "urgent" Spanish-only words: an English phone asking in English gets Spanish.
    (JOHN, "emergency room", "en"),
    (JOHN, "urgent care", "en"),
    # "info", "online", "central", "pap" are English-only words of the FAQ, but everyday Spanish
    # on a Spanish phone (all were answered in Spanish before 9ed401a).
    (ANA, "info igss", "es"),
    (ANA, "info seguro", "es"),
    (ANA, "cita online", "es"),
    (ANA, "imss online", "es"),
    (ANA, "oficina central", "es"),
    (ANA, "examen pap", "es"),
], ids=lambda v: v if isinstance(v, str) else None)
async def test_words_shared_in_real_use_do_not_override_the_phone(
        pipeline: Pipeline, store: Store, member: Member, text: str, wanted: str) -> None:
    await pipeline.handle_text(member, text)
    assert last_in(store, member)[0] == wanted


async def test_spanglish_spelled_by_ear_is_still_answered(pipeline: Pipeline, store: Store) -> None:
    """"online" (English-only in the FAQ) makes the message English, which turns off the spelling
    by ear: "kuanto kuesta" is no longer "cuánto cuesta", and the question answered before 9ed401a
    (migrant-cost) is escalated, in English."""
    await pipeline.handle_text(ANA, "kuanto kuesta seguro online")
    assert last_in(store, ANA) == ("es", "answer", "migrant-cost")


# ------------------------------------------------------------------ ages
@pytest.mark.parametrize("text", [
    "mi bebe tiene 10 dias, como lo inscribo",   # "dias" is a stopword ("buenos días"), so "10" ends a clause
    "tengo 5 dias de incapacidad",
    "tengo 2 años sin pagar",                    # "sin" is not a word of a span
    "tengo 3 años sin cotizar",
])
def test_days_and_time_without_paying_are_not_ages(text: str) -> None:
    assert ages(text) == []


async def test_a_newborn_of_ten_days_is_not_answered_with_who_can_enroll(pipeline: Pipeline, store: Store) -> None:
    """"10 dias" read as an age: answered outright with "¿Quién se puede inscribir al programa de
    migrantes?" (before 5def571: the suggestions led by how to register the family)."""
    await pipeline.handle_text(ANA, "mi bebe tiene 10 dias, como lo inscribo")
    assert last_in(store, ANA)[1:] != ("answer", "migrant-who-eligible")


@pytest.mark.parametrize(("text", "wrong"), [
    ("tengo 2 años sin pagar, pierdo mi seguro?", "igss-lost-card"),   # before: migrant-previous-contributions
    ("tengo 2 años sin pagar puedo reactivar", "igss-medicines"),      # before: migrant-previous-contributions
])
async def test_years_without_paying_are_not_read_as_an_age(
        pipeline: Pipeline, store: Store, text: str, wrong: str) -> None:
    """"2 años" taken as the member's age drops "años" as time of contributions: the first
    suggestion becomes the lost card / the free medicines entry."""
    await pipeline.handle_text(ANA, text)
    assert last_in(store, ANA)[2] != wrong, last_in(store, ANA)
