"""The database layer: SQLAlchemy models, the engine, migrations, the outbox and change tracking,
this laptop's local state, canonical JSON for hashes, and the files beside the database
(attachments by content, atomic writes).

It depends on nothing else in the project.
"""
