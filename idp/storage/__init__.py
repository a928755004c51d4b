"""Storage: SQLAlchemy 2 tables, sessions, Alembic migrations and the content-addressed file store."""
