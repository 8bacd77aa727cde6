"""The outbox page of the HR console."""
