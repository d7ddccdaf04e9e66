"""Business rules and write actions of the innovation registry."""
