"""What a new version of the FAQ takes away from members: ids and topics that vanish.

Members hold buttons: a suggestion's "pick:<id>", a /menu topic. After an admin renames an id in
the spreadsheet ("migrant-cost" → "migrant-cost-2025"), deletes an entry or renames a category,
those buttons answer "that option is no longer available" although the content may still be
there. Nothing in validation is wrong with such a file, so `faq import` and `/reload` say what
changed instead (session 14's review: a renamed id, a deleted entry and a renamed category
passed import, check and /reload without a word).
"""

from __future__ import annotations

from dataclasses import dataclass

from faq.model import Faq
from faq.normalize import clean


@dataclass(frozen=True)
class FaqChanges:
    """Ids and categories of the old FAQ that the new one no longer has, and what replaced them."""

    renamed: tuple[tuple[str, str], ...]  # (old id, new id): same question, another id
    gone: tuple[str, ...]  # ids no longer there (renamed ones excluded)
    added: tuple[str, ...]  # new ids (renamed ones excluded)
    gone_categories: tuple[str, ...]
    new_categories: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.renamed or self.gone or self.gone_categories or self.new_categories)


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
    return FaqChanges(
        renamed=tuple(renamed),
        gone=tuple(gone),
        added=added,
        gone_categories=tuple(c for c in old_cats if c not in new_cats),
        new_categories=tuple(c for c in new_cats if c not in old_cats),
    )


def describe(changes: FaqChanges, limit: int = 10) -> list[str]:
    """The changes in plain English, one line each (the admin CLI's language)."""

    def listed(items: tuple[str, ...]) -> str:
        return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")

    lines = []
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
