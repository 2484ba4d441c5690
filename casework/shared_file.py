"""Line files several processes share (the dry-run outbox file, the crisis spool): appending a line,
and rewriting the file without some lines (an erasure, the retention purge), without losing a line
appended meanwhile.

The protocol, which the crisis spool's own writer and drainer follow too (casework.cases.spool):
- an appender opens the file O_APPEND, takes an exclusive flock, then checks that the file it opened
  is still the one at the path (same inode); if not, it was replaced meanwhile: it reopens and retries;
- a rewriter takes the same lock on the current file, writes the kept lines to a temporary file in
  the same folder, fsyncs it and renames it over the path while still holding the lock, so an
  appender waiting for the lock finds the inode changed and appends to the new file.
The replaced file is unlinked by the rename: no file in the folder holds the removed lines any more.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["append_line", "rewrite_lines", "fsync_folder"]


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append_line(path: Path, line: bytes, *, fsync: bool = False) -> None:
    """Append one line (it should end with a newline) under the file's lock. With `fsync`, the line is
    on disk when this returns, and so is a new file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue  # renamed away between our open and our lock
            if current.st_ino != os.fstat(fd).st_ino:
                continue  # rewritten meanwhile: append to the new file
            _write_all(fd, line)
            if fsync:
                os.fsync(fd)
                if os.fstat(fd).st_size == len(line):
                    fsync_folder(path.parent)  # a new file's name must survive a crash too
            return
        finally:
            os.close(fd)  # closing releases the lock


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_all(fd: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def rewrite_lines(path: Path, drop: Callable[[bytes], bool]) -> int:
    """Rewrite the file without the lines `drop` says to drop; returns how many went (0: untouched).
    A missing file, or one removed while we waited for its lock, has nothing to drop."""
    while True:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return 0
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                return 0
            if current.st_ino != os.fstat(fd).st_ino:
                continue
            lines = _read_all(fd).splitlines(keepends=True)
            kept = [line for line in lines if not drop(line)]
            if len(kept) == len(lines):
                return 0
            temporary = path.with_name(f"{path.name}.rewrite-{os.getpid()}")
            out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, current.st_mode & 0o777)
            try:
                _write_all(out, b"".join(kept))
                os.fsync(out)
            finally:
                os.close(out)
            os.replace(temporary, path)
            fsync_folder(path.parent)
            return len(lines) - len(kept)
        finally:
            os.close(fd)
