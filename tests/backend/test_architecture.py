"""The layout's rules hold: import-linter contracts kept, and they bite; modules stay readable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("backend", "routing", "sync")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def copy_of_tree(tmp_path_factory):
    """A throwaway copy of the packages and pyproject.toml, to break on purpose."""

    def make() -> Path:
        tree = tmp_path_factory.mktemp("tree")
        for name in PACKAGES:
            shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
        return tree

    return make


def test_contracts_are_kept_on_the_real_tree():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "contract"),
    [
        ("routing/check.py", "import backend.core.errors", "routing and sync are pure"),
        ("sync/merge.py", "import backend.touches.models", "routing and sync are pure"),
        ("backend/core/errors.py", "import backend.accounts.models", "core imports no domain"),
        (
            "backend/routes/views/routes.py",
            "import backend.touches.views",
            "another domain's views",
        ),
        ("backend/touches/service.py", "import backend.touches.views", "nothing below them"),
        # users sits below accounts; an import back up closes a cycle.
        ("backend/users/service.py", "import backend.accounts.service", "no import cycles"),
        # sync and reminders are siblings of one layer: neither may lean on the other.
        ("backend/sync/service/pull.py", "import backend.reminders.service.prefs", "layer one way"),
    ],
)
def test_a_deliberately_bad_import_is_caught(copy_of_tree, module, bad_import, contract):
    tree = copy_of_tree()
    path = tree / module
    path.write_text(path.read_text() + f"\n{bad_import}  # deliberately bad\n")
    result = _lint(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def test_no_module_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for name in PACKAGES
        for path in (ROOT / name).rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > 400
    }
    assert too_long == {}
