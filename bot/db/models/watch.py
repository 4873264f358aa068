"""Models of the watch items and digests feature."""

from __future__ import annotations
