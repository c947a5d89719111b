"""cadence commands (being built)."""

COMMANDS: tuple = ()
