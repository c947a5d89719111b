"""push commands (being built)."""

COMMANDS: tuple = ()
