"""The product targets, measured on the dev queries against the sample FAQ, and floors on every
other evaluation set.

The metrics are defined (and computed) in :mod:`faq.evaluation`, the code behind
``bot.py faq eval`` and ``bench/accuracy_table.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config import BUNDLED_FAQ
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
BLIND7_QUERIES = ROOT / "tests" / "data" / "blind7-queries.tsv"  # session 4, dev-like mix
ALT6_FAQ = ROOT / "tests" / "data" / "faq-alt6.csv"  # a seventh FAQ (consular health desks, IMSS voluntary)
ALT6_QUERIES = ROOT / "tests" / "data" / "blind-alt6-queries.tsv"
BLIND8_QUERIES = ROOT / "tests" / "data" / "blind8-queries.tsv"  # session 4, measured once at the end
ALT7_FAQ = ROOT / "tests" / "data" / "faq-alt7.csv"  # an eighth FAQ (IGSS for workers in Guatemala)
ALT7_QUERIES = ROOT / "tests" / "data" / "blind-alt7-queries.tsv"
ALT8_FAQ = ROOT / "tests" / "data" / "faq-alt8.csv"  # session 5, measured once at the end (IMSS for families)
ALT8_QUERIES = ROOT / "tests" / "data" / "blind-alt8-queries.tsv"
ALT9_FAQ = ROOT / "tests" / "data" / "faq-alt9.csv"  # session 5, tuning (IGSS maternity, children, pensions)
ALT9_QUERIES = ROOT / "tests" / "data" / "blind-alt9-queries.tsv"
ALT10_FAQ = ROOT / "tests" / "data" / "faq-alt10.csv"  # session 5, tuning (a consulate's health desk)
ALT10_QUERIES = ROOT / "tests" / "data" / "blind-alt10-queries.tsv"
BLIND9_QUERIES = ROOT / "tests" / "data" / "blind9-queries.tsv"  # session 5, measured once at the end
ALT12_FAQ = ROOT / "tests" / "data" / "faq-alt12.csv"  # session 5, few alternates (consular documents)
ALT12_QUERIES = ROOT / "tests" / "data" / "blind-alt12-queries.tsv"
ALT13_FAQ = ROOT / "tests" / "data" / "faq-alt13.csv"  # session 5, few alternates (IGSS sickness benefits)
ALT13_QUERIES = ROOT / "tests" / "data" / "blind-alt13-queries.tsv"
BLIND10_QUERIES = ROOT / "tests" / "data" / "blind10-queries.tsv"  # session 5, second held-out round
ALT11_FAQ = ROOT / "tests" / "data" / "faq-alt11.csv"  # session 5, second round (IGSS domestic workers)
ALT11_QUERIES = ROOT / "tests" / "data" / "blind-alt11-queries.tsv"
BLIND11_QUERIES = ROOT / "tests" / "data" / "blind11-queries.tsv"  # session 5, third round, measured once
ALT14_FAQ = ROOT / "tests" / "data" / "faq-alt14.csv"  # session 5, third round (a Guatemalan consulate)
ALT14_QUERIES = ROOT / "tests" / "data" / "blind-alt14-queries.tsv"
BLIND12_QUERIES = ROOT / "tests" / "data" / "blind12-queries.tsv"  # session 6, tuning
ALT15_FAQ = ROOT / "tests" / "data" / "faq-alt15.csv"  # session 6, tuning (IMSS independent and app workers)
ALT15_QUERIES = ROOT / "tests" / "data" / "blind-alt15-queries.tsv"
BLIND13_QUERIES = ROOT / "tests" / "data" / "blind13-queries.tsv"  # session 6, measured once at the end
ALT16_FAQ = ROOT / "tests" / "data" / "faq-alt16.csv"  # session 6, measured once (IGSS families, few alternates)
ALT16_QUERIES = ROOT / "tests" / "data" / "blind-alt16-queries.tsv"
BLIND14_QUERIES = ROOT / "tests" / "data" / "blind14-queries.tsv"  # session 6, second round, tuning
ALT17_FAQ = ROOT / "tests" / "data" / "faq-alt17.csv"  # session 6, tuning (IMSS pensions for returnees)
ALT17_QUERIES = ROOT / "tests" / "data" / "blind-alt17-queries.tsv"
BLIND15_QUERIES = ROOT / "tests" / "data" / "blind15-queries.tsv"  # session 6, second round, measured once
ALT18_FAQ = ROOT / "tests" / "data" / "faq-alt18.csv"  # session 6, measured once (a Guatemalan consulate)
ALT18_QUERIES = ROOT / "tests" / "data" / "blind-alt18-queries.tsv"
BLIND16_QUERIES = ROOT / "tests" / "data" / "blind16-queries.tsv"  # session 6, third round, measured once
ALT19_FAQ = ROOT / "tests" / "data" / "faq-alt19.csv"  # session 6, third round (a Mexican consulate's IMSS desk)
ALT19_QUERIES = ROOT / "tests" / "data" / "blind-alt19-queries.tsv"
BLIND17_QUERIES = ROOT / "tests" / "data" / "blind17-queries.tsv"  # session 6, fourth round, measured once
ALT20_FAQ = ROOT / "tests" / "data" / "faq-alt20.csv"  # session 6, fourth round (an IGSS help line)
ALT20_QUERIES = ROOT / "tests" / "data" / "blind-alt20-queries.tsv"
# Session 7: a first round measured at its start, then used for tuning (blind 18, 19, alt 21, 22), a
# second such round (blind 22, 23, alt 24, 25) and a held-out round measured once (blind 20, 21, alt 23).
BLIND18_QUERIES = ROOT / "tests" / "data" / "blind18-queries.tsv"
BLIND19_QUERIES = ROOT / "tests" / "data" / "blind19-queries.tsv"
BLIND20_QUERIES = ROOT / "tests" / "data" / "blind20-queries.tsv"
BLIND21_QUERIES = ROOT / "tests" / "data" / "blind21-queries.tsv"
BLIND22_QUERIES = ROOT / "tests" / "data" / "blind22-queries.tsv"
BLIND23_QUERIES = ROOT / "tests" / "data" / "blind23-queries.tsv"
ALT21_FAQ = ROOT / "tests" / "data" / "faq-alt21.csv"  # AFORE retirement savings
ALT21_QUERIES = ROOT / "tests" / "data" / "blind-alt21-queries.tsv"
ALT22_FAQ = ROOT / "tests" / "data" / "faq-alt22.csv"  # IGSS chronic care, few alternates
ALT22_QUERIES = ROOT / "tests" / "data" / "blind-alt22-queries.tsv"
ALT23_FAQ = ROOT / "tests" / "data" / "faq-alt23.csv"  # IMSS survivors' benefits (held out)
ALT23_QUERIES = ROOT / "tests" / "data" / "blind-alt23-queries.tsv"
ALT24_FAQ = ROOT / "tests" / "data" / "faq-alt24.csv"  # IMSS Modalidad 40
ALT24_QUERIES = ROOT / "tests" / "data" / "blind-alt24-queries.tsv"
ALT25_FAQ = ROOT / "tests" / "data" / "faq-alt25.csv"  # IGSS maternity and child care, few alternates
ALT25_QUERIES = ROOT / "tests" / "data" / "blind-alt25-queries.tsv"
BLIND24_QUERIES = ROOT / "tests" / "data" / "blind24-queries.tsv"  # session 7's final round, measured once
BLIND25_QUERIES = ROOT / "tests" / "data" / "blind25-queries.tsv"
ALT26_FAQ = ROOT / "tests" / "data" / "faq-alt26.csv"  # IGSS paperwork from a consulate (final round)
ALT26_QUERIES = ROOT / "tests" / "data" / "blind-alt26-queries.tsv"
ALT27_FAQ = ROOT / "tests" / "data" / "faq-alt27.csv"  # IMSS family health insurance (final round)
ALT27_QUERIES = ROOT / "tests" / "data" / "blind-alt27-queries.tsv"
BLIND26_QUERIES = ROOT / "tests" / "data" / "blind26-queries.tsv"  # session 8, first round (tuning)
BLIND27_QUERIES = ROOT / "tests" / "data" / "blind27-queries.tsv"
ALT28_FAQ = ROOT / "tests" / "data" / "faq-alt28.csv"  # IMSS sick pay and disability, 2 alternates
ALT28_QUERIES = ROOT / "tests" / "data" / "blind-alt28-queries.tsv"
BLIND28_QUERIES = ROOT / "tests" / "data" / "blind28-queries.tsv"  # session 8, second round (held out)
BLIND29_QUERIES = ROOT / "tests" / "data" / "blind29-queries.tsv"
BLIND30_QUERIES = ROOT / "tests" / "data" / "blind30-queries.tsv"
BLIND31_QUERIES = ROOT / "tests" / "data" / "blind31-queries.tsv"
ALT29_FAQ = ROOT / "tests" / "data" / "faq-alt29.csv"  # IGSS old-age pension for returnees
ALT29_QUERIES = ROOT / "tests" / "data" / "blind-alt29-queries.tsv"
ALT30_FAQ = ROOT / "tests" / "data" / "faq-alt30.csv"  # IGSS medical care in Guatemala
ALT30_QUERIES = ROOT / "tests" / "data" / "blind-alt30-queries.tsv"
BLIND32_QUERIES = ROOT / "tests" / "data" / "blind32-queries.tsv"  # session 8's final round, measured once
BLIND33_QUERIES = ROOT / "tests" / "data" / "blind33-queries.tsv"
ALT31_FAQ = ROOT / "tests" / "data" / "faq-alt31.csv"  # IMSS voluntary incorporation
ALT31_QUERIES = ROOT / "tests" / "data" / "blind-alt31-queries.tsv"
ALT32_FAQ = ROOT / "tests" / "data" / "faq-alt32.csv"  # IGSS work accidents, 1-2 alternates
ALT32_QUERIES = ROOT / "tests" / "data" / "blind-alt32-queries.tsv"
BLIND34_QUERIES = ROOT / "tests" / "data" / "blind34-queries.tsv"  # session 9, measured once
BLIND35_QUERIES = ROOT / "tests" / "data" / "blind35-queries.tsv"
ALT33_FAQ = ROOT / "tests" / "data" / "faq-alt33.csv"  # IMSS for returnees and deportees
ALT33_QUERIES = ROOT / "tests" / "data" / "blind-alt33-queries.tsv"
ALT34_FAQ = ROOT / "tests" / "data" / "faq-alt34.csv"  # IGSS dental, glasses, prostheses; 1-2 alternates
ALT34_QUERIES = ROOT / "tests" / "data" / "blind-alt34-queries.tsv"
BLIND36_QUERIES = ROOT / "tests" / "data" / "blind36-queries.tsv"  # session 9's final round, measured once
ALT35_FAQ = ROOT / "tests" / "data" / "faq-alt35.csv"  # IGSS maternity and child care for migrants' families
ALT35_QUERIES = ROOT / "tests" / "data" / "blind-alt35-queries.tsv"
BLIND37_QUERIES = ROOT / "tests" / "data" / "blind37-queries.tsv"  # session 10, first measured, then looked at
BLIND38_QUERIES = ROOT / "tests" / "data" / "blind38-queries.tsv"  # session 10, measured only (never looked at)
ALT36_FAQ = ROOT / "tests" / "data" / "faq-alt36.csv"  # IMSS old-age pensions for Mexicans abroad (held out)
ALT36_QUERIES = ROOT / "tests" / "data" / "blind-alt36-queries.tsv"
ALT37_FAQ = ROOT / "tests" / "data" / "faq-alt37.csv"  # a consulate's IGSS desk: relatives' cover, 1-2 alternates
ALT37_QUERIES = ROOT / "tests" / "data" / "blind-alt37-queries.tsv"
BLIND39_QUERIES = ROOT / "tests" / "data" / "blind39-queries.tsv"  # session 11, first measured, then looked at
BLIND40_QUERIES = ROOT / "tests" / "data" / "blind40-queries.tsv"  # session 11, measured only (never looked at)
ALT38_FAQ = ROOT / "tests" / "data" / "faq-alt38.csv"  # IMSS and consular help for Mexicans returning home
ALT38_QUERIES = ROOT / "tests" / "data" / "blind-alt38-queries.tsv"
ALT39_FAQ = ROOT / "tests" / "data" / "faq-alt39.csv"  # IGSS workers' rights towards employers, 1-2 alternates
ALT39_QUERIES = ROOT / "tests" / "data" / "blind-alt39-queries.tsv"  # measured only (never looked at)
BLIND41_QUERIES = ROOT / "tests" / "data" / "blind41-queries.tsv"  # session 11's second round, measured only
ALT40_FAQ = ROOT / "tests" / "data" / "faq-alt40.csv"  # a consulate's health desk and IMSS desk (measured only)
ALT40_QUERIES = ROOT / "tests" / "data" / "blind-alt40-queries.tsv"
BLIND42_QUERIES = ROOT / "tests" / "data" / "blind42-queries.tsv"  # session 12: a parish migrant desk (looked at)
BLIND43_QUERIES = ROOT / "tests" / "data" / "blind43-queries.tsv"  # session 12: seasonal H-2A/H-2B workers (held out)
ALT41_FAQ = ROOT / "tests" / "data" / "faq-alt41.csv"  # IGSS disability, old-age, survivors (looked at)
ALT41_QUERIES = ROOT / "tests" / "data" / "blind-alt41-queries.tsv"
ALT42_FAQ = ROOT / "tests" / "data" / "faq-alt42.csv"  # IMSS domestic/independent workers (held out)
ALT42_QUERIES = ROOT / "tests" / "data" / "blind-alt42-queries.tsv"
BLIND44_QUERIES = ROOT / "tests" / "data" / "blind44-queries.tsv"  # session 13: a church network (looked at)
BLIND45_QUERIES = ROOT / "tests" / "data" / "blind45-queries.tsv"  # session 13: a YouTuber's followers (held out)
ALT43_FAQ = ROOT / "tests" / "data" / "faq-alt43.csv"  # IMSS work-risk insurance, 2 alternates (looked at)
ALT43_QUERIES = ROOT / "tests" / "data" / "blind-alt43-queries.tsv"
ALT44_FAQ = ROOT / "tests" / "data" / "faq-alt44.csv"  # a consulate's IGSS and documents desk (held out)
ALT44_QUERIES = ROOT / "tests" / "data" / "blind-alt44-queries.tsv"
BLIND46_QUERIES = ROOT / "tests" / "data" / "blind46-queries.tsv"  # session 14: farmworkers, voice-typed (looked at)
BLIND47_QUERIES = ROOT / "tests" / "data" / "blind47-queries.tsv"  # session 14: relatives back home (held out)
ALT45_FAQ = ROOT / "tests" / "data" / "faq-alt45.csv"  # IMSS family clinics, 0-2 alternates (looked at)
ALT45_QUERIES = ROOT / "tests" / "data" / "blind-alt45-queries.tsv"
ALT46_FAQ = ROOT / "tests" / "data" / "faq-alt46.csv"  # IGSS long illness, 0-1 alternates (held out)
ALT46_QUERIES = ROOT / "tests" / "data" / "blind-alt46-queries.tsv"
BLIND48_QUERIES = ROOT / "tests" / "data" / "blind48-queries.tsv"  # session 15: construction workers (held out)
BLIND49_QUERIES = ROOT / "tests" / "data" / "blind49-queries.tsv"  # session 15: US-born children, returnees
ALT47_FAQ = ROOT / "tests" / "data" / "faq-alt47.csv"  # IMSS work risks, 0-3 alternates (looked at)
ALT47_QUERIES = ROOT / "tests" / "data" / "blind-alt47-queries.tsv"
ALT48_FAQ = ROOT / "tests" / "data" / "faq-alt48.csv"  # IGSS domestic workers, 0-2 alternates (held out)
ALT48_QUERIES = ROOT / "tests" / "data" / "blind-alt48-queries.tsv"
BLIND50_QUERIES = ROOT / "tests" / "data" / "blind50-queries.tsv"  # session 16: kitchen workers, riders (looked at)
BLIND51_QUERIES = ROOT / "tests" / "data" / "blind51-queries.tsv"  # session 16: nannies and carers (held out)
ALT49_FAQ = ROOT / "tests" / "data" / "faq-alt49.csv"  # IMSS-Bienestar, 0-2 alternates (looked at)
ALT49_QUERIES = ROOT / "tests" / "data" / "blind-alt49-queries.tsv"
ALT50_FAQ = ROOT / "tests" / "data" / "faq-alt50.csv"  # IGSS preventive care, 0-3 alternates (held out)
ALT50_QUERIES = ROOT / "tests" / "data" / "blind-alt50-queries.tsv"
BLIND52_QUERIES = ROOT / "tests" / "data" / "blind52-queries.tsv"  # session 16 round 2: recent arrivals (held out)
ALT51_FAQ = ROOT / "tests" / "data" / "faq-alt51.csv"  # IMSS for working mothers, 0-2 alternates (held out)
ALT51_QUERIES = ROOT / "tests" / "data" / "blind-alt51-queries.tsv"
BLIND53_QUERIES = ROOT / "tests" / "data" / "blind53-queries.tsv"  # session 16 round 3: older members (held out)
ALT52_FAQ = ROOT / "tests" / "data" / "faq-alt52.csv"  # a consulate's IGSS desk, 0-3 alternates (held out)
ALT52_QUERIES = ROOT / "tests" / "data" / "blind-alt52-queries.tsv"
BLIND54_QUERIES = ROOT / "tests" / "data" / "blind54-queries.tsv"  # session 17: dictated, written for others
ALT53_FAQ = ROOT / "tests" / "data" / "faq-alt53.csv"  # IMSS retirement from abroad, 1-3 alternates
ALT53_QUERIES = ROOT / "tests" / "data" / "blind-alt53-queries.tsv"
BLIND55_QUERIES = ROOT / "tests" / "data" / "blind55-queries.tsv"  # session 17 round 2: off the usual path (held out)
ALT54_FAQ = ROOT / "tests" / "data" / "faq-alt54.csv"  # IGSS work accidents and sick pay, 1-3 alternates (held out)
ALT54_QUERIES = ROOT / "tests" / "data" / "blind-alt54-queries.tsv"
BLIND56_QUERIES = ROOT / "tests" / "data" / "blind56-queries.tsv"  # session 17 round 3: a women's group (held out)
ALT55_FAQ = ROOT / "tests" / "data" / "faq-alt55.csv"  # IMSS seasonal farmworkers, a third without alternates
ALT55_QUERIES = ROOT / "tests" / "data" / "blind-alt55-queries.tsv"
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
# Session 4 (rival-topic rule, broader vocabulary): 85.0 / 98.3 / 1.3 / 93.3. Session 5 (second
# opinion): 85.0 / 98.3 / 0.7 / 100.0; then, offering the entries when the second opinion prefers
# a runner-up (fewer wrong answers on unseen questions, see Matcher._second_opinion_prefers_another):
# 80.8 / 98.3 / 0.7 / 100.0.
def test_answered_right(metrics: Metrics) -> None:
    assert metrics.answered_right >= 80.0, metrics


def test_one_tap(metrics: Metrics) -> None:
    assert metrics.one_tap >= 96.0, metrics


def test_wrong_answers(metrics: Metrics) -> None:
    assert metrics.wrong <= 1.5, metrics


def test_escalated(metrics: Metrics) -> None:
    assert metrics.escalated >= 86.0, metrics


# Floors for the independent sets: a query or so below what is measured now, so a regression
# shows before it reaches the README table (the history of each set's figures is in git and in
# README "Benchmarks"; the honest "first measurement" of each set is in README too).
# Measured at the end of session 5: the README table (bench/accuracy_table.py prints it). The
# escalation floors stay well below the 88-100% measured there: the hand-over phrases of the
# vocabulary were written from these sets' misses, so those figures overstate unseen questions.
# Sets from blind 2 on were written by people who never saw the matcher and are FAR below the
# product targets; their floors only record the honest state so it cannot silently get worse.
@pytest.mark.parametrize("faq_path,queries,floors", [
    (FAQ_CSV, EXTRA_QUERIES, (85.0, 96.0, 1.5, 85.0)),
    (ALT_FAQ, ALT_QUERIES, (85.5, 95.5, 3.5, 81.0)),
    (FAQ_CSV, BLIND_QUERIES, (83.0, 94.5, 1.5, 80.0)),
    (ALT2_FAQ, ALT2_QUERIES, (77.5, 93.5, 2.0, 78.0)),
    (FAQ_CSV, BLIND2_QUERIES, (52.5, 86.5, 3.0, 72.0)),  # session 7: one near tie flipped (53.5 -> 52.8)
    (FAQ_CSV, BLIND3_QUERIES, (57.5, 85.0, 2.5, 72.0)),
    (ALT3_FAQ, ALT3_QUERIES, (48.0, 84.5, 1.5, 73.0)),
    (ALT4_FAQ, ALT4_QUERIES, (69.0, 83.5, 1.5, 75.0)),
    (FAQ_CSV, BLIND4_QUERIES, (61.5, 85.5, 2.5, 52.0)),
    (FAQ_CSV, BLIND5_QUERIES, (52.5, 83.5, 2.0, 68.0)),
    (FAQ_CSV, BLIND6_QUERIES, (63.0, 88.0, 2.0, 72.0)),
    (ALT5_FAQ, ALT5_QUERIES, (48.0, 68.5, 2.5, 68.0)),  # s16 round 2: tap 70.3; session 17: tap 68.8
    # Written in session 4 by people who never saw the matcher, the vocabulary or the other sets.
    # blind7/alt6 first measured at the session's start (50.0/83.3/8.7/66.7 and 56.4/81.8/4.3/73.3),
    # then used for decisions. blind8/alt7 measured at session 4's start and end, never tuned on:
    # blind8 57.5/85.0/6.0/63.3 -> 62.5/91.7/4.7/66.7; alt7 45.5/74.5/1.4/93.3 -> 49.1/70.9/1.4/93.3;
    # after session 5's second opinion (still never tuned on): blind8 66.7/91.7/5.3/66.7, alt7
    # 58.2/70.9/1.4/93.3. blind8 on the bundled FAQ, whose extra alternates come from blind 1-7
    # (never blind 8): 71.7/95.0/2.0/63.3, then 75.0/95.8/3.3/63.3. Below the product targets;
    # the floors record the honest state.
    (FAQ_CSV, BLIND7_QUERIES, (58.0, 86.5, 3.5, 67.0)),
    (ALT6_FAQ, ALT6_QUERIES, (58.0, 83.5, 4.5, 73.0)),
    (FAQ_CSV, BLIND8_QUERIES, (65.0, 90.5, 5.0, 53.0)),
    # (session 14: the birth told apart from the pregnancy, "parto" from "embarazo", answered 11
    # more right and 2 fewer wrong over every set, but one alt7 maternity-pay question now gets
    # the maternity-care answer: wrong 1.4 -> 2.9.)
    (ALT7_FAQ, ALT7_QUERIES, (54.5, 70.5, 3.0, 86.0)),
    (BUNDLED_FAQ, BLIND8_QUERIES, (73.0, 95.0, 4.0, 50.0)),
    # Written at session 5's start, blind. alt9/alt10 were used for tuning from the start; blind9
    # and alt8 were measured once at the end (session 4's matcher -> session 5's): blind9
    # 51.7/80.8/4.0/56.7 -> 55.0/80.8/4.0/56.7, on the bundled FAQ 64.2/85.8/2.7/53.3 ->
    # 68.3/85.8/2.7/53.3; alt8 47.3/80.0/1.4/73.3 -> 52.7/80.0/1.4/80.0. Two hand-over phrases
    # taken from blind9's misses afterwards ("no me deposita", "hasn't received") raised its
    # escalation to 63.3.
    (ALT9_FAQ, ALT9_QUERIES, (60.5, 85.5, 4.5, 78.5)),
    (ALT10_FAQ, ALT10_QUERIES, (67.0, 82.5, 5.0, 76.5)),
    (FAQ_CSV, BLIND9_QUERIES, (54.0, 80.5, 3.0, 56.5)),
    (BUNDLED_FAQ, BLIND9_QUERIES, (67.5, 85.5, 3.5, 50.0)),
    (ALT8_FAQ, ALT8_QUERIES, (50.5, 78.0, 3.0, 73.0)),
    # Two FAQs written with few alternates (as a busy admin would) for tuning, and a second
    # held-out round written later in session 5 and measured once (session 4's matcher -> this
    # one): blind10 46.7/78.3/5.3/76.7 -> 52.5/80.8/5.3/76.7, on the bundled FAQ 60.0/85.8/4.7/73.3
    # -> 64.2/87.5/4.7/73.3; alt11 (uneven alternates) 43.3/70.0/4.0/86.7 -> 48.3/70.0/4.0/93.3.
    # Three phrases from blind10's misses were added afterwards. Then answers whose runner-up the
    # second opinion prefers became suggestions: blind8 66.7/91.7/4.7/70.0 -> 65.8/91.7/4.7/70.0,
    # alt7 58.2/70.9/1.4/93.3 -> 56.4/72.7/0.0/93.3.
    # session 7, the lower suggest floor of FAQs with few alternates: alt12 tap 70 -> 78.6, alt13 56 -> 71.2
    (ALT12_FAQ, ALT12_QUERIES, (48.0, 78.5, 0.5, 78.5)),
    # session 15: "cuanto cuesta el igss pa migrantes" (off-topic here) is offered the hospital entry,
    # whose answer holds its words (Weights.answer_offer): escalation 76.9 -> 69.2, one tap 82.7 -> 84.6
    (ALT13_FAQ, ALT13_QUERIES, (36.5, 71.0, 0.5, 69.0)),
    (FAQ_CSV, BLIND10_QUERIES, (48.0, 84.0, 3.5, 73.0)),
    (BUNDLED_FAQ, BLIND10_QUERIES, (61.5, 88.0, 4.0, 70.0)),
    # session 7: tap 75 -> 83.3 (few alternates); session 15: the minimum wage of domestic workers
    # (off-topic) is offered the entry whose answer names it (Weights.answer_offer): escalation 80 -> 73.3
    (ALT11_FAQ, ALT11_QUERIES, (51.5, 83.0, 3.0, 73.0)),
    # Third round, written at session 5's end and measured once, never tuned on (session 4's
    # matcher -> this one): blind11 50.0/77.5/7.3/60.0 -> 55.8/81.7/5.3/60.0, on the bundled FAQ
    # 61.7/82.5/6.0/60.0 -> 65.8/85.0/5.3/60.0; alt14 70.0/81.7/1.3/73.3 -> 73.3/81.7/4.0/73.3.
    (FAQ_CSV, BLIND11_QUERIES, (55.0, 80.5, 6.0, 56.5)),
    (BUNDLED_FAQ, BLIND11_QUERIES, (65.0, 84.0, 6.0, 56.5)),
    (ALT14_FAQ, ALT14_QUERIES, (71.5, 80.0, 5.5, 66.5)),
    # Session 6, written blind at its start: blind12 and alt15 for tuning (at the start: blind12
    # 56.7/86.7/2.7/76.7, on the bundled FAQ 72.5/91.7/2.0/70.0; alt15 46.4/73.2/1.4/78.6), blind13
    # and alt16 measured once at the end (session 5's matcher -> session 6's): blind13
    # 56.7/87.5/4.7/70.0 -> 56.7/87.5/4.0/73.3, on the bundled FAQ 71.7/90.8/3.3/70.0 ->
    # 71.7/90.8/2.7/73.3; alt16 (few alternates) 33.3/66.7/1.3/100.0 unchanged. Four phrase groups
    # taken from alt16's misses afterwards (proof of life, "a qué número", "ishtos") moved alt16 to
    # 33.3/70.0 and cost blind13 one right answer (a near tie that flipped: 55.8 and 70.8); later
    # vocabulary and the second opinion's offers took blind13 to 56.7/88.3/3.3/73.3 (bundled
    # 71.7/93.3/2.0/73.3).
    (FAQ_CSV, BLIND12_QUERIES, (56.5, 88.0, 1.5, 89.5)),  # session 7: tap 89.2 -> 88.3, escalation 93.3 -> 96.7
    (BUNDLED_FAQ, BLIND12_QUERIES, (71.5, 92.5, 1.0, 83.0)),  # sessions 7 and 8: one near tie each
    (ALT15_FAQ, ALT15_QUERIES, (53.5, 85.5, 0.5, 78.5)),  # session 7: right 57.1 -> 53.6, escalation 92.9 -> 100
    (FAQ_CSV, BLIND13_QUERIES, (56.5, 88.0, 3.5, 73.0)),
    (BUNDLED_FAQ, BLIND13_QUERIES, (71.5, 92.0, 3.0, 73.0)),
    # session 7: right 33.3 -> 31.7 -> 33.3; the lower suggest floor of FAQs with few alternates: tap 71.7
    # -> 83.3, escalation 100 -> 93.3
    (ALT16_FAQ, ALT16_QUERIES, (33.0, 83.0, 3.0, 93.0)),
    # Session 6's second round, written blind in mid-session: blind14 and alt17 for tuning (at the
    # start: blind14 70.8/93.3/4.0/83.3, on the bundled FAQ 81.7/96.7/2.0/83.3; alt17
    # 48.3/88.3/0.0/86.7); blind15 and alt18 measured once at the end (session 5's matcher ->
    # session 6's): blind15 71.7/87.5/4.0/63.3 -> 73.3/88.3/4.0/70.0, on the bundled FAQ
    # 72.5/92.5/4.0/53.3 -> 74.2/93.3/3.3/60.0; alt18 50.0/73.3/4.0/86.7 unchanged.
    (FAQ_CSV, BLIND14_QUERIES, (71.5, 94.0, 3.0, 89.5)),
    (BUNDLED_FAQ, BLIND14_QUERIES, (82.0, 98.0, 0.5, 89.5)),
    (ALT17_FAQ, ALT17_QUERIES, (51.5, 93.0, 1.5, 86.5)),  # session 7 (agreement 0.3): one more wrong, one tap less
    (FAQ_CSV, BLIND15_QUERIES, (73.0, 88.0, 4.5, 69.5)),
    (BUNDLED_FAQ, BLIND15_QUERIES, (74.0, 93.0, 3.5, 59.5)),
    (ALT18_FAQ, ALT18_QUERIES, (49.5, 73.0, 4.5, 86.5)),
    # Third round, written blind at session 6's end and measured once with the final matcher
    # (session 5's -> session 6's): blind16 54.2/82.5/4.0/73.3 unchanged, on the bundled FAQ
    # 65.8/87.5/2.0/70.0 -> 65.8/88.3/2.0/73.3; alt19 40.0/68.3/2.7/93.3 -> 38.3/68.3/2.7/93.3.
    (FAQ_CSV, BLIND16_QUERIES, (53.0, 82.0, 4.5, 73.0)),  # session 7: 55.0 -> 53.3 ('Centros de Referencia')
    (BUNDLED_FAQ, BLIND16_QUERIES, (64.5, 88.0, 2.5, 73.0)),  # session 7: 66.7 -> 65.0
    (ALT19_FAQ, ALT19_QUERIES, (43.0, 69.5, 4.5, 93.0)),  # session 7: right 38.3 -> 43.3, wrong 2.7 -> 4.0
    # Fourth round, written blind after more hand-over phrases and measured once with session 6's
    # final matcher (session 5's -> session 6's): blind17 76.7/88.3/4.0/76.7 -> 76.7/88.3/3.3/86.7,
    # on the bundled FAQ 80.0/93.3/2.7/73.3 -> 80.0/93.3/2.0/83.3; alt20 61.7/80.0/4.0/93.3 ->
    # 63.3/81.7/4.0/93.3.
    (FAQ_CSV, BLIND17_QUERIES, (76.5, 88.0, 3.5, 86.5)),
    (BUNDLED_FAQ, BLIND17_QUERIES, (79.5, 93.0, 2.5, 83.0)),
    (ALT20_FAQ, ALT20_QUERIES, (63.0, 81.5, 4.5, 86.5)),
    # Session 7. First round, measured at the start with session 6's matcher (blind18 61.7/87.5/2.7/
    # 90.0, bundled 75.0/92.5/0.7/90.0; blind19 67.5/94.2/2.0/76.7, bundled 76.7/95.0/0.7/73.3; alt21
    # 52.2/80.0/2.5/96.7; alt22 35.2/63.6/2.5/96.9), then used for tuning:
    (FAQ_CSV, BLIND18_QUERIES, (63.5, 88.5, 2.0, 89.5)),  # session 8: 'the bank in LA' is now abroad: offered
    (BUNDLED_FAQ, BLIND18_QUERIES, (75.0, 92.5, 1.5, 92.5)),
    (FAQ_CSV, BLIND19_QUERIES, (70.0, 93.5, 2.0, 82.5)),  # one tap less after 'igss desde acá'
    (BUNDLED_FAQ, BLIND19_QUERIES, (77.5, 95.0, 1.0, 79.5)),  # s16 numbers as digits: wrong 0.7
    (ALT21_FAQ, ALT21_QUERIES, (56.0, 83.5, 4.0, 96.0)),
    (ALT22_FAQ, ALT22_QUERIES, (39.0, 84.5, 3.0, 83.5)),
    # Second round, measured in mid-session with session 6's matcher and this one (blind22
    # 66.7/86.7/4.0/80.0 -> 65.8/86.7/4.0/80.0, bundled 75.8/89.2/3.3/80.0 -> 75.0/89.2/3.3/80.0;
    # blind23 68.3/91.7/2.0/90.0 -> 69.2/91.7/2.0/90.0, bundled 81.7/96.7/0.7/86.7 unchanged; alt24
    # 42.0/81.8/4.2/87.5 unchanged; alt25 50.0/71.6/4.2/90.6 -> 51.1/77.3/4.2/78.1), then tuning:
    (FAQ_CSV, BLIND22_QUERIES, (65.0, 87.0, 4.0, 82.5)),
    (BUNDLED_FAQ, BLIND22_QUERIES, (74.5, 88.5, 3.5, 82.5)),
    (FAQ_CSV, BLIND23_QUERIES, (69.0, 91.0, 2.5, 93.0)),  # session 8: "urgent care" is a clinic: one tie
    (BUNDLED_FAQ, BLIND23_QUERIES, (81.5, 96.0, 1.0, 90.0)),
    (ALT24_FAQ, ALT24_QUERIES, (39.0, 82.0, 6.0, 87.0)),
    (ALT25_FAQ, ALT25_QUERIES, (56.0, 86.0, 6.0, 77.5)),  # session 8: one newborn question now wrong
    # Held out, measured once near the end (session 6's matcher -> session 7's at that point):
    # blind20 57.5/89.2/2.7/86.7 -> 56.7/87.5/3.3/86.7, bundled 70.0/95.8/2.0/86.7 -> 71.7/95.0/2.0/
    # 86.7; blind21 69.2/95.0/2.0/83.3 -> 70.8/95.8/2.0/83.3, bundled 76.7/95.8/2.7/76.7 -> 79.2/96.7/
    # 2.7/80.0; alt23 50.0/71.6/8.3/81.2 unchanged (7.5 wrong after the second opinion's floor).
    (FAQ_CSV, BLIND20_QUERIES, (56.0, 87.0, 4.0, 86.0)),
    (BUNDLED_FAQ, BLIND20_QUERIES, (71.0, 94.0, 3.5, 86.0)),
    (FAQ_CSV, BLIND21_QUERIES, (70.0, 95.0, 2.5, 80.0)),
    (BUNDLED_FAQ, BLIND21_QUERIES, (78.5, 96.0, 3.5, 76.5)),
    (ALT23_FAQ, ALT23_QUERIES, (49.5, 71.0, 8.0, 80.5)),
    # Final round, measured once with session 7's final matcher (session 6's -> session 7's): blind24
    # 70.8/87.5/4.0/70.0 -> 70.8/86.7/4.0/80.0, bundled 80.0/94.2/2.7/63.3 -> 80.8/94.2/2.7/76.7;
    # blind25 65.8/83.3/4.7/83.3 -> 66.7/83.3/4.7/86.7, bundled 71.7/86.7/4.0/83.3 -> 71.7/86.7/4.7/
    # 83.3; alt26 50.0/72.7/4.2/84.4 -> 51.1/71.6/3.3/84.4; alt27 54.5/79.5/4.2/87.5 -> 53.4/79.5/
    # 4.2/87.5. Two vocabulary fixes from their misses came after ('en los estados', green card).
    (FAQ_CSV, BLIND24_QUERIES, (70.0, 86.0, 4.0, 82.5)),
    (BUNDLED_FAQ, BLIND24_QUERIES, (80.0, 93.5, 2.5, 79.5)),
    (FAQ_CSV, BLIND25_QUERIES, (67.0, 83.5, 4.0, 86.5)),
    (BUNDLED_FAQ, BLIND25_QUERIES, (72.0, 86.5, 4.0, 86.0)),  # one tap less after 'igss desde acá'
    (ALT26_FAQ, ALT26_QUERIES, (50.5, 71.0, 4.0, 83.5)),
    (ALT27_FAQ, ALT27_QUERIES, (52.5, 78.0, 5.0, 87.0)),  # session 8: one list lost its entry to in-laws as relatives
    # Session 8. First round, measured at the start with session 7's matcher (blind26 68.3/91.7/1.3/
    # 80.0, bundled 78.3/95.0/2.7/80.0; blind27 60.0/90.8/1.3/83.3, bundled 67.5/91.7/1.3/80.0; alt28
    # 28.4/69.3/6.7/75.0), then used for tuning:
    (FAQ_CSV, BLIND26_QUERIES, (68.5, 91.0, 1.5, 82.5)),
    (BUNDLED_FAQ, BLIND26_QUERIES, (80.0, 96.0, 2.5, 80.0)),
    (FAQ_CSV, BLIND27_QUERIES, (60.0, 90.0, 1.5, 80.0)),
    (BUNDLED_FAQ, BLIND27_QUERIES, (67.5, 91.0, 2.5, 79.5)),
    (ALT28_FAQ, ALT28_QUERIES, (28.0, 69.0, 7.0, 74.5)),
    # Second round, held out: measured once with session 7's matcher and this one (blind28 74.2/91.7/
    # 0.7/80.0 -> 75.0/91.7/0.7/80.0, bundled 80.0/93.3/0.7/83.3 unchanged; blind29 65.8/91.7/2.7/80.0
    # -> 66.7/91.7/2.7/80.0, bundled 71.7/92.5/2.7/80.0 -> 71.7/91.7/2.7/80.0; blind30 62.5/89.2/4.0/
    # 86.7 and bundled 75.0/91.7/2.7/86.7, blind31 65.8/89.2/2.0/86.7 and bundled 76.7/90.8/2.7/83.3,
    # unchanged; alt29 54.5/71.6/5.8/75.0 -> 53.4/71.6/5.8/75.0; alt30 39.8/73.9/1.7/93.8 -> 40.9/
    # 73.9/1.7/93.8):
    (FAQ_CSV, BLIND28_QUERIES, (74.5, 91.0, 1.0, 79.5)),
    (BUNDLED_FAQ, BLIND28_QUERIES, (79.5, 93.0, 2.0, 83.0)),
    (FAQ_CSV, BLIND29_QUERIES, (66.0, 91.0, 3.0, 79.5)),
    (BUNDLED_FAQ, BLIND29_QUERIES, (71.0, 91.0, 3.0, 79.5)),
    (FAQ_CSV, BLIND30_QUERIES, (62.0, 89.0, 4.5, 86.5)),
    (BUNDLED_FAQ, BLIND30_QUERIES, (74.5, 91.0, 3.5, 86.5)),
    (FAQ_CSV, BLIND31_QUERIES, (65.5, 89.0, 2.5, 86.5)),
    (BUNDLED_FAQ, BLIND31_QUERIES, (76.5, 90.5, 3.0, 83.0)),
    (ALT29_FAQ, ALT29_QUERIES, (53.0, 69.0, 7.0, 74.5)),
    # (session 13: "¿a qué clínica me toca si vivo en Mixco?" lost the place, now context: wrong 2.0 -> 2.5)
    (ALT30_FAQ, ALT30_QUERIES, (39.5, 73.5, 2.5, 90.5)),
    # Final round, measured once with session 7's matcher and session 8's final one (blind32 58.3/82.5/
    # 2.7/80.0 -> 57.5/82.5/2.7/80.0, bundled 69.2/89.2/2.0/80.0 unchanged; blind33 76.7/90.0/2.7/90.0
    # -> 75.8/90.0/2.7/90.0, bundled 81.7/90.8/4.0/83.3 unchanged; alt31 55.7/72.7/3.3/84.4 and alt32
    # 39.8/71.6/5.0/68.8 unchanged):
    (FAQ_CSV, BLIND32_QUERIES, (57.0, 82.0, 3.0, 79.5)),
    (BUNDLED_FAQ, BLIND32_QUERIES, (68.5, 89.0, 2.5, 79.5)),
    (FAQ_CSV, BLIND33_QUERIES, (75.5, 89.5, 3.0, 86.5)),
    (BUNDLED_FAQ, BLIND33_QUERIES, (81.5, 90.0, 4.5, 80.0)),
    (ALT31_FAQ, ALT31_QUERIES, (55.5, 72.5, 4.5, 84.0)),
    (ALT32_FAQ, ALT32_QUERIES, (39.5, 71.5, 6.0, 68.5)),
    # Session 9, written blind and measured once with session 8's final matcher, then with the
    # third opinion (wording as written, faq/matcher.py _wording_confirms) and its safeguards:
    # blind34 60.0/90.8/4.0/83.3 -> 64.2/90.8/4.0/83.3, bundled 67.5/92.5/5.3/76.7 -> 74.2/92.5/6.0/
    # 76.7; blind35 55.8/87.5/0.7/83.3 -> 60.0/87.5/0.7/83.3, bundled 60.8/91.7/1.3/80.0 -> 65.8/91.7/
    # 1.3/80.0; alt33 56.8/80.7/2.5/93.8 -> 58.0/80.7/2.5/93.8; alt34 35.2/75.0/2.5/84.4 -> 38.6/75.0/
    # 2.5/84.4:
    (FAQ_CSV, BLIND34_QUERIES, (64.0, 90.5, 4.0, 83.0)),
    (BUNDLED_FAQ, BLIND34_QUERIES, (73.0, 92.5, 6.0, 76.5)),
    (FAQ_CSV, BLIND35_QUERIES, (60.0, 86.5, 1.0, 83.0)),
    (BUNDLED_FAQ, BLIND35_QUERIES, (65.0, 91.5, 2.0, 80.0)),
    (ALT33_FAQ, ALT33_QUERIES, (57.5, 80.5, 3.5, 93.5)),
    (ALT34_FAQ, ALT34_QUERIES, (38.5, 75.0, 5.0, 81.0)),
    # Session 9's final round, written after the third opinion and its review's safeguards and
    # measured once with session 8's matcher and session 9's final one: blind36 61.7/88.3/1.3/96.7
    # -> 64.2/88.3/1.3/96.7, bundled 70.0/91.7/1.3/93.3 -> 74.2/91.7/1.3/93.3; alt35 48.9/80.7/4.2/
    # 75.0 -> 51.1/78.4/5.8/75.0:
    (FAQ_CSV, BLIND36_QUERIES, (64.0, 88.0, 1.5, 96.5)),
    (BUNDLED_FAQ, BLIND36_QUERIES, (74.0, 91.5, 1.5, 93.0)),
    (ALT35_FAQ, ALT35_QUERIES, (51.0, 78.0, 7.0, 75.0)),  # (session 14, "parto": wrong 5.8 -> 6.7)
    (FAQ_CSV, BLIND37_QUERIES, (62.5, 87.5, 2.0, 93.0)),
    (BUNDLED_FAQ, BLIND37_QUERIES, (70.0, 92.5, 0.0, 93.0)),
    (ALT37_FAQ, ALT37_QUERIES, (43.5, 77.5, 2.0, 70.0)),
    (FAQ_CSV, BLIND38_QUERIES, (73.0, 94.0, 3.0, 90.0)),
    (BUNDLED_FAQ, BLIND38_QUERIES, (77.5, 92.5, 3.5, 93.0)),
    (ALT36_FAQ, ALT36_QUERIES, (51.0, 76.0, 3.5, 81.0)),
    # Session 11, written blind at its start and first measured with session 10's matcher: blind39
    # 77.5/92.5/3.3/90.0 (bundled FAQ 84.2/94.2/3.3/90.0) and alt38 70.0/87.5/0.0/100 were then
    # looked at; blind40 76.7/91.7/3.3/83.3 (bundled 85.8/95.8/1.3/83.3) and alt39 (1-2 alternates)
    # 35.0/76.2/1.8/76.7 were only measured (at the end: 76.7/91.7/3.3/83.3, bundled
    # 84.2/95.8/1.3/83.3; 37.5/76.2/1.8/80.0).
    # (session 13: "mi hermano vive en Monterrey, ¿le sirve el plan del IGSS?" lost the place, now
    # context, that made it a question about another country: one tap 94.2 -> 93.3, wrong 2.7 -> 3.3)
    (FAQ_CSV, BLIND39_QUERIES, (80.0, 93.0, 3.5, 90.0)),
    (BUNDLED_FAQ, BLIND39_QUERIES, (86.5, 95.5, 3.0, 86.5)),
    (ALT38_FAQ, ALT38_QUERIES, (70.0, 88.5, 0.0, 100.0)),
    (FAQ_CSV, BLIND40_QUERIES, (76.5, 91.5, 3.5, 83.0)),
    (BUNDLED_FAQ, BLIND40_QUERIES, (84.0, 95.5, 1.5, 83.0)),
    (ALT39_FAQ, ALT39_QUERIES, (37.5, 76.0, 2.0, 76.5)),
    # Session 11's second round, written blind in mid-session and measured only twice, with
    # session 10's matcher and with session 11's final one: blind41 71.7/93.3/1.3/86.7 ->
    # 72.5/93.3/1.3/86.7 (bundled FAQ 80.8/93.3/1.3/86.7 unchanged); alt40 (3 alternates per
    # language) 54.4/72.2/5.0/86.7 -> 54.4/73.3/5.8/86.7.
    (FAQ_CSV, BLIND41_QUERIES, (72.5, 93.0, 1.5, 83.0)),  # s16 'dicen' framing: 86.7 -> 83.3
    # session 15: "does igss do mammograms for women in guatemala" is a choice of two (common words
    # open candidates too, Weights.open_common): 80.8 -> 80.0
    (BUNDLED_FAQ, BLIND41_QUERIES, (79.0, 93.0, 2.0, 86.5)),  # s16: right 79.2 ('dicen'), wrong 2.0 (digits)
    (ALT40_FAQ, ALT40_QUERIES, (54.0, 73.0, 6.0, 86.5)),
    # Session 12: four sets written blind at the start, each measured with session 11's matcher
    # first. blind42 and alt41 (IVS pensions, 3 alternates) were then looked at; blind43 and
    # alt42 (0-1 alternates) were only measured, at the start and at the end: blind43
    # 64.2/87.5/1.3/93.3 -> 64.2/88.3/1.3/93.3 (bundled FAQ 71.7/90.0/0.7/90.0 ->
    # 71.7/93.3/0.7/86.7); alt42 36.7/76.7/9.2/83.3 -> 36.7/76.7/8.3/83.3.
    (FAQ_CSV, BLIND42_QUERIES, (70.0, 95.5, 3.0, 93.0)),
    (BUNDLED_FAQ, BLIND42_QUERIES, (76.5, 97.5, 2.0, 93.0)),  # s16 numbers as digits: tap 97.5
    (ALT41_FAQ, ALT41_QUERIES, (45.5, 77.5, 5.0, 76.5)),
    (FAQ_CSV, BLIND43_QUERIES, (64.0, 88.0, 1.5, 93.0)),
    (BUNDLED_FAQ, BLIND43_QUERIES, (70.5, 93.0, 1.0, 86.5)),  # s16 'dicen' framing: 71.7 -> 70.8
    (ALT42_FAQ, ALT42_QUERIES, (36.5, 76.5, 8.5, 83.0)),
    # Session 13: four sets written blind at the start, each measured with session 12's matcher
    # first. blind44 and alt43 were then looked at; blind45 and alt44 were measured at the start
    # and at the end (alt44: the per-question changes of one rejected experiment were seen, 11 of
    # its questions): blind45 70.0/95.0/2.0/80.0 -> 70.0/94.2/2.0/80.0 (bundled FAQ
    # 81.7/94.2/4.0/66.7 unchanged); alt44 51.1/84.4/2.5/90.0 -> 51.1/84.4/2.5/93.3.
    (FAQ_CSV, BLIND44_QUERIES, (61.5, 91.5, 2.0, 93.0)),
    (BUNDLED_FAQ, BLIND44_QUERIES, (65.5, 92.5, 2.0, 93.0)),
    # session 15: two answers became choices of two (Weights.open_common; "trayecto"): 31.1 -> 28.9
    (ALT43_FAQ, ALT43_QUERIES, (28.5, 84.0, 2.5, 70.0)),
    (FAQ_CSV, BLIND45_QUERIES, (70.0, 94.0, 2.0, 80.0)),
    (BUNDLED_FAQ, BLIND45_QUERIES, (81.5, 94.0, 4.0, 66.5)),
    (ALT44_FAQ, ALT44_QUERIES, (51.0, 84.0, 2.5, 93.0)),
    # Session 14: four sets written blind at the start, each measured with session 13's matcher
    # first. blind46 and alt45 were then looked at (alt45 51.1/83.3/3.3/80.0 -> 53.3/87.8/0.8/80.0;
    # blind46 unchanged); blind47 and alt46 were measured at the start and at the end only, with no
    # change: blind47 61.7/87.5/2.0/80.0 (bundled FAQ 60.8/90.0/1.3/73.3), alt46 42.2/80.0/2.5/73.3
    # (escalated 70.0 after the last change: "¿cuánto debo?" alone no longer means the member's own
    # debt, "¿cuánto debo pagar?" asks the price, and one of alt46's off-topic questions is offered).
    (FAQ_CSV, BLIND46_QUERIES, (70.5, 89.5, 3.0, 79.5)),
    (BUNDLED_FAQ, BLIND46_QUERIES, (73.0, 94.0, 1.0, 76.5)),
    # session 15: one off-topic question is offered an entry (Weights.answer_offer): escalation 80 -> 76.7
    (ALT45_FAQ, ALT45_QUERIES, (53.0, 86.5, 1.0, 76.5)),  # s16 'dicen' framing: one tap 87.8 -> 86.7
    (FAQ_CSV, BLIND47_QUERIES, (61.5, 87.0, 2.5, 79.5)),
    (BUNDLED_FAQ, BLIND47_QUERIES, (60.5, 89.5, 1.5, 73.0)),
    (ALT46_FAQ, ALT46_QUERIES, (42.0, 79.5, 3.0, 69.5)),
    # Session 15: four sets written blind at the start, each measured with session 14's matcher
    # first. blind49 and alt47 were then looked at: blind49 65.8/95.0/4.7/63.3 -> 66.7/95.8/4.0/63.3
    # (bundled FAQ 67.5/96.7/4.0/63.3 -> 68.3/97.5/4.0/63.3), alt47 53.3/84.4/3.3/56.7 ->
    # 55.6/88.9/1.7/56.7.
    (FAQ_CSV, BLIND49_QUERIES, (66.5, 95.5, 4.0, 63.0)),
    (BUNDLED_FAQ, BLIND49_QUERIES, (68.0, 97.0, 4.0, 63.0)),
    (ALT47_FAQ, ALT47_QUERIES, (55.5, 88.5, 2.0, 56.5)),
    # blind48 and alt48 were measured at the start and at the end only: blind48 68.3/90.8/2.0/86.7
    # unchanged (bundled FAQ 73.3/94.2/1.3/86.7 -> 72.5/94.2/1.3/86.7), alt48 45.6/71.1/6.7/76.7 ->
    # 45.6/73.3/6.7/66.7 (three off-topic questions are offered an entry's button instead of staff).
    (FAQ_CSV, BLIND48_QUERIES, (68.0, 90.5, 2.0, 86.5)),
    (BUNDLED_FAQ, BLIND48_QUERIES, (72.5, 94.0, 1.5, 86.5)),
    (ALT48_FAQ, ALT48_QUERIES, (43.0, 73.0, 7.0, 66.5)),  # s16: right 44.4 ('dicen'), 43.3 (digits)
    # Session 16: four sets written blind at the start, each measured with session 15's matcher
    # first. blind50 and alt49 were then looked at: blind50 75.8/95.0/4.0/73.3 -> 77.5/98.3/3.3/76.7
    # (bundled FAQ 81.7/95.8/4.0/73.3 -> 85.0/98.3/3.3/76.7), alt49 46.7/80.0/6.7/50.0 ->
    # 51.1/82.2/5.0/50.0. blind51 and alt50 were measured at the start and at the end only: blind51
    # 71.7/95.8/4.7/56.7 -> 73.3/95.8/4.7/60.0 (bundled FAQ 82.5/98.3/4.0/56.7 -> 83.3/99.2/4.0/56.7),
    # alt50 73.3/92.2/2.5/46.7 -> 74.4/92.2/2.5/46.7.
    (FAQ_CSV, BLIND50_QUERIES, (77.5, 98.0, 3.5, 76.5)),
    (BUNDLED_FAQ, BLIND50_QUERIES, (85.0, 98.0, 3.5, 76.5)),
    (ALT49_FAQ, ALT49_QUERIES, (51.0, 82.0, 5.0, 50.0)),
    (FAQ_CSV, BLIND51_QUERIES, (73.0, 95.5, 5.0, 60.0)),
    (BUNDLED_FAQ, BLIND51_QUERIES, (83.0, 99.0, 4.0, 56.5)),
    (ALT50_FAQ, ALT50_QUERIES, (74.0, 92.0, 3.5, 46.5)),  # s16 round 2: wrong 3.3
    # Session 16's second round, written mid-session and measured with the matcher of then and at
    # the end only: blind52 80.8/95.0/2.0/60.0 unchanged (bundled FAQ 81.7/95.8/3.3/56.7 unchanged),
    # alt51 54.4/81.1/4.2/56.7 -> 54.4/82.2/4.2/53.3.
    (FAQ_CSV, BLIND52_QUERIES, (80.5, 95.0, 2.0, 60.0)),
    (BUNDLED_FAQ, BLIND52_QUERIES, (81.5, 95.5, 3.5, 56.5)),
    (ALT51_FAQ, ALT51_QUERIES, (54.0, 82.0, 4.5, 53.0)),
    # Session 16's third round, written near the end and measured once, with the final matcher
    # (session 15's: blind53 75.8/95.0/4.0/56.7, bundled FAQ 85.0/99.2/1.3/63.3, alt52 the same).
    (FAQ_CSV, BLIND53_QUERIES, (78.0, 95.5, 3.5, 56.5)),
    (BUNDLED_FAQ, BLIND53_QUERIES, (87.5, 100.0, 1.5, 63.0)),
    (ALT52_FAQ, ALT52_QUERIES, (70.0, 95.5, 3.5, 50.0)),
    # Session 17's first round, measured at its start (blind54 63.3/84.2/3.3/80.0, bundled FAQ
    # 71.7/90.8/3.3/76.7; alt53 70.0/90.0/4.2/66.7), then looked at.
    (FAQ_CSV, BLIND54_QUERIES, (64.0, 87.5, 3.0, 80.0)),
    (BUNDLED_FAQ, BLIND54_QUERIES, (74.0, 91.5, 3.5, 76.5)),
    (ALT53_FAQ, ALT53_QUERIES, (70.0, 90.0, 3.5, 66.5)),
    # Its second round, measured at the start and at the end only: blind55 67.5/92.5/3.3/56.7
    # unchanged (bundled FAQ 72.5/94.2/2.0/53.3 -> 56.7), alt54 56.7/85.6/5.0/46.7 -> 50.0.
    (FAQ_CSV, BLIND55_QUERIES, (67.5, 92.5, 3.5, 56.5)),
    (BUNDLED_FAQ, BLIND55_QUERIES, (72.5, 94.0, 2.0, 56.5)),
    (ALT54_FAQ, ALT54_QUERIES, (56.5, 85.5, 5.0, 50.0)),
    # Its third round, measured once with the final matcher (the same with the session's first).
    (FAQ_CSV, BLIND56_QUERIES, (65.0, 84.0, 9.5, 73.0)),
    (BUNDLED_FAQ, BLIND56_QUERIES, (70.0, 85.5, 8.0, 70.0)),
    (ALT55_FAQ, ALT55_QUERIES, (61.0, 93.0, 3.5, 56.5)),
], ids=["extra-queries", "alt-faq", "blind-queries", "blind-alt2", "blind2-held-out", "blind3-held-out",
        "alt3-held-out", "alt4-held-out", "blind4-held-out", "blind5-held-out", "blind6-held-out",
        "alt5-held-out", "blind7", "alt6", "blind8-held-out", "alt7-held-out", "blind8-bundled-faq",
        "alt9", "alt10", "blind9-held-out", "blind9-bundled-faq", "alt8-held-out", "alt12-few-alternates",
        "alt13-few-alternates", "blind10-held-out", "blind10-bundled-faq", "alt11-held-out", "blind11-held-out",
        "blind11-bundled-faq", "alt14-held-out", "blind12", "blind12-bundled-faq", "alt15", "blind13-held-out",
        "blind13-bundled-faq", "alt16-held-out", "blind14", "blind14-bundled-faq", "alt17", "blind15-held-out",
        "blind15-bundled-faq", "alt18-held-out", "blind16-held-out", "blind16-bundled-faq", "alt19-held-out",
        "blind17-held-out", "blind17-bundled-faq", "alt20-held-out", "blind18", "blind18-bundled-faq", "blind19",
        "blind19-bundled-faq", "alt21", "alt22-few-alternates", "blind22", "blind22-bundled-faq", "blind23",
        "blind23-bundled-faq", "alt24", "alt25-few-alternates", "blind20-held-out", "blind20-bundled-faq",
        "blind21-held-out", "blind21-bundled-faq", "alt23-held-out", "blind24-held-out", "blind24-bundled-faq",
        "blind25-held-out", "blind25-bundled-faq", "alt26-held-out", "alt27-held-out", "blind26",
        "blind26-bundled-faq", "blind27", "blind27-bundled-faq", "alt28-two-alternates", "blind28-held-out",
        "blind28-bundled-faq", "blind29-held-out", "blind29-bundled-faq", "blind30-held-out",
        "blind30-bundled-faq", "blind31-held-out", "blind31-bundled-faq", "alt29-held-out", "alt30-held-out",
        "blind32-held-out", "blind32-bundled-faq", "blind33-held-out", "blind33-bundled-faq", "alt31-held-out",
        "alt32-few-alternates", "blind34-held-out", "blind34-bundled-faq", "blind35-held-out",
        "blind35-bundled-faq", "alt33-held-out", "alt34-few-alternates", "blind36-held-out",
        "blind36-bundled-faq", "alt35-held-out", "blind37", "blind37-bundled-faq", "alt37-few-alternates",
        "blind38-held-out", "blind38-bundled-faq", "alt36-held-out", "blind39", "blind39-bundled-faq", "alt38",
        "blind40-held-out", "blind40-bundled-faq", "alt39-few-alternates-held-out", "blind41-held-out",
        "blind41-bundled-faq", "alt40-held-out", "blind42", "blind42-bundled-faq", "alt41", "blind43-held-out",
        "blind43-bundled-faq", "alt42-no-alternates-held-out", "blind44", "blind44-bundled-faq", "alt43",
        "blind45-held-out", "blind45-bundled-faq", "alt44-few-alternates-held-out", "blind46", "blind46-bundled-faq",
        "alt45", "blind47-held-out", "blind47-bundled-faq", "alt46-few-alternates-held-out", "blind49",
        "blind49-bundled-faq", "alt47", "blind48-held-out", "blind48-bundled-faq", "alt48-held-out", "blind50",
        "blind50-bundled-faq", "alt49-few-alternates", "blind51-held-out", "blind51-bundled-faq", "alt50-held-out",
        "blind52-held-out", "blind52-bundled-faq", "alt51-held-out", "blind53-held-out", "blind53-bundled-faq",
        "alt52-held-out", "blind54", "blind54-bundled-faq", "alt53", "blind55-held-out", "blind55-bundled-faq",
        "alt54-held-out", "blind56-held-out", "blind56-bundled-faq", "alt55-few-alternates-held-out"])
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
