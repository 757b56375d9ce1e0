"""Reports and the branch manager's dashboard over a period, and their export to Excel or PDF."""
