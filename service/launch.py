"""Start one of the service's processes with settings from the environment.

    python -m service.launch rasa      # RASA_WORKERS Rasa servers behind the web app's intake
    python -m service.launch rasa --worker 1   # only that one of them (supervisord runs each itself)
    python -m service.launch actions   # rasa-sdk action server (service.action_server: token, interface)

Rasa reads its tracker store and action endpoint from an endpoints file; it is written here from the
environment at every start, so configuration lives only in environment variables.

Several Rasa workers (RASA_WORKERS; two by default where this process may use two cores or more, else
one) listen on RASA_PORT, RASA_PORT+1...; the intake pins each resident to one of them, so one
resident's turns stay in order without a lock store. Without --worker they run under one small parent
(service/rasa_workers.py). On SQLite each worker keeps its own tracker file (two processes writing one
SQLite file would wait on each other's locks); a PostgreSQL tracker store is shared. Each Rasa starts
through service/rasa_process.py: no jax, and no TensorFlow when the model has no component that uses it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from service.private_files import private_file, private_folder, write_private
from service.settings import ROOT, Settings, load_settings

MODEL = ROOT / "models" / "current.tar.gz"


def tracker_store(url: str) -> dict:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        private_file(Path(parsed.database or ""))  # whole conversations: this user only, from the first byte
        return {"type": "SQL", "dialect": "sqlite", "db": parsed.database}
    return {
        "type": "SQL",
        "dialect": parsed.drivername,
        "url": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }


def tracker_file(worker: int) -> Path:
    """Worker 0 keeps the historical name, so a single-worker install finds its conversations."""
    return var_dir() / ("rasa-tracker.db" if worker == 0 else f"rasa-tracker-{worker}.db")


def tracker_database_url(worker: int = 0) -> str:
    """Rasa's conversation store: TRACKER_DATABASE_URL (shared by the workers), or a SQLite file per worker in VAR_DIR."""
    return os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{tracker_file(worker)}"


def tracker_database_urls(var: Path | None = None) -> list[str]:
    """Every tracker store that may hold conversations: TRACKER_DATABASE_URL, or each worker's SQLite
    file in VAR_DIR, including files of workers no longer configured (RASA_WORKERS lowered), since
    their conversations are still there. Erasure, retention and re-keying must reach them all."""
    if shared := os.environ.get("TRACKER_DATABASE_URL"):
        return [shared]
    folder = var or Path(os.environ.get("VAR_DIR") or ROOT / "var")
    return [f"sqlite:///{path}" for path in sorted(folder.glob("rasa-tracker*.db"))]


def endpoints(settings: Settings, worker: int = 0) -> dict:
    config: dict = {
        # Rasa sends the token as the query parameter `token` (rasa.utils.endpoints.EndpointConfig).
        "action_endpoint": {"url": settings.actions_url + "/webhook", "token": settings.actions_token},
        "tracker_store": tracker_store(tracker_database_url(worker)),
    }
    if lock_store := os.environ.get("LOCK_STORE_URL"):
        parsed = make_url(lock_store)
        config["lock_store"] = {"type": "redis", "url": parsed.host, "port": parsed.port or 6379, "db": int(parsed.database or 0), "password": parsed.password}
    return config


def var_dir() -> Path:
    return private_folder(Path(os.environ.get("VAR_DIR") or ROOT / "var"))


def rasa_command(settings: Settings, worker: int = 0) -> list[str]:
    endpoints_file = var_dir() / ("endpoints.yml" if worker == 0 else f"endpoints-{worker}.yml")
    # It holds ACTIONS_TOKEN and the tracker store's password: owner-only before anything is written.
    write_private(endpoints_file, yaml.safe_dump(endpoints(settings, worker), sort_keys=False))
    model = Path(os.environ.get("RASA_MODEL") or MODEL)
    if not model.exists():
        sys.exit(f"no trained model at {model}: run `make model` first")
    # `python -m rasa run`, kept free of jax and (when the model uses none) TensorFlow: service/rasa_process.py.
    return [
        sys.executable, "-m", "service.rasa_process", "run",
        "--model", str(model),
        "--port", str(settings.rasa_port + worker),
        "--interface", settings.rasa_interface,
        "--credentials", str(ROOT / "credentials.yml"),
        "--endpoints", str(endpoints_file),
    ]


def actions_command(settings: Settings) -> list[str]:
    # Not `python -m rasa_sdk`: our launcher binds ACTIONS_INTERFACE and requires ACTIONS_TOKEN.
    return [sys.executable, "-m", "service.action_server", "--actions", "actions", "--port", str(settings.actions_port)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("process", choices=["rasa", "actions"])
    parser.add_argument("--worker", type=int, help="run only this Rasa worker (0 for the first), not all of them")
    args = parser.parse_args()
    settings = load_settings()
    settings.check()
    os.chdir(ROOT)
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    if args.worker is not None and not (args.process == "rasa" and 0 <= args.worker < len(settings.rasa_urls)):
        parser.error(f"--worker is one of the {len(settings.rasa_urls)} Rasa workers, 0 to {len(settings.rasa_urls) - 1}")
    if args.process == "rasa" and args.worker is None and len(settings.rasa_urls) > 1 and not os.environ.get("RASA_URL"):
        commands = [json.dumps(rasa_command(settings, worker)) for worker in range(len(settings.rasa_urls))]
        os.execv(sys.executable, [sys.executable, "-m", "service.rasa_workers", *commands])
    command = rasa_command(settings, args.worker or 0) if args.process == "rasa" else actions_command(settings)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
