"""Domain errors. A `UserError` is a mistake the user can fix: it carries a French message
that is shown to them as is. Anything else is a bug, logged with a reference."""

from __future__ import annotations


class UserError(Exception):
    """An error whose message is safe and useful to show to the user (in French)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """A value given by the user is not acceptable."""


class NotFoundError(UserError):
    """The thing the user named does not exist (in this server)."""


class PermissionDeniedError(UserError):
    """The user may not do this."""


class ConflictError(UserError):
    """The action clashes with the current state (already done, changed meanwhile)."""


class NotConfiguredError(UserError):
    """The server is missing a setting the action needs."""
