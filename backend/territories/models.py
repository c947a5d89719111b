"""Territory management's own tables (rules, proposals, handovers); accounts and users live in
their domains."""

from __future__ import annotations
