"""Use cases. Each takes the acting user and checks their permission itself.

Grouped by job: `people/` (files, households, the registry, timeline, import/export),
`intake/` (contacts, the interview, the declaration, the guided intake), `committee/` (support
requests, the committee's workspace and its two-week deadline), `reports/` (the dashboard and
its exports); one module each for delivery, feedback, research, the library, today's queues,
sync conflicts, users, audit and backup. `context` is the acting user and this device.

Services write through an ORM session and never commit: the caller's transaction does, so a
failure anywhere writes nothing.
"""
