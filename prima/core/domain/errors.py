"""Errors that domain actions raise; their messages are shown to users as they are."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the action; the message says what to do.

    Messages are written in Indonesian and marked with gettext where they are raised, so
    they reach the user in the active language (Indonesian msgid, English from the catalogue).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not perform this action on this object."""


class StaleVersion(DomainError):
    """Someone else saved the record since the actor loaded it (optimistic locking)."""
