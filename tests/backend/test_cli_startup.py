"""`fieldrep --help` lists every command without building the app or loading a solver library."""

from __future__ import annotations

import json
import subprocess
import sys

import click
from flask.cli import FlaskGroup

from backend.cli import APP_COMMANDS, DOMAIN_COMMANDS, _create_app, _domain_command, main

SOLVERS = ("pyvrp", "ortools", "vroom")


def _imported_after(code: str) -> dict[str, bool]:
    """Run `code` in a fresh interpreter; which heavy packages did it import?"""
    probe = (
        "import io, json, sys, contextlib\n"
        f"{code}\n"
        "names = ('pyvrp', 'ortools', 'vroom', 'sqlalchemy', 'backend.routes')\n"
        "print(json.dumps({n: n in sys.modules for n in names}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_loads_neither_the_app_nor_a_solver() -> None:
    loaded = _imported_after(
        "from backend.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as text:\n"
        "    main(['--help'], standalone_mode=False)\n"
        "assert 'solve' in text.getvalue() or 'route' in text.getvalue()"
    )
    assert not any(loaded.values()), loaded


def test_building_the_app_and_the_route_command_loads_no_solver() -> None:
    # The solver libraries load inside the functions that solve, not when the app or the
    # `route` group is imported (so `fieldrep route --help` and the API start fast too).
    loaded = _imported_after(
        "from backend import create_app\n"
        "create_app()\n"
        "from backend.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['route', '--help'], standalone_mode=False)"
    )
    assert not any(loaded[n] for n in SOLVERS), loaded


def test_the_listing_is_what_the_app_registers(app) -> None:
    # A plain FlaskGroup loads the app to list its commands: ours must list the same ones.
    plain = FlaskGroup(create_app=_create_app)
    with click.Context(plain) as ctx:
        registered = set(plain.list_commands(ctx))
    with click.Context(main) as ctx:
        assert set(main.list_commands(ctx)) == registered
    assert set(DOMAIN_COMMANDS) | set(APP_COMMANDS) == registered
    for name, (_, short) in DOMAIN_COMMANDS.items():
        command = _domain_command(name)
        assert command is not None, name
        assert command.get_short_help_str(300) == short, name


def test_help_lists_each_command_with_its_help() -> None:
    text = main.get_help(click.Context(main))
    for name, (_, short) in DOMAIN_COMMANDS.items():
        assert name in text
        assert short.split()[0] in text
