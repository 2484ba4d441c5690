"""The dry-run outbox file (OUTBOX_PATH, default var/outbox.log): the stand-in phone and mailbox
while no Twilio or SMTP credentials are set. One JSON line per message sent, with the body as sent,
the address masked, the outbox id and the recipient's pseudonym (`sms:<hash>`, `connector:<id>`), so
an erasure finds a resident's lines (by either: lines written before the pseudonym was added carry
the id alone) and the retention purge finds old ones by their time.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from casework.models import as_utc
from casework.shared_file import append_line, rewrite_lines

__all__ = ["write_sent", "remove_lines"]


def write_sent(path: Path, record: dict[str, Any]) -> None:
    append_line(path, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))


def remove_lines(path: Path, *, recipients: Collection[str] = (), outbox_ids: Collection[int] = (),
                 sent_before: datetime | None = None) -> int:
    """Drop the lines to these recipients, of these outbox messages, or sent before `sent_before`;
    returns how many went. A line that is not ours (not JSON) is kept."""
    recipients, outbox_ids = set(recipients), set(outbox_ids)
    if not (recipients or outbox_ids or sent_before):
        return 0

    def drop(line: bytes) -> bool:
        try:
            record = json.loads(line)
        except ValueError:
            return False
        if not isinstance(record, dict):
            return False
        if record.get("recipient") in recipients or record.get("id") in outbox_ids:
            return True
        if sent_before is not None and isinstance(record.get("at"), str):
            try:
                at = as_utc(datetime.fromisoformat(record["at"]))
            except ValueError:
                return False
            return at is not None and at < sent_before
        return False

    return rewrite_lines(Path(path), drop)
