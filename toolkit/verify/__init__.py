"""Verification: proving a running implementation keeps its contract (fuzzing; pacts next)."""
