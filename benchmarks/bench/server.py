"""Start a contender pinned to one core, wait until it answers, sample its memory, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from .contenders.registry import Contender

BENCH_ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    pass


class Server:
    """One contender process (its own session, so that stopping it stops its workers)."""

    def __init__(
        self, contender: Contender, port: int, env: Mapping[str, str], cpu: str | None, log: Path
    ) -> None:
        self.contender = contender
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        pin = ["taskset", "-c", cpu] if cpu is not None else []
        environment = {**os.environ, **env, **contender.env, "PYTHONPATH": str(BENCH_ROOT)}
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [*pin, *contender.command(port)],
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=BENCH_ROOT,
        )

    def wait_ready(self, probe_path: str, timeout: float = 60.0) -> float:
        """Seconds until ``probe_path`` answered 200."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise ServerError(f"{self.contender.key} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + probe_path, timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise ServerError(f"{self.contender.key} did not answer {probe_path} in {timeout}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (``taskset`` execs, so the root is the server)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


@contextmanager
def peak_rss(server: Server, interval: float = 0.05) -> Iterator[list[int]]:
    """Sample the serving process's resident memory; the list ends up as ``[peak KiB]``."""
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        pids = _tree(server.process.pid)
        while not stop.is_set():
            peak[0] = max(peak[0], *(_rss_kib(pid) for pid in pids))
            stop.wait(interval)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
