"""The staff escalation desk: when the FAQ cannot help, a person answers in the same chat.

Modules (none imports ``telegram``; handlers/staff.py is the thin PTB layer):

* :mod:`desk.desk` — :class:`~desk.desk.StaffDesk`: tickets, follow-ups, staff answers, commands;
  implements the pipeline's ``Desk`` protocol;
* :mod:`desk.sender` — :class:`~desk.sender.OutboxSender`: drains the persistent outbox at the
  group's rate limit, retries with back-off, reports undeliverable answers;
* :mod:`desk.cards` — HTML for cards, digests, transcripts, /queue and /stats (escaped, ≤ 4096);
* :mod:`desk.hours` — office hours and the "we're back on …" notice (babel, member's locale);
* :mod:`desk.drafts` — FAQ drafts from answered tickets, exported in the spreadsheet layout.

Design decision — no forum topics. Each ticket is ONE card in the staff group; staff answer by
*replying* to the card (or to any message of that ticket: relayed photos, digests, earlier
answers, a /ticket transcript). Every such staff-group message is mapped to its ticket in the
``staff_messages`` table, so routing survives restarts. Why not a topic per ticket: topics need a
forum-enabled supergroup and the "manage topics" admin right, a topic per member clutters the
group within days, and createForumTopic is one more call that can fail or hit flood limits before
the card is even posted. Replies work in every kind of group and on every Telegram client.
(``tickets.thread_id`` is kept so topics can be added later without a migration.)
"""

from desk.desk import StaffDesk
from desk.hours import OfficeHours
from desk.sender import OutboxSender

__all__ = ["OfficeHours", "OutboxSender", "StaffDesk"]
