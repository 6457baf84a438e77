"""Ages in members' messages ("tengo 19", "mi patojo ya tiene 8", "I'm 62") read as "edad"."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.analysis import Analyzer
from faq.loader import load_faq
from faq.matcher import Matcher
from faq.normalize import clean
from faq.vocabulary import load_vocabulary
from tests.helpers import ages

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "faq" / "data" / "vocabulary.yaml"
SAMPLE = Path(__file__).parent / "data" / "faq-sample.csv"


@pytest.mark.parametrize(("text", "found"), [
    ("Tengo 19 años, y mi hijo tiene 8.", ["19", "8"]),
    ("I'm 38, been in Houston 15 years", ["38"]),
    ("my 9-year-old son", ["9"]),
    ("im 65 yrs old", ["65"]),
    ("mi nena de 3 añitos", ["3"]),
    ("me jubilo a los 60", ["60"]),
    ("el patojo va a cumplir 8, todavia lo atienden", ["8"]),
    ("my son is 9 and lives with his mom", ["9"]),
    ("she's 15 and lives in Xela", ["15"]),
    ("mayores de 60 años", ["60"]),
    ("hijos menores de 7 años", ["7"]),
    ("tiene 60 años de edad", ["60"]),
])
def test_ages_are_found(text: str, found: list[str]) -> None:
    assert ages(text) == found


@pytest.mark.parametrize("text", [
    "tengo 15 años de vivir aqui",  # how long, not how old
    "despues de 10 años en Dallas",
    "trabaje por mas de 20 años",
    "tengo 2 hijos",
    "tiene 3 meses de embarazo",
    "tengo 100 cuotas pagadas",
    "llevo 5 años pagando",
    "I have been here 15 years",
    "tengo 150 años",  # not a person's age
])
def test_spans_of_time_and_counts_are_not_ages(text: str) -> None:
    assert ages(text) == []


def test_an_age_adds_the_term_for_edad_and_its_years_are_not_years_of_contributions() -> None:
    analyzer = Analyzer(load_vocabulary(VOCABULARY))
    terms = analyzer.terms(clean("tengo 19 años").split())
    assert "=edad" in terms and "19" in terms and "=año" not in terms
    span = analyzer.terms(clean("llevo 15 años").split())
    assert "=edad" not in span and "=año" in span


@pytest.mark.parametrize(("text", "expected"), [
    # How old someone is decides these: the entries on age limits now share the message's "edad".
    ("Tengo 19 años, soy de Huehuetenango y vivo en Oakland. ¿Califico para el seguro del IGSS de migrante?",
     "migrant-who-eligible"),
    ("mi patojo ya tiene 8, todavia lo atienden en el igss por ser hijo mio?", "igss-children-coverage"),
    ("mi papa tiene 61 y trabajo toda la vida en guate, q necesita pa jubilarse del igss", "pension-old-age-general"),
])
def test_questions_turning_on_an_age_are_answered(text: str, expected: str) -> None:
    result = Matcher(load_faq(SAMPLE), load_vocabulary(VOCABULARY)).match(text)
    assert (result.decision, result.best_id) == ("answer", expected), result
