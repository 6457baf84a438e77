"""Load an FAQ file for the bot: pick the reader by suffix, apply every rule, all or nothing.

The bot swaps its FAQ on ``/reload`` only when :func:`load_faq` returns, so a broken file can
never replace a working FAQ: either a complete, valid :class:`Faq` comes back or
:class:`FaqLoadError` lists every problem (with file, line, entry and field) for the admin.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from rapidfuzz.distance import OSA

from faq.csvio import parse_csv, write_csv
from faq.errors import FaqLoadError, FaqProblem
from faq.model import LANGS, Faq
from faq.validate import ParsedFaq, validate
from faq.yamlio import parse_yaml, write_yaml

#: The bundled FAQ: its category labels name a sheet's categories (see with_category_labels).
BUNDLED_FAQ = Path(__file__).resolve().parent / "data" / "faq.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv", ".tsv")  # a .tsv is what Google Sheets saves as "tab-separated values"


def _unsupported(path: str | Path) -> FaqProblem:
    return FaqProblem(str(path), "unsupported file type: use .yaml/.yml (bundled format) or .csv/.tsv (spreadsheet)")


def parse_faq(path: str | Path) -> ParsedFaq | None:
    """The reader's result for ``path``, chosen by suffix; ``None`` for an unknown suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in YAML_SUFFIXES:
        return parse_yaml(path)
    if suffix in CSV_SUFFIXES:
        return parse_csv(path)
    return None


def check_faq(path: str | Path) -> list[FaqProblem]:
    """Every problem in the FAQ file at ``path`` (empty list = loadable); never raises.

    This is what ``bot.py faq check`` and ``/reload`` show admins.
    """
    parsed = parse_faq(path)
    if parsed is None:
        return [_unsupported(path)]
    return validate(parsed)


def load_faq(path: str | Path) -> Faq:
    """The validated FAQ at ``path`` (.yaml/.yml or .csv).

    Raises :class:`FaqLoadError` carrying *all* problems: unknown suffix, missing or unreadable
    file, YAML syntax, wrong types, missing columns and every content rule.
    """
    parsed = parse_faq(path)
    if parsed is None:
        raise FaqLoadError([_unsupported(path)])
    problems = validate(parsed)
    if problems:
        raise FaqLoadError(problems)
    if Path(path).suffix.lower() in CSV_SUFFIXES:
        # A sheet served as is shows its categories in /menu like the imported YAML would:
        # "Migrantes" / "Migrants", not the slug "Migrants" to a Spanish speaker (session 12's review).
        return with_category_labels(parsed.faq, [BUNDLED_FAQ])
    return parsed.faq


def known_categories(sources: Sequence[str | Path]) -> dict[str, Mapping[str, str]]:
    """The categories (slug → labels) the YAML files ``sources`` define, the first source first;
    a missing or broken file adds none."""
    labels: dict[str, Mapping[str, str]] = {}
    for source in sources:
        try:
            known = load_faq(source).categories if Path(source).exists() else {}
        except FaqLoadError:
            continue
        for slug, names in known.items():
            labels.setdefault(slug, names)
    return labels


def with_category_labels(faq: Faq, sources: Sequence[str | Path]) -> Faq:
    """``faq`` with the category labels the YAML files ``sources`` have for its categories, the
    first source first: the spreadsheet has no column for them. A category none of them knows
    gets its slug made readable (the YAML needs a label per language; an admin can change it)."""
    labels = known_categories(sources)
    return replace(faq, categories={s: labels.get(s) or {lang: faq.category_label(s, lang) for lang in ("es", "en")}
                                    for s in faq.category_slugs()})


def advice_for(parsed: ParsedFaq, category_sources: Sequence[str | Path] = (BUNDLED_FAQ,)) -> list[FaqProblem]:
    """What an admin should look at in a file that may still load: the reader's advice and, for a
    sheet, a category that looks like a typo of a known one (see :func:`category_advice`).

    Never blocks anything: ``faq check``, ``faq import`` and ``ask`` print it; the bot ignores it.
    ``category_sources`` are the YAML files whose categories count as known (``faq import`` adds
    its target).
    """
    advice = list(parsed.advice)
    if parsed.style == "csv" and not parsed.problems:
        advice += category_advice(parsed, known_categories(category_sources))
    return advice


def category_advice(parsed: ParsedFaq, known: Mapping[str, Mapping[str, str]]) -> list[FaqProblem]:
    """One piece of advice per sheet entry whose category looks like a typo: used by that entry
    only, not a known category, and close to a known one or another of the sheet's ("pagos" for
    "payments", labelled "Pagos y cuotas"; "paymnets").

    A sheet has no list of categories to check against, unlike the YAML format: a typo silently
    made a /menu topic of its own for one question, with the slug as its label in both languages.
    A category several entries share is taken as meant.
    """
    counts = Counter(e.category for e in parsed.faq.entries if e.category)
    candidates: dict[str, Mapping[str, str]] = {**known, **{s: known.get(s, {}) for s in counts}}
    found: list[FaqProblem] = []
    for index, entry in enumerate(parsed.faq.entries):
        slug = entry.category
        if not slug or counts[slug] > 1 or slug in known or (index, "category") in parsed.bad_fields:
            continue
        guess = _likely_category(slug, {s: labels for s, labels in candidates.items() if s != slug})
        if guess is None:
            continue
        labels = " / ".join(candidates[guess].get(lang, "") for lang in LANGS if candidates[guess].get(lang))
        found.append(FaqProblem(
            parsed.faq.path,
            f"category {slug!r} is used by this entry only and is not a known category: did you mean "
            f"{guess!r}" + (f" ({labels})" if labels else "") + "? As it is, members get a /menu topic of its "
            "own for this one question",
            entry=entry.id or None, field="category", line=parsed.field_lines.get((index, "category"), entry.line)))
    return found


def _folded(text: str) -> str:
    """Case, accents and separators ignored: "Pagos-y_Cuotas" and "pagos y cuotas" are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _likely_category(slug: str, candidates: Mapping[str, Mapping[str, str]]) -> str | None:
    """The candidate ``slug`` was most likely meant to be, or None when none is close.

    Close means: the same words as the candidate's slug or a label; one or two typing slips
    apart (80% alike, letters swapped count as one slip: "paymnets"); or a single word that
    starts a label ("pagos" → "Pagos y cuotas").
    """
    mine = _folded(slug)
    best, best_score = None, 0.0
    for other, labels in candidates.items():
        for text in (other, *labels.values()):
            theirs = _folded(text)
            if not mine or not theirs:
                continue
            starts_label = " " not in mine and len(mine) >= 4 and theirs.split()[0] == mine
            score = 1.0 if mine == theirs or starts_label else OSA.normalized_similarity(mine, theirs)
            if score > best_score:
                best, best_score = other, score
    return best if best_score >= 0.8 else None


def save_faq(faq: Faq, path: str | Path) -> None:
    """Export ``faq`` to ``path`` in the format its suffix names (for ``faq import/export``).

    Raises :class:`FaqLoadError` naming the file for an unknown suffix, so the CLI reports it the
    same way as a load problem.
    """
    suffix = Path(path).suffix.lower()
    if suffix in YAML_SUFFIXES:
        write_yaml(faq, path)
    elif suffix in CSV_SUFFIXES:
        write_csv(faq, path)
    else:
        raise FaqLoadError([_unsupported(path)])
