"""Kinga's domain core: models, services and rules. Imports no web framework and no door."""
