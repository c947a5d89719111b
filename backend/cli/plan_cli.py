"""plan commands (being built)."""

COMMANDS: tuple = ()
