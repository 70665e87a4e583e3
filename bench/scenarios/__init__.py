"""Benchmark scenarios, one small file per module: each defines `SCENARIOS = [Scenario(...), ...]`."""
