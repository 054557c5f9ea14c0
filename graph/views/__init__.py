"""Views of a stored graph: the HTML explorer and its PNG, the numbers, and the exports for other tools."""
