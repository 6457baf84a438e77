"""faq.bm25: the BM25 ranking the matcher asks for a second opinion."""

from __future__ import annotations

import math

import pytest

from faq.bm25 import Bm25


def test_score_is_the_okapi_formula() -> None:
    docs = [{"pago": 1.0, "tarjeta": 1.0}, {"pago": 1.0}, {"cita": 0.5}]
    index = Bm25(docs, k1=1.2, b=0.75)
    avg = (2.0 + 1.0 + 0.5) / 3
    norm = 1.2 * (0.25 + 0.75 * 2.0 / avg)
    idf_pago = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    idf_tarjeta = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    expected = (idf_pago + idf_tarjeta) * 2.2 / (1.0 + norm)
    assert index.scores(["pago", "tarjeta"])[0] == pytest.approx(expected)


def test_only_documents_sharing_a_term_are_scored() -> None:
    index = Bm25([{"pago": 1.0}, {"cita": 1.0}, {"pago": 1.0, "cita": 1.0}])
    assert set(index.scores(["pago"])) == {0, 2}
    assert index.scores(["nada"]) == {}
    assert index.leader(["nada"]) is None


def test_a_rare_term_weighs_more_than_a_common_one() -> None:
    index = Bm25([{"igss": 1.0, "cancer": 1.0}, {"igss": 1.0}, {"igss": 1.0}, {"igss": 1.0, "pago": 1.0}])
    scores = index.scores(["igss", "cancer"])
    assert scores[0] > 2 * scores[1]


def test_a_discounted_answer_term_counts_less_than_a_phrasing_term() -> None:
    # Same length, same term: the document holding it at full weight wins.
    index = Bm25([{"cita": 1.0, "x": 0.5}, {"cita": 0.5, "y": 1.0}, {"z": 1.5}])
    scores = index.scores(["cita"])
    assert scores[0] > scores[1] > 0


def test_a_long_document_is_discounted() -> None:
    index = Bm25([{"pago": 1.0}, {"pago": 1.0, **{f"w{i}": 1.0 for i in range(10)}}])
    scores = index.scores(["pago"])
    assert scores[0] > scores[1]


def test_leader_and_its_lead() -> None:
    index = Bm25([{"pago": 1.0, "tarjeta": 1.0}, {"pago": 1.0}, {"cita": 1.0}])
    scores = index.scores(["pago", "tarjeta"])
    best, lead = index.leader(["pago", "tarjeta"])  # type: ignore[misc]
    assert best == 0
    assert lead == pytest.approx((scores[0] - scores[1]) / scores[0])
    assert index.leader(["cita"]) == (2, 1.0)  # no runner-up: the whole score is the lead


def test_ties_go_to_the_first_document() -> None:
    index = Bm25([{"pago": 1.0}, {"pago": 1.0}])
    assert index.leader(["pago"]) == (0, 0.0)


def test_an_empty_index_scores_nothing() -> None:
    assert Bm25([]).leader(["pago"]) is None


def test_the_leader_found_through_rare_terms_is_the_true_leader() -> None:
    """leader() scores first only the documents sharing an informative term; it must agree with
    scoring every document (random FAQs where some terms are in most documents)."""
    import random

    rng = random.Random(7)
    vocabulary = [f"t{i}" for i in range(30)]
    for _ in range(300):
        docs = []
        for _ in range(rng.randint(2, 25)):
            doc = {t: rng.choice((0.5, 1.0, 2.0)) for t in rng.sample(vocabulary[5:], rng.randint(1, 6))}
            doc.update({t: 1.0 for t in vocabulary[:5] if rng.random() < 0.8})  # common terms
            docs.append(doc)
        index = Bm25(docs)
        query = rng.sample(vocabulary, rng.randint(1, 5))
        scores = index.scores(query)
        if not scores:
            assert index.leader(query) is None
            continue
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        best, lead = index.leader(query)  # type: ignore[misc]
        assert best == ranked[0][0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        assert lead == pytest.approx((ranked[0][1] - runner_up) / ranked[0][1])
