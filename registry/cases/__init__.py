"""Case management: case types as data, cases and their work, attendance registers."""
