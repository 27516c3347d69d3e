"""Which Alembic revisions this code knows: a backup records them, a restore checks them."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from catalog.config import MIGRATIONS_DIR


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def app_heads() -> set[str]:
    return set(_scripts().get_heads())


def known_revision(revision: str | None) -> bool:
    if revision is None:
        return False
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        return False
