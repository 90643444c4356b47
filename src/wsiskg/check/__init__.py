"""Checking the graph: SHACL validation, reasoning and consistency."""
