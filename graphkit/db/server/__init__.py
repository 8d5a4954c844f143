"""graphkit's managed local Neo4j server (no Docker).

Neo4j Community is fetched from Maven Central with Maven (``neo4j_dist/pom.xml``) into a cache
directory and run with the machine's Java. graphkit writes its own ``neo4j.conf`` (loopback only,
auth on, modest memory), sets a generated password on first start and keeps it in a file only the
user can read. Data persists between starts under ``<data home>/server``.

The code: ``distribution`` (version, Java, Maven fetch), ``settings`` (folders, port, memory,
neo4j.conf, password), ``process`` (start, status, stop).
"""
from graphkit.db.server.distribution import (
    ensure_distribution,
    find_java,
    java_version,
    lib_dir,
    neo4j_version,
    pom_path,
)
from graphkit.db.server.process import Status, start, status, stop
from graphkit.db.server.settings import (
    DEFAULT_BOLT_PORT,
    Paths,
    choose_port,
    heap_size,
    pagecache_size,
    read_password,
    server_paths,
    write_conf,
)

__all__ = ["DEFAULT_BOLT_PORT", "Paths", "Status", "choose_port", "ensure_distribution", "find_java", "heap_size",
           "java_version", "lib_dir", "neo4j_version", "pagecache_size", "pom_path", "read_password",
           "server_paths", "start", "status", "stop", "write_conf"]
