"""Seeing the graph: text reports, the edition diff, plots and the report site."""
