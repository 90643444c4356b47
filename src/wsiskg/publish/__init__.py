"""Publishing the graph: the dataset release."""
