"""What a new version of the FAQ takes away from members: ids and topics that vanish.

Members hold buttons: a suggestion's "pick:<id>", a /menu topic. After an admin renames an id in
the spreadsheet ("migrant-cost" → "migrant-cost-2025"), deletes an entry or renames a category,
those buttons answer "that option is no longer available" although the content may still be
there. Nothing in validation is wrong with such a file, so `faq import` and `/reload` say what
changed instead (session 14's review: a renamed id, a deleted entry and a renamed category
passed import, check and /reload without a word).

An id that stays but whose question changes in both languages is told too: sorting only the id
column of a sheet (Excel asks "expand the selection?", and "continue with the current selection"
is one click) keeps every id and every question, only paired differently, so members' buttons
and staff's ``/faq ID`` silently give another entry's answer (session 16's review).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from faq.model import LANGS, Faq, FaqEntry
from faq.normalize import clean

#: Below this similarity (0..100, rapidfuzz ratio on cleaned text) a question counts as another
#: question, not the same one edited. Unrelated questions of the bundled FAQ and the test sheets
#: score under 65 in at least one language almost always; a typo fix or a reworded ending stays
#: well above 70.
SAME_QUESTION = 70.0
#: How many ids :func:`describe` names one by one; past that, a count and the first few.
MOVED_LISTED = 5


@dataclass(frozen=True)
class FaqChanges:
    """Ids and categories of the old FAQ that the new one no longer has, and what replaced them."""

    renamed: tuple[tuple[str, str], ...]  # (old id, new id): same question, another id
    gone: tuple[str, ...]  # ids no longer there (renamed ones excluded)
    added: tuple[str, ...]  # new ids (renamed ones excluded)
    gone_categories: tuple[str, ...]
    new_categories: tuple[str, ...]
    moved: tuple[str, ...] = ()  # ids kept whose question changed in every language: rows shifted?

    def __bool__(self) -> bool:
        return bool(self.renamed or self.gone or self.gone_categories or self.new_categories or self.moved)


def other_question(old: FaqEntry, new: FaqEntry) -> bool:
    """Whether ``new`` asks something else than ``old`` in every language (not a typo fixed in one).

    One language changing is an edit; both changing at once under the same id is what a sheet
    whose id column was sorted alone looks like.
    """
    def alike(lang: str) -> float:
        return fuzz.ratio(clean(old.question.get(lang, "")), clean(new.question.get(lang, "")))

    return all(alike(lang) < SAME_QUESTION for lang in LANGS)


def compare(old: Faq, new: Faq) -> FaqChanges:
    """What ``new`` drops of ``old`` (a renamed id is told by its question, in either language)."""
    old_ids = {e.id for e in old.entries}
    new_ids = {e.id for e in new.entries}
    by_question = {clean(q): e.id for e in new.entries if e.id not in old_ids for q in e.question.values() if q}
    renamed: list[tuple[str, str]] = []
    gone: list[str] = []
    for entry in old.entries:
        if entry.id in new_ids:
            continue
        twin = next((by_question[clean(q)] for q in entry.question.values() if q and clean(q) in by_question), None)
        if twin is not None:
            renamed.append((entry.id, twin))
        else:
            gone.append(entry.id)
    taken = {new_id for _, new_id in renamed}
    added = tuple(e.id for e in new.entries if e.id not in old_ids and e.id not in taken)
    old_cats, new_cats = old.category_slugs(), new.category_slugs()
    new_by_id = {e.id: e for e in new.entries}
    moved = tuple(e.id for e in old.entries if e.id in new_by_id and other_question(e, new_by_id[e.id]))
    return FaqChanges(
        renamed=tuple(renamed),
        gone=tuple(gone),
        added=added,
        gone_categories=tuple(c for c in old_cats if c not in new_cats),
        new_categories=tuple(c for c in new_cats if c not in old_cats),
        moved=moved,
    )


def describe(changes: FaqChanges, limit: int = 10) -> list[str]:
    """The changes in plain English, one line each (the admin CLI's language)."""

    def listed(items: tuple[str, ...]) -> str:
        return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")

    lines = []
    if changes.moved:
        lines.append(moved_warning(changes.moved))
    if changes.renamed:
        pairs = tuple(f"{a} -> {b}" for a, b in changes.renamed)
        lines.append(f"Renamed ids (same question): {listed(pairs)}. Buttons members already have for the old "
                     "ids will say 'no longer available'; keep the old id if you can.")
    if changes.gone:
        lines.append(f"Entries no longer in the FAQ: {listed(changes.gone)}. Members' buttons for them will say "
                     "'no longer available'.")
    if changes.gone_categories:
        lines.append(f"Topics no longer in /menu: {listed(changes.gone_categories)}.")
    if changes.new_categories:  # (a typo in a category makes a new topic too: "migrant" for "migrants")
        lines.append(f"New topics in /menu: {listed(changes.new_categories)} (check their labels in both languages).")
    return lines


def moved_warning(ids: tuple[str, ...]) -> str:
    """The warning for ids whose question changed in both languages, in plain English: named one by
    one when they are few, as a count with the first few when many (a sorted id column)."""
    if len(ids) <= MOVED_LISTED:
        what = f"The question{'s' if len(ids) > 1 else ''} of {', '.join(ids)} changed in both languages"
    else:
        what = (f"{len(ids)} ids now have another question in both languages (the first: "
                f"{', '.join(ids[:MOVED_LISTED])})")
    return (f"{what}. The ids may have moved to other rows (a sheet sorted by one column only): the buttons "
            "members already have (and the numbers they type for them) and staff's /faq ID would then give "
            "another question's answer. Check that each id is on its own question's row; if you reworded these "
            "questions on purpose, all is well.")
