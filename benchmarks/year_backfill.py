"""A year backfill end to end: `newsloom backfill` over 365 days of two mirror outlets.

    python -m benchmarks.year_backfill [--days 365] [--outlets sputnik_ar,sohr_en]
                                       [--chunk-days 7] [--update-docs]

The development kit's mirror serves ``--days`` days of the outlets (only those: it starts in
seconds); an embedded SeaweedFS server in a temporary state directory holds one table. For
each outlet in turn, the real command line (``python -m processing.cli backfill``, politeness
off: ``NEWSLOOM_CRAWL_DELAY=0``; translation off: the model is absent, Arabic rows stay
pending) runs in a process of its own, sampled every 0.2 s from /proc: the backfill process's
peak RSS (``VmHWM``) and its RSS after each chunk (does anything accumulate?), and each
crawl subprocess's peak RSS. Per chunk, from its run manifest: crawl, extract, translate and
publish seconds and counts. Then:

- stored vs catalog: the canonical URLs the table holds for the outlet on the range's days
  against the catalog's ``stored_between`` (equal, and no article twice);
- fetches per stored article: requests the mirror logged for the outlet's article pages
  (its request log) per stored article, and how many article pages were requested twice.

Results: a table on stdout, ``benchmarks/out/year_backfill.json``; ``--update-docs`` rewrites
the "Year backfill" section of docs/BENCHMARKS.md (and only that section). Timing figures
depend on the machine's load: the load average is recorded with them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from processing.pipeline.manifest import RunManifest

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out" / "year_backfill.json"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Year backfill"
ANCHOR = date(2026, 11, 20)
OUTLETS = ("sputnik_ar", "sohr_en")
CHUNK_LINE = re.compile(r"backfill (\S+) chunk (\d+)/(\d+) ")


def _kib(pid: int, key: str) -> int | None:
    """A ``/proc/<pid>/status`` memory figure in KiB (None once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _crawl_chunk(pid: int) -> str | None:
    """The first day of the backfill chunk a ``crawlers.run`` process crawls; None for
    another kind of process."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if b"crawlers.run" not in argv or b"--spec" not in argv:
        return None
    return str(json.loads(argv[argv.index(b"--spec") + 1])["first"])


@dataclass
class Sampler:
    """Peak RSS of one process and of its child processes, sampled from /proc."""

    pid: int
    interval: float = 0.2
    peak_kib: int = 0
    rss_kib: int = 0
    crawl_peaks: dict[str, int] = field(default_factory=dict)  # chunk's first day -> VmHWM
    other_peaks: dict[int, int] = field(default_factory=dict)  # other children: pid -> VmHWM
    other_names: dict[int, str] = field(default_factory=dict)
    _argv: bytes = b""
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        if not self._argv:
            try:
                self._argv = Path(f"/proc/{self.pid}/cmdline").read_bytes()
            except OSError:
                return
        hwm, rss = _kib(self.pid, "VmHWM"), _kib(self.pid, "VmRSS")
        if hwm is not None:
            self.peak_kib = max(self.peak_kib, hwm)
        if rss is not None:
            self.rss_kib = rss
        for child in _children(self.pid):
            peak = _kib(child, "VmHWM")
            if peak is None:
                continue
            chunk = _crawl_chunk(child)
            if chunk is not None:
                self.crawl_peaks[chunk] = max(self.crawl_peaks.get(chunk, 0), peak)
                continue
            try:
                raw = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if raw == self._argv:  # forked, not yet exec'd (a crawl starting): the parent's pages
                continue
            self.other_peaks[child] = max(self.other_peaks.get(child, 0), peak)
            argv = raw.split(b"\0")
            self.other_names.setdefault(child, " ".join(a.decode() for a in argv[:4])[:80])

    def stop(self) -> None:
        self._stop.set()


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def _backfill(
    outlet: str, first: date, last: date, chunk_days: int, env: dict[str, str], log: Path
) -> dict[str, Any]:
    """Run ``newsloom backfill`` in its own process; its wall time, exit code and memory."""
    cmd = [sys.executable, "-m", "processing.cli", "backfill", "--outlet", outlet]
    cmd += ["--from", first.isoformat(), "--to", last.isoformat(), "--chunk-days", str(chunk_days)]
    started = time.monotonic()
    with log.open("w") as err:
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        sampler = Sampler(proc.pid)
        watcher = threading.Thread(target=sampler.run, daemon=True)
        watcher.start()
        after_chunk: list[float] = []  # the backfill process's RSS (MiB) after each chunk
        assert proc.stderr is not None and proc.stdout is not None
        for line in proc.stderr:
            err.write(line)
            if CHUNK_LINE.search(line):
                sampler.sample()
                after_chunk.append(_mib(sampler.rss_kib))
                print(f"  {line.strip()[:160]}", flush=True)
        stdout = proc.stdout.read()
        code = proc.wait()
        sampler.stop()
        watcher.join()
    wall = time.monotonic() - started
    if code not in (0, 6):  # keep the failed run's log
        kept = OUT.parent / f"year_backfill-{outlet}.log"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(log.read_text())
        print(f"  exit {code}: log kept in {kept}", flush=True)
    others = [
        {"command": sampler.other_names.get(pid, "?"), "peak_rss_mib": _mib(kib)}
        for pid, kib in sampler.other_peaks.items()
        if kib and sampler.other_names.get(pid)
    ]
    return {
        "exit_code": code,
        "wall_seconds": round(wall, 1),
        "peak_rss_mib": _mib(sampler.peak_kib),
        "rss_after_chunk_mib": after_chunk,
        "crawl_peak_rss_mib": {k: _mib(v) for k, v in sampler.crawl_peaks.items()},
        "other_children": others,
        "stdout_tail": stdout.strip().splitlines()[-3:],
    }


def _measure(
    outlet: str, first: date, last: date, run: dict[str, Any], mirror: Any, settings: Any
) -> dict[str, Any]:
    from crawlers.registry import get_outlet
    from devkit.mirror.catalog import url_key
    from processing.core import layout
    from processing.core.urls import canonical_url
    from processing.corpus import open_corpus
    from processing.corpus.expr import published_days

    keep = get_outlet(outlet, settings.outlets_dirs).keep_query
    corpus = open_corpus(settings=settings)
    store = corpus.store
    prefix = f"{outlet}.backfill."
    manifests = sorted(
        (
            cast("RunManifest", store.get_json(k))  # the backfill's chunks' manifests
            for k in store.list_keys(layout.RUNS_PREFIX)
            if k.startswith(layout.RUNS_PREFIX + prefix)
        ),
        key=lambda m: m["first"] or "",
    )

    def known(run_id: str) -> int:
        """How many URLs the chunk's crawl was handed as not to be fetched."""
        import gzip

        from crawlers.run import KNOWN_URLS

        key = layout.staging(run_id, KNOWN_URLS)
        if not store.exists(key):
            return 0
        return len([u for u in gzip.decompress(store.get_bytes(key)).split(b"\n") if u])

    chunks = []
    for m in manifests:
        t, c = m["timings"], m["counts"]
        chunks.append(
            {
                "first": m["first"],
                "last": m["last"],
                "crawl_s": t.get("crawl_seconds") or 0.0,
                "extract_s": t.get("extract_seconds") or 0.0,
                "translate_s": t.get("translate_seconds") or 0.0,
                "publish_s": t.get("publish_seconds") or 0.0,
                "requests": c["requests"],
                "fetched": c["fetched"],
                "reused": c.get("reused", 0),
                "stored": c["stored"]["total"],
                "new": c["stored"]["new"],
                "known_urls": known(m["run_id"]),
                "crawl_peak_rss_mib": run["crawl_peak_rss_mib"].get(m["first"]),
            }
        )
    table = corpus.read(
        ["article_id", "canonical_url", "published_at"],
        outlet=outlet,
        row_filter=published_days(first, last),
    )
    ids = table.column("article_id").to_pylist()
    stored = set(table.column("canonical_url").to_pylist())
    expected = {
        canonical_url(p.url, keep) for p in mirror.catalog.stored_between(outlet, first, last)
    }
    pages = {url_key(u): p for p in mirror.catalog.for_outlet(outlet) for u in p.urls}
    requests = Counter(r.url for r in mirror.requests if r.url in pages)  # by URL asked
    per_page = Counter(pages[u].url for u in requests.elements())
    # a server error or a bot challenge is asked again by design (crawler retries, ledger)
    transient = ("http_500", "bot_challenge")
    twice = sorted(u for u, n in requests.items() if n > 1 and pages[u].expect not in transient)
    retried = sum(1 for u, n in requests.items() if n > 1 and pages[u].expect in transient)
    # one page asked for under two of its URLs (the mirror's legacy ?p= link to a post)
    two_urls = sorted(
        u
        for u, n in per_page.items()
        if n > 1 and not any(requests[k] > 1 for k in pages if pages[k].url == u)
    )
    own_runs = {
        s["run_id"] for s in corpus.snapshots() if str(s.get("run_id", "")).startswith(prefix)
    }
    total = {
        k: round(sum(c[k] for c in chunks), 1)
        for k in ("crawl_s", "extract_s", "translate_s", "publish_s")
    }
    return {
        "outlet": outlet,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "chunks": len(chunks),
        "catalog": len(expected),
        "stored": len(stored),
        "stored_equals_catalog": stored == expected,
        "missing": sorted(expected - stored)[:5],
        "extra": sorted(stored - expected)[:5],
        "duplicates": len(ids) - len(set(ids)),
        "article_requests": sum(requests.values()),
        "article_pages_requested_twice": len(twice),
        "twice": twice[:5],
        "transient_traps_retried": retried,
        "pages_asked_under_two_urls": two_urls,
        "fetches_per_stored": round(sum(requests.values()) / max(1, len(stored)), 3),
        "snapshots": len(own_runs),
        **{f"total_{k}": v for k, v in total.items()},
        "per_chunk": chunks,
        **{
            k: run[k]
            for k in (
                "exit_code",
                "wall_seconds",
                "peak_rss_mib",
                "rss_after_chunk_mib",
                "stdout_tail",
            )
        },
        "crawl_peak_rss_mib": max(run["crawl_peak_rss_mib"].values(), default=None),
        "other_children": run["other_children"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--outlets", default=",".join(OUTLETS))
    parser.add_argument("--chunk-days", type=int, default=7)
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import devkit.mirror
    from devkit.mirror.route import route_env
    from devkit.mirror.server import MirrorServer
    from processing.core.config import Settings
    from processing.core.embedded_s3 import EmbeddedS3
    from processing.core.s3 import open_store
    from tests.conftest import _free_port_block

    outlets = args.outlets.split(",")
    first, last = ANCHOR - timedelta(days=args.days - 1), ANCHOR
    results = []
    with tempfile.TemporaryDirectory(prefix="newsloom-bench-year-") as tmp:
        state, port = Path(tmp), _free_port_block()
        server = EmbeddedS3(state, port)
        server.up()
        try:
            started = time.monotonic()
            mirror = MirrorServer(anchor=ANCHOR, days=args.days, outlets=outlets).start()
            mirror_start = round(time.monotonic() - started, 1)
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_")} | {
                "NEWSLOOM_STATE_DIR": str(state),
                "NEWSLOOM_S3_PORT": str(port),
                "NEWSLOOM_S3_BUCKET": "year",
                "NEWSLOOM_CRAWL_DELAY": "0",
                "NEWSLOOM_TRANSLATION_MODEL": str(state / "no-model"),
                "NEWSLOOM_OUTLETS_DIR": str(Path(devkit.mirror.__file__).parent / "outlets"),
                "NEWSLOOM_PROGRESS": "plain",
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                **route_env(mirror.url),
            }
            os.environ.update(env)
            settings = Settings.from_env()
            open_store(settings, create_bucket=True)
            try:
                for outlet in outlets:
                    print(f"{outlet}: backfill {first} .. {last}", flush=True)
                    mirror.reset_log()
                    run = _backfill(
                        outlet, first, last, args.chunk_days, env, state / f"{outlet}.log"
                    )
                    r = _measure(outlet, first, last, run, mirror, settings)
                    r["mirror_start_seconds"] = mirror_start
                    results.append(r)
                    print(json.dumps({k: v for k, v in r.items() if k != "per_chunk"}), flush=True)
            finally:
                mirror.stop()
        finally:
            server.down()
    meta = {
        "command": "python -m benchmarks.year_backfill " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "days": args.days,
        "chunk_days": args.chunk_days,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    table = render(meta, results)
    print(table)
    if args.update_docs:
        _update_docs(table)
    ok = all(r["exit_code"] in (0, 6) and r["stored_equals_catalog"] for r in results)
    return 0 if ok else 1


def render(meta: dict[str, Any], results: list[dict[str, Any]]) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `{meta['command']}` ({meta['machine']}; load average at the end "
        f"{meta['load_average']}). `newsloom backfill` over {meta['days']} days of each outlet "
        f"(chunks of {meta['chunk_days']} days, one commit each), politeness off "
        "(`NEWSLOOM_CRAWL_DELAY=0`), translation off (no model: Arabic rows stay pending), "
        "against the development kit's mirror serving only these outlets, into one table on "
        "an embedded SeaweedFS. Stored = the canonical URLs the table holds on the range's "
        "days; catalog = the mirror's `stored_between`. Requests per stored article count "
        "every request the mirror logged for the outlet's article pages (a 500 or a challenge "
        "the crawler retries included); pages requested twice leave out the mirror's "
        "server-error and bot-challenge traps, which are asked again by design. Snapshots: "
        "the table commits the outlet's backfill made. RSS: peak (`VmHWM`, sampled every "
        "0.2 s) of the backfill process and of its largest crawl subprocess; the backfill's "
        "RSS after its first, middle and last chunk shows whether anything accumulates.",
        "",
        "| outlet | chunks | catalog | stored | = catalog | duplicates | article requests "
        "| per stored | pages requested twice | crawl s | extract s | translate s | publish s "
        "| wall s | backfill peak RSS MiB | RSS after chunk 1 → middle → last MiB "
        "| crawl peak RSS MiB | snapshots |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        after = r["rss_after_chunk_mib"]
        lines.append(
            f"| {r['outlet']} | {r['chunks']} | {r['catalog']} | {r['stored']} "
            f"| {'yes' if r['stored_equals_catalog'] else 'NO'} | {r['duplicates']} "
            f"| {r['article_requests']} | {r['fetches_per_stored']} "
            f"| {r['article_pages_requested_twice']} | {r['total_crawl_s']} "
            f"| {r['total_extract_s']} | {r['total_translate_s']} | {r['total_publish_s']} "
            f"| {r['wall_seconds']} | {r['peak_rss_mib']} "
            f"| {' → '.join(str(after[i]) for i in (0, len(after) // 2, -1)) if after else '—'} "
            f"| {r['crawl_peak_rss_mib']} | {r['snapshots']} |"
        )
    notes = []
    for r in results:
        if r["pages_asked_under_two_urls"]:
            notes.append(
                f"{r['outlet']}: {len(r['pages_asked_under_two_urls'])} page(s) asked for under "
                f"two of their URLs ({', '.join(r['pages_asked_under_two_urls'][:3])}: the "
                "mirror's legacy `?p=` link to a post; stored once)."
            )
        if r["transient_traps_retried"]:
            notes.append(
                f"{r['outlet']}: {r['transient_traps_retried']} server-error or bot-challenge "
                "page(s) asked again (by design)."
            )
        handed = [c["known_urls"] for c in r["per_chunk"]]
        if handed:
            notes.append(
                f"{r['outlet']}: URLs handed to a chunk's crawl as known: "
                f"{' → '.join(str(handed[i]) for i in (0, len(handed) // 4, len(handed) // 2, -1))}"
                f" (first, quarter, middle, last chunk; at most {max(handed)})."
            )
        after = r["rss_after_chunk_mib"]
        if len(after) > 1:
            grown = after[-1] - after[0]
            notes.append(
                f"{r['outlet']}: the backfill's RSS after its last chunk is {grown:+.1f} MiB from "
                f"after its first ({grown * 1024 / max(1, r['stored']):.0f} KiB per stored "
                "article)."
            )
        for child in r["other_children"]:
            notes.append(
                f"{r['outlet']}: another child process, `{child['command']}`, peaked at "
                f"{child['peak_rss_mib']} MiB."
            )
    if notes:
        lines += [""] + [f"- {n}" for n in notes]
    lines += ["", "Per chunk (median / max over the chunks):", ""]
    lines += [
        "| outlet | crawl s | extract s | translate s | publish s | stored | crawl peak RSS MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = []
        for key in (
            "crawl_s",
            "extract_s",
            "translate_s",
            "publish_s",
            "stored",
            "crawl_peak_rss_mib",
        ):
            values = sorted(c[key] for c in r["per_chunk"] if c[key] is not None)
            cells.append(f"{values[len(values) // 2]} / {values[-1]}" if values else "—")
        lines.append(f"| {r['outlet']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _update_docs(table: str) -> None:
    text = DOCS.read_text()
    start = text.find(SECTION)
    if start < 0:  # new: after the "Backfill" section
        after = text.find("\n## ", text.find("## Backfill\n") + 1)
        if after < 0:
            DOCS.write_text(text.rstrip() + "\n\n" + table)
        else:
            DOCS.write_text(text[: after + 1] + table + "\n" + text[after + 1 :])
        return
    nxt = text.find("\n## ", start + len(SECTION))
    DOCS.write_text(text[:start] + table + (text[nxt:] if nxt >= 0 else ""))


if __name__ == "__main__":
    raise SystemExit(main())
