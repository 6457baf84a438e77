"""Rules every FAQ must satisfy before the bot serves it, reporting *all* problems at once.

An admin fixing a spreadsheet wants the whole list in one go, each problem naming the file,
line, entry id and field, so validation never stops at the first error.

Readers (``faq.csvio``, ``faq.yamlio``) produce a :class:`ParsedFaq`: the entries they could
read, the structural problems they hit (bad types, missing columns, YAML syntax) and where each
field sits in the file. :func:`validate` adds the content rules on top.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from faq.errors import FaqProblem
from faq.model import LANGS, Faq, FaqEntry
from faq.render import MAX_MESSAGE_CHARS, message_length, render_answer

Style = Literal["csv", "yaml"]

#: Ids travel in Telegram callback data ("pick:<id>", 64 bytes at most), so: no spaces, no ":"
#: (our separator), at most ID_MAX bytes of UTF-8. Anything else admins like ("Q12", "pagos.1",
#: "migrant-cost") is fine — spreadsheets from other teams should load as they are.
ID_RE = re.compile(r"[^\s:]+")
ID_MAX = 58
#: Separator of alternates in a CSV cell; an alternate must not contain it or export would split it.
ALT_SEP = " | "
#: What reading treats as a separator: a ``|`` with whitespace (or the cell edge) on both sides,
#: so a cell like ``"a | b |"`` (trailing bar) still splits cleanly.
ALT_SEP_RE = re.compile(r"(?:^|\s)\|(?=\s|$)")


def field_name(style: Style, kind: str, lang: str | None = None) -> str:
    """The name admins see for a field: the CSV column (``answer_es``) or YAML path (``es.answer``)."""
    if lang is None:
        return kind
    return f"{kind}_{lang}" if style == "csv" else f"{lang}.{kind}"


@dataclass
class ParsedFaq:
    """What a reader got out of a file, before the content rules are applied.

    ``field_lines`` maps ``(entry index, field name)`` to the 1-based line of that value, so
    problems point at the exact line (YAML); entries fall back to ``FaqEntry.line``.
    ``item_lines`` maps ``(entry index, field name, alternate)`` to the line of that one alternate:
    alternates sit on lines of their own (a YAML list, a sheet cell with line breaks), and a
    duplicate named at the list's first line sends the admin looking in the wrong place.
    ``bad_fields`` are fields the reader already reported (e.g. wrong type); validation does not
    report them a second time as "missing". ``lenient`` are problems of the file's shape that
    still leave every entry readable (a sheet without an ``alternates_en`` column): the bot
    refuses them like any content rule, ``ask`` only warns (it is where admins try drafts).
    ``advice`` is what the admin should look at but what never stops anything, not even the bot:
    ``';'`` inside a sheet's alternates cell may be a slip for ``" | "``, or part of the phrasing.
    """

    faq: Faq
    style: Style
    problems: list[FaqProblem] = field(default_factory=list)
    field_lines: dict[tuple[int, str], int] = field(default_factory=dict)
    bad_fields: set[tuple[int, str]] = field(default_factory=set)
    lenient: list[FaqProblem] = field(default_factory=list)
    item_lines: dict[tuple[int, str, str], int] = field(default_factory=dict)
    advice: list[FaqProblem] = field(default_factory=list)


def style_for(path: str) -> Style:
    """Field naming follows the file format; used when validating a bare :class:`Faq`."""
    return "yaml" if path.lower().endswith((".yaml", ".yml")) else "csv"


def normalize_question(text: str) -> str:
    """Compare questions ignoring case, accents, punctuation and spacing.

    Two entries whose questions differ only in those ways are almost certainly a copy-paste
    mistake, and the matcher could not tell them apart anyway.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", " ", no_marks)
    return " ".join(words.split())


def validate(source: Faq | ParsedFaq) -> list[FaqProblem]:
    """Every problem in ``source`` (reader problems first, then content rules), never raising.

    Rules: at least one entry; unique ids; ids are short slugs (``[a-z0-9][a-z0-9_-]{0,40}``); category set (and, in
    a YAML file with ``categories:``, one of them); question
    and answer present in every language; the rendered answer fits one Telegram message; no
    question or alternate (normalised) shared by two entries; alternates never contain the CSV
    separator ``" | "``. Empty alternates are ignored.
    """
    parsed = source if isinstance(source, ParsedFaq) else ParsedFaq(source, style_for(source.path))
    if not parsed.faq.entries and not parsed.problems:
        # A header-only sheet (an empty tab exported by mistake) would send every question to staff.
        return [FaqProblem(parsed.faq.path, "the FAQ has no entries")]
    return list(parsed.problems) + list(parsed.lenient) + _Checker(parsed).run()


class _Checker:
    """Applies the rules to one parsed file; a class only to share the location bookkeeping."""

    def __init__(self, parsed: ParsedFaq) -> None:
        self.parsed = parsed
        self.file = parsed.faq.path
        self.problems: list[FaqProblem] = []

    def line(self, index: int, entry: FaqEntry, fname: str | None, item: str | None = None) -> int | None:
        """The line of one alternate (``item``) when the reader knows it, else of the field, else of the entry."""
        if fname is not None and item is not None and (index, fname, item) in self.parsed.item_lines:
            return self.parsed.item_lines[(index, fname, item)]
        if fname is not None and (index, fname) in self.parsed.field_lines:
            return self.parsed.field_lines[(index, fname)]
        return entry.line

    def report(self, index: int, entry: FaqEntry, fname: str | None, message: str, item: str | None = None) -> None:
        self.problems.append(
            FaqProblem(self.file, message, entry.id or None, fname, self.line(index, entry, fname, item))
        )

    def is_bad(self, index: int, fname: str) -> bool:
        return (index, fname) in self.parsed.bad_fields

    def run(self) -> list[FaqProblem]:
        style = self.parsed.style
        first_line_of_id: dict[str, tuple[int, FaqEntry]] = {}
        claimed: dict[str, tuple[FaqEntry, int, str, str]] = {}  # normalised text -> owner
        for index, entry in enumerate(self.parsed.faq.entries):
            self.check_id(index, entry, first_line_of_id)
            known = self.parsed.faq.categories  # a YAML file lists its categories; a spreadsheet has none
            if not entry.category.strip() and not self.is_bad(index, "category"):
                self.report(index, entry, "category", "category is empty; give the entry a category slug")
            elif known and entry.category not in known and not self.is_bad(index, "category"):
                # A typo ("migrantz") would show members a second, unlabelled topic in /menu.
                self.report(index, entry, "category", f"category {entry.category!r} is not one of the "
                            f"'categories:' ({', '.join(known)}); fix the slug or add the category")
            for lang in LANGS:
                self.check_lang(index, entry, lang, style)
            self.check_duplicates(index, entry, claimed, style)
        return self.problems

    def check_id(self, index: int, entry: FaqEntry, seen: dict[str, tuple[int, FaqEntry]]) -> None:
        if self.is_bad(index, "id"):
            return
        if not entry.id:
            self.report(index, entry, "id", "id is empty; every entry needs a unique id")
            return
        if not ID_RE.fullmatch(entry.id) or len(entry.id.encode("utf-8")) > ID_MAX:
            self.report(
                index, entry, "id",
                f"id {entry.id!r} is not a usable short id: no spaces or ':', "
                f"at most {ID_MAX} bytes (accented letters count double)",
            )
        if entry.id in seen:
            other_index, other = seen[entry.id]
            where = self.line(other_index, other, "id")
            at = f" at line {where}" if where else ""
            if _same_content(entry, other):  # a row pasted twice: its questions are not reported as clashing
                self.report(index, entry, "id", f"duplicate id {entry.id!r}: this entry is a copy of the entry{at} "
                                                "(same id, questions and answers); delete one of the two")
            else:
                self.report(index, entry, "id", f"duplicate id {entry.id!r}: already used by the entry{at}; "
                                                "ids must be unique")
        else:
            seen[entry.id] = (index, entry)

    def check_lang(self, index: int, entry: FaqEntry, lang: str, style: Style) -> None:
        for kind, mapping in (("question", entry.question), ("answer", entry.answer)):
            fname = field_name(style, kind, lang)
            if not (mapping.get(lang) or "").strip() and not self.is_bad(index, fname):
                self.report(index, entry, fname, f"{kind} in {lang!r} is empty; both es and en are required")
        if entry.question.get(lang) and entry.answer.get(lang):
            size = message_length(render_answer(entry, lang))
            if size > MAX_MESSAGE_CHARS:
                self.report(
                    index, entry, field_name(style, "answer", lang),
                    f"the {lang!r} answer message is {size} characters; Telegram allows at most "
                    f"{MAX_MESSAGE_CHARS}: shorten it or split the entry",
                )
        alt_field = field_name(style, "alternates", lang)
        for alt in entry.alternates.get(lang, ()):
            if ALT_SEP_RE.search(alt):
                self.report(
                    index, entry, alt_field,
                    f"alternate {alt!r} contains ' | ', the spreadsheet separator; "
                    "write it as separate alternates", item=alt,
                )

    def check_duplicates(
        self, index: int, entry: FaqEntry, claimed: dict[str, tuple[FaqEntry, int, str, str]], style: Style
    ) -> None:
        mine: set[str] = set()
        for fname, text in _phrasings(entry, style):
            key = normalize_question(text)
            if not key or key in mine:
                continue  # empty, or repeated within the same entry: harmless
            mine.add(key)
            owner = claimed.get(key)
            if owner is None:
                claimed[key] = (entry, index, fname, text)
                continue
            other, other_index, other_field, other_text = owner
            if entry.id and other.id == entry.id:
                # Two entries with one id (a row pasted twice): the duplicate id is the one
                # problem; "duplicates question_es of entry 'x'" on entry 'x' read as a clash with itself.
                continue
            where = self.line(other_index, other, other_field, other_text)
            self.report(
                index, entry, fname,
                f"{text!r} duplicates {other_field} of entry {other.id!r}"
                + (f" (line {where})" if where else "")
                + "; the bot could not tell the two entries apart", item=text,
            )


def _same_content(a: FaqEntry, b: FaqEntry) -> bool:
    """Whether two entries say the same thing (their place in the file aside): a row pasted twice."""
    return (a.category, a.question, a.answer, a.alternates, a.source) == (b.category, b.question, b.answer,
                                                                          b.alternates, b.source)


def _phrasings(entry: FaqEntry, style: Style) -> Iterator[tuple[str, str]]:
    for lang in LANGS:
        if entry.question.get(lang):
            yield field_name(style, "question", lang), entry.question[lang]
        for alt in entry.alternates.get(lang, ()):
            if alt.strip():
                yield field_name(style, "alternates", lang), alt
