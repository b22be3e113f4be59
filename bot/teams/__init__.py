"""Microsoft Teams transport."""
