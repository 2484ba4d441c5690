"""The one table of safety numbers, each checked with the service that answers it (the comments say who
each is for). tests/casework/safety/test_safety.py pins the table: change a number only after checking it
again with that service, and the test with it.

Responses in bot/domain/responses_safety.yml refer to these by key, e.g. {samaritans}; the channels
fill them in from here, so a number is written in exactly one place in the code.
"""
from __future__ import annotations

from types import MappingProxyType

SAFETY_NUMBERS = MappingProxyType(
    {
        # life at risk, crime in progress, an aggressive doorstep caller
        "emergency": "999",
        # wants to talk, despairing or suicidal (free, 24/7)
        "samaritans": "116 123",
        # urgent mental health help, not life-threatening (England)
        "nhs_mental_health": "NHS 111, option 2",
        # prefers to text
        "shout": "text SHOUT to 85258",
        # lonely older people
        "silver_line": "0800 4 70 80 90",
        # fraud or scam (England, Wales, NI)
        "report_fraud": "0300 123 2040",
        # doorstep traders and consumer problems
        "citizens_advice_consumer": "0808 223 1133",
    }
)
