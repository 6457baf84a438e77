"""The FAQ data model: immutable entries with text in each language.

An entry carries its question, alternate phrasings and answer per language code ("es", "en").
``origin`` records where the entry was read (file and line) so validation errors and admins can
find it again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

LANGS: tuple[str, ...] = ("es", "en")

#: Alternates per language below which admins are advised to write more (``faq check``, /reload):
#: with fewer the matcher answers an entry on its own far less often (README, "For admins").
ADVISED_ALTERNATES = 3


@dataclass(frozen=True)
class FaqEntry:
    """One curated question with its answer in every supported language."""

    id: str
    category: str
    question: Mapping[str, str]
    answer: Mapping[str, str]
    alternates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""
    line: int | None = None

    def question_in(self, lang: str) -> str:
        """The question in ``lang``, falling back to any language that has one."""
        return self.question.get(lang) or next((q for q in self.question.values() if q), "")

    def answer_in(self, lang: str) -> str:
        """The answer in ``lang``, falling back to any language that has one."""
        return self.answer.get(lang) or next((a for a in self.answer.values() if a), "")

    def phrasings(self) -> Iterator[tuple[str, str]]:
        """Every (lang, text) the matcher should know this entry by: questions and alternates."""
        for lang in LANGS:
            if self.question.get(lang):
                yield lang, self.question[lang]
            for alt in self.alternates.get(lang, ()):
                yield lang, alt


@dataclass(frozen=True)
class Faq:
    """A loaded, validated FAQ. ``categories`` maps a category slug to its label per language."""

    entries: tuple[FaqEntry, ...]
    path: str = ""
    categories: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[FaqEntry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> FaqEntry | None:
        return self._by_id.get(entry_id)  # type: ignore[attr-defined]

    def category_slugs(self) -> list[str]:
        """Categories in first-appearance order (the order admins wrote them)."""
        seen: dict[str, None] = {}
        for e in self.entries:
            seen.setdefault(e.category, None)
        return list(seen)

    def category_label(self, slug: str, lang: str) -> str:
        """Human label for a category; falls back to the slug made readable."""
        labels = self.categories.get(slug, {})
        return labels.get(lang) or slug.replace("-", " ").replace("_", " ").capitalize()

    def thin_entries(self, minimum: int) -> list[str]:
        """Ids of the entries with fewer than ``minimum`` alternates in some language: the matcher
        knows an entry by its phrasings, and with one or two it answers far less often on its own."""
        return [e.id for e in self.entries
                if any(len([a for a in e.alternates.get(lang, ()) if a.strip()]) < minimum for lang in LANGS)]

    def in_category(self, slug: str) -> list[FaqEntry]:
        return [e for e in self.entries if e.category == slug]
