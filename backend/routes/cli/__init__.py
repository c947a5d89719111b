"""Commands of the routes domain: ``plan`` (stored routes, in ``plan``) and ``route solve``
(problem files, in ``solve``). Nothing is imported here: ``fieldrep route ...`` loads only the
light ``solve`` module, not the database layers ``plan`` needs."""

import importlib

_MODULES = ("backend.routes.cli.solve", "backend.routes.cli.plan")


def __getattr__(name: str):
    if name == "COMMANDS":
        return tuple(c for m in _MODULES for c in importlib.import_module(m).COMMANDS)
    raise AttributeError(name)
