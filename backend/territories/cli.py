"""``fieldrep territories ...``: the territory manager's commands."""

from __future__ import annotations

import click

from backend.territories import cli_balance


@click.group("territories")
def territories_group() -> None:
    """Territory rules, workload balance and rep departures."""


territories_group.add_command(cli_balance.rebalance_command)

COMMANDS = (territories_group,)
