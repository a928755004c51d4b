"""Evaluation: accuracy of reading, extraction and decisions against truth files and application bundles."""
