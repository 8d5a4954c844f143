"""The graph model: ``model.yaml`` declares labels, keys, properties, relationship types and statuses;
``spec`` reads and validates it; ``schema`` turns it into constraints and indexes (init, wipe, stats)."""
