"""How each channel shapes what is said: SMS (GSM-7 within a segment budget, numbered choices, MORE)
or web chat (messages as they are), and casework's lines (`casework.conversation.said`) in a channel's words."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Protocol

from casework.cases.triage import Triage
from casework.conversation.said import Line, Said, Written, case_lines
from channels import sms_render
from channels.incoming import Messages
from channels.responses import render_response, response_buttons

__all__ = ["Rendered", "ChannelStyle", "SmsStyle", "WebStyle", "say", "lines", "triage_lines"]


@dataclass(frozen=True)
class Rendered:
    text: str | None
    messages: Messages
    choices: dict[str, str] = field(default_factory=dict)
    more: list[str] = field(default_factory=list)


class ChannelStyle(Protocol):
    name: str
    keywords: bool

    def render(self, messages: Messages) -> Rendered: ...


class SmsStyle:
    """Plain GSM-7 text within a segment budget, numbered choices for buttons, MORE for the rest."""

    name = "sms"
    keywords = True

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def render(self, messages: Messages) -> Rendered:
        reply = sms_render.render_for_sms(messages, budget=self.budget)
        return Rendered(reply.text or None, [{"text": reply.text}] if reply.text else [], dict(reply.choices), list(reply.more))


class WebStyle:
    name = "webchat"
    keywords = False

    def render(self, messages: Messages) -> Rendered:
        shown = [{k: m[k] for k in ("text", "buttons", "image") if m.get(k)} for m in messages]
        shown = [m for m in shown if m]
        text = "\n\n".join(str(m["text"]) for m in shown if m.get("text"))
        return Rendered(text or None, shown)


def say(response: str, style: ChannelStyle, **values: str) -> Messages:
    """One domain response, in this channel's variant."""
    return [{"text": render_response(response, channel=style.name, values=values)}]


def lines(said: list[Line], style: ChannelStyle) -> Messages:
    """What casework decided to say, in this channel's words and shape."""
    messages: Messages = []
    for line in said:
        if isinstance(line, Said):
            messages += say(line.response, style, **line.values)
            continue
        if isinstance(line, Written):
            messages.append({"text": line.text})
            continue
        # "Another idea, or a call from a connector?": another idea searches again for what they last asked.
        buttons = response_buttons("utter_check_in_what_next", channel=style.name)
        search = {k: v for k, v in (("interest", line.interest), ("place", line.place)) if v}
        if search:
            buttons[0] = {**buttons[0], "payload": buttons[0]["payload"] + json.dumps(search)}
        messages.append({"text": render_response("utter_check_in_what_next", channel=style.name), "buttons": buttons})
    return messages


def triage_lines(triage: Triage, style: ChannelStyle, *, told: str = "utter_case_opened") -> Messages:
    """What triage did (a case opened, a question asked), in this channel's words."""
    return lines(list(case_lines(triage, told=told)), style)
