"""Calls Kinga places: a call back after a missed call, so the caller pays nothing."""
