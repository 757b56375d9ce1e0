"""Receiving a person: contacts on the eight channels, the intake interview and its document
checks, the signed declaration, and the guided intake window's steps (`guided` writes, `views`
reads)."""
