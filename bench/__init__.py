"""Benchmarks of Romah Desktop on a branch-sized database: search, registering one person,
importing a sheet and generating the demo data. Run with ``python -m bench`` (see README.md).
"""
