"""Page-text tools every extractor shares: rows and spans with boxes, labels, tables and value patterns."""
