"""Indicators: definitions, monthly snapshots counted by a job, and scoped reading."""
