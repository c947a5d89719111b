"""Account jobs: a CRM import run in the background, reporting rows done as it goes."""

from __future__ import annotations

import csv
import io

from flask import Flask

from backend.accounts import csv_text, geocoding, importer
from backend.accounts.schemas import ImportReportSchema
from backend.core.extensions import db
from backend.core.tracked import Progress
from backend.users.models import User


def count_rows(text: str) -> int:
    """Data rows in the CSV (the job's progress total)."""
    reader = csv.reader(io.StringIO(text), dialect=csv_text.dialect(text))
    return max(0, sum(1 for _ in reader) - 1)


def import_accounts(
    *, app: Flask, progress: Progress, text: str, actor_id: int, dry_run: bool
) -> dict:
    """Import ``text`` as the user ``actor_id`` and commit (a job is its own boundary).

    The result is the same row-numbered report the synchronous endpoint answers; a file with a
    bad row writes nothing and its report lists the rows (the job itself is still ``done``).
    """
    actor = db.session.get(User, actor_id)
    total = count_rows(text)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        progress(done[0], total)

    progress(0, total)
    report = importer.import_csv(
        text,
        actor=actor,
        dry_run=dry_run,
        geocoder=geocoding.from_config(app.config),
        progress=step,
    )
    if report.errors or dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return ImportReportSchema().dump(report)
