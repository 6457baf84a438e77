"""The product targets, measured on the dev queries against the sample FAQ, and floors on every
other evaluation set.

The metrics are defined (and computed) in :mod:`faq.evaluation`, the code behind
``bot.py faq eval`` and ``bench/accuracy_table.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.csvio import read_csv
from faq.evaluation import Metrics, evaluate, read_queries
from faq.matcher import Matcher
from faq.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FAQ_CSV = ROOT / "tests" / "data" / "faq-sample.csv"
QUERIES = ROOT / "tests" / "data" / "dev-queries.tsv"
EXTRA_QUERIES = ROOT / "tests" / "data" / "extra-queries.tsv"  # independent set, same FAQ
ALT_FAQ = ROOT / "tests" / "data" / "faq-alt.csv"  # a different FAQ (Mexican consular/Afore/Infonavit)
ALT_QUERIES = ROOT / "tests" / "data" / "alt-queries.tsv"
BLIND_QUERIES = ROOT / "tests" / "data" / "blind-queries.tsv"  # written without seeing the matcher
ALT2_FAQ = ROOT / "tests" / "data" / "faq-alt2.csv"  # a third FAQ, also blind
ALT2_QUERIES = ROOT / "tests" / "data" / "blind-alt2-queries.tsv"
BLIND5_QUERIES = ROOT / "tests" / "data" / "blind5-queries.tsv"  # held out until the end
BLIND2_QUERIES = ROOT / "tests" / "data" / "blind2-queries.tsv"  # WhatsApp-style, held out
BLIND3_QUERIES = ROOT / "tests" / "data" / "blind3-queries.tsv"  # held out, sample FAQ
ALT3_FAQ = ROOT / "tests" / "data" / "faq-alt3.csv"  # a fourth FAQ, held out
ALT3_QUERIES = ROOT / "tests" / "data" / "blind-alt3-queries.tsv"
ALT4_FAQ = ROOT / "tests" / "data" / "faq-alt4.csv"  # a fifth FAQ, held out
ALT4_QUERIES = ROOT / "tests" / "data" / "blind-alt4-queries.tsv"
BLIND4_QUERIES = ROOT / "tests" / "data" / "blind4-queries.tsv"  # held out, sample FAQ
BLIND6_QUERIES = ROOT / "tests" / "data" / "blind6-queries.tsv"  # held out, dev-like mix of kinds
ALT5_FAQ = ROOT / "tests" / "data" / "faq-alt5.csv"  # a sixth FAQ (pensions), held out
ALT5_QUERIES = ROOT / "tests" / "data" / "blind-alt5-queries.tsv"
VOCABULARY = ROOT / "faq" / "data" / "vocabulary.yaml"


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    matcher = Matcher(read_csv(FAQ_CSV), load_vocabulary(VOCABULARY))
    return evaluate(matcher, read_queries(QUERIES))


# Product targets are >= 75 / >= 92 / <= 3 / >= 75. Floors sit a little below what was measured
# (dev 86.7 / 97.5 / 0.7 / 90.0 with clause scoring of long messages and the intent vocabulary;
# before them 85.8 / 95.0 / 1.3 / 90.0), so a regression shows up before the product targets are
# at risk. Dev has 120 answerable and 30 off-topic queries: one query is 0.8 / 3.3 points.
# With the answer margin at 5 points (near-ties offered as buttons): 85.0 / 97.5 / 0.7 / 86.7.
def test_answered_right(metrics: Metrics) -> None:
    assert metrics.answered_right >= 84.0, metrics


def test_one_tap(metrics: Metrics) -> None:
    assert metrics.one_tap >= 96.0, metrics


def test_wrong_answers(metrics: Metrics) -> None:
    assert metrics.wrong <= 1.5, metrics


def test_escalated(metrics: Metrics) -> None:
    assert metrics.escalated >= 86.0, metrics


# Floors for the independent sets, a little below what was measured (extra 92.2/97.4/2.9/87.0,
# before clause scoring and the intent vocabulary 90.9/96.8/2.9/87.0; alt 83.7/98.0/1.5/87.5
# unchanged; alt has 65 queries: one query is 1.5 to 6 points).
@pytest.mark.parametrize("faq_path,queries,floors", [
    (FAQ_CSV, EXTRA_QUERIES, (90.0, 96.5, 3.0, 85.0)),
    # Broader phone vocabulary (family slang, "sin trabajo"/"me corrieron" as losing one's job, birth
    # certificate kept apart from the work certificate, ...): alt 85.7/95.9/1.5/87.5.
    (ALT_FAQ, ALT_QUERIES, (85.0, 95.0, 2.5, 81.0)),
    # Sets first evaluated blind (165 and 64 queries), since used for tuning: before spelling by
    # ear etc. blind 75.4/86.2/3.0/85.7 and blind-alt2 71.4/93.9/1.6/86.7; now blind
    # 81.5/92.3/3.0/85.7 and blind-alt2 79.6/93.9/1.6/80.0 (one off-topic query is 6.7 points);
    # with clause scoring and the intent vocabulary blind 82.3/94.6/2.4/85.7, blind-alt2
    # 79.6/95.9/1.6/80.0. Grammar words of the message's language kept out of the vocabulary
    # (Spanish "son" is not English "son") and the lone-topic-word guard: blind
    # 83.1/93.8/3.0/85.7 — wrong is 5 of 165 (3.03%): one borderline English query ("add my wife
    # and two kids … pay extra") moved 0.3 points above the answer threshold.
    # Answer-text evidence (bounded re-ranking, see Weights.answer_cover): blind 83.1/95.4/2.4/85.7.
    (FAQ_CSV, BLIND_QUERIES, (81.0, 94.5, 3.0, 83.0)),
    # Per-FAQ calibration of the answer threshold (39.5 on this small FAQ of distinct topics, see
    # Matcher._calibrate) and order-keeping clause caps: blind-alt2 83.7/95.9/1.6/80.0.
    # "sin papers"/"no tienen papeles" as immigration status, not documents: blind-alt2 81.6/95.9/0.0/80.0.
    (ALT2_FAQ, ALT2_QUERIES, (81.0, 94.0, 1.0, 78.0)),
    # Held out (184 queries: 142 answerable, 42 off-topic; WhatsApp style: spelling by ear, glued
    # words, long stories), measured once after the matcher was frozen and never tuned on:
    # 43.0/64.8/7.1/73.8 (before spelling by ear etc.: 36.6/59.9/6.0/81.0). FAR below the
    # product targets, and worse than before on wrong and escalated: the floors only record the
    # honest state so it cannot silently get worse. Since used for tuning: clause scoring of long
    # messages and the intent vocabulary give 45.8/74.6/4.9/71.4 (one off-topic query is 2.4
    # points: clause scoring turns one long off-topic story into a suggestion). Still far below
    # the targets on answered-right, one-tap, wrong and escalated.
    # With answer-text evidence and the "sin papers"/"a cambio"/"helpline" vocabulary: 46.5/76.8/4.3/73.8.
    # Broader phone vocabulary (family, money, work, health slang): 46.5/77.5/4.3/73.8.
    (FAQ_CSV, BLIND2_QUERIES, (44.5, 77.0, 5.0, 72.0)),
    # Held out, measured ONCE after the matcher (clause scoring, intent vocabulary) was frozen,
    # never tuned on: blind3 (166 queries: 130 answerable, 36 off-topic) 47.7/76.9/6.0/61.1;
    # alt3 (67 queries: 52 answerable, 15 off-topic, a FAQ never seen) 21.2/61.5/1.5/80.0.
    # FAR below the product targets; the floors only record the honest state. Since used for
    # tuning: order-keeping clause caps (entries lifted past the cap no longer tie) give blind3
    # 47.7/78.5/6.0/61.1; per-FAQ calibration (answer threshold 39.5 on alt3) gives alt3
    # 25.0/61.5/1.5/80.0. alt3 stays far below the targets: the right entry is in the top three
    # for only about half of its queries, a ranking problem no threshold fixes (see the report).
    # With answer-text evidence: blind3 47.7/79.2/6.0/61.1; alt3 unchanged.
    # Broader phone vocabulary (chronic conditions named as "el azúcar", "la presión", ...): blind3
    # 49.2/80.0/6.0/61.1; alt3 28.8/63.5/1.5/80.0.
    (FAQ_CSV, BLIND3_QUERIES, (48.0, 79.5, 5.0, 58.0)),
    (ALT3_FAQ, ALT3_QUERIES, (28.0, 63.0, 1.5, 73.0)),
    # Held out, measured ONCE after the matcher (per-FAQ calibration, order-keeping clause caps)
    # was frozen, never tuned on: alt4 (82 queries: 62 answerable, 20 off-topic; a FAQ never seen,
    # calibrated answer threshold 39.5) 61.3/77.4/2.4/80.0; blind4 (122 queries: 97 answerable,
    # 25 off-topic) 52.6/77.3/6.6/52.0. Below the product targets (alt4 on answered-right and
    # one-tap; blind4 on all four); the floors only record the honest state.
    # "no tienen papeles" as immigration status: alt4 62.9/79.0/1.2/80.0; blind4 unchanged 53.6/77.3/5.7/56.0.
    (ALT4_FAQ, ALT4_QUERIES, (61.5, 78.0, 2.0, 75.0)),
    (FAQ_CSV, BLIND4_QUERIES, (51.5, 76.0, 7.0, 48.0)),
    # Held out to the very end (154 queries: 117 answerable, 37 off-topic), never tuned on,
    # measured once before and once after the last matcher change: 44.4/68.4/7.8/70.3, then
    # 45.3/69.2/7.1/70.3. Below the product targets on all four; the floors record the honest state.
    # Broader phone vocabulary (no matcher change): 45.3/70.9/7.1/70.3.
    (FAQ_CSV, BLIND5_QUERIES, (43.5, 70.5, 7.5, 68.0)),
    # Written in session 2 by people who never saw the matcher, the vocabulary or the other sets,
    # and measured ONCE before any change: blind6 (150 queries in the dev set's mix of kinds: 120
    # answerable, 30 off-topic) 58.3/77.5/6.7/76.7; alt5 (80 queries on a pensions FAQ nobody had
    # seen, 64 answerable, 16 off-topic) 32.8/57.8/3.8/68.8. Below the product targets except
    # blind6's escalation: the floors record the honest state so it cannot silently get worse.
    (FAQ_CSV, BLIND6_QUERIES, (56.0, 78.5, 6.0, 76.0)),
    (ALT5_FAQ, ALT5_QUERIES, (32.0, 57.0, 4.0, 68.0)),
    # Answer margin 3 -> 5 points (session 2): a near-tie is offered as buttons instead of answered.
    # Wrong answers fall on five sets (extra 2.4, blind1 1.8, blind3 4.2, blind6 5.3, alt3 0.0) for
    # 0.7-1.7 points of answered-right (now extra 90.9, blind2 45.1, blind3 48.5, blind5 44.4,
    # blind6 56.7/79.2/5.3/76.7); the floors above that moved were lowered accordingly.
], ids=["extra-queries", "alt-faq", "blind-queries", "blind-alt2", "blind2-held-out", "blind3-held-out",
        "alt3-held-out", "alt4-held-out", "blind4-held-out", "blind5-held-out", "blind6-held-out",
        "alt5-held-out"])
def test_independent_sets(faq_path: Path, queries: Path, floors: tuple[float, float, float, float]) -> None:
    from faq.loader import load_faq

    m = evaluate(Matcher(load_faq(faq_path), load_vocabulary(VOCABULARY)), read_queries(queries))
    right, one_tap, wrong, escalated = floors
    assert m.answered_right >= right, m
    assert m.one_tap >= one_tap, m
    assert m.wrong <= wrong, m
    assert m.escalated >= escalated, m


def test_without_vocabulary_is_worse() -> None:
    """The vocabulary must earn its place: removing it should cost accuracy."""
    rows = read_queries(QUERIES)
    faq = read_csv(FAQ_CSV)
    bare = evaluate(Matcher(faq), rows)
    full = evaluate(Matcher(faq, load_vocabulary(VOCABULARY)), rows)
    assert full.one_tap > bare.one_tap
