"""Third review of session 11 (case numbers, names quoted in both languages, the second review's
fixes), written by probing as members and admins would. Each test failed when written. Left as
designed: a long number alone ("12345678901") is not taken for a case number, since it may be a
phone number or an amount; only one named as such is ("mi nss es …", "folio …")."""


import pytest

import bot
from config import Settings
from faq.csvio import parse_csv
from faq.smalltalk import requested_language


@pytest.fixture(scope="module")
def matcher():
    return bot._ask_snapshot(Settings.from_env({}), None).matcher


# 1. Case-number false positives: not the member's case file, yet 'own case' reply / staff label.
@pytest.mark.parametrize("q", [
    "do I need the 1099-MISC form to pay igss",          # US tax form
    "necesito el W-2 o 1040-NR para inscribirme",         # US tax form
    "mi telefono es 2135550199 llamenme",                 # phone number
    "mi numero es 50255551234",                           # Guatemalan phone with country code
    "cuanto es la pension si tengo 1000000 pesos ahorrados",  # amount
    "pague Q1500000 en total",                            # amount
    "el 15-ene-2024 pague la cuota y no aparece",         # date
    "me inscribi en modalidad 40 en enero-2024 cuando me pensiono",  # month-year
    "mi correo es juan-1985@gmail.com no puedo entrar al portal",    # e-mail
    "my address is 1234-B Elm St, how do I update my address",       # address
    "vivo en Apt-1204 como actualizo mi direccion",                  # address
    # Everyday words before an amount: "mi caso es que…" is "my situation is…"; a plane ticket, a
    # claim or a DPI has a price; a ZIP code (fourth review).
    "mi caso es que tengo 60000 pesos en la afore, que hago",
    "mi caso es que tengo 60000 pesos en la afore",
    "cuanto cuesta un ticket de avion de 15000 pesos",
    "how do I claim my 15000 pesos from the afore",
    "I bought a plane ticket for 15000 pesos, can I still pay igss from abroad",
    "tengo un ticket de avion de 12000 pesos puedo pagar la cuota",
    "the ticket price was 12345 dollars can igss reimburse",
    "cuanto tarda el reclamo si gano 15000 al mes",
    "can I claim 15000 pesos of my afore",
    "el DPI cuesta 1500000? no creo",
    "cuanto cuesta sacar el dpi si vivo en 90210",
    "mi reclamo del mes pasado es de 15000 pesos",
    "the claim is 50000 dollars, is that normal",
])
def test_not_a_case_number(matcher, q):
    assert matcher.match(q).smalltalk != "case"


def test_tax_form_question_still_offered(matcher):
    # without "-MISC" the same question is suggested; with it, it goes to staff as an 'own case'
    assert matcher.match("do I need the 1099-MISC form to pay igss").decision != "escalate"


# 2. Case numbers the rule misses: NSS/DPI typed with spaces or dashes (how they are printed).
@pytest.mark.parametrize("q", [
    "mi nss es 12 34 56 7890 1 cuanto tengo en la afore",
    "mi nss es 12-34-56-7890-1 cuanto tengo",
    "mi dpi es 2345 67890 0101 quiero saber mi pension",
])
def test_spaced_or_dashed_nss_is_a_case(matcher, q):
    assert matcher.match(q).smalltalk == "case"


# 3. A case number alone (or after thanks) gets the old 'no-match' reply, not 'own case'.
@pytest.mark.parametrize("q", ["expediente 45871-IVS", "gracias, mi folio es 2024-IVS-10397",
                               # a few words naming the file before "es" (session 12)
                               "mi folio del tramite del seguro familiar es 23-000451, ya quedo?",
                               "el folio que me dieron en la clinica es 2024-IVS-10397",
                               "my claim from last year is 99887766, any news?"])
def test_bare_case_number_is_own_case(matcher, q):
    assert matcher.match(q).smalltalk == "case"


# 4. names_in_both keeps fragments made of grammar words ("para la familia"): Spanish read as English.
def test_para_la_familia_is_not_a_name(matcher):
    assert ("para", "la", "familia") not in matcher.names
    assert matcher.language("info para la familia", "en") == "es"


# 5. English language request with a reason is not understood (Spanish analogue is).
@pytest.mark.parametrize("q", ["speak english please my spanish is not good", "english please my spanish is bad"])
def test_english_request_with_reason(q):
    assert requested_language(q) == "en"


# 6. Wrong answers from the vocabulary changes.
def test_cannot_log_in_is_not_register_beneficiaries(matcher):
    r = matcher.match("no me puedo meter al portal")
    assert not (r.decision == "answer" and r.best_id == "igss-register-beneficiaries")


def test_sign_up_from_my_phone_is_not_phone_numbers(matcher):
    r = matcher.match("how do I sign up from my phone")
    assert not (r.decision == "answer" and r.best_id == "contact-igss-phone")


# 7. CSV stray-quote detector.
HEADER = "id,category,question_es,question_en,alternates_es,alternates_en,answer_es,answer_en,source\n"


def test_multiline_answer_list_is_no_swallowed_row(tmp_path):
    p = tmp_path / "faq.csv"
    p.write_text(HEADER + 'services,salud,¿Qué servicios cubre?,What services are covered?,servicios,services,'
                 '"Cubre:\ncheck-up, vacunas, laboratorio, rayos X, consulta general.",'
                 '"It covers:\ncheck-up, vaccines, lab, X-rays, general visits.",igss.gob.gt\n', encoding="utf-8")
    assert parse_csv(p).problems == []


def test_swallowed_row_with_known_category_containing_slash(tmp_path):
    p = tmp_path / "faq.csv"
    p.write_text(HEADER
                 + 'pay,Pagos / Payments,¿Cómo pago?,How do I pay?,pago,pay,"Pague en el banco.,Pay at the bank.,x\n'
                 + 'hours,Pagos / Payments,Horario de oficinas,Office hours,horario,hours,De 7 a 15,From 7 to 15,x\n'
                 + 'card,Pagos / Payments,Tarjeta perdida,Lost card,tarjeta,card,Vaya.,Go.",x\n'
                 + 'x,Pagos / Payments,¿Otra?,Other?,a,b,c,d,x\n', encoding="utf-8")
    assert any("not closed" in pr.message for pr in parse_csv(p).problems)


def test_swallowed_row_uppercase_dashed_id(tmp_path):
    p = tmp_path / "faq.csv"
    p.write_text(HEADER
                 + 'PAY-01,pagos,¿Cómo pago?,How do I pay?,pago,pay,"Pague en el banco.,Pay at the bank.,x\n'
                 + 'HRS-02,horarios,Horario de oficinas,Office hours,horario,hours,De 7 a 15,From 7 to 15,x\n'
                 + 'CARD-03,tarjeta,Tarjeta perdida,Lost card,tarjeta,card,Vaya.,Go.",x\n', encoding="utf-8")
    assert any("not closed" in pr.message for pr in parse_csv(p).problems)


# ---- fourth review: amounts, accents, and asking for Spanish because one's English is bad

# 2. Accented names are never matched (the regex runs on raw text and lists only unaccented
#    spellings): real case numbers miss, and one is even answered from the FAQ.
@pytest.mark.parametrize("q", [
    "mi afiliación es 123456789",
    "número de afiliación 12345678901",
    "mi número de caso es 45871",
    "mi número de seguro social es 12345678901",
])
def test_accented_case_number_goes_to_staff(matcher, q):
    assert matcher.match(q).smalltalk == "case"


def test_accented_affiliation_number_not_answered(matcher):
    assert matcher.match("número de afiliación 12345678901").decision != "answer"


# 3. The Spanish mirror of "english please my spanish is bad" is not a request for Spanish.
@pytest.mark.parametrize("q", [
    "mi ingles es malo, español por favor",
    "español por favor, mi ingles es malo",
    "mi inglés no es bueno, español por favor",
    "I speak english bad, spanish please",
])
def test_spanish_request_with_bad_english(q):
    assert requested_language(q) == "es"


def test_english_request_with_spanish_reason_in_spanish():
    assert requested_language("english please, mi español es malo") == "en"
