"""Stock Rasa as the yardstick: the `rasa init` sample bot, served by the installed rasa over REST.

    python bench/stock_rasa.py      # builds (once) and serves the stock bot, runs the same load as ours

The bot is what `rasa init --no-prompt` makes with the installed Rasa (3.6.21): its own config,
domain and data, untouched, trained once in a temporary folder; the trained model is kept as
var/bench/stock-model.tar.gz and reused (delete it to retrain). It is served by a plain
`rasa run` with the REST channel on a free port on 127.0.0.1, Rasa's defaults otherwise
(in-memory tracker store, one Sanic worker). The load is bench/sms_turns.py's, with texts the
sample bot understands, so stock Rasa runs its stories rather than guessing at ours.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.memory import tree_rss_bytes  # noqa: E402
from bench.sms_turns import many_residents, one_long_conversation  # noqa: E402
from tests.service_stack import free_port  # noqa: E402

__all__ = ["STOCK_CONVERSATION", "StockRasa", "stock_model"]

ROOT = Path(__file__).resolve().parent.parent
STOCK_MODEL = ROOT / "var" / "bench" / "stock-model.tar.gz"
# The sample bot's intents in the order its stories expect them (greet, mood, affirm/deny, challenge).
STOCK_CONVERSATION = ["hello", "I am sad", "yes", "great", "hi", "very sad", "no", "are you a bot?"]
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
       "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def stock_model(cached: Path = STOCK_MODEL) -> Path:
    """The trained `rasa init` model, trained now (about 2 minutes on 2 cores) if not cached yet."""
    if cached.exists():
        return cached
    with tempfile.TemporaryDirectory(prefix="bench-stock-init-") as folder:
        project = Path(folder)  # rasa init wants an existing folder
        subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(project)],
                       cwd=folder, env=ENV, check=True, capture_output=True)
        trained = sorted((project / "models").glob("*.tar.gz"))
        if not trained:
            raise RuntimeError(f"rasa init trained no model in {project / 'models'}")
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(trained[-1], cached)
    return cached


@dataclass
class StockRasa:
    """One `rasa run` of the stock model with the REST channel; use as a context manager."""

    model: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-stock-")))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        credentials = self.folder / "credentials.yml"
        credentials.write_text("rest:\n")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rasa", "run", "--model", str(self.model), "--port", str(self.port),
             "--interface", "127.0.0.1", "--credentials", str(credentials)],
            cwd=self.folder, env=ENV, stdout=open(self.folder / "rasa.log", "ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 300) -> None:
        """Until the REST channel answers, which it does only once the model is loaded (Rasa loads it
        before the server starts listening; /status needs --enable-api, which stock `rasa run` lacks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                log = (self.folder / "rasa.log").read_text(errors="replace")
                raise RuntimeError(f"stock rasa exited with {self.process.returncode}:\n{log[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/webhooks/rest/", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"stock rasa not ready after {timeout} s")

    def turn(self, sender: str, text: str) -> float:
        request = urllib.request.Request(
            self.url + "/webhooks/rest/webhook", data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()
            if reply.status != 200:
                raise RuntimeError(f"HTTP {reply.status}")
        return (time.perf_counter() - started) * 1000

    def rss_bytes(self) -> int:
        return tree_rss_bytes([self.process.pid]) if self.process else 0

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> StockRasa:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def senders(count: int) -> list[str]:
    run = uuid.uuid4().hex[:6]
    return [f"stock-{run}-{i}" for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--each", type=int, default=10)
    args = parser.parse_args()
    model = stock_model()
    with StockRasa(model) as stock:
        started = time.perf_counter()
        stock.wait_ready()
        print(f"stock rasa ready in {time.perf_counter() - started:.1f} s")
        stock.turn("stock-warm-up", "hello")
        print(one_long_conversation(stock.turn, senders(1)[0], args.messages, STOCK_CONVERSATION))
        print(many_residents(stock.turn, senders(args.residents), args.each, STOCK_CONVERSATION))
        print(f"resident memory {stock.rss_bytes() / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
