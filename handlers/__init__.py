"""Every Telegram handler, registered in one visible place (like PTB's rules-bot).

Order matters inside a group: the first matching handler wins. Reading top to bottom tells you
what happens to any update.
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers import admin, groups, member, staff
from handlers.errors import on_error

PRIVATE = filters.ChatType.PRIVATE
HUMANS = ~filters.VIA_BOT  # messages relayed through inline bots are not member questions
MEDIA = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.Dice.ALL  # a lone ⚽ or 🎲 typed on a phone is sent as a dice
    | filters.STORY
    | filters.POLL
)


def register(app: Application) -> None:
    """Attach all handlers and the error handler to ``app``."""
    # Staff desk first: staff-group commands and replies, Claim/Close buttons, feedback on staff
    # answers, and the refusal of staff commands sent from private chats.
    staff.register_staff(app)
    # Members, private chats: commands first (a deep link arrives as "/start es").
    app.add_handler(CommandHandler("start", member.start, filters=PRIVATE))
    app.add_handler(CommandHandler(["help", "ayuda"], member.help_command, filters=PRIVATE))
    app.add_handler(CommandHandler(["language", "idioma"], member.language_command, filters=PRIVATE))
    app.add_handler(CommandHandler(["menu", "faq"], member.menu_command, filters=PRIVATE))
    app.add_handler(CommandHandler(["forget", "borrar"], member.forget_command, filters=PRIVATE))
    app.add_handler(CommandHandler(["cancel", "cancelar"], member.cancel_command, filters=PRIVATE))
    # Admins: refused politely (as an unknown command) for everyone else.
    app.add_handler(CommandHandler("reload", admin.reload_faq, filters=PRIVATE))
    app.add_handler(CommandHandler("gaps", admin.gaps, filters=PRIVATE))
    # Any other command.
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, member.unknown_command))
    # Free text, including edited messages.
    app.add_handler(MessageHandler(PRIVATE & HUMANS & filters.TEXT & ~filters.COMMAND, member.text))
    # Stickers, photos, voice notes, locations…
    app.add_handler(MessageHandler(PRIVATE & HUMANS & MEDIA, member.media))
    # Button taps (suggestions, 👍/👎, language, menu).
    app.add_handler(CallbackQueryHandler(member.button))
    # Any other group: say where to write, then leave.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS, groups.foreign_group))

    app.add_error_handler(on_error)
