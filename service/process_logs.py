"""The log listener of `make run`: every line a process writes, with the process's name in front.

supervisord (service/supervisord.conf) hands each chunk of a program's output to this event listener
as a PROCESS_LOG event instead of writing it to a file, and this prints it line by line,

    14:02:31 rasa-0  | 2026-01-05 14:02:31 INFO     root  - Rasa server is up and running.
    14:02:31 web     | INFO channels.recovery: Rasa is ready; answering 1 waiting message

on its stderr, which supervisord copies to its own standard output. A chunk is whatever one read of
the program's pipe returned, so a line may arrive in two: the part without its newline is kept until
the rest comes, or printed as it is when the process stops or starts again (PROCESS_STATE events).

The protocol (supervisor's "Event Listeners" documentation): write READY, read one header line whose
`len` counts the characters of the payload that follows, answer `RESULT 2\\nOK`, and so on.
"""
from __future__ import annotations

import io
import signal
import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["LinePrefixer", "serve"]

NAME_WIDTH = 7  # "actions", "rasa-10": the names line up
LONGEST_PARTIAL = 16_384  # a "line" that never ends (a stuck progress bar) is printed in pieces this long


def _fields(line: str) -> dict[str, str]:
    return dict(token.split(":", 1) for token in line.split() if ":" in token)


class LinePrefixer:
    """Chunks of output in, whole lines with their process's name out."""

    def __init__(self, clock: Callable[[], str] = lambda: time.strftime("%H:%M:%S")) -> None:
        self.clock = clock
        self.partial: dict[str, str] = {}

    def feed(self, name: str, data: str) -> list[str]:
        *lines, rest = (self.partial.pop(name, "") + data).split("\n")
        if len(rest) >= LONGEST_PARTIAL:
            lines.append(rest)
        elif rest:
            self.partial[name] = rest
        return [self._line(name, line) for line in lines]

    def flush(self, name: str) -> list[str]:
        rest = self.partial.pop(name, "")
        return [self._line(name, rest)] if rest else []

    def _line(self, name: str, text: str) -> str:
        # A progress bar redraws itself with "\r": keep what a terminal would have shown last.
        text = text.rstrip("\r").rsplit("\r", 1)[-1]
        return f"{self.clock()} {name:<{NAME_WIDTH}} | {text}\n"


def serve(events: TextIO, replies: TextIO, out: TextIO, prefixer: LinePrefixer | None = None) -> None:
    """Answer supervisord's events until it closes our stdin."""
    prefixer = prefixer or LinePrefixer()
    while True:
        replies.write("READY\n")
        replies.flush()
        header = events.readline()
        if not header:
            return
        headers = _fields(header)
        payload = events.read(int(headers["len"]))
        about, _, data = payload.partition("\n")
        name = _fields(about).get("processname", "?")
        if headers.get("eventname", "").startswith("PROCESS_LOG"):
            out.writelines(prefixer.feed(name, data))
        else:
            out.writelines(prefixer.flush(name))
        out.flush()
        replies.write("RESULT 2\nOK")
        replies.flush()


def main() -> None:
    # supervisord stops us last, with SIGTERM: that is the end of the logs, not a failure to report.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    # `len` counts characters of UTF-8 text; newline="" so a "\r\n" in a program's output is not
    # turned into one character, which would throw the count off by one.
    events = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="")
    replies = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    out = io.TextIOWrapper(sys.stderr.buffer, encoding="utf-8", errors="replace", newline="")
    serve(events, replies, out)


if __name__ == "__main__":
    main()
