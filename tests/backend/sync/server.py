"""A real FieldRep server in a subprocess (gunicorn on 127.0.0.1), for tests and the benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gunicorn wsgi:app`` in its own process group, so SIGKILL takes the workers down too."""

    def __init__(
        self,
        database_url: str,
        *,
        workers: int = 1,
        threads: int = 1,
        app: str = "wsgi:app",
        env: dict[str, str] | None = None,
        **config,
    ):
        """``app`` is the WSGI spec (tests may serve a wrapper module); ``env`` extra variables."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            **{f"FIELDREP_{k}": str(v) for k, v in config.items()},
            **(env or {}),
        }
        self.args = [
            sys.executable, "-m", "gunicorn", app,
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--worker-class", "gthread" if threads > 1 else "sync",
            "--timeout", "120",
            "--log-level", "warning",
        ]  # fmt: skip
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        """Start and wait until it answers."""
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no graceful shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM), SIGKILL if it hangs."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def login(base_url: str, email: str, password: str) -> requests.Session:
    """A requests session logged in, carrying the CSRF header."""
    session = requests.Session()
    r = session.post(f"{base_url}/api/auth/login", json={"email": email, "password": password})
    r.raise_for_status()
    session.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return session
