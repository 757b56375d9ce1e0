"""Use cases. Each takes the acting user and checks their permission itself.

Services write through an ORM session and never commit: the caller's transaction does, so a
failure anywhere writes nothing.
"""
