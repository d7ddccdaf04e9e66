"""Errors that domain actions raise; their messages are shown to users as they are."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action. The message is Indonesian and says what to do."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not perform this action on this object."""


class StaleVersion(DomainError):
    """Someone else saved the record since the actor loaded it (optimistic locking)."""
