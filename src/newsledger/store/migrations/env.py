"""Alembic environment: the store passes its open connection in `config.attributes["connection"]`
(see store/db.py), so migrations run inside the caller's transaction, on SQLite and PostgreSQL alike."""
from alembic import context

from newsledger.store.tables import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")  # SQLite alters by copy
with context.begin_transaction():
    context.run_migrations()
