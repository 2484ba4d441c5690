"""A minimal local SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).

Enough for `smtplib` to deliver through it, so the email path is tested over a real socket. It can
be told to refuse recipients with a given reply code (550 permanent, 451 temporary).
"""
from __future__ import annotations

import socketserver
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from tests.local_server import LocalServer


@dataclass
class Delivered:
    mail_from: str
    recipients: list[str]
    message: Message


@dataclass
class SmtpStandin(LocalServer):
    refuse_recipients_with: int | None = None  # e.g. 550 or 451
    delivered: list[Delivered] = field(default_factory=list)

    def __post_init__(self) -> None:
        standin = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                self.reply("220 standin ESMTP")
                mail_from, recipients = "", []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb == "EHLO":
                        self.reply("250-standin")
                        self.reply("250 8BITMIME")
                    elif verb == "HELO":
                        self.reply("250 standin")
                    elif verb == "MAIL":
                        mail_from, recipients = command.partition(":")[2].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        code = standin.refuse_recipients_with
                        if code:
                            self.reply(f"{code} recipient refused")
                        else:
                            recipients.append(command.partition(":")[2].strip(" <>"))
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        lines = []
                        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        standin.delivered.append(Delivered(mail_from, recipients, message_from_bytes(b"".join(lines))))
                        self.reply("250 queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        self._serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        host, port = self.address
        return f"smtp://{host}:{port}"
