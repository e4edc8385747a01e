"""A project on a PostgreSQL server: a team's shared project (docs/architecture.md,
"The store").

Only this package imports psycopg, and nothing imports this package until a
``postgresql://`` location is opened: psycopg takes about 0.3 s to import, which a user of
project files should not wait for. It raises the store's own errors, as the SQLite side does.
"""

ROLES = ("member", "reviewer", "admin")  # a team's roles, weakest first (sql/postgresql/rights.sql)
