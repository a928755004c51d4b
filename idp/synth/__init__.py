"""Synthetic documents and degradations with known truth, for tests, evaluation and benchmarks."""
