"""Probabilistic record linkage (Fellegi-Sunter) for the registry, imports and files.

No Flask here: `registry.matching.check` is called by every door through the household
services, `registry.matching.link` by `kinga dedup link` and the registry-wide run.
"""
