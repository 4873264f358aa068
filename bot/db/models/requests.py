"""Models of the accompaniment requests feature."""

from __future__ import annotations
