"""Realistic Arabic demo data for training, demonstrations and benchmarks: an administrator's
tool, written through the services' models like staff's work, not a use case of its own."""
