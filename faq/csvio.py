"""Read the spreadsheet (CSV) layout admins use. TEMPORARY minimal reader: to be completed
(validation, export) by the FAQ-loading work; keep ``read_csv`` working for the matcher work."""

from __future__ import annotations

import csv
from pathlib import Path

from faq.model import Faq, FaqEntry

COLUMNS = ("id", "category", "question_es", "question_en", "alternates_es", "alternates_en",
           "answer_es", "answer_en", "source")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(" | ") if p.strip())


def read_csv(path: str | Path) -> Faq:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    entries = tuple(
        FaqEntry(
            id=r["id"].strip(),
            category=r["category"].strip(),
            question={"es": r["question_es"].strip(), "en": r["question_en"].strip()},
            answer={"es": r["answer_es"].strip(), "en": r["answer_en"].strip()},
            alternates={"es": _split(r["alternates_es"]), "en": _split(r["alternates_en"])},
            source=r.get("source", "").strip(),
        )
        for r in rows
    )
    return Faq(entries=entries, path=str(path))
