"""Start one of the service's processes with settings from the environment.

    python -m service.launch rasa      # Rasa server with the sms and webchat channels
    python -m service.launch actions   # rasa-sdk action server (service.action_server: token, interface)

Rasa reads its tracker store and action endpoint from an endpoints file; it is written here from the
environment at every start, so configuration lives only in environment variables.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from service.settings import ROOT, Settings, load_settings

MODEL = ROOT / "models" / "current.tar.gz"


def tracker_store(url: str) -> dict:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
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


def tracker_database_url() -> str:
    """Rasa's conversation store: TRACKER_DATABASE_URL, or a SQLite file in VAR_DIR."""
    return os.environ.get("TRACKER_DATABASE_URL") or f"sqlite:///{var_dir() / 'rasa-tracker.db'}"


def endpoints(settings: Settings) -> dict:
    config: dict = {
        # Rasa sends the token as the query parameter `token` (rasa.utils.endpoints.EndpointConfig).
        "action_endpoint": {"url": settings.actions_url + "/webhook", "token": settings.actions_token},
        "tracker_store": tracker_store(tracker_database_url()),
    }
    if lock_store := os.environ.get("LOCK_STORE_URL"):
        parsed = make_url(lock_store)
        config["lock_store"] = {"type": "redis", "url": parsed.host, "port": parsed.port or 6379, "db": int(parsed.database or 0), "password": parsed.password}
    return config


def var_dir() -> Path:
    path = Path(os.environ.get("VAR_DIR") or ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path


def rasa_command(settings: Settings) -> list[str]:
    endpoints_file = var_dir() / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints(settings), sort_keys=False))
    endpoints_file.chmod(0o600)  # it holds ACTIONS_TOKEN and the tracker store's password
    model = Path(os.environ.get("RASA_MODEL") or MODEL)
    if not model.exists():
        sys.exit(f"no trained model at {model}: run `make model` first")
    return [
        sys.executable, "-m", "rasa", "run",
        "--model", str(model),
        "--port", str(settings.rasa_port),
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
    args = parser.parse_args()
    settings = load_settings()
    settings.check()
    os.chdir(ROOT)
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    command = rasa_command(settings) if args.process == "rasa" else actions_command(settings)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
