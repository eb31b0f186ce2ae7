"""Backups: a consistent copy of the database, the card signing keys and the audit checkpoints
in one file (encrypted with a passphrase when one is set), and the restore that checks it."""
