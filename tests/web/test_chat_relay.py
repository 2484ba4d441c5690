"""The chat relay when Rasa is down: a clear 503 for the page to show, never a 500."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from service.database import make_engine
from service.migrate import upgrade_engine
from service.settings import ROOT
from tests.service_stack import free_port


@pytest.fixture
def web_without_rasa(tmp_path: Path) -> Iterator[str]:
    database = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    engine.dispose()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database, "WEB_PORT": str(port), "RASA_URL": f"http://127.0.0.1:{free_port()}",
           "ENVIRONMENT": "test", "WEBCHAT_SECRET": "test-secret", "PYTHONPATH": str(ROOT)}
    web = subprocess.Popen([sys.executable, "-m", "web"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/chat", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        yield url
    finally:
        web.terminate()
        web.wait(timeout=10)


def test_a_message_while_rasa_is_down_gets_a_clear_503(web_without_rasa: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    opener.open(web_without_rasa + "/chat", timeout=5)
    request = urllib.request.Request(
        web_without_rasa + "/chat/messages",
        data=json.dumps({"message": "hello", "message_id": "abcdefgh1234"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(request, timeout=10)
    assert refused.value.code == 503
    assert "not available just now" in json.loads(refused.value.read())["error"]
