"""One resident turn, shared by the SMS and web-chat channels: screen first, then the bot.

The safety screen runs here, before NLU, on every message (opt-out words included), and its answer
never needs the model or the action server. A bot turn that produces no reply at all (the action
server or the tracker store failed) is reported and answered, never left silent.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from casework.safety import Screening, screen
from channels.responses import render_response

logger = logging.getLogger(__name__)

Messages = list[dict[str, Any]]


class ChannelCollector(CollectingOutputChannel):
    """Collects the bot's messages under the input channel's name.

    Rasa picks a response's `channel:` variant by the *output* channel's name, and the stock
    collector is called "collector", so without this the SMS variants in the domain were never used.
    """

    channel_name = "collector"

    @classmethod
    def name(cls) -> str:
        return cls.channel_name


@cache
def _collector_class(channel: str) -> type[ChannelCollector]:
    return type(f"{channel.title()}Collector", (ChannelCollector,), {"channel_name": channel})


def collector_for(channel: str) -> CollectingOutputChannel:
    return _collector_class(channel)()


@dataclass
class BotTurn:
    """The bot's answer to one message. `pending` is set when the deadline passed first."""

    messages: Messages = field(default_factory=list)
    pending: asyncio.Task | None = None
    failed: bool = False


def screen_message(text: str) -> Screening:
    return screen(text)


def answer_from_screen_only(text: str, *, channel: str | None = None) -> Messages:
    """What to say when the bot cannot run (the database is down): the safety screen needs neither,
    so someone in crisis still gets the numbers; anyone else hears the service is having trouble."""
    screening = screen_message(text)
    messages = [{"text": render_response(screening.response or "", channel=channel)}] if screening.flagged else []
    if not screening.interrupts:
        messages.append({"text": render_response("utter_service_trouble", channel=channel)})
    return messages


async def ask_bot(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    *,
    text: str,
    sender_id: str,
    message_id: str,
    input_channel: str,
    deadline: float | None = None,
) -> BotTurn:
    collector = collector_for(input_channel)
    message = UserMessage(text, collector, sender_id, input_channel=input_channel, message_id=message_id)
    task = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=deadline)
    except asyncio.TimeoutError:
        logger.warning("turn %s passed its %.1fs deadline; the reply will go through the outbox", message_id, deadline)
        return BotTurn(pending=_collected_when_done(task, collector))
    except Exception:
        logger.exception("turn %s failed inside Rasa", message_id)
        return BotTurn(failed=True)
    return _finished(collector, message_id)


def _finished(collector: CollectingOutputChannel, message_id: str) -> BotTurn:
    if not collector.messages:
        # Rasa logs an action-server failure and carries on with no reply; say so and answer anyway.
        logger.error("turn %s produced no reply (action server or tracker store failure?)", message_id)
        return BotTurn(failed=True)
    return BotTurn(messages=list(collector.messages))


def _collected_when_done(task: asyncio.Task, collector: CollectingOutputChannel) -> asyncio.Task:
    async def wait() -> BotTurn:
        try:
            await task
        except Exception:
            logger.exception("late turn failed inside Rasa")
            return BotTurn(failed=True)
        return _finished(collector, "late turn")

    return asyncio.ensure_future(wait())


def replies_in_tracker(events: list[Any], message_id: str) -> Messages | None:
    """The bot's replies to `message_id` as a tracker recorded them; None if that message never reached it.

    Rasa saves the tracker once, at the end of a turn; so a message present here finished its turn
    (its actions ran) even if its reply never left. Recovery sends these replies instead of running
    the turn again, which would repeat its actions and log the message twice.
    """
    replies: Messages | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next message: the turn we want is over
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            message: dict[str, Any] = {"text": event.text} if event.text else {}
            message.update({key: value for key, value in (event.data or {}).items() if value})
            if message:
                replies.append(message)
    return replies
