"""HQ: the server every branch laptop syncs with (FastAPI over PostgreSQL or SQLite)."""
