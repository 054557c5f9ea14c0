"""Scoring the extractor against gold annotations, and the report."""
