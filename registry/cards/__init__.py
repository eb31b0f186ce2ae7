"""Beneficiary cards: numbers, signing keys, the signed QR payload, rendering and verification."""
