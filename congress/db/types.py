"""Column types shared by the models and the migrations."""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# MySQL's plain TEXT stops at 64 KiB; policy text and results can be longer.
JsonText = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')

# MySQL's plain DATETIME drops fractions of a second; heartbeats need them.
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')
