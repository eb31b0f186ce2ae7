"""One module per keyword; each exposes `run(ctx, rest) -> Reply`."""
