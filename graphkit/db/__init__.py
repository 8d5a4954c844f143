"""The database: ``graph`` is the connection (``Graph``, ``connect``) with read/write transactions
and error translation; ``server`` runs graphkit's own Neo4j Community (fetched by Maven) on 127.0.0.1."""
