"""Commands of the routes domain: ``plan`` (stored routes) and ``route solve`` (problem files)."""

from backend.routes.cli import plan, solve

COMMANDS = (*solve.COMMANDS, *plan.COMMANDS)
