"""Every user-facing string exists in Spanish and English, and translations are usable.

The source strings are extracted from the code with babel's own extractor (the same one
``make catalogs-update`` runs), so a new ``_("…")`` without translations fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.support import NullTranslations

import i18n
from i18n import LOCALES_DIR, Translator, translations

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["conversation", "handlers", "desk", "faq", "storage"]
KEYWORDS = {"_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+>")


def _source_msgids() -> set[str]:
    ids: set[str] = set()
    for folder in SOURCE_DIRS:
        path = ROOT / folder
        if not path.exists():
            continue
        for _fn, _lineno, message, _comments, _ctx in extract_from_dir(
            str(path), method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    for _fn, _lineno, message, _c, _x in extract_from_dir(
        str(ROOT), method_map=[("bot.py", "python")], keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalog(lang: str):
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_source_has_translatable_strings() -> None:
    assert len(_source_msgids()) > 20


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_source_string_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    missing = []
    for msgid in sorted(_source_msgids()):
        message = catalog.get(msgid)
        text = message.string if message else None
        if isinstance(text, tuple):
            text = text[0]
        if not text or (message is not None and message.fuzzy):
            missing.append(msgid)
    assert not missing, f"untranslated in {lang}: {missing}"


def test_english_catalog_is_the_english_source() -> None:
    """The source strings are English: the English catalog must say exactly that (a copy of the
    Spanish text into it by mistake would be invisible to the Spanish-speaking majority)."""
    changed = [m.id for m in _catalog("en") if m.id and m.string and
               (m.string != m.id if isinstance(m.id, str) else tuple(m.string) != tuple(m.id))]
    assert not changed, changed


@pytest.mark.parametrize("lang", ["es", "en"])
def test_translations_keep_placeholders_and_tags(lang: str) -> None:
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for s in strings:
            if not s:
                continue
            assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(ids[-1])), (lang, message.id)
            assert sorted(TAG.findall(s)) == sorted(TAG.findall(ids[0])), (lang, message.id)


def test_spanish_catalog_is_really_loaded() -> None:
    t = translations("es")
    assert type(t) is not NullTranslations
    assert Translator("es")("Choose a topic:") != "Choose a topic:"
    assert Translator("en")("Choose a topic:") == "Choose a topic:"


def test_missing_mo_falls_back_to_compiling_po(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po_dir = tmp_path / "es" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    (po_dir / "messages.po").write_bytes((LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.Translator("es")("Choose a topic:") != "Choose a topic:"
    finally:
        i18n.translations.cache_clear()


def test_missing_catalog_is_an_error_not_silent_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        with pytest.raises(i18n.CatalogMissing):
            i18n.translations("es")
    finally:
        i18n.translations.cache_clear()


def test_unknown_language_uses_the_first_supported_one() -> None:
    assert Translator("fr").lang == "es"


def test_spanish_plural_forms() -> None:
    catalog = _catalog("es")
    assert catalog.plural_forms.replace(" ", "").startswith("nplurals=2;plural=(n!=1)")


def test_a_refused_reload_tells_a_spanish_admin_the_problems_are_in_english() -> None:
    """Third review: the heading was Spanish and the problem lines English, without a word about it
    (the problems are the same lines `bot.py faq check` prints, in English)."""
    from i18n import Translator

    _ = Translator("es")
    text = _("The FAQ was NOT reloaded: the file has {n} problem(s). Still serving the previous FAQ "
             "({entries} entries).", n=2, entries=60)
    assert "NO se recargaron" in text and "en inglés" in text and "60 entradas" in text
