"""The graph as RDF: the ng: vocabulary, IRIs, the triples of an Extraction, the knowledge base, the shapes."""
