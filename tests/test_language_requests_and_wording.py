"""Language requests in words, short English without grammar words, and the matcher's third
opinion (wording as typed) where it must not answer: each test was written against a problem an
independent review of session 9's changes reproduced. Two of its wrong answers are still open and
named in the README (a pregnant wife in Dallas, a pension amount asked as "how much money")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
from conversation.pipeline import Member, Pipeline
from faq.loader import load_faq
from faq.matcher import DEFAULT_WEIGHTS, Matcher
from faq.vocabulary import load_vocabulary
from storage.store import Store
from tests.helpers import chosen, rows

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "faq-sample.csv"

ANA = Member(id=101, chat_id=101, first_name="Ana", language_code="es")
MARY = Member(id=202, chat_id=202, first_name="Mary", language_code="en")
JOE = Member(id=303, chat_id=303, first_name="Joe", language_code=None)  # Telegram sent no language


_MATCHERS: dict[tuple[str, float | None], Matcher] = {}


def matcher(path: str | Path, third_margin: float | None = None) -> Matcher:
    """The matcher the bot builds for ``path`` (``third_margin=0``: before the third opinion)."""
    key = (str(path), third_margin)
    if key not in _MATCHERS:
        weights = DEFAULT_WEIGHTS if third_margin is None else dataclasses.replace(DEFAULT_WEIGHTS,
                                                                                    third_margin=third_margin)
        _MATCHERS[key] = Matcher(load_faq(path), load_vocabulary(BUNDLED_VOCABULARY), weights=weights)
    return _MATCHERS[key]


# ------------------------------------------------------------------------------------------------
# 1. "No, en español por favor" switches the member to ENGLISH (and "No, in English" to Spanish).
@pytest.mark.parametrize("member, text, wanted", [
    (MARY, "no, en español por favor", "es"),          # the bot spoke English; she wants Spanish
    (MARY, "no entiendo, en español por favor", "es"),  # "I don't understand, in Spanish please"
    (ANA, "No, in English please", "en"),
])
async def test_no_before_a_language_name_is_not_read_as_a_negated_language(
        pipeline: Pipeline, store: Store, member: Member, text: str, wanted: str) -> None:
    """faq/smalltalk.py requested_language flips the language whenever the message holds any
    negation word ("no hablo inglés" → Spanish). But "no" is also how members start a correction
    ("No, en español por favor") and "no entiendo" how they say they did not understand: the member
    who asks for Spanish is told "Done: I'll answer you in English" and every later answer comes in
    English (chosen_language is stored). The negation must negate the language (a verb of speaking/
    understanding before the language name), not open the message."""
    await pipeline.handle_text(member, "hello" if member is MARY else "hola")
    reply = (await pipeline.handle_text(member, text))[0]
    assert chosen(store, member) == wanted, reply.text


async def test_asking_whether_something_is_in_english_does_not_switch_a_spanish_speaker_to_english(
        pipeline: Pipeline, store: Store) -> None:
    """"¿Está en inglés?" (is the form/the page in English?) is a question. requested_language
    drops "esta" as a greeting word ("cómo está") and reads the rest, "en inglés", as a request for
    English: Ana, who writes Spanish, is switched to English for good."""
    await pipeline.handle_text(ANA, "como me inscribo al programa de migrantes")
    reply = (await pipeline.handle_text(ANA, "¿Está en inglés?"))[0]
    assert chosen(store, ANA) != "en", reply.text


# ------------------------------------------------------------------------------------------------
# 2. Short English messages whose only grammar word was "a" or "he" are now answered in Spanish.
@pytest.mark.parametrize("text", ["he passed away", "he died", "need a new card", "need a doctor appointment"])
async def test_short_english_message_without_other_grammar_words_is_answered_in_english(
        pipeline: Pipeline, store: Store, text: str) -> None:
    """faq/language.py now ignores "a" and "he" (_BOTH). These messages have no other grammar word
    detect_language counts, so a member whose Telegram sends no language (or a Spanish one) gets
    the Spanish answer to plain English ("he passed away" → the survivors' pension in Spanish);
    before the change they were answered in English. Content words are unmistakably English."""
    replies = await pipeline.handle_text(JOE, text)
    assert replies
    logged = rows(store, "select lang from messages where direction='in' and member_id = ?", (JOE.id,))
    assert logged == [{"lang": "en"}], replies[0].text[:80]


# ------------------------------------------------------------------------------------------------
# 5. The third opinion answers with confidence what the framing words alone point to.
@pytest.mark.parametrize("faq_path", [BUNDLED_FAQ, SAMPLE], ids=["bundled", "sample"])
@pytest.mark.parametrize("text", [
    "how much does a passport cost",
    "how much does the delivery cost",      # childbirth: igss-maternity is among the candidates
    "how much does the surgery cost",
    "how much does the mammogram cost",     # imss-mammography is among the candidates
    "how much does the hospital cost",
])
def test_how_much_does_x_cost_is_not_answered_with_the_migrant_fee(faq_path: Path, text: str) -> None:
    """Only "cost" is shared with migrant-cost ("How much does the IGSS migrant program cost?"),
    yet Matcher._wording_confirms counts it as a topic word, BM25 puts migrant-cost first by a
    hair, and rapidfuzz ratio prefers its phrasing by 6-8 points because of "how much does … cost".
    The member asking the price of a passport or of a birth is told the migrant program's monthly
    fee as a sure answer. Before (third_margin=0) the closest questions were offered, which is
    right: the thing priced is not what migrant-cost is about."""
    before = matcher(faq_path, third_margin=0).match(text)
    assert before.decision == "suggest"
    result = matcher(faq_path).match(text)
    assert not (result.decision == "answer" and result.best_id == "migrant-cost"), result


@pytest.mark.parametrize("text", ["necesito cita", "cita", "que necesito para la cita"])
def test_an_appointment_without_institution_is_not_answered_with_the_imss_one(text: str) -> None:
    """IMSS and IGSS appointments score a tie (90.6 / 90.5): the message names no institution. The
    IMSS entry's alternates "cita IMSS" and "¿Qué necesito para la cita digital?" are closer as
    typed, so _spelling_agrees settles the tie and a Guatemalan member asking "necesito cita" is
    sent to IMSS Digital and a Mexican phone number. Both should be offered (as before)."""
    result = matcher(BUNDLED_FAQ).match(text)
    assert result.decision != "answer", result
    assert {"imss-appointment", "igss-appointment"} <= {c.entry_id for c in result.candidates}


@pytest.mark.parametrize("faq_path, text, wrong", [
    (DATA / "faq-alt2.csv", "how much does it cost to send money", "alt2-passport-cost"),
    (DATA / "faq-alt17.csv", "how much does the medicine cost", "alt17-mod40-cost"),
], ids=["remittance-gets-passport-fee", "medicine-gets-modalidad-40-fee"])
def test_other_faqs_how_much_does_x_cost_is_not_answered_with_another_price(
        faq_path: Path, text: str, wrong: str) -> None:
    """The same framing on other FAQs: the price of sending money is answered with the passport fee,
    the price of medicine with Modalidad 40's contribution (Matcher._wording_confirms). Before, the
    closest questions were offered."""
    assert matcher(faq_path, third_margin=0).match(text).decision == "suggest"
    result = matcher(faq_path).match(text)
    assert not (result.decision == "answer" and result.best_id == wrong), result


@pytest.mark.parametrize("faq_path, text, wrong", [
    # Asks how long the father's pension claim takes: answered with IMSS cancer treatment
    # (the only "topic" shared is =padres; a rival topic is overruled in a long message).
    (BUNDLED_FAQ, "kuanto tarda el tramite de la pencion de mi papa, ya metimos los papeles", "imss-cancer-treatment"),
    (SAMPLE, "kuanto tarda el tramite de la pencion de mi papa, ya metimos los papeles", "imss-cancer-treatment"),
    # Asks about children's cancer hospitals in Jalisco: answered with the Oaxaca one.
    (BUNDLED_FAQ, "el imss tiene hospitales pa niños con cancer en jalisco?", "imss-oncocrean-oaxaca"),
], ids=["pension-wait-gets-cancer", "pension-wait-gets-cancer-sample", "jalisco-gets-oaxaca"])
def test_held_out_member_questions_are_not_answered_wrongly_by_the_third_opinion(
        faq_path: Path, text: str, wrong: str) -> None:
    """Members' questions from the held-out sets (blind8-35) that the matcher offered as buttons
    before session 9 and now answers, wrongly, because _wording_confirms/_wording_lifts_doubt take
    closeness of the wording as agreement even when the message's point (tramite de pensión, the
    US, the amount received, Jalisco) is not in the answered entry."""
    assert matcher(faq_path, third_margin=0).match(text).decision == "suggest"
    result = matcher(faq_path).match(text)
    assert not (result.decision == "answer" and result.best_id == wrong), result
