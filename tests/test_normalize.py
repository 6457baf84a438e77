"""Normalisation: what members type on phones must compare equal to clean text."""

from __future__ import annotations

from faq.normalize import clean, normalize, tokens


def test_case_and_accents_are_folded_but_enye_is_kept() -> None:
    assert normalize("¿CUÁNTO Cuesta el Seguro?") == "cuanto cuesta el seguro"
    assert normalize("Año") == "año"


def test_emphasis_runs_collapse_but_real_double_letters_stay() -> None:
    assert normalize("holaaaa") == "hola"
    assert normalize("graciasssss") == "gracias"
    assert normalize("llamar al carro") == "llamar al carro"
    assert normalize("free") == "free"


def test_spanish_and_english_abbreviations_expand() -> None:
    assert normalize("q onda xq no pa mi mama tmb") == "que onda porque no para mi mama tambien"
    assert normalize("pls thx u ur info") == "please thanks you your informacion"
    assert normalize("ntp") == "no te preocupes"


def test_abbreviations_only_expand_whole_words() -> None:
    assert normalize("quetzal xela") == "quetzal xela"


def test_custom_abbreviation_table_is_used() -> None:
    assert normalize("q tal", {"q": "que"}) == "que tal"
    assert normalize("q tal", {}) == "q tal"


def test_emoji_and_punctuation_are_dropped() -> None:
    assert normalize("👍👍 ok!!! ¿sí?") == "ok si"


def test_control_characters_are_dropped() -> None:
    assert normalize("hola\x00\x07mundo\u200b\tya") == "hola mundo ya"


def test_html_tags_and_entities_are_removed() -> None:
    assert normalize("<b>hola</b>&nbsp;<i>mundo</i>") == "hola mundo"


def test_apostrophes_join_words() -> None:
    assert normalize("what's the igss") == "whats the igss"


def test_long_input_is_bounded() -> None:
    out = normalize("a" * 10 + " palabra" * 1000)
    assert len(out) <= 4096
    assert out.startswith("a palabra")


def test_empty_and_blank() -> None:
    assert normalize("") == ""
    assert normalize("   \n\t ") == ""
    assert tokens("") == []


def test_tokens_are_normalised_words() -> None:
    assert tokens("Hola, ¿q tal?") == ["hola", "que", "tal"]


def test_clean_does_not_expand() -> None:
    assert clean("q onda") == "q onda"


# -- Spanish spelling by ear ---------------------------------------------------------------------
import pytest  # noqa: E402

from faq.normalize import phonetic_key  # noqa: E402


@pytest.mark.parametrize("heard,written", [
    ("sita", "cita"), ("yevar", "llevar"), ("resive", "recibe"), ("kiero", "quiero"), ("ijos", "hijos"),
    ("bivo", "vivo"), ("nesesito", "necesito"), ("precion", "presión"), ("pastiyas", "pastillas"),
    ("resetaron", "recetaron"), ("aka", "acá"), ("saver", "saber"), ("ves", "vez"), ("ayaa", "allá"),
    ("pencionar", "pensionar"), ("yego", "llego"), ("ay", "hay"), ("jente", "gente"),
    ("ablar", "hablar"), ("jiro", "giro"),
])
def test_words_spelt_by_ear_share_the_key_of_the_written_word(heard: str, written: str) -> None:
    assert phonetic_key(clean(heard)) == phonetic_key(clean(written))


@pytest.mark.parametrize("a,b", [("carro", "caro"), ("pero", "perro"), ("cheque", "queque"), ("casa", "cama")])
def test_different_sounds_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


@pytest.mark.parametrize(("with_pronoun", "verb"), [
    ("inscribirme", "inscribir"), ("pagarle", "pagar"), ("afiliarme", "afiliar"),
    ("mandarselo", "mandar"), ("pagandole", "pagando"), ("pagarles", "pagar"), ("jubilarse", "jubilar"),
])
def test_a_verb_with_pronouns_attached_has_the_verbs_stem(with_pronoun: str, verb: str) -> None:
    # English stemming first used to cut the "e" of "-me"/"-le" and leave "inscribirm".
    from faq.analysis import stem

    assert stem(with_pronoun) == stem(verb)


def test_english_words_keep_the_english_stem() -> None:
    from faq.analysis import stem

    assert stem("payments") == stem("payment")
    # English words shaped like a Spanish infinitive with "se" attached keep the English stem.
    assert stem("universe") == stem("universes")
    assert stem("reverse") == stem("reversed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el igss me cubre si voy al ER aqui en LA?", "el igss me cubre si voy al er aqui en los angeles"),
        ("vivo en LA con mi tio", "vivo en los angeles con mi tio"),
        # Lower-case "la" is the article; a message in capitals throughout says nothing by its capitals.
        ("pague la cuota en la agencia", "pague la cuota en la agencia"),
        ("COMO PAGO LA CUOTA", "como pago la cuota"),
        # Emphasis on a few words: "LA" is still the article.
        ("Quiero saber si LA CLÍNICA me atiende", "quiero saber si la clinica me atiende"),
        ("Buenas tardes, quisiera saber COMO PAGO LA CUOTA del igss",
         "buenas tardes quisiera saber como pago la cuota del igss"),
        ("trabajo en LA, el ER me cobra?", "trabajo en los angeles el er me cobra"),
        ("MI CITA EN EL IMSS ES A LA 1 PM, PUEDO LLEGAR TARDE?", "mi cita en el imss es a la 1 pm puedo llegar tarde"),
        ("vivo en LA, CA y pago el igss", "vivo en los angeles ca y pago el igss"),
        ("tengo cita en LA CLINICA, LA van a atender?", "tengo cita en la clinica la van a atender"),
        ("de LA a Guate", "de los angeles a guate"),
        ("hay IMSS en LA?", "hay imss en los angeles"),
        ("IGSS en LA?", "igss en los angeles"),
        ("ER en LA", "er en los angeles"),
        ("Me atienden EN LA clínica?", "me atienden en la clinica"),
        ("vivo en L.A. me cubre el IGSS", "vivo en los angeles me cubre el igss"),
    ],
)
def test_la_in_capitals_is_los_angeles(text: str, expected: str) -> None:
    assert clean(text) == expected
