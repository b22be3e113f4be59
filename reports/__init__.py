"""Reports: analytics of indicator series and formatting for readers."""
