"""Where the graph lives: the embedded Oxigraph store or a SPARQL server, queries, exports and serving."""
