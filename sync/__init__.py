"""HQ sync: the protocol schemas, the per-field merge rule shared by the laptop and HQ, the
laptop's client engine (push, pull, apply) and enrolment, and the HQ server (`server/`).

It stands on `db` and the core's rules; the core reaches it only through its face
(`romah_desktop.cli`)."""
