"""Puente's entry point and command line.

    python bot.py                 run on Telegram if TELEGRAM_BOT_TOKEN is set, else the local chat
    python bot.py run             run on Telegram (long polling)
    python bot.py chat            local terminal chat through the same pipeline
    python bot.py ask [--faq PATH] [--lang es|en|auto] [--json] [QUESTION]
    python bot.py faq check PATH
    python bot.py faq import SHEET --out PATH      (a .csv or .tsv sheet)
    python bot.py faq export PATH --csv OUT [--force]   (.csv, or .tsv tab-separated)
    python bot.py faq gaps [--since DAYS|DATE]   what members ask that the FAQ does not answer
    python bot.py faq drafts [--csv OUT]   FAQ drafts staff promoted from answered tickets
    python bot.py export-messages OUT.csv
    python bot.py forget-member TELEGRAM_USER_ID

Configuration comes only from environment variables (see README.md and .env.example).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TextIO, TypeVar
from zoneinfo import ZoneInfo

from config import BUNDLED_FAQ, ConfigError, Settings
from faq.changes import compare, describe
from faq.csvio import write_csv
from faq.errors import FaqLoadError
from faq.evaluation import printable
from faq.loader import (
    CSV_SUFFIXES,
    YAML_SUFFIXES,
    advice_for,
    check_faq,
    load_faq,
    parse_faq,
    with_category_labels,
)
from faq.matcher import Matcher, MatchResult
from faq.model import ADVISED_ALTERNATES, Faq
from faq.service import FaqService, Snapshot
from faq.smalltalk import no_faq_question
from faq.validate import validate
from faq.vocabulary import load_vocabulary
from faq.yamlio import write_yaml
from storage.store import DatabaseTooNew, DatabaseUnusable, Store, check_writable, fold_wal

log = logging.getLogger("puente")
T = TypeVar("T")
TOKEN_REFUSED = ("Telegram refused TELEGRAM_BOT_TOKEN (revoked or mistyped?), or TELEGRAM_API_BASE_URL does "
                 "not point at a Bot API server: check both.")


def redact(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


class RedactingFormatter(logging.Formatter):
    """Replace secrets in every formatted log line, traceback included, whichever library wrote
    it: Bot API URLs embed the token, and PTB's InvalidToken message quotes it."""

    def __init__(self, fmt: str, secrets: Sequence[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


class NetworkOneLiner(logging.Filter):
    """Telegram unreachable (no network, a wrong TELEGRAM_API_BASE_URL) is an expected condition,
    explained by ``cmd_run`` or retried by PTB: log it in one line with its cause, not as a
    hundred-line httpx traceback that buries the explanation."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not record.name.startswith("telegram"):
            return True
        from telegram.error import NetworkError  # (imported lazily like the rest of Telegram here)

        if isinstance(exc, NetworkError):
            record.msg = f"{record.getMessage()} ({type(exc).__name__}: {exc})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def _setup_logging(level: str, secrets: Sequence[str] = (), stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(NetworkOneLiner())
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.INFO))
    # httpx logs every request URL, and Bot API URLs contain the token: keep it quiet anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


# ---------------------------------------------------------------------------------------- run / chat
def _open_or_explain(settings: Settings, opener: Callable[[Settings], T]) -> T | None:
    """Open the services; a broken FAQ or vocabulary file is explained, not dumped as a traceback."""
    try:
        return opener(settings)
    except FaqLoadError as exc:
        print("Puente cannot start: the FAQ files have problems.", file=sys.stderr)
        _print_problems(exc.problems)
        return None
    except DatabaseTooNew as exc:
        print(f"Puente cannot start: {exc}.", file=sys.stderr)
        return None
    except DatabaseUnusable as exc:
        print(f"Puente cannot start: PUENTE_DB={settings.db_path}: {exc}.", file=sys.stderr)
        return None
    except (OSError, sqlite3.Error) as exc:  # a folder that cannot be created, a file that is no database
        print(f"Puente cannot open its database PUENTE_DB={settings.db_path}: {exc}", file=sys.stderr)
        return None


def cmd_run(settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("TELEGRAM_BOT_TOKEN is not set: nothing to connect to Telegram with.", file=sys.stderr)
        return 2

    from telegram.error import InvalidToken, TelegramError

    from handlers.app import ALLOWED_UPDATES, FATAL, build_application, open_services

    log.info("starting Puente with %s", settings.describe())
    services = _open_or_explain(settings, open_services)
    if services is None:
        return 1
    app = build_application(settings)
    app.bot_data["services"] = services  # post_init keeps these; post_shutdown closes them
    secrets = [settings.telegram_bot_token]
    try:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(TOKEN_REFUSED, file=sys.stderr)
        return 1
    except TelegramError as exc:  # network down, 5xx: a service manager will start us again
        print(f"Puente could not reach Telegram ({redact(str(exc), secrets)}); it stops so that it can "
              "be started again.", file=sys.stderr)
        return 1
    finally:
        services.store.close()  # post_shutdown closes it on a normal stop; closing twice is harmless
    if app.bot_data.get(FATAL) == "token":
        print(TOKEN_REFUSED, file=sys.stderr)
        return 1
    return 0


def cmd_chat(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    from conversation.pipeline import Pipeline
    from conversation.terminal import chat
    from handlers.app import open_services

    services = _open_or_explain(settings, open_services)
    if services is None:
        return 1
    pipeline = Pipeline(services.store, services.faqs, default_language=settings.default_language, channel="terminal")
    try:
        asyncio.run(chat(pipeline, stdin=stdin, stdout=stdout, lang=settings.default_language))
    except KeyboardInterrupt:
        pass
    finally:
        services.store.close()
    return 0


def cmd_default(settings: Settings) -> int:
    if settings.telegram_bot_token:
        return cmd_run(settings)
    print(
        "No TELEGRAM_BOT_TOKEN set, so Puente starts the local terminal chat.\n"
        "To run on Telegram: create a bot with @BotFather, then\n"
        "    export TELEGRAM_BOT_TOKEN=123456:ABC...   (never commit it)\n"
        "and run `make run` again.\n",
        file=sys.stderr,
    )
    return cmd_chat(settings)


# ---------------------------------------------------------------------------------------- ask
def _result_json(result: MatchResult, lang_opt: str, matcher: Matcher) -> dict:
    """One line of the stable ``ask`` interface (README: "Command line").

    For a "suggest" decision, ``candidates`` are exactly the questions the bot offers as buttons;
    for the other decisions they are the closest entries, for information. ``also`` is the ➕
    button the bot adds under an answer for a second question in the message (the pipeline's
    ``Matcher.other_question``, without a conversation before it): an admin testing "¿cuánto
    cuesta y cómo pago?" must see that the second question is not dropped. Keys are only ever
    added, never changed: outside tools read this.
    """
    candidates = matcher.offered(result) if result.decision == "suggest" else list(result.candidates)
    return {
        "query": result.query,
        "decision": result.decision,
        "id": result.best_id,
        "score": result.score,
        "candidates": [{"id": c.entry_id, "score": c.score} for c in candidates],
        "lang": result.lang if lang_opt == "auto" else lang_opt,
        "also": matcher.other_question(result),
    }


def _ask_snapshot(settings: Settings, faq_path: Path | None) -> Snapshot | None:
    """The FAQ to try questions against — leniently, unlike the bot.

    The bot refuses an FAQ that breaks a content rule (a missing translation, a duplicated
    question). ``ask`` is where an admin tries a draft, and a tool outside the project may feed it
    someone else's spreadsheet: content problems are printed as warnings and matching goes on.
    Only a file that cannot be read as an FAQ at all (or has no entries) stops it.
    """
    service = FaqService.from_settings(settings, faq_path=faq_path)
    parsed = parse_faq(service.faq_path)
    if parsed is None or parsed.problems or not parsed.faq.entries:
        _print_problems(check_faq(service.faq_path))
        return None
    for problem in validate(parsed):
        print(f"warning: {problem}", file=sys.stderr)
    for advice in advice_for(parsed):
        print(f"advice: {advice}", file=sys.stderr)
    try:
        vocabulary = load_vocabulary(service.vocabulary_path)
    except FaqLoadError as exc:
        _print_problems(exc.problems)
        return None
    return Snapshot(parsed.faq, vocabulary, Matcher(parsed.faq, vocabulary, service.thresholds))


def cmd_ask(settings: Settings, args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """The admins' test panel, and a stable JSON-lines interface for outside tools."""
    snap = _ask_snapshot(settings, args.faq)
    if snap is None:
        return 1
    if args.question:
        result = snap.matcher.match(" ".join(args.question))
        data = _result_json(result, args.lang, snap.matcher)
        if args.json:
            stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return 0
        entry = snap.faq.get(data["id"]) if data["id"] else None
        lang = data["lang"]
        stdout.write(f"decision: {data['decision']}  (score {data['score']}, lang {lang})\n")
        threshold = snap.matcher.thresholds.answer
        if data["decision"] == "answer" and data["score"] < threshold:
            # Only the second opinion answers below the threshold (faq/matcher.py, _second_opinion).
            stdout.write(f"          below the answer threshold {threshold}: answered because the second "
                         "opinion (BM25 over whole entries) agrees\n")
        floor = snap.matcher.thresholds.suggest
        if data["decision"] == "suggest" and data["score"] < floor:
            # A clear lead or the second opinion (faq/matcher.py, _clear_lead, Weights.offer_below).
            stdout.write(f"          below the suggest threshold {floor}: offered because it is clearly ahead "
                         "of the others or the second opinion puts it first\n")
        if data["decision"] == "escalate" and result.smalltalk is None and data["score"] >= floor:
            # (session 15's review: "requisitos imss" at 50 went to staff without a word why)
            stdout.write(f"          escalated at or above the suggest threshold {floor}: the message is about a "
                         "case, a complaint or an institution the entry does not cover, or no close entry shares "
                         "a topic word with it (nothing worth offering)\n")
        # The FAQ may be someone else's sheet: its text is escaped like members' (see printable).
        if entry:
            stdout.write(printable(f"best:     {entry.id} — {entry.question_in(lang)}") + "\n")
        for c in data["candidates"]:
            e = snap.faq.get(c["id"])
            stdout.write(printable(f"  {c['score']:>6}  {c['id']}  {e.question_in(lang) if e else ''}") + "\n")
        also = snap.faq.get(data["also"]) if data["also"] else None
        if also:
            stdout.write(printable(f"also:     {also.id} — {also.question_in(lang)}") + "\n"
                         "          a second question in the message: offered as a ➕ button under the answer\n")
        if entry and data["decision"] == "answer":
            stdout.write("\n" + printable(entry.answer_in(lang), keep_newlines=True) + "\n")
        return 0
    for line in stdin:
        # A tool matches results to its lines by "query": no line ending, no byte-order mark.
        query = line.rstrip("\r\n").lstrip("\ufeff")
        data = _result_json(snap.matcher.match(query), args.lang, snap.matcher)
        stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


# ---------------------------------------------------------------------------------------- faq admin
def _print_problems(problems: Sequence[object]) -> None:
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(problems)} problem(s) found.", file=sys.stderr)


def _is_vocabulary(path: Path) -> bool:
    """A YAML file whose top level names a vocabulary section (``synonyms:``…) and no ``entries:``."""
    from faq.vocabulary import SECTIONS

    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")  # (a byte-order mark from an editor)
    except OSError:
        return False
    keys = {line.split(":", 1)[0] for line in head.splitlines() if line[:1].isalpha() and ":" in line}
    return bool(keys & set(SECTIONS)) and "entries" not in keys


def _check_vocabulary(path: Path) -> int:
    from faq.vocabulary import load_vocabulary

    try:
        load_vocabulary(path)
    except FaqLoadError as exc:
        _print_problems(exc.problems)
        return 1
    print(f"{path}: vocabulary OK.")
    return 0


def _print_advice(advice: Sequence[object]) -> None:
    """Non-blocking advice (a ';' in a sheet's alternates, a category that looks like a typo): the
    file loads all the same, so it goes to stdout after the verdict, like the matching advice."""
    for item in advice:
        print(f"Advice: {item}")


def _print_matching_advice(settings: Settings, path: Path, faq: Faq) -> None:
    """How the matcher will treat this FAQ (the thresholds fitted to it) and which entries have
    too few alternates: the numbers behind "give every entry three or four alternates"."""
    service = FaqService.from_settings(settings, faq_path=path)
    matcher = Matcher(faq, load_vocabulary(service.vocabulary_path), service.thresholds)
    th, default = matcher.thresholds, service.thresholds
    # Why a threshold differs from the one configured: fitted to the FAQ, or moved to the other
    # one the operator set (the suggest threshold is never above the answer threshold).
    answers = f"answers from {th.answer:g}" + (
        "" if th.answer == default.answer
        else " (raised to PUENTE_SUGGEST_THRESHOLD)" if default.fixed_suggest and th.answer == th.suggest
        else f" (the default {default.answer:g}, fitted to this FAQ)")
    suggests = f"suggests from {th.suggest:g}" + (
        "" if th.suggest == default.suggest
        else " (lowered to PUENTE_ANSWER_THRESHOLD)" if default.fixed_answer and th.suggest == th.answer
        else f" (the default {default.suggest:g}, lowered for an FAQ with few alternates)")
    print(f"Matching: {answers}, {suggests}.")
    thin = faq.thin_entries(ADVISED_ALTERNATES)
    if thin:
        shown = ", ".join(thin[:5]) + (f" and {len(thin) - 5} more" if len(thin) > 5 else "")
        print(f"Advice: {len(thin)} of {len(faq)} entries have fewer than {ADVISED_ALTERNATES} alternates in a "
              f"language ({shown}). The bot answers such entries on its own far less often; add the words "
              "members use (python bot.py faq gaps).")


def cmd_faq(settings: Settings, args: argparse.Namespace) -> int:
    if args.faq_command == "check":
        if _is_vocabulary(args.path):  # the synonyms file is validated like the FAQ, with the same command
            return _check_vocabulary(args.path)
        problems = check_faq(args.path)
        parsed = parse_faq(args.path)
        advice = advice_for(parsed) if parsed is not None else []
        if problems:
            _print_problems(problems)
            _print_advice(advice)
            return 1
        faq = load_faq(args.path)
        print(f"{args.path}: OK, {len(faq)} entries.")
        _print_advice(advice)
        # The bot needs the vocabulary too: a broken one stops it from starting.
        code = _check_vocabulary(settings.vocabulary_path)
        if code == 0:
            _print_matching_advice(settings, args.path, faq)
        return code
    if args.faq_command in ("import", "export"):
        # The target's name must say the format written into it: "faq export faq.yaml --csv
        # faq.yaml" would otherwise put a sheet where the bot reads YAML, and break the next start.
        target, wanted = (args.out, YAML_SUFFIXES) if args.faq_command == "import" else (args.csv, CSV_SUFFIXES)
        if Path(target).suffix.lower() not in wanted:
            print(f"{target}: {'--out' if args.faq_command == 'import' else '--csv'} must name a "
                  f"{' or '.join(wanted)} file; nothing was written.", file=sys.stderr)
            return 2
        if args.faq_command == "export" and Path(target).is_file() and not args.force:
            # The sheet there may be one an admin edited and not imported yet (session 16's review:
            # it was silently replaced). `import` writes over its target on purpose, and says what changed.
            print(f"{target} already exists (it may be a sheet someone edited); nothing was written. Give another "
                  "file name, or add --force to write over it.", file=sys.stderr)
            return 1
        parsed = parse_faq(args.path)
        advice = advice_for(parsed, [args.out, BUNDLED_FAQ]) \
            if parsed is not None and args.faq_command == "import" else []
        try:
            faq = load_faq(args.path)
        except FaqLoadError as exc:
            _print_problems(exc.problems)
            _print_advice(advice)
            return 1
        if args.faq_command == "import":
            faq = with_category_labels(faq, [args.out, BUNDLED_FAQ])
            before = _loaded_or_none(args.out)  # what members were served from the file overwritten
            write_yaml(faq, args.out)
            print(f"Imported {len(faq)} entries from {args.path} into {args.out}.")
            if before is not None:
                for line in describe(compare(before, faq)):
                    print(f"Warning: {line}")
            _print_advice(advice)
        else:
            write_csv(faq, args.csv, bom=True)  # like the other sheets: Excel then shows the accents
            print(f"Exported {len(faq)} entries from {args.path} to {args.csv}.")
            print("In the sheet, alternates share a cell: separate them with ' | ' or put each on a line of its "
                  "own in the cell (Alt+Enter).")
        return 0
    if args.faq_command == "eval":
        return cmd_faq_eval(settings, args)
    if args.faq_command == "drafts":
        from desk.drafts import export_drafts_csv, format_drafts
        from storage.drafts import list_drafts

        with _existing_store(settings) as store:
            drafts = store.call_sync(list_drafts)
        if args.csv:
            n = export_drafts_csv(drafts, args.csv)
            print(f"Exported {n} draft(s) to {args.csv} (spreadsheet layout: fill the other language, then import).")
        else:
            listing = format_drafts(drafts) if drafts else "No FAQ drafts yet (staff create them with /promote N)."
            print("\n".join(printable(line) for line in listing.split("\n")))  # members' and staff's words
        return 0
    if args.faq_command == "gaps":
        from faq.evaluation import write_labelled_queries
        from storage import conversations as conv

        with _existing_store(settings) as store:
            # A bare request for a person is staff's business, and a "none of these" answers a list: no FAQ gaps.
            since = _since_moment(args.since, settings.timezone) if args.since is not None else None
            rows = store.call_sync(conv.unanswered_questions, since=since, limit=args.limit,
                                   leave_out=no_faq_question)
        if not rows:
            print("No unanswered questions logged yet." if args.since is None
                  else f"No unanswered questions logged in the last {args.since} day(s)." if isinstance(args.since, int)
                  else f"No unanswered questions logged since {args.since.isoformat()}.")
        for r in rows:
            notes = []
            if r.get("downvoted_faq"):  # which answer did not help: the entry to look at
                notes.append(f"the answer of FAQ {r['downvoted_faq']} got a thumbs-down")
            if r.get("picked"):  # the member took this entry from the suggestions: an alternate of it
                notes.append(f"member picked FAQ {r['picked']} from the suggestions: add as an alternate")
            if r.get("staff_faq"):  # staff answered it with an FAQ entry (/faq): an alternate of it
                notes.append(f"staff sent FAQ {r['staff_faq']}: add as an alternate")
            label = "   -> " + "; ".join(notes) if notes else ""
            # A member's text can hold terminal escape sequences: shown escaped, never sent to the terminal.
            print(printable(f"{r['count']:>4}  {r.get('decision') or '':<9} {r['text']}{label}"))
        if args.tsv:
            # Staff's choice first: a member may tap the closest entry that is not quite it.
            labelled = [(r["text"], r.get("staff_faq") or r["picked"], r.get("lang") or "")
                        for r in rows if r.get("staff_faq") or r.get("picked")]
            write_labelled_queries(args.tsv, labelled)
            if labelled:
                print(f"Wrote {len(labelled)} labelled question(s) to {args.tsv}: measure the FAQ on them with "
                      f"python bot.py faq eval {args.tsv}")
            else:
                print(f"Wrote no labelled question to {args.tsv}: none of these was answered by staff with an "
                      "FAQ entry (/faq in the staff group) or resolved by the member picking a suggested "
                      "question yet, so there is nothing to measure.")
        return 0
    return 2


def _loaded_or_none(path: str | Path) -> Faq | None:
    """The FAQ at ``path`` if there is a valid one (to compare an import with), else None."""
    try:
        return load_faq(path) if Path(path).is_file() else None
    except FaqLoadError:
        return None


def cmd_faq_eval(settings: Settings, args: argparse.Namespace) -> int:
    """How well the FAQ answers labelled member questions, and every miss (see faq/evaluation.py);
    without a query file, whether each of the FAQ's own phrasings gets its own entry's answer.

    Loads the FAQ as leniently as ``ask`` does (an admin measures a draft before fixing its last
    warning); a label that names no entry of the FAQ is an error, not a miss of the matcher.
    """
    from faq.evaluation import (
        empty_queries,
        format_report,
        format_self_test,
        outcomes,
        read_queries,
        self_test,
        summarize,
        unknown_ids,
    )

    snap = _ask_snapshot(settings, args.faq)
    if snap is None:
        return 1
    if args.queries is None:
        print(f"FAQ: {len(snap.faq)} entries. No labelled questions given: self-test of its own phrasings.")
        print(format_self_test(self_test(snap.matcher, snap.faq)))
        return 0
    try:
        rows = read_queries(args.queries)
    except (FaqLoadError, OSError, UnicodeDecodeError) as exc:
        detail = "file not found" if isinstance(exc, FileNotFoundError) else getattr(exc, "strerror", None) or exc
        _print_problems(exc.problems if isinstance(exc, FaqLoadError) else [f"{args.queries}: {detail}"])
        return 1
    # A label naming no entry (a typo, an entry renamed since) or a labelled row without its
    # question is reported and left out, not counted as a miss of the matcher; the exit status
    # still says something needs fixing.
    file = str(args.queries)
    problems = sorted(empty_queries(rows, file) + unknown_ids(rows, {e.id for e in snap.faq.entries}, file),
                      key=lambda p: p.line or 0)
    bad = {p.line for p in problems}
    if problems:
        _print_problems(problems)
        rows = [r for r in rows if r.line not in bad]
    if not rows:
        print(f"{args.queries}: no questions to measure.", file=sys.stderr)
        return 1
    results = outcomes(snap.matcher, rows)
    print(f"FAQ: {len(snap.faq)} entries. Questions: {args.queries}"
          + (f" ({len(bad)} left out: see the problems above)" if bad else ""))
    print(format_report(summarize(results), results))
    return 1 if problems else 0


def cmd_export_messages(settings: Settings, args: argparse.Namespace) -> int:
    from storage import conversations as conv

    with _existing_store(settings) as store:
        n = store.call_sync(conv.export_messages_csv, args.out)
    print(f"Wrote {n} messages to {args.out}.")
    return 0


def cmd_forget_member(settings: Settings, args: argparse.Namespace) -> int:
    """For a member who asks staff (not the bot) to delete their data: the same as their /forget,
    staff-group copies included (queued in the outbox for the bot that runs the staff desk)."""
    from i18n import Translator
    from storage import conversations as conv

    _ = Translator(settings.staff_language)
    notice = _("🗑 Deleted at the member's request.")
    with _existing_store(settings) as store:
        store.call_sync(check_writable)  # (a read-only file is named as such, before anything)
        n, copies = store.call_sync(conv.forget_member_and_withdraw, args.member_id, notice=notice)
        folded = store.call_sync(fold_wal)  # the deleted words out of the -wal file, the bot running or not
    where = Path(settings.db_path).resolve()
    if n:
        print(f"Deleted {n} row(s) about Telegram user {args.member_id} from {where}.")
    else:
        print(f"Nothing is stored about Telegram user {args.member_id} in {where}: nothing was deleted. "
              "Check the id, and that PUENTE_DB is the database the bot runs with.")
    if n and not folded:
        print(f"Warning: another program reading {where} kept its -wal file from being emptied: the deleted "
              "messages stay in that file until the bot stops (it empties the file then).")
    if copies:
        print(f"Queued the removal of {copies} message(s) the bot posted about them in the staff group (cards, "
              "copies of their messages): the bot running with PUENTE_STAFF_CHAT_ID blanks and deletes them "
              "within seconds, or at its next start. Telegram deletes only messages under 48 hours old: an older "
              "card stays blank, an older photo without its caption.")
    if n:
        print("A running bot drops what it remembered of this member's conversation (the country they named, "
              "the last answer) at their next message.")
    return 0


class NoDatabase(Exception):
    """An admin command that reads or deletes logged data was pointed at a database that does not exist."""


def _existing_store(settings: Settings) -> Store:
    """The bot's database for the admin commands that read or delete what it logged (faq gaps and
    drafts, export-messages, forget-member). Opening a path that does not exist would create an
    empty database and report "nothing logged" or "deleted 0 rows" as if all were well, while the
    real data sits elsewhere (PUENTE_DB unset in another folder, or mistyped)."""
    path = Path(settings.db_path)
    if not path.is_file():
        raise NoDatabase(
            f"No database at PUENTE_DB={path.resolve()}: nothing was ever logged there. Set PUENTE_DB to the "
            "database the bot runs with (the default, puente.db, is in the folder the bot was started from).")
    return Store(str(path))


# ---------------------------------------------------------------------------------------- main
def _positive_int(text: str) -> int:
    """An argparse type for counts: "0" or "-3" is refused with a message, not taken literally."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def _telegram_id(text: str) -> int:
    """An argparse type for a Telegram user id: a number too long for any id (a pasted card or
    account number) is refused with a message, not a traceback from SQLite."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 < value < 2**63:
        raise argparse.ArgumentTypeError(f"{text} is not a Telegram user id")
    return value


def _days_or_date(text: str) -> int | date:
    """An argparse type for ``faq gaps --since``: a number of days back ("30"), or the day to start
    from ("2025-03-01"). Refused with a message otherwise, not read as something else."""
    if text.strip().isdigit():
        return _positive_int(text)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a number of days nor a date like 2025-03-01") from None


def _since_moment(since: int | date, timezone: str) -> datetime:
    """When ``--since`` starts: that many days before now, or the start of that day where the
    office is (PUENTE_TIMEZONE), as the admin reads the date."""
    if isinstance(since, int):
        return datetime.now(UTC) - timedelta(days=since)
    return datetime.combine(since, time.min, tzinfo=ZoneInfo(timezone))


def _command(sub: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    """A subcommand whose one-line ``text`` shows both in its parent's list and in its own
    ``--help`` (argparse shows ``help`` only in the list)."""
    return sub.add_parser(name, help=text, description=text[:1].upper() + text[1:] + ".")


#: Where the commands that read or delete what the bot logged find it.
FROM_DB = "from the bot's database (PUENTE_DB, by default puente.db in the current folder)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Puente: bilingual member-inquiry bot.")
    sub = parser.add_subparsers(dest="command")
    _command(sub, "run", "run on Telegram (needs TELEGRAM_BOT_TOKEN)")
    _command(sub, "chat", "local terminal chat through the same pipeline")

    ask = _command(sub, "ask", "show the matcher's decision for a question (or stdin lines as JSON)")
    ask.add_argument("--faq", type=Path, help="FAQ file (YAML project format, or a sheet: .csv, or .tsv "
                                              "tab-separated); default: PUENTE_FAQ or the bundled FAQ")
    ask.add_argument("--lang", choices=["es", "en", "auto"], default="auto",
                     help="language to show the entries in and report as 'lang' (matching is the same); "
                          "auto, the default: the question's own language")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("question", nargs="*", help="the question; omit to read one per line from stdin")

    faq = _command(sub, "faq", "FAQ files: check, import, export; gaps in the FAQ; measure it")
    fsub = faq.add_subparsers(dest="faq_command", required=True)
    check = _command(fsub, "check", "validate an FAQ file, or the vocabulary file (exit 1 on problems)")
    check.add_argument("path", type=Path, help="an FAQ (.yaml, .csv or .tsv) or a vocabulary file (.yaml)")
    imp = _command(fsub, "import", "import a spreadsheet (.csv, or .tsv tab-separated) into the YAML format")
    imp.add_argument("path", type=Path, metavar="SHEET", help="the sheet to import (.csv or .tsv)")
    imp.add_argument("--out", type=Path, required=True,
                     help="the YAML file to write (.yaml or .yml); an existing one is replaced, and what "
                          "members would lose from it (entries, topics) is reported")
    exp = _command(fsub, "export", "export an FAQ to the spreadsheet layout (.csv, or .tsv tab-separated)")
    exp.add_argument("path", type=Path, help="the FAQ to export (YAML project format, .csv or .tsv)")
    exp.add_argument("--csv", type=Path, required=True,
                     help="the sheet to write: .csv, or .tsv for tab-separated (an existing one is kept "
                          "unless --force)")
    exp.add_argument("--force", action="store_true", help="write over the --csv file if it already exists")
    gaps = _command(fsub, "gaps", f"questions members asked that the FAQ did not answer, {FROM_DB}")
    gaps.add_argument("--limit", type=_positive_int, default=50, help="how many questions to list (default 50)")
    gaps.add_argument("--tsv", type=Path, help="also write, as labelled queries for 'faq eval', the questions staff "
                                               "answered with an FAQ entry (/faq) or whose entry the member picked "
                                               "from the buttons")
    gaps.add_argument("--since", type=_days_or_date, metavar="DAYS|DATE",
                      help="only questions asked in the last DAYS days, or from DATE (2025-03-01) on: "
                           "leave out old ones the FAQ already answers")

    ev = _command(fsub, "eval", "measure the FAQ on labelled member questions and list the misses")
    ev.add_argument("queries", type=Path, metavar="QUERIES", nargs="?",
                    help="TSV (or .csv) with a header naming 'query' and 'expected' (an entry id or ESCALATE); "
                         "without it, every question and alternate of the FAQ is tried as-is")
    ev.add_argument("--faq", type=Path, help="FAQ file (default: PUENTE_FAQ or the bundled FAQ)")
    drafts = _command(fsub, "drafts", f"FAQ drafts staff made from answered tickets (/promote), {FROM_DB}")
    drafts.add_argument("--csv", type=Path, help="write them to this .csv file in the spreadsheet layout, to "
                                                 "translate and import")

    em = _command(sub, "export-messages", f"export the conversation log to CSV, {FROM_DB}")
    em.add_argument("out", type=Path, metavar="OUT.csv",
                    help="the CSV file to write (UTF-8, one row per message in or out, oldest first); replaced "
                         "if it exists")
    fm = _command(sub, "forget-member",
                  f"delete everything stored about one member {FROM_DB}: their messages, votes and requests "
                  "with staff's replies in them; what the bot posted about them in the staff group is queued "
                  "for removal (done by the running bot, or at its next start)")
    fm.add_argument("member_id", type=_telegram_id, metavar="TELEGRAM_USER_ID", help="the member's Telegram user id")
    return parser


def _utf8_stdio() -> None:
    """Read and write UTF-8 whatever the locale says, and never die on a byte that is not UTF-8
    (it becomes "�"): `ask` must answer every line and its JSON must be valid UTF-8."""
    # Arguments with bytes that are not UTF-8 reach Python as surrogates: replaced on output too.
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors=errors)


def main(argv: Sequence[str] | None = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    on_telegram = args.command == "run" or (args.command is None and bool(settings.telegram_bot_token))
    # The bot logs at the configured level; CLI commands and the terminal chat only show warnings.
    _setup_logging(settings.log_level if on_telegram else "WARNING", secrets=[settings.telegram_bot_token])
    if args.command is None:
        return cmd_default(settings)
    if args.command == "run":
        return cmd_run(settings)
    if args.command == "chat":
        return cmd_chat(settings, stdin, stdout)
    if args.command == "ask":
        return cmd_ask(settings, args, stdin, stdout)
    try:
        if args.command == "faq":
            return cmd_faq(settings, args)
        if args.command == "export-messages":
            return cmd_export_messages(settings, args)
        if args.command == "forget-member":
            return cmd_forget_member(settings, args)
    except BrokenPipeError:
        raise  # `… | head`: handled where the process exits
    except OSError as exc:  # a missing folder, a directory given as a file, no permission
        where = f" {exc.filename}" if exc.filename else ""
        print(f"Cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except NoDatabase as exc:
        print(exc, file=sys.stderr)
        return 1
    except (DatabaseTooNew, DatabaseUnusable, sqlite3.Error) as exc:  # faq gaps/drafts, export-messages, forget-member
        print(f"Cannot use the database PUENTE_DB={settings.db_path}: {exc}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    _utf8_stdio()
    try:
        sys.exit(main())
    except BrokenPipeError:
        # `bot.py ask ... | head`: the reader left; that is not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
