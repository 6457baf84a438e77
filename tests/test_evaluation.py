"""faq.evaluation: the four product metrics and the query-file reader behind `bot.py faq eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.errors import FaqLoadError
from faq.evaluation import (
    ESCALATE,
    Metrics,
    Outcome,
    empty_queries,
    format_report,
    meets,
    read_queries,
    summarize,
    unknown_ids,
)


def outcome(expected: str, decision: str, best: str | None = None, offered: tuple[str, ...] = ()) -> Outcome:
    return Outcome("q", expected, decision, best, 50.0, offered)


def test_outcome_classification() -> None:
    right = outcome("a", "answer", "a")
    wrong = outcome("a", "answer", "b")
    tap = outcome("a", "suggest", "b", ("b", "a"))
    missed = outcome("a", "suggest", "b", ("b", "c"))
    off_answered = outcome(ESCALATE, "answer", "a")
    off_escalated = outcome(ESCALATE, "escalate")
    assert (right.right, right.one_tap, right.wrong) == (True, True, False)
    assert (wrong.right, wrong.one_tap, wrong.wrong) == (False, False, True)
    assert (tap.right, tap.one_tap, tap.wrong) == (False, True, False)
    assert (missed.right, missed.one_tap, missed.wrong) == (False, False, False)
    assert (off_answered.right, off_answered.wrong) == (False, True)
    assert (off_escalated.right, off_escalated.wrong) == (True, False)
    # A suggestion of an off-topic question is neither escalated nor a wrong answer.
    assert not outcome(ESCALATE, "suggest", "a", ("a",)).right
    assert not outcome(ESCALATE, "suggest", "a", ("a",)).wrong


def test_summarize_percentages_over_the_right_denominators() -> None:
    results = [
        outcome("a", "answer", "a"),  # right
        outcome("a", "suggest", "b", ("b", "a")),  # one tap
        outcome("a", "answer", "b"),  # wrong
        outcome("a", "escalate"),  # missed
        outcome(ESCALATE, "escalate"),  # escalated
        outcome(ESCALATE, "answer", "a"),  # wrong (over all queries)
    ]
    m = summarize(results)
    assert (m.answerable, m.off_topic) == (4, 2)
    assert m.answered_right == pytest.approx(25.0)
    assert m.one_tap == pytest.approx(50.0)
    assert m.wrong == pytest.approx(100.0 * 2 / 6)
    assert m.escalated == pytest.approx(50.0)
    assert meets(m) == {"answered_right": False, "one_tap": False, "wrong": False, "escalated": False}
    assert meets(Metrics(75.0, 92.0, 3.0, 75.0)) == dict.fromkeys(meets(m), True)


def test_report_groups_misses_by_kind() -> None:
    results = [
        outcome("a", "answer", "b"),
        outcome("a", "escalate"),
        outcome("a", "suggest", "b", ("b", "a")),
        outcome(ESCALATE, "suggest", "c", ("c",)),
        outcome("a", "answer", "a"),
    ]
    report = format_report(summarize(results), results)
    assert "Answered with the wrong entry" in report and "answer b" in report
    assert "right entry was not offered (add the member's words as an alternate): 1" in report
    assert "one tap away): 1" in report and "suggest b, a" in report
    assert f"{ESCALATE} expected, but the bot offered entries or small talk: 1" in report
    assert "BELOW" in report and "ABOVE" in report


def test_read_queries_tsv_and_csv(tmp_path: Path) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text("query\texpected\tlang\n¿cuánto cuesta?\tmigrant-cost\tes\n\t\t\nweather\tESCALATE\ten\n",
                   encoding="utf-8")
    rows = read_queries(tsv)
    assert [(r.query, r.expected, r.line) for r in rows] == [
        ("¿cuánto cuesta?", "migrant-cost", 2), ("weather", ESCALATE, 4)]
    csv_file = tmp_path / "q.csv"
    csv_file.write_text('\ufeffexpected,query\nmigrant-cost,"cuanto cuesta, el seguro"\n', encoding="utf-8")
    assert [(r.query, r.expected) for r in read_queries(csv_file)] == [("cuanto cuesta, el seguro", "migrant-cost")]


def test_read_queries_without_the_columns_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("question\tanswer\nhola\tx\n", encoding="utf-8")
    with pytest.raises(FaqLoadError) as err:
        read_queries(bad)
    assert "bad.tsv:1" in str(err.value) and "query" in str(err.value) and "expected" in str(err.value)


def test_unknown_expected_ids_are_reported_with_their_line(tmp_path: Path) -> None:
    f = tmp_path / "q.tsv"
    f.write_text("query\texpected\na\tmigrant-cost\nb\tmigrant-cots\nc\tESCALATE\n", encoding="utf-8")
    problems = unknown_ids(read_queries(f), {"migrant-cost"}, str(f))
    assert len(problems) == 1
    assert problems[0].line == 3 and "migrant-cots" in str(problems[0])


def test_a_labelled_row_without_its_query_is_reported_and_a_blank_line_is_not(tmp_path: Path) -> None:
    """A label with no question (pasted into the wrong column, or lost) was dropped like a blank
    line: the file measured fewer questions than it has, and nothing said so."""
    f = tmp_path / "q.tsv"
    f.write_text("query\texpected\tlang\n"
                 "a\tmigrant-cost\tes\n"
                 "\tmigrant-pay-from-us\tes\n"   # line 3: the admin's slip
                 "\t\t\n"                        # line 4: a blank row, skipped silently
                 "\t\ten\n"                      # line 5: only a language: still nothing to measure
                 "   \tESCALATE\ten\n", encoding="utf-8")  # line 6: a query of blanks is empty too
    rows = read_queries(f)
    assert [(r.query, r.expected, r.line) for r in rows] == [
        ("a", "migrant-cost", 2), ("", "migrant-pay-from-us", 3), ("", ESCALATE, 6)]
    problems = empty_queries(rows, str(f))
    assert [p.line for p in problems] == [3, 6]
    assert str(problems[0]) == (f"{f}:3: the query is empty but 'expected' says 'migrant-pay-from-us'; write "
                                "the member's question in the 'query' column, or delete the row")
    assert "ESCALATE" in str(problems[1])
    assert empty_queries([r for r in rows if r.query], str(f)) == []
