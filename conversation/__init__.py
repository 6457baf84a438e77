"""The conversation pipeline shared by the Telegram bot and the terminal chat.

A member event (text, a tapped button, a sticker…) goes in; :class:`Reply` objects come out.
On the way: the inbound message is logged, the FAQ matcher decides, the decision is recorded and
the outbound reply is logged — all before anything is sent, so nothing is lost if sending fails.
"""
