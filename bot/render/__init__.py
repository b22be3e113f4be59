"""Renderers: the neutral Reply as each transport shows it."""
