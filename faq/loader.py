"""Load an FAQ file for the bot: pick the reader by suffix, apply every rule, all or nothing.

The bot swaps its FAQ on ``/reload`` only when :func:`load_faq` returns, so a broken file can
never replace a working FAQ: either a complete, valid :class:`Faq` comes back or
:class:`FaqLoadError` lists every problem (with file, line, entry and field) for the admin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from faq.csvio import parse_csv, write_csv
from faq.errors import FaqLoadError, FaqProblem
from faq.model import Faq
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


def with_category_labels(faq: Faq, sources: Sequence[str | Path]) -> Faq:
    """``faq`` with the category labels the YAML files ``sources`` have for its categories, the
    first source first: the spreadsheet has no column for them. A category none of them knows
    gets its slug made readable (the YAML needs a label per language; an admin can change it)."""
    labels: dict[str, Mapping[str, str]] = {}
    for source in sources:
        try:
            known = load_faq(source).categories if Path(source).exists() else {}
        except FaqLoadError:
            continue
        for slug, names in known.items():
            labels.setdefault(slug, names)
    return replace(faq, categories={s: labels.get(s) or {lang: faq.category_label(s, lang) for lang in ("es", "en")}
                                    for s in faq.category_slugs()})


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
