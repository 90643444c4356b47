"""Readers: one module per source layout, each yielding the same records."""
