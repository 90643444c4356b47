"""wsiskg: the WSIS Roadmaps Knowledge Graph."""

__version__ = "0.1.0"
