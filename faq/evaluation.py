"""Measure a matcher on labelled member questions: the four product metrics, and every miss.

The lexical matcher is only as good as the FAQ's phrasings: on an FAQ it was not tuned on, the
alternates decide how often a member's own words find the right entry. An admin curating an FAQ
needs to see that, not guess it: label real questions (``bot.py faq gaps`` lists those the bot
could not answer) in a two-column file, run ``bot.py faq eval``, add alternates for the misses,
run it again. The same code computes the project's accuracy tests and ``bench/accuracy_table.py``,
so the admin's figure and the README's mean the same thing.

Query files are tab-separated (``.tsv``, or ``.csv`` for comma-separated) with a header naming at
least ``query`` and ``expected``; ``expected`` is an FAQ id or ``ESCALATE`` (no entry answers it,
staff should). Other columns (``lang``, ``kind``) are ignored.

Definitions:

* answered right: answerable queries whose decision is "answer" with the expected id;
* one tap: answerable queries answered right, or "suggest" with the expected id among the offered
  suggestions (what the member sees as buttons);
* wrong: "answer" with another id, over ALL queries (an off-topic question answered is wrong too);
* escalated: ``ESCALATE`` queries whose decision is "escalate".
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from faq.csvio import sniff_delimiter
from faq.errors import FaqLoadError, FaqProblem
from faq.matcher import Matcher
from faq.model import Faq

ESCALATE = "ESCALATE"


@dataclass(frozen=True)
class Metrics:
    """Percentages (0..100) of the four product metrics, and how many queries they rest on."""

    answered_right: float
    one_tap: float
    wrong: float
    escalated: float
    answerable: int = 0
    off_topic: int = 0


#: The product targets (issue "Member Q&A pipeline"): >= 75 / >= 92 / <= 3 / >= 75.
TARGETS = Metrics(answered_right=75.0, one_tap=92.0, wrong=3.0, escalated=75.0)


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    expected: str  # an FAQ id, or ESCALATE
    line: int = 0  # line in the query file (1 = header), for messages


@dataclass(frozen=True)
class Outcome:
    """What the matcher did with one labelled query."""

    query: str
    expected: str
    decision: str
    best_id: str | None
    score: float
    offered: tuple[str, ...]  # the suggestions shown as buttons ("suggest" only)

    @property
    def answerable(self) -> bool:
        return self.expected != ESCALATE

    @property
    def right(self) -> bool:
        """Answered with the expected entry (answerable) or escalated (ESCALATE)."""
        if self.answerable:
            return self.decision == "answer" and self.best_id == self.expected
        return self.decision == "escalate"

    @property
    def one_tap(self) -> bool:
        return self.right or (self.answerable and self.decision == "suggest" and self.expected in self.offered)

    @property
    def wrong(self) -> bool:
        return self.decision == "answer" and self.best_id != self.expected


#: Invisible characters that reorder the text around them (right-to-left overrides, isolates).
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` safe to print on an admin's terminal: control characters are shown as escapes
    (``\\x1b``, ``\\n``, ``\\u202e``) instead of being sent to it.

    Member messages are typed by anyone: an escape sequence in one could clear the admin's
    screen, retitle the window or colour the rest of ``faq gaps``, and a right-to-left override
    could reorder what the admin reads. Only the human-readable output goes through this;
    JSON and TSV keep the data as it is. ``keep_newlines`` keeps the line breaks of a
    multi-line text (an FAQ answer); a listing of one item per line escapes them.
    """
    out = []
    for ch in text:
        if (ch == "\n" and keep_newlines) or not (
                unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS):
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return "".join(out)


def read_queries(path: str | Path) -> list[LabelledQuery]:
    """Labelled queries from a ``.tsv`` (or ``.csv``, separated by commas or semicolons) file with a header.

    Raises :class:`FaqLoadError` naming the file when the ``query`` or ``expected`` column is
    missing. A row with neither a query nor a label is skipped (a blank line in a spreadsheet); a
    labelled row whose query is empty is kept, for :func:`empty_queries` to report: it is the
    admin's slip (a question pasted into the wrong column, or lost), and dropping it silently
    would measure fewer questions than the file has without saying so.
    """
    path = Path(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    # The separator is judged from the header, like the FAQ sheet's: a list pasted into a
    # Spanish-locale Excel comes back with ";", and header names in any case ("Query") count.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    names = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("query", "expected") if c not in names]
    if missing:
        raise FaqLoadError([FaqProblem(str(path), f"missing column(s) {', '.join(missing)}; the header "
                                               f"must name 'query' and 'expected'", line=1)])
    q, e = names.index("query"), names.index("expected")
    rows = [LabelledQuery((r[q] if q < len(r) else "").strip(), (r[e] if e < len(r) else "").strip(), reader.line_num)
            for r in reader]
    return [r for r in rows if r.query or r.expected]


def write_labelled_queries(path: str | Path, rows: Iterable[tuple[str, str, str]]) -> None:
    """Write ``(query, expected, lang)`` rows as a TSV :func:`read_queries` reads back (the layout of
    the evaluation sets): tabs and line breaks inside a question become spaces."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["query", "expected", "lang"])
        for query, expected, lang in rows:
            writer.writerow([" ".join(query.split()), expected, lang])


def unknown_ids(rows: Iterable[LabelledQuery], known: set[str], file: str) -> list[FaqProblem]:
    """One problem per row whose expected id is neither an FAQ id nor ESCALATE (a typo in the
    label would otherwise count as a miss of the matcher)."""
    return [FaqProblem(file, f"expected {r.expected!r} is not an id of this FAQ (or {ESCALATE})", line=r.line)
            for r in rows if r.expected != ESCALATE and r.expected not in known]


def empty_queries(rows: Iterable[LabelledQuery], file: str) -> list[FaqProblem]:
    """One problem per labelled row whose query is empty: like a label naming no entry, it is a
    mistake in the file to fix, not a question the matcher missed."""
    return [FaqProblem(file, f"the query is empty but 'expected' says {r.expected!r}; write the member's "
                             "question in the 'query' column, or delete the row", line=r.line)
            for r in rows if not r.query]


def outcomes(matcher: Matcher, rows: Iterable[LabelledQuery]) -> list[Outcome]:
    out = []
    for row in rows:
        result = matcher.match(row.query)
        out.append(Outcome(row.query, row.expected, result.decision, result.best_id, result.score,
                           tuple(matcher.suggestions(result))))
    return out


def self_test(matcher: Matcher, faq: Faq) -> list[Outcome]:
    """Every question and alternate of ``faq`` typed as-is, labelled with its own entry.

    A member who types an entry's own phrasing should get that entry's answer. When they would
    not, two entries share that phrasing's words (the bot offers both as buttons, or answers the
    other one): the admin should make the phrasings differ. Needs no labelled questions, so it is
    the first check of an FAQ nobody has measured yet.
    """
    return outcomes(matcher, [LabelledQuery(text, e.id) for e in faq.entries for _lang, text in e.phrasings()])


def format_self_test(results: Sequence[Outcome]) -> str:
    """The phrasings not answered by their own entry, and with what the bot does instead."""
    clash = [o for o in results if not o.right]
    lines = [f"{len(results)} questions and alternates typed as-is: {len(results) - len(clash)} answered "
             f"by their own entry, {len(clash)} not."]
    if clash:
        lines += ["", "Not answered by their own entry (add the words that set the entry apart, "
                      "or make the phrasings of the entries named differ):"]
        for o in clash:
            shown = ", ".join(o.offered) if o.decision == "suggest" else (o.best_id or "-")
            lines.append(printable(f"  {o.expected}: {o.decision} {shown}  | {o.query}"))
    return "\n".join(lines)


def summarize(results: Sequence[Outcome]) -> Metrics:
    answerable = [o for o in results if o.answerable]
    off_topic = [o for o in results if not o.answerable]
    return Metrics(
        answered_right=100.0 * sum(o.right for o in answerable) / max(len(answerable), 1),
        one_tap=100.0 * sum(o.one_tap for o in answerable) / max(len(answerable), 1),
        wrong=100.0 * sum(o.wrong for o in results) / max(len(results), 1),
        escalated=100.0 * sum(o.right for o in off_topic) / max(len(off_topic), 1),
        answerable=len(answerable),
        off_topic=len(off_topic),
    )


def evaluate(matcher: Matcher, rows: Iterable[LabelledQuery]) -> Metrics:
    """The four metrics of ``matcher`` on ``rows``."""
    return summarize(outcomes(matcher, rows))


def meets(m: Metrics, targets: Metrics = TARGETS) -> dict[str, bool]:
    """Per metric, whether it reaches its target."""
    return {
        "answered_right": m.answered_right >= targets.answered_right,
        "one_tap": m.one_tap >= targets.one_tap,
        "wrong": m.wrong <= targets.wrong,
        "escalated": m.escalated >= targets.escalated,
    }


def _figure(label: str, value: float, target: str, verdict: str, rows: int, none: str) -> str:
    """One line of the report; a figure with no rows to count is "n/a", never "0.0% BELOW"."""
    if not rows:
        return f"  {label:<14} {'n/a':>6}   (no {none} rows)"
    return f"  {label:<14} {value:5.1f}%   target {target}   {verdict}"


def format_report(m: Metrics, results: Sequence[Outcome]) -> str:
    """The metrics against the targets, then the misses grouped by what went wrong.

    A file of only answerable questions (what ``faq gaps --tsv`` writes) has nothing to say about
    escalation, and one of only ESCALATE rows nothing about answers: those figures are "n/a",
    not a 0.0% that reads as a failure.
    """
    ok = meets(m)
    lines = [
        f"{len(results)} questions: {m.answerable} answerable, {m.off_topic} {ESCALATE}",
        _figure("answered right", m.answered_right, f">= {TARGETS.answered_right:.0f}%",
                "ok" if ok["answered_right"] else "BELOW", m.answerable, "answerable"),
        _figure("one tap", m.one_tap, f">= {TARGETS.one_tap:.0f}%", "ok" if ok["one_tap"] else "BELOW",
                m.answerable, "answerable"),
        _figure("wrong answers", m.wrong, f"<= {TARGETS.wrong:.0f}% ", "ok" if ok["wrong"] else "ABOVE",
                len(results), "labelled"),
        _figure("escalated", m.escalated, f">= {TARGETS.escalated:.0f}%", "ok" if ok["escalated"] else "BELOW",
                m.off_topic, ESCALATE),
    ]
    groups = [
        ("Answered with the wrong entry (add alternates to the expected one, or make them differ):",
         [o for o in results if o.wrong]),
        ("Answerable, but the right entry was not offered (add the member's words as an alternate):",
         [o for o in results if o.answerable and not o.one_tap and not o.wrong]),
        ("Answerable, right entry only as a suggestion (one tap away):",
         [o for o in results if o.answerable and o.one_tap and not o.right]),
        (f"{ESCALATE} expected, but the bot offered entries or small talk:",
         [o for o in results if not o.answerable and not o.right and not o.wrong]),
    ]
    for title, group in groups:
        if not group:
            continue
        lines += ["", f"{title} {len(group)}"]
        for o in group:
            shown = ", ".join(o.offered) if o.decision == "suggest" else (o.best_id or "-")
            lines.append(printable(f"  expected {o.expected}; {o.decision} {shown} ({o.score:.0f})  | {o.query}"))
    return "\n".join(lines)
