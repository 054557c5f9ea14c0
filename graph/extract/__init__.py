"""Relation and entity extraction over spaCy documents (spaCy only: no rdflib here).

The entry points are in graph.extract.extractor:
- `extract_doc(doc, article, kb)`: one parsed article to an Extraction.
- `extract_articles(articles, nlp, batch_size, n_process)`: stream of Extractions, one nlp.pipe over all.

Every relation carries the name of the rule that produced it (Evidence.rule), so a wrong triple traces to one
small function in affiliation, events, quotes, roles or strikes. This file imports nothing, so a module of the
package (the lexicon, the NER training's constants) is imported without loading the rules or spaCy.
"""
