"""Review of session 11's first changes (vocabulary, language requests, ages, sheets, the answer
lift in FAQs with few alternates), written by probing as members and admins would. Each test
failed when written (on the reviewed code or, for the language requests of section 1, before it).
Still open, and not asserted: on alt FAQ 34 "I got deported, what happens to my payments" is
answered with the physiotherapy entry ("what happens if I miss one"), and two device questions
that were answered are now offered, right entry within one tap."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from faq.analysis import Analyzer
from faq.csvio import parse_csv
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.smalltalk import requested_language
from faq.vocabulary import load_vocabulary
from tests.helpers import ages

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "faq" / "data" / "vocabulary.yaml"


@cache
def _vocab():
    return load_vocabulary(VOCAB)


@cache
def matcher(path: str = "faq/data/faq.yaml") -> Matcher:
    return Matcher(load_faq(ROOT / path), _vocab())


def terms(text: str) -> list[str]:
    an = Analyzer(_vocab())
    return an.terms(an.words(text))


HEADER = "id,category,question_es,question_en,alternates_es,alternates_en,answer_es,answer_en,source\n"


# --- 1. A request for one language followed by a reason without "que/porque" flips to the other ---
@pytest.mark.parametrize("text, wanted", [
    ("en español porfa no entiendo", "es"),
    ("hablame en español no entiendo nada", "es"),
    ("escribeme en español no le entiendo", "es"),
    ("english please i dont understand", "en"),
])
def test_language_request_with_a_reason_is_not_reversed(text, wanted):
    assert requested_language(text) == wanted


# --- 2. _NEED_QUESTION: "need english" anywhere before a "?" vetoes a plain request ---
@pytest.mark.parametrize("text, wanted", [
    ("can you answer in english? i need english", "en"),
    ("i need english, can you?", "en"),
    ("¿me puedes contestar en español? necesito español", "es"),
])
def test_need_language_with_a_question_elsewhere_is_still_a_request(text, wanted):
    assert requested_language(text) == wanted


# --- 3. _IS_IT: "está bien" (accepting a language) in a question is now read as "is it in…?" ---
@pytest.mark.parametrize("text, wanted", [
    ("¿inglés está bien?", "en"),
    ("español esta bien?", "es"),
    ("¿me puedes escribir en inglés? esta bien", "en"),
])
def test_language_esta_bien_question_is_a_request(text, wanted):
    assert requested_language(text) == wanted


# --- 4. Stray-quote detector: a real answer is refused as a swallowed row ---
def test_answer_with_a_list_and_a_question_is_not_a_swallowed_row(tmp_path: Path):
    sheet = tmp_path / "faq.csv"
    sheet.write_text(HEADER + (
        'docs,enrollment,¿Qué documentos necesito?,What documents do I need?,,,'
        '"Lleve uno de estos:\nDPI, pasaporte, identificación consular o certificado de nacimiento. ¿No sabe cuál?",'
        '"Bring one of these:\nDPI, passport, consular ID, or birth certificate. Not sure which one?",\n'
        'cost,payments,¿Cuánto cuesta?,How much is it?,,,Q1000 al mes.,Q1000 a month.,\n'), encoding="utf-8")
    parsed = parse_csv(sheet)
    assert parsed.problems == []
    assert len(parsed.faq.entries) == 2


# --- 5. Stray-quote detector: rows of a new category whose questions have no "?" vanish silently ---
def test_stray_quote_swallowing_rows_without_question_marks_is_reported(tmp_path: Path):
    sheet = tmp_path / "faq.csv"
    sheet.write_text(HEADER + (
        'pay-card,payments,¿Cómo pago con tarjeta?,How do I pay by card?,,,"Entre al portal, elija pagar.",'
        '"Go to the portal, choose pay.",\n'
        'pay-bank,payments,¿Dónde pago en el banco?,Where do I pay at a bank?,,,'
        '"Bancos autorizados con su boleta.,At authorised banks with your slip.,\n'
        'hours-office,horarios,Horario de oficinas centrales,Main office hours,,,Lunes a viernes de 8 a 16.,'
        'Monday to Friday 8 to 4.,\n'
        'hours-er,horarios,Horario de emergencias,Emergency room hours,,,Las 24 horas.,24 hours.,\n'
        'contact-phone,contacto,Teléfono del IGSS,IGSS phone number,,,"Llame al 2412-1224, de lunes a viernes.",'
        '"Call 2412-1224, Monday to Friday.",\n'), encoding="utf-8")
    parsed = parse_csv(sheet)
    # 5 rows typed; the reviewed code reports nothing and loads 2 entries.
    assert parsed.problems or len(parsed.faq.entries) == 5


# --- 6. Single-word synonyms catch every word of their stem ---
@pytest.mark.parametrize("text, wrong", [
    ("how do I fill out the form", "=dental"),          # fill/filled/filling -> dental
    ("condonacion de multas", "=planificacion familiar"),  # condonar -> condón
    ("el tramite es muy lento", "=anteojos"),            # lento -> lentes
    ("he oido que el igss paga", "=audicion"),           # he oído (I've heard) -> hearing
    ("when is my appeal hearing", "=audicion"),
    ("I have hives on my arms", "=vih"),                 # hives -> HIV
    ("I have a mole on my back", "=dental"),             # mole -> molar
    ("calzado de seguridad", "=dental"),                 # calzado -> calza
    ("I need legal counsel", "=salud mental"),           # counsel -> counseling
])
def test_new_synonym_does_not_catch_unrelated_words(text, wrong):
    assert wrong not in terms(text)


# --- 7. ...and that turns a dentist question into an employer-form answer on sparse FAQs ---
@pytest.mark.parametrize("faq, question, wrong", [
    ("tests/data/faq-alt11.csv", "¿me cubren el dentista?", "alt11-employer-register"),
    ("tests/data/faq-alt11.csv", "¿el IGSS tiene dentista para las de PRECAPI?", "alt11-employer-register"),
    ("tests/data/faq-alt32.csv", "¿me cubren el dentista?", "alt32-employer-certificate"),
    ("tests/data/faq-alt32.csv", "¿me pueden sacar una muela?", "alt32-employer-certificate"),
])
def test_dentist_question_is_not_answered_with_a_form_entry(faq, question, wrong):
    r = matcher(faq).match(question)
    assert not (r.decision == "answer" and r.best_id == wrong)


# --- 8. "me puedo meter" (log in) read as enrolling: full-confidence wrong answer ---
def test_cannot_log_in_is_not_answered_with_how_to_enroll():
    r = matcher().match("no me puedo meter al portal")
    assert not (r.decision == "answer" and r.best_id == "migrant-how-enroll")


# --- 9. "me aventaron" (fired / thrown out) read as deported ---
def test_fired_from_job_is_not_answered_with_returning_home():
    r = matcher().match("me aventaron del trabajo que hago")
    assert not (r.decision == "answer" and r.best_id == "migrant-return")


# --- 10. "forgot / don't remember" = lost collides with "do I lose what I paid" ---
@pytest.mark.parametrize("question", ["no recuerdo si ya pague", "no me acuerdo cuanto es la cuota"])
def test_not_remembering_a_payment_is_not_the_return_entry(question):
    r = matcher().match(question)
    assert r.best_id != "migrant-return"


# --- 11. US Social Security "in Guatemala" now names the IGSS ---
def test_us_social_security_in_guatemala_is_not_answered_with_igss_return():
    r = matcher().match("will I get my social security in guatemala if I go back")
    assert not (r.decision == "answer" and r.best_id == "migrant-return")


# --- 12. Ages: _AMOUNT_BEFORE drops real ages after pension/fee/pago/sueldo ---
@pytest.mark.parametrize("text, expected", [
    ("¿me dan pensión si tengo 60?", ["60"]),
    ("¿puedo cobrar pension a los 60?", ["60"]),
    ("¿cuánto es la cuota si tengo 45 años?", ["45"]),
    ("what is the monthly fee if I'm 62", ["62"]),
    ("¿a que edad dan la pension? tengo 58", ["58"]),
    ("sueldo minimo y tengo 19 años", ["19"]),
])
def test_age_after_an_amount_word_is_still_an_age(text, expected):
    assert ages(text) == expected


def test_seventeen_year_old_asking_the_fee_is_offered_eligibility():
    r = matcher().match("cuanto es la cuota si tengo 17")
    assert r.best_id == "migrant-who-eligible"


# --- 13. Ages: new _SPAN_AFTER participles make "mi hijo de N años inscrito/casada" no age ---
@pytest.mark.parametrize("text, expected", [
    ("mi hija de 6 años inscrita como beneficiaria se enfermo", ["6"]),
    ("mi hijo de 19 años afiliado al igss puede estar en mi plan?", ["19"]),
    ("mi hija de 17 años casada sigue siendo beneficiaria?", ["17"]),
    ("a mi hijo de 5 años atrasado en vacunas lo vacunan?", ["5"]),
])
def test_de_n_anos_followed_by_a_participle_is_an_age(text, expected):
    assert ages(text) == expected


def test_eight_year_old_beneficiary_is_not_answered_with_registration_steps():
    r = matcher("tests/data/faq-alt37.csv").match("mi hijo de 8 años inscrito como beneficiario todavia lo atienden?")
    assert not (r.decision == "answer" and r.best_id == "alt37-register-children")


# --- 14. Answer-word lift answers off-topic questions on FAQs with few alternates ---
@pytest.mark.parametrize("faq, question, wrong", [
    ("tests/data/faq-alt22.csv", "¿cómo saco mi pensión de vejez?", "alt22-pensioner-care"),
    ("tests/data/faq-alt22.csv", "¿me dan pensión por invalidez si tengo diabetes?", "alt22-pensioner-care"),
    ("tests/data/faq-alt16.csv", "my father died in the US, does IGSS pay for repatriation", "alt16-parents-pension"),
    ("tests/data/faq-alt22.csv", "can I get a dentist appointment at IGSS", "alt22-specialist-referral"),
])
def test_off_topic_question_is_not_answered(faq, question, wrong):
    r = matcher(faq).match(question)
    assert not (r.decision == "answer" and r.best_id == wrong)


# --- 15. Regressions on the very FAQ the new eyes/teeth/hearing vocabulary was written for ---
@pytest.mark.parametrize("question, right", [
    ("¿me hacen limpieza dental gratis?", "alt34-dental-services"),
    ("I hear you can get dentures", "alt34-dental-dentures"),
    ("who fills out the request for the hearing aid?", "alt34-hearing-aids"),
])
def test_alt34_device_questions_are_resolved_within_one_tap(question, right):
    m = matcher("tests/data/faq-alt34.csv")
    r = m.match(question)
    assert (r.decision, r.best_id) == ("answer", right) or (r.decision == "suggest" and right in m.suggestions(r))


# --- 16. "pls" no longer English: short English messages get Spanish replies ---
@pytest.mark.parametrize("question", ["enroll pls", "igss phone pls", "costs pls"])
def test_short_english_message_with_pls_is_answered_in_english(question):
    assert matcher().match(question).lang == "en"


# --- 17. "from my cell" now means online: phone-number questions lose their answer ---
@pytest.mark.parametrize("question, right", [
    ("what number do I dial from my cell", "contact-igss-phone"),
    ("how do I call the IMSS from my cell phone", "contact-imss-phone"),
])
def test_calling_from_a_cell_phone_is_still_the_phone_entry(question, right):
    r = matcher().match(question)
    assert (r.decision, r.best_id) == ("answer", right)
