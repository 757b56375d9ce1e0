"""The database layer: SQLAlchemy models, the engine, migrations, the outbox and the search index.

It depends on nothing else in the project.
"""
