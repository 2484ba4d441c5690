"""`python -m rasa`, without jax, and without TensorFlow when the model has no component that uses it.

    python -m service.rasa_process run --model models/current.tar.gz ...   # what service.launch runs

Rasa 3.6 imports TensorFlow whatever the pipeline: its policies, featurizers and extractors import
`rasa.utils.train_utils`, which subclasses Keras callbacks at import, and the recipe's registry
imports DIET and TED. TensorFlow then imports jax (`tensorflow.lite` tries `from jax import
xla_computation`). Our model uses neither (config.yml: count vectors, logistic regression, a CRF,
RulePolicy), yet measured on a loaded model (`rasa run`, before the first turn):

    as Rasa imports                        755 MiB resident, ready in 16-17 s
    jax kept out                           653 MiB
    TensorFlow stood in for, jax kept out  238 MiB, ready in 9-12 s

(bench/rasa_memory.py, two runs each, 2026-12-06; importing TensorFlow's library alone adds about 436
MiB.) Nothing is re-traced at load: no component of this model is a TensorFlow one, so loading the
model costs about 40 MiB whichever way.

What this module does before handing over to Rasa's own `__main__`:

- jax and jaxlib cannot be imported (ModuleNotFoundError, which TensorFlow expects and catches).
- When no component of the model's prediction graph is defined in a module that imports TensorFlow
  (read from the model archive's metadata and the modules' source, without importing them; DIET,
  TED, ResponseSelector, UnexpecTED, ConveRT and the language-model featurizer all do),
  `tensorflow`, `keras` and TensorFlow's add-ons are stand-ins: any name read from them is a class,
  so Rasa's modules import and subclass them, but calling one (or making an instance of a class
  built on one) raises TensorFlowNotLoaded naming what was called. Nothing in Rasa's import, model
  load or turns calls TensorFlow for this model; a component that did would fail loudly at load
  rather than run on a fake. A model with a TensorFlow component gets the real TensorFlow (jax is
  still kept out), and so does RASA_LOAD_TENSORFLOW=always.

It must run before anything imports Rasa, which is why it is the process's entry point rather than
a fix applied from a channel (channels/rasa_fixes.py runs after Rasa has imported everything).
"""
from __future__ import annotations

import ast
import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "BLOCKED", "STOOD_IN", "TensorFlowNotLoaded", "install", "model_components", "needs_tensorflow", "tensorflow_components",
]

# Never needed by Rasa: only tensorflow.lite's optional jax export reaches for them.
BLOCKED = frozenset({"jax", "jaxlib"})
# TensorFlow and the packages that exist only on top of it.
STOOD_IN = frozenset({"tensorflow", "keras", "tensorflow_hub", "tensorflow_text", "tensorflow_addons", "tensorflow_estimator"})


class TensorFlowNotLoaded(RuntimeError):
    """Something called TensorFlow in a Rasa process that runs without it."""


class _StandInType(type):
    """The type of every stand-in: reading a name gives another stand-in, calling one raises."""

    def __getattr__(cls, name: str) -> type:
        # Only for the stand-ins themselves: a class Rasa builds on one has just the names it defines.
        if cls.__module__ != _STAND_IN or (name.startswith("__") and name.endswith("__")):
            raise AttributeError(name)
        return _stand_in(f"{cls.__qualname__}.{name}")

    def __call__(cls, *args: object, **kwargs: object) -> object:
        raise TensorFlowNotLoaded(
            f"{cls.__qualname__} was called, but this Rasa process runs without TensorFlow (service/rasa_process.py "
            "found no component of the model that imports it). Set RASA_LOAD_TENSORFLOW=always to load it."
        )


_STAND_IN = "service.rasa_process (stand-in)"
_stand_ins: dict[str, type] = {}


def _stand_in(qualified_name: str) -> type:
    """One class per name, so `tf.Tensor is tf.Tensor` as with the real thing."""
    found = _stand_ins.get(qualified_name)
    if found is None:
        found = _StandInType(qualified_name.rsplit(".", 1)[-1], (), {"__module__": _STAND_IN, "__qualname__": qualified_name})
        _stand_ins[qualified_name] = found
    return found


class _StandInModule(ModuleType):
    def __getattr__(self, name: str) -> type:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stand_in(f"{self.__name__}.{name}")


class _RasaImports(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, stand_in: frozenset[str]) -> None:
        self.stand_in = stand_in

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        root = fullname.partition(".")[0]
        if root in BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r} (kept out of the Rasa process: service/rasa_process.py)", name=fullname)
        if root in self.stand_in:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = _StandInModule(spec.name)
        module.__path__ = []  # a package, so `import tensorflow.python.x` finds its submodules here too
        return module

    def exec_module(self, module: ModuleType) -> None:
        pass


def install(*, tensorflow: bool) -> None:
    """Keep jax out of this process, and TensorFlow too unless `tensorflow`. Before anything imports Rasa."""
    imported = [name for name in sys.modules if name.partition(".")[0] in BLOCKED | (set() if tensorflow else STOOD_IN)]
    if imported:
        raise RuntimeError(f"too late to keep them out, already imported: {sorted(imported)[:5]}")
    sys.meta_path.insert(0, _RasaImports(frozenset() if tensorflow else STOOD_IN))


def model_components(model: Path) -> set[str]:
    """The classes of the model's prediction graph ("rasa.core.policies.rule_policy.RulePolicy"...),
    from the archive's metadata.json."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("/") == "metadata.json":
                extracted = archive.extractfile(member)
                if extracted is not None:
                    metadata = json.load(extracted)
                    return {node["uses"] for node in metadata["predict_schema"]["nodes"].values()}
    raise ValueError(f"{model} has no metadata.json: not a Rasa 3 model")


def _module_source(name: str) -> Path | None:
    """Where a module's source is, found as the import system would find it but without importing it
    or its parent packages (importing rasa.nlu's package would import TensorFlow before we decide)."""
    search: list[str] | None = None
    spec = None
    parts = name.split(".")
    for depth in range(1, len(parts) + 1):
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[:depth]), search)
        if spec is None:
            return None
        search = list(spec.submodule_search_locations or [])
    return Path(spec.origin) if spec is not None and spec.origin and spec.origin.endswith(".py") else None


def _imports_tensorflow(source: Path) -> bool:
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), filename=str(source))):
        if isinstance(node, ast.Import) and any(alias.name.partition(".")[0] in STOOD_IN for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").partition(".")[0] in STOOD_IN:
            return True
    return False


def tensorflow_components(components: Iterable[str]) -> list[str]:
    """The components that use TensorFlow: those defined in a module that imports it anywhere (at the
    top or in a function), or whose module cannot be read (assume the worst)."""
    needing = []
    for component in sorted(components):
        source = _module_source(component.rpartition(".")[0])
        if source is None or _imports_tensorflow(source):
            needing.append(component)
    return needing


def needs_tensorflow(model: Path | None) -> list[str]:
    """Why the Rasa process must load TensorFlow (empty: it need not)."""
    choice = os.environ.get("RASA_LOAD_TENSORFLOW") or "auto"
    if choice == "always":
        return ["RASA_LOAD_TENSORFLOW=always"]
    if choice != "auto":
        raise SystemExit(f"RASA_LOAD_TENSORFLOW is auto (the default) or always, not {choice!r}")
    if model is None or not model.is_file():
        return [f"no model file to read ({model})"]
    try:
        return tensorflow_components(model_components(model))
    except (OSError, ValueError, KeyError, tarfile.TarError) as problem:
        return [f"{model} unreadable ({problem})"]


def _model_argument(argv: Sequence[str]) -> Path | None:
    for index, argument in enumerate(argv):
        if argument in ("--model", "-m") and index + 1 < len(argv):
            return Path(argv[index + 1])
        if argument.startswith("--model="):
            return Path(argument.partition("=")[2])
    return None


def main(argv: Sequence[str] | None = None) -> None:
    arguments = list(sys.argv[1:] if argv is None else argv)
    model = _model_argument(arguments)
    reasons = needs_tensorflow(model)
    install(tensorflow=bool(reasons))
    how = f"with TensorFlow ({', '.join(reasons)})" if reasons else f"without TensorFlow (no component of {model} uses it)"
    print(f"service.rasa_process: Rasa runs {how}; jax kept out", file=sys.stderr, flush=True)
    sys.argv = ["rasa", *arguments]
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
