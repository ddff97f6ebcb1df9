"""Benchmarks for the notice parser."""
