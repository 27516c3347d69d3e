"""Extensions are created once here and bound to the app in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.model import Model as FlaskModel
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)

# Models subclass ``Model``, which is ``db.Model``. Flask-SQLAlchemy builds db.Model when
# ``db`` is created, and mypy cannot take a base class from an attribute of an object
# (python/mypy#8603, pallets-eco/flask-sqlalchemy#1327), so mypy is shown what it is:
# Flask-SQLAlchemy's Model mixin over our declarative Base (same registry and metadata).
if TYPE_CHECKING:

    class Model(FlaskModel, Base):
        __abstract__ = True

else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared per route; storage comes from CHOVIET_RATELIMIT_STORAGE_URI
# (memory:// counts per process: use Redis once there are several workers).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
# Locale selection and the language cookie are wired in catalog/web/i18n.py.
babel = Babel()
