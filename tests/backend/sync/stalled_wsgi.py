"""The real app, except that a push stalls for good right after it wrote its first touch rows.

A test-only WSGI entry for the fault-injection test: the server process is killed while a batch
has rows written but not committed. Nothing of this is in the product's config.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from backend import create_app
from backend.sync.service import push

_insert_touches = push._insert_touches


def _insert_then_stall(actor, rows):
    _insert_touches(actor, rows)
    # The rows are in the open transaction; say how many, then wait for SIGKILL.
    Path(os.environ["STALL_MARKER"]).write_text(str(len(rows)))
    threading.Event().wait()


push._insert_touches = _insert_then_stall
app = create_app()
