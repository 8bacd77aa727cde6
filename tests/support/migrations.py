"""Moving a test database to a given Alembic revision, up or down, as `arshjul migrate` would."""

from __future__ import annotations

from alembic import command

from tasks.store.db import alembic_config, make_engine


def move_to(url: str, revision: str, *, down: bool = False) -> None:
    """Upgrade (or, with `down`, downgrade) the database at `url` to `revision` in one transaction."""
    engine = make_engine(url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
    engine.dispose()
