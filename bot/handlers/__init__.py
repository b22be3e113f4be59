"""Handlers: one module per kind of question, each building a Reply from stored data."""
