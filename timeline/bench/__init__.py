"""Benchmarks and the synthetic data they run on: library code, run by thin management commands."""
