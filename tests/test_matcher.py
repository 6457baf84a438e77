"""Matcher decisions on a small hand-made FAQ (accuracy on the real sample is test_accuracy.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from faq.matcher import DEFAULT_THRESHOLDS, Candidate, Matcher, MatchResult, Thresholds
from faq.model import Faq, FaqEntry
from faq.vocabulary import Vocabulary, load_vocabulary, parse_vocabulary

BUNDLED = Path(__file__).resolve().parent.parent / "faq" / "data" / "vocabulary.yaml"


def _entry(entry_id: str, es: str, en: str, alts_es: tuple[str, ...] = (), alts_en: tuple[str, ...] = ()) -> FaqEntry:
    return FaqEntry(id=entry_id, category="general", question={"es": es, "en": en},
                    answer={"es": "respuesta", "en": "answer"}, alternates={"es": alts_es, "en": alts_en})


FAQ = Faq(entries=(
    _entry("pay-online", "¿Puedo pagar la cuota en línea con tarjeta?", "Can I pay the fee online with a card?"),
    _entry("pay-abroad", "¿Cómo pago la cuota desde Estados Unidos?", "How do I pay the fee from the United States?"),
    _entry("enroll-children", "¿Cómo inscribo a mis hijos?", "How do I register my children?"),
    _entry("lost-card", "Perdí mi carné, ¿cómo saco otro?", "I lost my card, how do I get a new one?"),
    _entry("pension-age", "¿A qué edad me dan la pensión por vejez?", "At what age do I get the old-age pension?"),
    _entry("oncology", "¿Qué es el centro de oncología pediátrica?", "What is the pediatric oncology center?"),
))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(FAQ, load_vocabulary(BUNDLED))


def test_clear_answer(matcher: Matcher) -> None:
    result = matcher.match("se me perdio el carnet q hago")
    assert result.decision == "answer"
    assert result.best_id == "lost-card"
    assert result.candidates[0] == Candidate("lost-card", result.score)
    assert result.query == "se me perdio el carnet q hago"
    assert result.lang == "es"


def test_typos_still_match(matcher: Matcher) -> None:
    result = matcher.match("pencion por vejes")
    assert result.decision == "answer" and result.best_id == "pension-age"


def test_english_query_matches_same_entry(matcher: Matcher) -> None:
    result = matcher.match("when do i get my old age pension")
    assert (result.decision, result.best_id, result.lang) == ("answer", "pension-age", "en")


def test_ambiguous_query_suggests_the_close_ones(matcher: Matcher) -> None:
    result = matcher.match("pagar cuota")
    assert result.decision == "suggest"
    suggested = matcher.suggestions(result)
    assert set(suggested) == {"pay-online", "pay-abroad"}
    assert "lost-card" not in suggested


def test_off_topic_escalates(matcher: Matcher) -> None:
    result = matcher.match("what's the weather in guatemala city tomorrow")
    assert result.decision == "escalate"
    assert matcher.suggestions(result) == []


def test_nothing_in_common_escalates_with_no_candidates(matcher: Matcher) -> None:
    result = matcher.match("xyzzy plugh")
    assert (result.decision, result.best_id, result.candidates) == ("escalate", None, ())


def test_human_request_escalates(matcher: Matcher) -> None:
    result = matcher.match("quiero hablar con una persona sobre mi pension")
    assert (result.decision, result.smalltalk) == ("escalate", "human")


@pytest.mark.parametrize("text,kind", [("hola buenas tardes", "greeting"), ("gracias!!", "thanks"),
                                       ("ok bye", "goodbye"), ("👍", "empty")])
def test_smalltalk(matcher: Matcher, text: str, kind: str) -> None:
    result = matcher.match(text)
    assert (result.decision, result.smalltalk, result.best_id) == ("smalltalk", kind, None)


def test_greeting_followed_by_question_is_matched(matcher: Matcher) -> None:
    result = matcher.match("Hola buenas tardes, perdí mi carné del seguro, ¿cómo saco otro?")
    assert result.decision == "answer" and result.best_id == "lost-card"


def test_vocabulary_synonym_changes_the_result() -> None:
    query = "como meto a mis patojos"
    without = Matcher(FAQ, Vocabulary.empty()).match(query)
    assert without.best_id != "enroll-children" or without.decision != "answer"
    vocab = parse_vocabulary("synonyms:\n  hijo: [patojos, hijos]\n  inscribir: [meter, inscribo]\n")
    with_vocab = Matcher(FAQ, vocab).match(query)
    assert (with_vocab.decision, with_vocab.best_id) == ("answer", "enroll-children")


def test_margin_turns_answer_into_suggest() -> None:
    text = "pagar cuota en linea con tarjeta"
    loose = Matcher(FAQ, load_vocabulary(BUNDLED), Thresholds(answer=10, suggest=5, margin=0))
    strict = Matcher(FAQ, load_vocabulary(BUNDLED), Thresholds(answer=10, suggest=5, margin=101))
    assert loose.match(text).decision == "answer"
    assert strict.match(text).decision == "suggest"


def test_scores_are_bounded_and_sorted(matcher: Matcher) -> None:
    for text in ["pagar cuota", "carne perdido", "oncologia pediatrica", "pension"]:
        result = matcher.match(text)
        scores = [c.score for c in result.candidates]
        assert scores == sorted(scores, reverse=True)
        assert all(0 <= s <= 100 for s in scores)
        assert len(result.candidates) <= 3


def test_match_is_deterministic_and_thread_safe(matcher: Matcher) -> None:
    queries = ["pagar cuota", "se me perdio el carnet", "pension vejez", "weather", "hola"] * 40
    expected = [matcher.match(q) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(matcher.match, queries))
    assert got == expected
    assert all(isinstance(r, MatchResult) for r in got)


def test_empty_faq_escalates() -> None:
    result = Matcher(Faq(entries=())).match("cuanto cuesta")
    assert result.decision == "escalate"


def test_default_thresholds_are_ordered() -> None:
    assert DEFAULT_THRESHOLDS.answer >= DEFAULT_THRESHOLDS.suggest > 0


# -- failure classes found on unseen queries ----------------------------------------------------
SAMPLE = Path(__file__).resolve().parent / "data" / "faq-sample.csv"


@pytest.fixture(scope="module")
def sample() -> Matcher:
    from faq.loader import load_faq

    return Matcher(load_faq(SAMPLE), load_vocabulary(BUNDLED))


@pytest.mark.parametrize("word", ["carro", "medicaid", "case", "manejar", "password", "enfermera"])
def test_real_words_are_not_typo_corrected(sample: Matcher, word: str) -> None:
    """A different word is not a typo: "carro" must not become "caro", "medicaid" not "medica"."""
    assert sample._correct(word) == word


@pytest.mark.parametrize("typo,fixed", [("pencion", "pension"), ("documnets", "documents"),
                                        ("extrangero", "extranjero"), ("medisinas", "medicinas"),
                                        ("igs", "igss"), ("progama", "programa")])
def test_phone_typos_are_corrected(sample: Matcher, typo: str, fixed: str) -> None:
    assert sample._correct(typo) == fixed


def test_framing_word_alone_does_not_pick_the_entry() -> None:
    """"cuánto tarda" is how members ask about anything; it must not pull in the entry saying "tarda"."""
    faq = Faq(entries=(
        _entry("diagnosis", "¿Cuánto tarda el diagnóstico de cáncer?", "How long does a cancer diagnosis take?"),
        _entry("pension", "¿Cómo pido la pensión?", "How do I apply for the pension?"),
    ))
    result = Matcher(faq, load_vocabulary(BUNDLED)).match("cuanto tarda el tramite de pension")
    assert not (result.decision == "answer" and result.best_id == "diagnosis"), result


def test_unknown_topic_with_shared_domain_words_is_not_answered(sample: Matcher) -> None:
    for text in ["como aplico al medicaid", "el seguro de mi carro no quiere pagar el choque",
                 "cuanto tarda el tramite de pension"]:
        assert sample.match(text).decision != "answer", text


def test_everyday_words_reach_the_right_entry(sample: Matcher) -> None:
    """Vocabulary: "insulina" is a medicine and "diabetes" a chronic condition."""
    result = sample.match("tengo diabetes, me dan insulina en el igss")
    assert (result.decision, result.best_id) == ("answer", "igss-medicines")
