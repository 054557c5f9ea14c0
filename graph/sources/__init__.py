"""Reading the input: files, folders, standard input and the web, into `Article`s (graph.model)."""
