"""The built wheel, installed (not editable) into a fresh venv, migrates and serves the PWA.

Slow (a wheel build and a real gunicorn), so marked ``wheel``: ``make test`` runs it once, in the
SQLite pass. The fresh venv gets the project's dependencies through a ``.pth`` line to this
venv's site-packages (no network, and the same versions), but FieldRep itself only from the
wheel: the test checks the imported package lives in the fresh venv.
"""

import os
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.wheel


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv python, wheel path, environment) with the wheel installed into a fresh venv."""
    if not (REPO / "pwa" / "dist" / "index.html").exists():
        pytest.fail("pwa/dist is not built: run `make pwa` (make test does)")
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(root / "dist"),
            str(REPO),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
    )
    (wheel,) = (root / "dist").glob("fieldrep-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FIELDREP_", "TEST_DATA"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("PYTHONPATH", None)
    env["SECRET_KEY"] = "wheel-test-" + "x" * 32
    return python, wheel, env, root


def test_the_wheel_carries_the_pwa_build_and_the_migrations(installed):
    _, wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "backend/static/pwa/index.html" in names and "backend/static/pwa/sw.js" in names
    assert any(n.startswith("backend/migrations/versions/") for n in names)
    assert "backend/migrations/env.py" in names


def test_installed_fieldrep_migrates_into_its_instance_folder_and_serves_the_app_shell(installed):
    python, _, env, root = installed
    venv = root / "venv"
    where = subprocess.run(
        [python, "-c", "import backend; print(backend.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
    ).stdout.strip()
    assert where.startswith(str(venv)), where  # the wheel's copy, not the checkout

    upgrade = subprocess.run(
        [venv / "bin" / "fieldrep", "db", "upgrade"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    # The documented place (docs/deployment.md): <venv>/var/backend-instance.
    database = venv / "var" / "backend-instance" / "fieldrep.sqlite"
    assert database.exists()

    port = _free_port()
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "-c",
            str(REPO / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "backend:create_app()",
        ],
        cwd=root,
        env=env | {"FIELDREP_ENV": "production"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                ready = requests.get(base + "/readyz", timeout=60)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        assert ready.status_code == 200, ready.text
        shell = requests.get(base + "/", timeout=30)
        assert shell.status_code == 200 and "text/html" in shell.headers["Content-Type"]
        assert '<link rel="manifest"' in shell.text or "manifest" in shell.text
        assert "not built yet" not in shell.text
        worker = requests.get(base + "/sw.js", timeout=5)
        assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/"
        deep = requests.get(base + "/today", timeout=5)  # a client-side route gets the shell
        assert deep.status_code == 200 and deep.text == shell.text
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
