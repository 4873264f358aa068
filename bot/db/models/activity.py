"""Models of the activity log, survey, imported figures feature."""

from __future__ import annotations
