"""Extraction rules kept as data (one file per bank layout), apart from the code that applies them."""
