"""TwiML, the XML Twilio expects in answer to its webhook: one <Message>, or none."""
from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = ["twiml"]


def twiml(text: str | None) -> str:
    if not text:
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"
    return f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{escape(text)}</Message></Response>"
