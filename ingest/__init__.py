"""Ingest: disclosure files become typed facts and passages in the ledger and the index."""
