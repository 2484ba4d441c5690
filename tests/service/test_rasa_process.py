"""The Rasa process without jax, and without TensorFlow when the model uses none (service/rasa_process.py).

Deciding reads the model archive and the components' source only; the stand-in is tried in a fresh
interpreter (installing it here would change this test process); and a private service with the
default number of Rasa workers shows every worker answering its own residents with neither
TensorFlow's nor jax's library mapped, each well under the memory a Rasa with them takes.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from casework.residents.identity import sms_sender_id
from channels.bot_client import BotClient
from service.launch import MODEL
from service.rasa_process import model_components, needs_tensorflow, tensorflow_components
from service.settings import available_cores, default_rasa_workers, load_settings
from service.supervise import supervisor_environment
from tests.channels.test_sms_webhook import text, unique_number
from tests.service_stack import ROOT, ServiceStack, private_stack

# Measured with bench/rasa_memory.py on the 2-core machine, a loaded model after a few turns: about
# 250 MiB without TensorFlow and jax, about 650 MiB with TensorFlow alone, 755 MiB with both.
RASA_MEMORY_BOUND = 400 * 2**20

RASA_TENSORFLOW_COMPONENTS = [
    "rasa.core.policies.ted_policy.TEDPolicy",
    "rasa.core.policies.unexpected_intent_policy.UnexpecTEDIntentPolicy",
    "rasa.nlu.classifiers.diet_classifier.DIETClassifier",
    "rasa.nlu.featurizers.dense_featurizer.convert_featurizer.ConveRTFeaturizer",
    "rasa.nlu.featurizers.dense_featurizer.lm_featurizer.LanguageModelFeaturizer",
    "rasa.nlu.selectors.response_selector.ResponseSelector",
]


def test_the_shipped_model_has_no_component_that_uses_tensorflow() -> None:
    components = model_components(MODEL)
    assert "rasa.core.policies.rule_policy.RulePolicy" in components
    assert "channels.nlu_gates.IntentGates" in components
    assert needs_tensorflow(MODEL) == [], "config.yml gained a TensorFlow component: Rasa will load TensorFlow again"


def test_rasas_tensorflow_components_are_recognised_from_their_source() -> None:
    others = [
        "rasa.core.policies.rule_policy.RulePolicy",
        "rasa.core.policies.memoization.MemoizationPolicy",
        "rasa.nlu.classifiers.logistic_regression_classifier.LogisticRegressionClassifier",
        "rasa.nlu.extractors.crf_entity_extractor.CRFEntityExtractor",
        "channels.nlu_sentence_features.SentenceFeatures",  # ONNX Runtime, not TensorFlow
    ]
    assert tensorflow_components(RASA_TENSORFLOW_COMPONENTS + others) == RASA_TENSORFLOW_COMPONENTS


def test_a_component_that_imports_tensorflow_anywhere_or_cannot_be_read_keeps_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "late_tf.py").write_text("class Late:\n    def load(self):\n        from tensorflow import keras\n")
    (tmp_path / "plain.py").write_text("import numpy\nclass Plain:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert tensorflow_components(["late_tf.Late", "plain.Plain", "nowhere_at_all.Thing"]) == ["late_tf.Late", "nowhere_at_all.Thing"]


def test_tensorflow_is_loaded_when_asked_or_when_the_model_cannot_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert needs_tensorflow(tmp_path / "missing.tar.gz")
    (tmp_path / "broken.tar.gz").write_bytes(b"not a model")
    assert needs_tensorflow(tmp_path / "broken.tar.gz")
    monkeypatch.setenv("RASA_LOAD_TENSORFLOW", "always")
    assert needs_tensorflow(MODEL) == ["RASA_LOAD_TENSORFLOW=always"]
    monkeypatch.setenv("RASA_LOAD_TENSORFLOW", "yes")
    with pytest.raises(SystemExit, match="auto .* or always"):
        needs_tensorflow(MODEL)


STAND_IN_PROBE = textwrap.dedent("""
    import json, sys
    from service.rasa_process import TensorFlowNotLoaded, install
    install(tensorflow=False)
    found = {}
    import tensorflow as tf
    from tensorflow.keras import layers
    class Layer(layers.Layer):
        size = 3
    found["same"] = tf.Tensor is tf.Tensor and tf.keras.layers.Layer is layers.Layer
    found["subclass_names"] = [Layer.size, hasattr(Layer, "not_defined")]
    for name, call in {"function": lambda: tf.constant(1), "instance": lambda: Layer()}.items():
        try:
            call()
            found[name] = "ran"
        except TensorFlowNotLoaded as error:
            found[name] = str(error).split(" was called")[0]
    try:
        import jax
        found["jax"] = "imported"
    except ModuleNotFoundError:
        found["jax"] = "kept out"
    import rasa.core.agent  # Rasa's whole import, subclassing Keras on the way
    found["real"] = sorted(m for m in sys.modules if m.partition(".")[0] in ("tensorflow", "keras", "jax") and getattr(sys.modules[m], "__file__", None))
    print(json.dumps(found))
""")


def test_the_stand_in_lets_rasa_import_and_refuses_any_call() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", STAND_IN_PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["same"] is True
    assert found["subclass_names"] == [3, False], "a class built on a stand-in has only its own names"
    assert found["function"] == "tensorflow.constant"
    assert found["instance"] == "Layer"
    assert found["jax"] == "kept out"
    assert found["real"] == [], "no module of the real TensorFlow was loaded"


def test_it_must_come_before_the_imports_it_keeps_out() -> None:
    probe = "import sys, types; sys.modules['jax'] = types.ModuleType('jax')\nfrom service.rasa_process import install\ninstall(tensorflow=True)"
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode != 0 and "too late" in done.stderr


def test_two_workers_by_default_on_two_cores_one_on_one() -> None:
    assert default_rasa_workers(1) == 1
    assert default_rasa_workers(2) == default_rasa_workers(8) == 2


def test_the_web_app_and_the_supervisor_count_the_same_default_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("RASA_WORKERS", "RASA_URL", "RASA_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    settings = load_settings(tmp_path / "no.env")
    workers = default_rasa_workers(available_cores())
    assert settings.rasa_urls == tuple(f"http://127.0.0.1:{5005 + n}" for n in range(workers))  # the intake pins residents to these
    assert supervisor_environment(settings, os.environ)["SUPERVISOR_RASA_WORKERS"] == str(workers)  # make run starts these


# --- the running service, with the default number of Rasa workers ----------------------------------------
def rasa_processes(stack: ServiceStack) -> list[int]:
    """The `rasa run` processes of the stack: the launcher itself (one worker) or its children (several)."""
    launcher = stack.processes["rasa"].pid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if b"service.rasa_process" in command and (int(entry.name) == launcher or parent == launcher):
                found.append(int(entry.name))
    return sorted(found)


def mapped_libraries(pid: int) -> set[str]:
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines() if line.endswith(".so") or ".so." in line}


def resident_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def test_every_default_worker_answers_its_own_residents_without_tensorflow_or_jax(tmp_path: Path) -> None:
    with private_stack(tmp_path / "stack", {"RASA_WORKERS": None}) as stack:
        workers = default_rasa_workers(available_cores())
        pids = rasa_processes(stack)
        assert len(pids) == workers
        urls = tuple(f"http://127.0.0.1:{int(stack.env['RASA_PORT']) + n}" for n in range(workers))
        client = BotClient(urls, token="")
        pinned: dict[str, str] = {}  # worker's URL -> a resident pinned to it
        while len(pinned) < workers:
            number = unique_number()
            pinned.setdefault(client.url_for(sms_sender_id(number, key=stack.env["PHONE_HASH_KEY"])), number)
        for number in pinned.values():
            for message in ("hello", "I like walking", "CH44 5TN"):
                assert text(stack, message, number), f"no reply to {message!r}"
        for worker, number in enumerate(pinned[url] for url in urls):
            tracker = Path(stack.env["VAR_DIR"]) / ("rasa-tracker.db" if worker == 0 else f"rasa-tracker-{worker}.db")
            with sqlite3.connect(tracker) as conn:
                senders = {row[0] for row in conn.execute("SELECT DISTINCT sender_id FROM events")}
            assert sms_sender_id(number, key=stack.env["PHONE_HASH_KEY"]) in senders, f"worker {worker} holds its resident's turns"
        if workers > 1:
            launcher = stack.processes["rasa"].pid
            assert b"service.rasa_workers" in Path(f"/proc/{launcher}/cmdline").read_bytes()
            assert resident_bytes(launcher) < 20 * 2**20, "the workers' parent holds no more than Python"
        for pid in pids:
            libraries = mapped_libraries(pid)
            assert not [path for path in libraries if "/tensorflow/" in path or "/jaxlib/" in path or "/jax/" in path]
            assert resident_bytes(pid) < RASA_MEMORY_BOUND, f"Rasa {pid}: {resident_bytes(pid) / 2**20:.0f} MiB"
