"""The SMTP email transport (alerts and notes to connectors and managers, never to a resident's phone):
SMTP_URL is smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465. A 5xx answer is
`Permanent`, unless it is about authentication (the configuration's fault, not the message's); that,
a 4xx, a server offering no TLS to log in over, or a dropped connection is `Retry`.
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from casework.outbox.transport import Outcome, Outgoing, Permanent, Retry, Sent
from service.settings import Settings

__all__ = ["SmtpEmailTransport"]

_SMTP_AUTH_CODES = {530, 534, 535, 538}


class SmtpEmailTransport:
    """Sends through SMTP_URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465."""

    def __init__(self, settings: Settings, *, timeout: float = 20.0) -> None:
        parts = urlsplit(settings.smtp_url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port")
        self._ssl = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._ssl else 25)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._from = settings.email_from
        self._timeout = timeout

    def send(self, message: Outgoing) -> Outcome:
        email = EmailMessage()
        email["From"] = self._from
        email["To"] = message.to
        email["Subject"] = message.subject or ""
        email.set_content(message.body)
        try:
            with self._connect() as smtp:
                if self._user:
                    if not (self._ssl or isinstance(smtp.sock, ssl.SSLSocket)):
                        # Never send the SMTP password in the clear (a local test server needs none).
                        return Retry("smtp server offers no TLS; refusing to log in in the clear")
                    smtp.login(self._user, self._password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                return Permanent(f"smtp refused recipient {codes}")
            return Retry(f"smtp recipient deferred {codes}")
        except smtplib.SMTPResponseException as error:
            # 530/534/535/538: authentication problems are the configuration's, not this message's.
            if 500 <= error.smtp_code < 600 and error.smtp_code not in _SMTP_AUTH_CODES:
                return Permanent(f"smtp {error.smtp_code}")
            return Retry(f"smtp {error.smtp_code}")
        except (smtplib.SMTPException, OSError) as error:
            return Retry(f"smtp: {type(error).__name__}")
        return Sent(provider_status="sent")

    def _connect(self) -> smtplib.SMTP:
        if self._ssl:
            return smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout,
                                    context=ssl.create_default_context())
        smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        return smtp
