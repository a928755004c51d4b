"""Rule families: cross-field checks on an extracted document, each returning findings as data."""
