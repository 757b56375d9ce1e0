"""Reports and the branch manager's dashboard over a period, and their export to Excel or PDF.

Find each by name: `periods` (periods, Hijri and Gregorian months), `scope` (who sees what,
and the SQL pieces the reports share), one module per report (`requests`, `decision_time`,
`compliance`, `services_delivered`, `satisfaction`, `complaints`, `request_list`),
`dashboard` (all of them over one scope), and `export` with its writers (`excel`, `pdf`).
"""
