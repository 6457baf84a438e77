"""Persistence for Puente: one SQLite file owned by a single worker thread (see :mod:`storage.store`).

Modules: ``store`` (the thread-owning Store), ``schema`` (migrations), ``conversations``
(members, message log, feedback, admin views), ``tickets``/``outbox``/``drafts`` (the
staff escalation desk). Nothing here imports telegram: the bot layer talks Telegram,
this layer only stores facts.
"""

from storage.store import Store, StoreClosedError, iso_utc

__all__ = ["Store", "StoreClosedError", "iso_utc"]
