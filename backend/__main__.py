"""``python -m backend``: the same as the ``fieldrep`` console script."""

from backend.cli import main

main()
