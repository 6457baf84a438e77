"""Translations: every user-facing string goes through here (gettext catalogs in ``locales/``).

Message ids are English source strings; ``locales/es`` and ``locales/en`` both carry a full
catalog (a test fails if any message lacks either). ``make`` compiles the ``.po`` files to ``.mo``;
when a ``.mo`` is missing (someone ran ``python bot.py`` without ``make``) the ``.po`` is compiled
in memory, so the bot never silently falls back to untranslated text.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("es", "en")
# Babel/CLDR locale used for dates and numbers per language: members are Guatemalan or Mexican.
BABEL_LOCALE = {"es": "es_GT", "en": "en_US"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where it is shown)."""
    return message


class CatalogMissing(RuntimeError):
    """A language has neither a compiled nor a source catalog: a packaging error, not a fallback."""


@cache
def translations(lang: str) -> Translations:
    """The catalog for ``lang`` ("es" or "en"); raises :class:`CatalogMissing` rather than guessing."""
    if lang not in LANGUAGES:
        lang = LANGUAGES[0]
    loaded = Translations.load(str(LOCALES_DIR), [lang], DOMAIN)
    if isinstance(loaded, Translations) and type(loaded) is not NullTranslations:
        return loaded
    po_path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        raise CatalogMissing(f"no catalog for {lang!r} in {LOCALES_DIR}")
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


class Translator:
    """Gettext bound to one language.

    By convention bind it to ``_`` so ``pybabel extract`` finds the strings:
    ``_ = Translator("es"); _("Hello {name}", name=...)``; plurals via ``_.ngettext(...)``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else LANGUAGES[0]
        self._t = translations(self.lang)

    @property
    def locale(self) -> str:
        return BABEL_LOCALE[self.lang]

    def __call__(self, message: str, /, **kwargs: object) -> str:
        text = self._t.gettext(message)
        return text.format(**kwargs) if kwargs else text

    def ngettext(self, singular: str, plural: str, n: int, /, **kwargs: object) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text.format(n=n, **kwargs)
