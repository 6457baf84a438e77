"""The one place that owns the SQLite connection.

sqlite3 connections opened by sqlite-utils' ``Database(path)`` are bound to the thread
that created them (``check_same_thread=True``), and SQLite allows one writer at a time
anyway. So, like datasette, we give the database ONE dedicated worker thread: every
read and write is a small function ``fn(db, ...)`` shipped to that thread. The asyncio
event loop never touches SQLite directly and never blocks on disk I/O; writes are
naturally serialised, so there are no "database is locked" surprises inside the bot.

Each storage function commits its own work before returning (single autocommit
statements or ``with db.atomic():``). ``Store`` enforces that: a function that leaves a
transaction open is rolled back and reported as a bug, so nothing can sit uncommitted
between calls and be lost on a crash.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

#: How long a connection waits for another process (e.g. a CLI export) holding the write lock.
BUSY_TIMEOUT_MS = 5000


class DatabaseTooNew(RuntimeError):
    """The database has migrations this version of the code does not know."""


class DatabaseUnusable(RuntimeError):
    """The database cannot be used where it is (its folder is missing, it cannot be written); the
    message says what is wrong, for the caller to print after the setting's name."""


def iso_utc(now: datetime | None = None) -> str:
    """UTC ISO-8601 with milliseconds and an explicit offset, e.g. ``2025-01-31T12:00:00.000+00:00``.

    One fixed format means string comparison equals time comparison, so ``created_at``
    columns can be range-filtered and ordered in SQL. Naive datetimes are taken as UTC
    (tests pass them; the bot never does).
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(value: str) -> datetime:
    """Inverse of :func:`iso_utc` (always timezone-aware)."""
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _read_only(exc: sqlite3.Error) -> DatabaseUnusable | None:
    """The error to raise instead of ``exc`` when it says the database cannot be written (or,
    in a folder that cannot be written, not even opened: SQLite must create its -wal file)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY:
        return DatabaseUnusable(f"cannot be written ({exc}): the user running Puente needs write access to the "
                                "file and to its folder, where SQLite keeps its -wal and -shm files")
    if code == sqlite3.SQLITE_CANTOPEN:
        return DatabaseUnusable(f"cannot be opened ({exc}): it must be a file the user running Puente can read and "
                                "write, in a folder it can write (SQLite keeps its -wal and -shm files there)")
    return None


def check_writable(db: Database) -> None:
    """Raise :class:`DatabaseUnusable` when the database cannot be written; writes nothing new.

    SQLite opens a file it may not write (mode 444, a read-only mount) read-only, without a word,
    and reading works: the bot would start, then fail on every member's message, each time with
    a traceback. Checked at start by what must write (the bot, the terminal chat, forget-member);
    the admin commands that only read do not check (they work on a read-only connection, though SQLite
    itself needs write access to open a WAL-mode file that is read-only on disk: copy a backup first).
    """
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        db.execute(f"PRAGMA user_version = {version}")  # a committed write that changes nothing
    except sqlite3.OperationalError as exc:
        unusable = _read_only(exc)
        if unusable is None:
            raise
        raise unusable from None


def _check_folder(path: Path) -> None:
    """Refuse a database whose folder does not exist rather than create it: a mistyped path
    (``/srv/puente/data/puente.db`` for ``/srv/puente-data/…``) would start the bot on a new, empty
    database, its conversation log and open requests left behind without a word."""
    folder = path.parent.resolve()
    if folder.exists() and not folder.is_dir():
        raise DatabaseUnusable(f"{folder} is a file, not a folder: correct the path")
    if not folder.is_dir():
        raise DatabaseUnusable(f"its folder {folder} does not exist: create it, or correct the path")


def atomically(fn: Callable[Concatenate[Database, P], T]) -> Callable[Concatenate[Database, P], T]:
    """Wrap a multi-step storage function so its writes land together or not at all.

    Storage functions each commit their own work; a caller composing several of them (open a
    ticket, add its messages, queue its card) wraps the composition so a crash in the middle
    cannot leave a ticket without its card. Nested ``db.atomic()`` blocks become savepoints.
    """

    @functools.wraps(fn)
    def wrapper(db: Database, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with db.atomic():
            return fn(db, *args, **kwargs)

    return wrapper


def fold_wal(db: Database) -> bool:
    """Copy the write-ahead log into the database file and empty it (``wal_checkpoint(TRUNCATE)``);
    returns False when another connection's reader kept it from finishing.

    Run after a member's data is deleted: until then their words stay in the ``-wal`` file beside
    the database (the rows were only marked deleted in it), which outlives the deletion until the
    bot closes. With ``secure_delete`` the pages folded back carry zeros where the rows were.
    """
    busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


class StoreClosedError(RuntimeError):
    """The Store was used before ``open()`` or after ``close()``."""


class Store:
    """SQLite database owned by a single worker thread.

    >>> store = Store("puente.db"); store.open()
    >>> row_id = await store.call(conversations.log_inbound, member_id=1, chat_id=1, text="hola")
    >>> store.close()

    Also ``with Store(path) as store: store.call_sync(...)`` for CLI commands.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._executor: ThreadPoolExecutor | None = None
        self._db: Database | None = None
        self._thread_id: int | None = None
        self._lock = threading.Lock()  # guards open/close, which may race with each other from different threads

    # ------------------------------------------------------------------ lifecycle
    @property
    def is_open(self) -> bool:
        return self._executor is not None

    def open(self) -> None:
        """Open the database on the worker thread, set pragmas, apply migrations. Blocking.

        Calling ``open()`` on an already open Store does nothing. Errors (a missing folder:
        :class:`DatabaseUnusable`, a file that is no database, a failing migration) propagate and
        leave the Store closed. A missing file is created.
        """
        with self._lock:
            if self._executor is not None:
                return
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="puente-db")
            try:
                executor.submit(self._open_on_worker).result()
            except BaseException:
                executor.submit(self._close_on_worker).result()
                executor.shutdown(wait=True)
                raise
            self._executor = executor

    def _open_on_worker(self) -> None:
        try:
            self._set_up()
        except sqlite3.OperationalError as exc:
            # Switching to WAL or migrating a file SQLite could only open read-only.
            unusable = _read_only(exc)
            if unusable is None:
                raise
            raise unusable from None

    def _set_up(self) -> None:
        from storage.schema import migrations  # late import: schema imports helpers from this module

        if self.path != ":memory:":
            _check_folder(Path(self.path))
        db = self._connect()
        self._db = db
        self._thread_id = threading.get_ident()
        # Journal mode and foreign_keys can only change outside a transaction; nothing is open yet.
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.enable_wal()
        # FULL: every commit is fsynced, so an acknowledged write survives power loss, not just a crash.
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        # Deleted rows (a member's /forget) are overwritten with zeros, not left in free space of
        # the file. Some SQLite builds default to this, upstream's does not: never rely on it.
        db.execute("PRAGMA secure_delete = ON")
        known = {m.name for m in migrations._migrations}
        newer = [m.name for m in migrations.applied(db) if m.name not in known]
        if newer:  # an older Puente on a newer database would fail later, on some write
            raise DatabaseTooNew(
                f"{self.path} was upgraded by a newer version of Puente (migration {', '.join(newer)}); "
                "run that version, or point PUENTE_DB at a copy made before the upgrade"
            )
        migrations.apply(db)
        if db.conn.in_transaction:  # pragma: no cover - defensive, migrations commit themselves
            db.conn.commit()
        log.info("opened %s (journal_mode=%s)", self.path, db.journal_mode)

    def _connect(self) -> Database:
        """The connection (on the worker thread). A method of its own so tests can stand in for
        conditions a test run cannot create (a SQLite built without secure_delete)."""
        return Database(self.path, execute_plugins=False)

    def _close_on_worker(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            try:
                if db.conn.in_transaction:  # pragma: no cover - _run never leaves one open
                    db.conn.rollback()
                # Folds the WAL back into the main file so a copied .db is complete; harmless if it fails.
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.DatabaseError as exc:  # a file that is no database: the caller says so
                log.debug("checkpoint on close failed: %s", exc)
            except Exception:  # pragma: no cover
                log.exception("checkpoint on close failed")
            finally:
                db.close()

    def close(self) -> None:
        """Close the connection (on its own thread) and stop the worker. Idempotent.

        Queued calls finish first; calls made after ``close()`` raise :class:`StoreClosedError`.
        """
        with self._lock:
            executor, self._executor = self._executor, None
            if executor is None:
                return
            try:
                executor.submit(self._close_on_worker).result()
            finally:
                executor.shutdown(wait=True)

    def __enter__(self) -> Store:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ running work
    def _run(self, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
        db = self._db
        if db is None:
            raise StoreClosedError(f"Store({self.path!r}) is closed")
        try:
            result = fn(db, *args, **kwargs)
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise
        if db.conn.in_transaction:
            # A half-done write must never linger until some later call commits it by accident.
            db.conn.rollback()
            raise RuntimeError(f"{getattr(fn, '__name__', fn)!r} left a transaction open; it was rolled back")
        return result

    def _executor_or_raise(self) -> ThreadPoolExecutor:
        executor = self._executor
        if executor is None:
            raise StoreClosedError(f"Store({self.path!r}) is not open")
        if threading.get_ident() == self._thread_id:
            # fn(db) calling back into the Store would wait on its own thread forever.
            raise RuntimeError("Store.call/call_sync used from inside a storage function; use the db argument")
        return executor

    async def call(self, fn: Callable[Concatenate[Database, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the database thread and await its result.

        The event loop keeps running meanwhile. Exceptions raised by ``fn`` propagate.
        If the awaiting task is cancelled, ``fn`` still runs to completion (and commits):
        a write that was started is never half-applied.
        """
        executor = self._executor_or_raise()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(executor, functools.partial(self._run, fn, args, kwargs))

    def call_sync(self, fn: Callable[Concatenate[Database, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Blocking version of :meth:`call`, for CLI commands and startup code (never from the event loop)."""
        executor = self._executor_or_raise()
        return executor.submit(self._run, fn, args, kwargs).result()
