"""From records to RDF: the graph builder, deterministic Turtle and the build."""
