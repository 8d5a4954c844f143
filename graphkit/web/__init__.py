"""The local web workbench (``graphkit serve``): queries, profiles, maps, the review queue and
takedown packs in the browser, locked with a token per run. ``create_app`` builds the app."""
from graphkit.web.app import create_app  # noqa: F401
