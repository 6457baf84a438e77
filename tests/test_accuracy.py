"""The product targets, measured on the dev queries against the sample FAQ.

Definitions (shared with bench/bench_matcher.py):
* answered-right: answerable queries whose decision is "answer" with the expected id;
* one-tap: answerable queries answered right, or "suggest" with the expected id among suggestions;
* wrong: "answer" with a wrong id, over ALL queries;
* escalated: ESCALATE queries whose decision is "escalate".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from faq.csvio import read_csv
from faq.matcher import Matcher
from faq.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FAQ_CSV = ROOT / "tests" / "data" / "faq-sample.csv"
QUERIES = ROOT / "tests" / "data" / "dev-queries.tsv"
EXTRA_QUERIES = ROOT / "tests" / "data" / "extra-queries.tsv"  # independent set, same FAQ
ALT_FAQ = ROOT / "tests" / "data" / "faq-alt.csv"  # a different FAQ (Mexican consular/Afore/Infonavit)
ALT_QUERIES = ROOT / "tests" / "data" / "alt-queries.tsv"
VOCABULARY = ROOT / "faq" / "data" / "vocabulary.yaml"


@dataclass(frozen=True)
class Metrics:
    answered_right: float
    one_tap: float
    wrong: float
    escalated: float


def read_queries(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def evaluate(matcher: Matcher, rows: list[dict[str, str]]) -> Metrics:
    answerable = [r for r in rows if r["expected"] != "ESCALATE"]
    off_topic = [r for r in rows if r["expected"] == "ESCALATE"]
    right = one_tap = wrong = escalated = 0
    for row in rows:
        result = matcher.match(row["query"])
        expected = row["expected"]
        if expected == "ESCALATE":
            escalated += result.decision == "escalate"
            wrong += result.decision == "answer"
            continue
        ok = result.decision == "answer" and result.best_id == expected
        right += ok
        one_tap += ok or (result.decision == "suggest" and expected in matcher.suggestions(result))
        wrong += result.decision == "answer" and result.best_id != expected
    return Metrics(
        answered_right=100.0 * right / max(len(answerable), 1),
        one_tap=100.0 * one_tap / max(len(answerable), 1),
        wrong=100.0 * wrong / max(len(rows), 1),
        escalated=100.0 * escalated / max(len(off_topic), 1),
    )


@pytest.fixture(scope="module")
def metrics() -> Metrics:
    matcher = Matcher(read_csv(FAQ_CSV), load_vocabulary(VOCABULARY))
    return evaluate(matcher, read_queries(QUERIES))


def test_answered_right(metrics: Metrics) -> None:
    assert metrics.answered_right >= 75.0, metrics


def test_one_tap(metrics: Metrics) -> None:
    assert metrics.one_tap >= 92.0, metrics


def test_wrong_answers(metrics: Metrics) -> None:
    assert metrics.wrong <= 3.0, metrics


def test_escalated(metrics: Metrics) -> None:
    assert metrics.escalated >= 75.0, metrics


# Floors for the independent sets. Measured when they were set: extra 88.3/95.5/2.4/83.3,
# alt 77.6/93.9/3.1/81.2 (alt has 65 queries: one wrong answer is 1.5 points).
@pytest.mark.parametrize("faq_path,queries,floors", [
    (FAQ_CSV, EXTRA_QUERIES, (80.0, 92.0, 3.0, 75.0)),
    (ALT_FAQ, ALT_QUERIES, (75.0, 90.0, 4.0, 75.0)),
], ids=["extra-queries", "alt-faq"])
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
