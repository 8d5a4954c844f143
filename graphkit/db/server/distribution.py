"""Neo4j Community from Maven Central: the pinned version, Java, and the Maven fetch into the cache."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from graphkit import config
from graphkit.errors import JavaNotFound, MavenError, ServerError

MIN_JAVA = 17


def pom_path() -> Path:
    return Path(str(resources.files("graphkit.db.server") / "neo4j_dist" / "pom.xml"))


def neo4j_version() -> str:
    """The pinned Neo4j version, read from the pom (one place)."""
    match = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", pom_path().read_text())
    if not match:  # pragma: no cover - the pom ships with the package
        raise ServerError(f"{pom_path()} does not pin <neo4j.version>")
    return match.group(1).strip()


def lib_dir(version: str | None = None) -> Path:
    return config.cache_home() / f"neo4j-{version or neo4j_version()}" / "lib"


def find_java() -> str:
    """Path of a Java >= 17 (``JAVA_HOME`` first, then ``PATH``), or a clear error."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(on_path)
    if not candidates:
        raise JavaNotFound(
            "Java was not found: the managed Neo4j server needs Java 17 or 21",
            hint="Install a JDK (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME; "
            "or point graphkit at an existing server with NEO4J_URI.",
        )
    java = candidates[0]
    version = java_version(java)
    if version < MIN_JAVA:
        raise JavaNotFound(
            f"{java} is Java {version}; Neo4j 5.26 needs Java 17 or 21",
            hint="Install Java 17 or 21 and set JAVA_HOME to it.",
        )
    return java


def java_version(java: str) -> int:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60
        ).stderr
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JavaNotFound(f"cannot run {java}: {exc}", hint="Check JAVA_HOME.") from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise JavaNotFound(f"cannot tell the version of {java}", hint="Check JAVA_HOME.")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0" style
        major = int(match.group(2))
    return major


def ensure_distribution(progress=print) -> Path:
    """Fetch Neo4j's jars with Maven into the cache (once); return the lib directory."""
    version = neo4j_version()
    lib = lib_dir(version)
    if (lib.parent / ".complete").exists():
        return lib
    mvn = shutil.which("mvn")
    if not mvn:
        raise MavenError(
            "Maven (mvn) was not found; graphkit uses it to fetch Neo4j Community from Maven Central",
            hint="Install Maven (Debian: apt-get install maven), or set NEO4J_URI to an existing server.",
        )
    lib.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="lib-", dir=lib.parent))
    progress(f"Fetching Neo4j Community {version} with Maven (first start only, ~120 MB) ...")
    cmd = [
        mvn, "-B", "-q", "-Dstyle.color=never", "-f", str(pom_path()),
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise MavenError(
            "Maven did not finish fetching Neo4j within 30 minutes",
            hint="Check the network route to Maven Central (or your Maven mirror in ~/.m2/settings.xml).",
        ) from exc
    if proc.returncode != 0 or not any(staging.glob("neo4j-*.jar")):
        shutil.rmtree(staging, ignore_errors=True)
        output = (proc.stdout + proc.stderr).strip().splitlines()
        boilerplate = ("Re-run Maven", "To see the full", "For more information", "[ERROR] [Help")
        errors = [line[line.index("[ERROR]"):] for line in output
                  if "[ERROR]" in line and line.strip().replace("[ERROR]", "").strip()
                  and not any(b in line for b in boilerplate)]
        tail = "\n".join((errors or output)[:6])
        unreachable = any(
            word in "\n".join(output)
            for word in ("Could not transfer", "Unknown host", "Connection refused", "timed out",
                         "Network is unreachable", "Could not resolve", "No plugin found",
                         "UnknownHostException", "ConnectException")
        )
        raise MavenError(
            ("Maven cannot reach its repository to fetch Neo4j Community" if unreachable
             else "Maven could not fetch Neo4j Community")
            + (f":\n{tail}" if tail else ""),
            hint="Check that Maven can reach Maven Central (proxy/mirror settings in ~/.m2/settings.xml), "
            "then run `graphkit server start` again; or set NEO4J_URI to an existing server.",
        )
    if lib.exists():
        shutil.rmtree(lib)
    staging.rename(lib)
    (lib.parent / ".complete").write_text(version + "\n")
    return lib


