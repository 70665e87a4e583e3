"""Synthetic data at scale (`crm bench generate`), for the benchmark suite under bench/."""
