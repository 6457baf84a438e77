"""Route a tapped button (its callback data) to the pipeline — shared by Telegram and terminal."""

from __future__ import annotations

from conversation.pipeline import Member, Pipeline
from conversation.replies import Reply, parse_callback


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


async def route_callback(pipeline: Pipeline, member: Member, data: str, on_message: int | None = None) -> list[Reply]:
    """Decode ``data`` (see conversation.replies) and run the matching pipeline step.

    Anything malformed or stale (an old keyboard after an FAQ reload, a forged payload) gets the
    polite "no longer available" reply instead of an exception. ``on_message``: the Telegram id of
    the message the button is on, when known (a 👍/👎 must be on the answer it names, a "None of
    these" on the list of the question it names).
    """
    kind, args = parse_callback(data)
    if kind == "pick" and args:
        return await pipeline.handle_pick(member, args[0])
    if kind == "none" and args and (qid := _int(args[0])) is not None:
        return await pipeline.handle_none_of_these(member, qid, on_message=on_message)
    if kind == "fb" and len(args) == 2 and (mid := _int(args[0])) is not None and (vote := _int(args[1])) is not None:
        return await pipeline.handle_feedback(member, mid, vote, on_message=on_message)
    if kind == "lang" and args:
        return await pipeline.set_language(member, args[0])
    if kind == "cat" and args:
        page = _int(args[1]) if len(args) > 1 else 1
        return await pipeline.handle_category(member, args[0], page if page and page > 0 else 1)
    if kind == "forget" and args:
        return await pipeline.handle_forget(member, confirmed=args[0] == "yes")
    if kind == "menu":
        return await pipeline.handle_menu_button(member)
    return await pipeline.handle_stale(member, data)
