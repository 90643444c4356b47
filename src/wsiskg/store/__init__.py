"""Holding and serving the graph: the embedded store, canned queries, the server."""
