"""``python -m backend.cli``: the same as the ``fieldrep`` console script."""

from backend.cli import main

main()
