"""Every process of the service under supervisord, in the foreground: what `make run` runs.

    python -m service.supervise                     # web, Rasa (RASA_WORKERS), actions, worker; Ctrl-C stops all
    python -m service.supervise status              # supervisorctl against the running one: status,
    python -m service.supervise restart actions     #   restart NAME, stop NAME, start NAME, pid NAME...

The processes, the restart policy and the log prefixes are in service/supervisord.conf (with
service/process_logs.py); this module only hands that file what it reads from the environment, taken
from the service's own settings, so supervisord uses the same VAR_DIR and the same number of Rasa
workers as everything else.
"""
from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from service.launch import var_dir
from service.private_files import private_file
from service.settings import ROOT, Settings, load_settings

__all__ = ["CONFIG", "supervisor_environment"]

CONFIG = ROOT / "service" / "supervisord.conf"


def rasa_workers(settings: Settings, environ: Mapping[str, str]) -> int:
    """As service.launch runs them: RASA_WORKERS local workers, or one when RASA_URL names Rasa's addresses."""
    return 1 if environ.get("RASA_URL") else len(settings.rasa_urls)


def supervisor_environment(settings: Settings, environ: Mapping[str, str]) -> dict[str, str]:
    return {
        **environ,
        "PYTHONPATH": environ.get("PYTHONPATH") or str(ROOT),
        "VAR_DIR": str(var_dir().resolve()),  # 0700, made before supervisord puts its socket in it
        "SUPERVISOR_RASA_WORKERS": str(rasa_workers(settings, environ)),
        "SUPERVISOR_PYTHON": sys.executable,
    }


def share_standard_output() -> None:
    """supervisord prints its own lines on its stdout, and the log listener's lines reach the same file
    by opening /dev/stdout again (append mode). Redirected to a file without append (`make run > run.log`),
    the two would each write at their own offset and overwrite each other's lines; in append mode both
    add at the end. Nothing changes for a terminal or a pipe."""
    try:
        fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_APPEND)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    settings = load_settings()
    if not args:
        settings.check()  # refuse to start with a bad setting here, not five times over in the programs' logs
    environment = supervisor_environment(settings, os.environ)
    if not args:
        share_standard_output()
        private_file(Path(environment["VAR_DIR"]) / "supervisord.pid")  # supervisord rewrites it, keeping its mode
    os.chdir(ROOT)
    tool = "supervisor.supervisorctl" if args else "supervisor.supervisord"
    os.execve(sys.executable, [sys.executable, "-m", tool, "-c", str(CONFIG), *args], environment)


if __name__ == "__main__":
    main()
