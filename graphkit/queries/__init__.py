"""The canned-query library: ``cypher/*.cypher`` files with metadata headers, parameter checks and
read-only execution (``library``)."""
