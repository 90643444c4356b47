"""Reading the sources: the registry, curation, the readers, cell parsers and records."""
