"""Files only the service's own user may read: var/ holds the databases (Rasa's tracker keeps whole
conversations), the outbox, the crisis spool and endpoints.yml (the action server's token and the
tracker store's password).

The folder is made 0700 and each file is created 0600 from the start (never written first and
narrowed after, which leaves a moment when anyone on the machine could open it). SQLite makes its
-wal and -shm files with the database file's own mode.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["private_folder", "private_file", "write_private"]

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Make the folder (and its parents) if needed; a folder we made, or find open, is narrowed to 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    if path.stat().st_mode & 0o077:
        path.chmod(FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the file empty and 0600 if it does not exist; an existing one is narrowed to 0600. A
    missing folder is made 0700; an existing folder is left as it is (it may be the checkout itself)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(FILE_MODE)
    return path


def write_private(path: Path, text: str) -> None:
    """Replace the file's contents; it is 0600 before the first byte is written."""
    private_file(path)
    descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
