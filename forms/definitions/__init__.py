"""The shipped forms, one module each."""
