"""Fakes for tests: real classes that record what they were asked to do (no mocks)."""
