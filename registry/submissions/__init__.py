"""Idempotency keys of submissions made on a phone, so a resent one never counts twice."""
