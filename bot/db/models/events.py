"""Models of the events and registrations feature."""

from __future__ import annotations
