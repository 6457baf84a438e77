"""Language detection: grammar words decide, borrowed nouns don't."""

from __future__ import annotations

import pytest

from faq.language import detect_language


@pytest.mark.parametrize("text", [
    "como me inscribo al igss desde usa",
    "q beneficios tengo si pago el igss desde aca",
    "mi mom puede ser beneficiary del igss migrante",
    "necesito un appointment en el consulado para el igss?",
    "¿Cuánto cuesta?",
])
def test_spanish_and_spanglish_are_spanish(text: str) -> None:
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", [
    "how do i pay my igss fee from the us",
    "does igss cover c-section",
    "can u tell me the phone number pls",
])
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_no_evidence_falls_back_to_default() -> None:
    assert detect_language("IGSS", default="en") == "en"
    assert detect_language("IGSS") == "es"
    assert detect_language("👍", default="en") == "en"


def test_a_held_down_key_keeps_the_members_language() -> None:
    """"xxxxxxxx" folds to "x", Spanish for "por" only beside other words ("info x fa")."""
    assert detect_language("x" * 5000, default="en") == "en"
    assert detect_language("x", default="en") == "en"
    assert detect_language("info x fa", default="en") == "es"


def test_spanish_only_letters_break_ties() -> None:
    assert detect_language("pensión", default="en") == "es"


@pytest.mark.parametrize(("text", "lang"), [
    # No grammar word of either language ("a" and "he" are both): the spelling of the rest decides.
    ("need a new card", "en"), ("he passed away", "en"), ("hospital billing", "en"),
    ("he pagado 3 meses", "es"), ("inscribirme a migrantes", "es"), ("afiliacion vencida", "es"),
])
def test_spelling_decides_when_grammar_words_do_not(text: str, lang: str) -> None:
    other = "es" if lang == "en" else "en"
    assert detect_language(text, default=other) == lang


def test_bad_default_is_spanish() -> None:
    assert detect_language("igss", default="fr") == "es"


def test_word_lists_for_stories_and_framing() -> None:
    from faq.language import GENERAL_WORDS, STOPWORDS, WEAK_WORDS

    assert {"while", "thats"} <= STOPWORDS  # grammar, not topic
    assert {"options", "opciones", "way"} <= WEAK_WORDS  # "what are my options to pay" is about paying
    assert {"pendiente", "tirar"} <= GENERAL_WORDS  # "pa no estar pendiente" is how people talk
