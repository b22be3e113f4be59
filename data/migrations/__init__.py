"""Alembic migrations for the Rådsbot schema."""

# The newest revision; a test checks it against Alembic's head so the two cannot drift.
HEAD_REVISION = "0005_narrative_versions"
