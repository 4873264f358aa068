"""Redaction of a published digest after an erasure: its parts are re-rendered from the
database (the contributor now shows as anonymous) and edited in place."""

from __future__ import annotations

from bot.app import PdnBot
from bot.posts import reference, stamp
from bot.redactions import edit_own_message
from bot.services import outbox as outbox_service
from bot.services.watch import digests as watch_digests
from cogs.watch._render import render_digest


async def redact_digest(bot: PdnBot, post_id: int, _message_id: int = 0) -> None:
    async with bot.db.transaction() as session:
        post = await watch_digests.digest_post(session, post_id)
    if post is None or post.channel_id is None:
        return
    messages = await render_digest(bot, post)
    for index, message_id in enumerate(outbox_service.parts(post)):
        if message_id is None or index >= len(messages):
            continue
        message = stamp(messages[index], reference(post, index, len(messages), bot.outbox.default_title(post)))
        await edit_own_message(
            bot,
            post.channel_id,
            message_id,
            guild_id=post.guild_id,
            content=message.content,
            embeds=message.embeds,
        )
