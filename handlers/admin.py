"""Admin commands (Telegram user ids in PUENTE_ADMIN_IDS): /reload and /gaps.

Anyone else sending these gets the ordinary member reply to an unknown command, so the admin
surface is not advertised.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from conversation.pipeline import Member
from conversation.replies import Reply, short_label
from faq.changes import MOVED_LISTED, FaqChanges
from faq.errors import FaqProblem
from faq.model import ADVISED_ALTERNATES
from faq.render import MAX_MESSAGE_CHARS
from faq.service import Fallback, ReloadOutcome
from faq.smalltalk import no_faq_question
from handlers.common import member_from, send_replies, services
from handlers.member import unknown_command
from i18n import Translator
from storage import conversations as conv

log = logging.getLogger(__name__)

MAX_LISTED_PROBLEMS = 12
MAX_LISTED_THIN = 10  # entry ids named after a reload, of those with too few alternates
PROBLEM_CHARS = 300


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in services(context).settings.admin_ids


async def _admin_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    member = member_from(update)
    if member is None:
        return services(context).settings.default_language
    return await services(context).pipeline.language_for(member)


async def reload_faq(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: re-read the FAQ and vocabulary; a bad file is refused and the old FAQ keeps serving."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    svc = services(context)
    _ = Translator(await _admin_lang(update, context))
    # Building the matcher for a large FAQ takes a moment: keep the event loop free meanwhile.
    outcome = await asyncio.to_thread(svc.faqs.reload)
    chat_id = update.effective_chat.id  # type: ignore[union-attr]
    if outcome.ok:
        log.info("FAQ reloaded by admin %s: %d entries", update.effective_user.id, outcome.entries)  # type: ignore[union-attr]
        text = _("FAQ reloaded: {n} entries are now being served.", n=outcome.entries)
        text += _changes_text(outcome.changes, _)
        thin = svc.faqs.snapshot.faq.thin_entries(ADVISED_ALTERNATES)
        if thin:
            shown = ", ".join(f"<code>{html.escape(eid)}</code>" for eid in thin[:MAX_LISTED_THIN])
            text += "\n\n" + _.ngettext(
                "{n} entry has fewer than {k} alternates in a language ({ids}): members asking about it "
                "will more often get buttons or staff instead of its answer. /gaps shows the words they use.",
                "{n} entries have fewer than {k} alternates in a language ({ids}): members asking about them "
                "will more often get buttons or staff instead of their answers. /gaps shows the words they use.",
                len(thin), k=ADVISED_ALTERNATES,
                ids=shown + (" …" if len(thin) > MAX_LISTED_THIN else ""))
    else:
        _log_refused_reload(update.effective_user.id, outcome)  # type: ignore[union-attr]
        fallback = svc.faqs.fallback
        if fallback is None:
            text = _(
                "The FAQ was NOT reloaded: the file has {n} problem(s). Still serving the previous FAQ "
                "({entries} entries).",
                n=len(outcome.problems),
                entries=outcome.entries,
            )
        else:  # the bot started from the saved copy: "the previous FAQ" would be the broken file
            text = _(
                "The FAQ was NOT reloaded: the file has {n} problem(s). Still serving the last good copy "
                "of the FAQ ({entries} entries, saved {saved}).",
                n=len(outcome.problems),
                entries=outcome.entries,
                saved=_saved_at(fallback.saved, svc.settings.timezone),
            )
        text += "\n\n" + _problem_list(outcome.problems)
    await send_replies(context, chat_id, [Reply(text)])


def _problem_list(problems: Sequence[FaqProblem]) -> str:
    """The first problems of a file, one bullet each, for a Telegram message.

    Each problem names its file by its base name (the admin knows the folder; a full path ate the
    end of the line, where a duplicate names the entry it clashes with), and is cut before
    escaping (cutting HTML could break an entity): 12 × 300 fits a message.
    """
    listed = "\n".join(
        f"• {html.escape(short_label(str(replace(p, file=Path(p.file).name)), PROBLEM_CHARS), quote=False)}"
        for p in problems[:MAX_LISTED_PROBLEMS]
    )
    more = len(problems) - MAX_LISTED_PROBLEMS
    return listed + (f"\n… (+{more})" if more > 0 else "")


#: Seconds to wait before each try of the start-up alert (see tell_admins_of_fallback).
ALERT_RETRIES: tuple[float, ...] = (0.0, 10.0, 60.0, 300.0, 900.0)
#: bot_data key of the alert tasks, cancelled at shutdown (handlers.app.post_stop).
ALERT_TASKS = "puente:admin_alerts"


async def tell_admins_of_fallback(app: Application) -> None:
    """At start: the FAQ file had problems and the last good copy is served (faq.service). Nobody
    reads the log, so each admin is told in a private chat, like of a staff-group outage.

    Sent in the background, each admin's message retried a few times over some minutes (session
    16's review: sent in post_init, a 429 held up the start, polling included, for as long as
    Telegram asked to wait, and one 5xx lost the alert for good). An admin who never started a
    chat with the bot cannot be told (Telegram refuses: not retried)."""
    svc = app.bot_data["services"]
    fallback = svc.faqs.fallback
    if fallback is None or not svc.settings.admin_ids:
        return
    tasks = app.bot_data.setdefault(ALERT_TASKS, [])
    for admin in sorted(svc.settings.admin_ids):  # an admin's private chat has their user id
        # In the admin's own language, as /reload answers them (an admin is also a member: the
        # language they chose or write in; the staff group's language is for the group).
        lang = await svc.pipeline.language_for(Member(id=admin, chat_id=admin))
        tasks.append(asyncio.get_running_loop().create_task(
            _tell_admin(app, admin, _fallback_alert(fallback, svc.settings.timezone, Translator(lang)), ALERT_RETRIES),
            name=f"puente:fallback-alert:{admin}"))


def _saved_at(saved: datetime, timezone: str) -> str:
    """When the last good copy was saved, in the bot's time zone, named (admins may be abroad)."""
    return f"{saved.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M} ({timezone})"


def _fallback_alert(fallback: Fallback, timezone: str, _: Translator) -> str:
    """The start-up alert's text: which copy is served, why, and what fixes it."""
    text = _.ngettext(
        "⚠️ Puente started with the last good copy of the FAQ ({entries} entries, saved {saved}): the FAQ "
        "file {file} has {n} problem, so it was not loaded. Members get the answers of the copy until the "
        "file is fixed (python bot.py faq check shows it) and reloaded with /reload.",
        "⚠️ Puente started with the last good copy of the FAQ ({entries} entries, saved {saved}): the FAQ "
        "file {file} has {n} problems, so it was not loaded. Members get the answers of the copy until the "
        "file is fixed (python bot.py faq check shows every problem) and reloaded with /reload.",
        len(fallback.problems),
        entries=fallback.entries, saved=_saved_at(fallback.saved, timezone),
        file=f"<code>{html.escape(fallback.faq_path.name)}</code>")
    return text + "\n\n" + _problem_list(fallback.problems)


async def _tell_admin(app: Application, admin: int, text: str, retries: Sequence[float]) -> None:
    """Send ``text`` to one admin, trying again after each delay of ``retries`` (a 429's own wait
    when longer) until Telegram takes it; a refusal (Forbidden, BadRequest) ends the tries."""
    wait = 0.0
    for delay in retries:
        await asyncio.sleep(max(delay, wait))
        try:
            await app.bot.send_message(admin, text, parse_mode="HTML")
            return
        except RetryAfter as exc:
            wait = float(exc.retry_after if isinstance(exc.retry_after, int | float) else
                         exc.retry_after.total_seconds())
            log.warning("telling admin %s that the last good FAQ is served: Telegram asks to wait %.0f s", admin, wait)
        except (Forbidden, BadRequest) as exc:
            log.warning("could not tell admin %s that the last good FAQ is served: %s", admin, exc)
            return
        except TelegramError as exc:
            wait = 0.0
            log.warning("could not tell admin %s that the last good FAQ is served (will try again): %s", admin, exc)
    log.error("admin %s was never told that the last good FAQ is served: Telegram did not take the message", admin)


def _log_refused_reload(admin_id: int, outcome: ReloadOutcome) -> None:
    """The operator's log says which file is wrong and how, one line per problem, as the admin's
    message does: "1 problems" alone sent whoever reads the log to the admin to ask."""
    files = ", ".join(sorted({p.file for p in outcome.problems}))
    log.warning("FAQ reload by admin %s refused, still serving the previous FAQ (%d entries): %d problem(s) in %s",
                admin_id, outcome.entries, len(outcome.problems), files)
    for problem in outcome.problems:
        log.warning("  %s", problem)


def _changes_text(changes: FaqChanges | None, _: Translator) -> str:
    """What the reload took away from members (faq.changes): ids and topics their buttons name."""
    if not changes:
        return ""

    def listed(items: tuple[str, ...]) -> str:
        shown = ", ".join(f"<code>{html.escape(x)}</code>" for x in items[:MAX_LISTED_THIN])
        return shown + (" …" if len(items) > MAX_LISTED_THIN else "")

    lines = []
    if changes.moved:  # (a sheet whose id column was sorted alone: session 16's review)
        moved = changes.moved
        if len(moved) <= MOVED_LISTED:
            what = _.ngettext("The question of {ids} changed in both languages.",
                              "The questions of {ids} changed in both languages.", len(moved), ids=listed(moved))
        else:
            what = _("{n} ids now have another question in both languages (the first: {ids}).",
                     n=len(moved), ids=listed(moved[:MOVED_LISTED]))
        lines.append(what + " " + _(
            "The ids may have moved to other rows (a sheet sorted by one column only): members' buttons and "
            "staff's /faq now give another question's answer. Check that each id is on its own question's row; "
            "if you reworded these questions on purpose, all is well."))
    if changes.renamed:
        lines.append(_("Renamed (same question): {pairs}. Buttons members already have for the old ids now say "
                       "“no longer available”.", pairs=listed(tuple(f"{a} → {b}" for a, b in changes.renamed))))
    if changes.gone:
        lines.append(_("No longer in the FAQ: {ids}. Members' buttons for them now say “no longer available”.",
                       ids=listed(changes.gone)))
    if changes.gone_categories:
        lines.append(_("Topics no longer in /menu: {old}.", old=listed(changes.gone_categories)))
    if changes.new_categories:  # (a typo in a category makes a new topic too)
        lines.append(_("New topics: {new} (check their names in both languages).",
                       new=listed(changes.new_categories)))
    return "\n\n" + "\n".join(f"⚠️ {line}" for line in lines)


async def gaps(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/gaps: what members ask that the FAQ does not answer, most frequent first."""
    if not _is_admin(update, context):
        await unknown_command(update, context)
        return
    _ = Translator(await _admin_lang(update, context))
    # A bare request for a person is staff's business, and a "none of these" answers a list: no FAQ gaps.
    rows = await services(context).store.call(conv.unanswered_questions, limit=15, leave_out=no_faq_question)
    if not rows:
        text = _("No unanswered questions so far.")
    else:
        lines = [_("<b>Questions the FAQ did not answer</b> (most frequent first):")]
        for r in rows:
            line = f"• {r['count']}× {html.escape(short_label(str(r['text']), PROBLEM_CHARS), quote=False)}"
            if r.get("downvoted_faq"):  # the entry whose answer to it did not help
                line += " 👎 <code>" + html.escape(short_label(str(r["downvoted_faq"]), 60), quote=False) + "</code>"
            if r.get("picked"):  # the member took this entry from the suggestions: an alternate to add
                line += " 👆 <code>" + html.escape(short_label(str(r["picked"]), 60), quote=False) + "</code>"
            if r.get("staff_faq"):  # staff answered it with this entry (/faq): an alternate to add
                line += " → <code>" + html.escape(short_label(str(r["staff_faq"]), 60), quote=False) + "</code>"
            if sum(len(x) + 1 for x in lines) + len(line) > MAX_MESSAGE_CHARS:
                break  # escaping can multiply a line's length: stop before Telegram's limit
            lines.append(line)
        if any(r.get("downvoted_faq") for r in rows):
            lines.append(_("👎 the entry whose answer did not help the member: check its answer, or which entry "
                           "those words should lead to."))
        if any(r.get("picked") for r in rows):
            lines.append(_("👆 the entry the member picked from the suggested questions: add the member's words to "
                           "its alternates."))
        if any(r.get("staff_faq") for r in rows):
            lines.append(_("→ the entry our staff answered it with (/faq): add the member's words to its alternates."))
        text = "\n".join(lines)
    member = member_from(update)
    if member:
        await send_replies(context, member.chat_id, [Reply(text)])
