"""Web pages of the innovation registry: internal (login) and public catalogue."""
