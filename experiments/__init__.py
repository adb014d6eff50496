"""Experiments: the command line, sweeps, claims and benchmarks; all file I/O lives here."""
