"""TwiML, the XML Twilio expects in answer to its webhook: one <Message>, or none.

With `action`, Twilio POSTs the reply's status (its own MessageSid, MessageStatus) to that URL once it
has created the message: the only way to learn the SID of a reply sent as TwiML, which erasure and
retention need to delete Twilio's copy of it (channels.sms_webhook, casework.privacy.provider_copies).
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

__all__ = ["twiml"]


def twiml(text: str | None, *, action: str | None = None) -> str:
    if not text:
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"
    attributes = f" action={quoteattr(action)}" if action else ""
    return f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message{attributes}>{escape(text)}</Message></Response>"
