"""In-kind distribution: points, stock, rosters and hand-overs synced from offline phones."""
