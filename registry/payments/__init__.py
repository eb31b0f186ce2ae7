"""Delivery: payment cycles, entitlements, approval, export, mobile money, reconciliation."""
