"""Ingestion: a file on disk -> a Document of pages with positioned words."""
