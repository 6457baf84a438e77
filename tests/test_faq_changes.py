"""What a new FAQ takes away from members' buttons: renamed ids, deleted entries, renamed topics
(session 14's review: all three passed `faq import`, `faq check` and `/reload` without a word)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY
from faq.changes import compare, describe
from faq.loader import load_faq
from faq.matcher import DEFAULT_THRESHOLDS
from faq.model import Faq
from faq.service import FaqService
from faq.yamlio import write_yaml
from handlers.admin import _changes_text
from i18n import Translator
from tests.test_cli import isolated_env, run  # noqa: F401 (isolated_env: the CLI tests' fixture)


def _damaged(faq: Faq) -> Faq:
    """As an admin's spreadsheet edit: one id renamed, one entry deleted, one topic renamed."""
    entries = []
    for e in faq.entries:
        if e.id == "migrant-pay-from-us":
            continue
        if e.id == "migrant-cost":
            e = dataclasses.replace(e, id="migrant-cost-2025")
        if e.category == "payments":
            e = dataclasses.replace(e, category="pagos")
        entries.append(e)
    labels = {("pagos" if slug == "payments" else slug): names for slug, names in faq.categories.items()}
    return dataclasses.replace(faq, entries=tuple(entries), categories=labels)


def test_compare_tells_renamed_gone_and_topics() -> None:
    old = load_faq(BUNDLED_FAQ)
    changes = compare(old, _damaged(old))
    assert changes.renamed == (("migrant-cost", "migrant-cost-2025"),)
    assert changes.gone == ("migrant-pay-from-us",)
    assert changes.added == ()
    assert changes.gone_categories == ("payments",) and changes.new_categories == ("pagos",)
    lines = describe(changes)
    assert any("migrant-cost -> migrant-cost-2025" in line for line in lines)
    assert any("migrant-pay-from-us" in line and "no longer available" in line for line in lines)
    assert not compare(old, old)


def test_reload_reports_what_members_buttons_lose(tmp_path: Path) -> None:
    path = tmp_path / "faq.yaml"
    original = load_faq(BUNDLED_FAQ)
    write_yaml(original, path)
    faqs = FaqService(path, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    write_yaml(_damaged(original), path)
    outcome = faqs.reload()
    assert outcome.ok and outcome.changes is not None and outcome.changes.gone == ("migrant-pay-from-us",)
    text = _changes_text(outcome.changes, Translator("es"))
    assert "migrant-cost → migrant-cost-2025" in text and "migrant-pay-from-us" in text
    assert "ya no está disponible" in text and "pagos" in text


def test_import_over_an_faq_warns_about_what_it_drops(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      isolated_env: Path) -> None:  # noqa: F811
    target = tmp_path / "faq.yaml"
    write_yaml(load_faq(BUNDLED_FAQ), target)
    sheet = tmp_path / "faq.csv"
    write_yaml(_damaged(load_faq(BUNDLED_FAQ)), tmp_path / "damaged.yaml")
    assert run(["faq", "export", str(tmp_path / "damaged.yaml"), "--csv", str(sheet)])[0] == 0
    capsys.readouterr()
    assert run(["faq", "import", str(sheet), "--out", str(target)])[0] == 0
    out = capsys.readouterr().out
    assert "Warning: Renamed ids (same question): migrant-cost -> migrant-cost-2025" in out
    assert "Warning: Entries no longer in the FAQ: migrant-pay-from-us" in out
    assert "Warning: Topics no longer in /menu: payments." in out
    assert "Warning: New topics in /menu: pagos (check their labels in both languages)." in out
    fresh = tmp_path / "new.yaml"
    assert run(["faq", "import", str(sheet), "--out", str(fresh)])[0] == 0
    assert "Warning" not in capsys.readouterr().out  # nothing was served from a new file


def test_a_new_topic_alone_is_reported(tmp_path: Path) -> None:
    """Session 15's review: a typo in one entry's category ("migrant" for "migrants") made a new
    /menu topic, with an English label in the Spanish menu, and /reload said nothing of it."""
    old = load_faq(BUNDLED_FAQ)
    first = old.entries[0]
    typo = dataclasses.replace(first, category=first.category + "x")
    new = dataclasses.replace(old, entries=(typo, *old.entries[1:]),
                              categories={**old.categories, typo.category: {"es": "X", "en": "X"}})
    changes = compare(old, new)
    assert changes and changes.gone_categories == () and changes.new_categories == (typo.category,)
    assert any(typo.category in line and "New topics" in line for line in describe(changes))
    assert typo.category in _changes_text(changes, Translator("es"))


def _id_column_sorted(faq: Faq) -> Faq:
    """As Excel's "sort the current selection only" on the id column: the same ids and the same
    questions, paired differently (session 16's review)."""
    ids = sorted(e.id for e in faq.entries)
    entries = tuple(dataclasses.replace(e, id=i) for e, i in zip(faq.entries, ids, strict=True))
    return dataclasses.replace(faq, entries=entries)


def test_a_sorted_id_column_is_told_once_with_a_count_and_the_first_ids() -> None:
    old = load_faq(BUNDLED_FAQ)
    new = _id_column_sorted(old)
    changes = compare(old, new)
    moved = [e.id for e in old.entries if new.get(e.id).question["es"] != e.question["es"]]
    assert changes and changes.moved == tuple(moved) and len(moved) > 5
    assert not changes.renamed and not changes.gone  # every id is still there: nothing else tells it
    lines = describe(changes)
    assert len(lines) == 1 and lines[0].startswith(f"{len(moved)} ids now have another question in both languages")
    assert ", ".join(moved[:5]) + ")" in lines[0] and moved[5] not in lines[0]
    assert "may have moved to other rows" in lines[0]
    text = _changes_text(changes, Translator("es"))
    assert f"{len(moved)} ids tienen ahora otra pregunta" in text and "otras filas" in text
    assert f"<code>{moved[0]}</code>" in text and f"<code>{moved[5]}</code>" not in text


def test_a_question_changed_in_both_languages_is_named_and_a_typo_in_one_is_not() -> None:
    old = load_faq(BUNDLED_FAQ)
    a, b, c = old.entries[0], old.entries[1], old.entries[2]
    swapped = (dataclasses.replace(a, question=b.question), dataclasses.replace(b, question=a.question))
    typo = dataclasses.replace(c, question={**c.question, "es": c.question["es"].replace("a", "á", 1) + " x"})
    new = dataclasses.replace(old, entries=(*swapped, typo, *old.entries[3:]))
    changes = compare(old, new)
    assert changes.moved == (a.id, b.id)
    assert describe(changes)[0].startswith(f"The questions of {a.id}, {b.id} changed in both languages.")
    assert "La pregunta de" not in _changes_text(changes, Translator("es"))
    assert f"Las preguntas de <code>{a.id}</code>, <code>{b.id}</code> cambiaron" in _changes_text(
        changes, Translator("es"))
    # Typos fixed in both languages are still the same question.
    fixed = dataclasses.replace(a, question={lang: q.rstrip("?") + "s?" for lang, q in a.question.items()})
    assert not compare(old, dataclasses.replace(old, entries=(fixed, *old.entries[1:])))


def test_reload_and_import_of_a_sheet_with_only_its_id_column_sorted_warn(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:  # noqa: F811
    import csv

    target = tmp_path / "faq.yaml"
    write_yaml(load_faq(BUNDLED_FAQ), target)
    sheet = tmp_path / "faq.csv"
    assert run(["faq", "export", str(target), "--csv", str(sheet)])[0] == 0
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig", newline="")))
    ids = sorted(r[0] for r in rows[1:])
    for r, new_id in zip(rows[1:], ids, strict=True):
        r[0] = new_id
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    faqs = FaqService(target, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    capsys.readouterr()
    assert run(["faq", "import", str(sheet), "--out", str(target)])[0] == 0
    out = capsys.readouterr().out
    assert "Warning: " in out and "ids now have another question in both languages" in out
    outcome = faqs.reload()
    assert outcome.ok and outcome.changes is not None and outcome.changes.moved
    assert "otras filas" in _changes_text(outcome.changes, Translator("es"))
    assert "other rows" in _changes_text(outcome.changes, Translator("en"))
