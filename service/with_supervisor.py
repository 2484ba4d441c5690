"""Start a program of service/supervisord.conf so that it never outlives supervisord.

    python -m service.with_supervisor -m web      # becomes `python -m web`, same pid

supervisord stops its programs when it is asked to (Ctrl-C, SIGTERM). When it dies instead (killed,
or its output piped to `tee` and the pipe closed by the same Ctrl-C), its programs would go on running
with nobody to stop them, holding their ports, and the next `make run` could not start. So each asks
Linux to send it SIGTERM when its parent dies (PR_SET_PDEATHSIG, kept across exec) and then becomes
the real program. Elsewhere than Linux this does nothing more than exec.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(signum: int = signal.SIGTERM) -> bool:
    """Whether Linux will send `signum` when the parent process dies."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def main() -> None:
    parent = os.getppid()
    die_with_parent()
    if parent == 1 or os.getppid() != parent:  # it died before we asked: nobody will send the signal
        sys.exit("the supervisor is gone")
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])


if __name__ == "__main__":
    main()
