"""Storage: typed SQLAlchemy 2.0 models, queries and Alembic migrations.

Functions here take a session and never commit: the caller owns the transaction.
"""
