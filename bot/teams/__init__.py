"""The Microsoft Teams transport: the chat engine behind the Microsoft 365 Agents SDK (aiohttp)."""
