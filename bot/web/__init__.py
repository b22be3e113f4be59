"""The public web dashboard: server-rendered pages of the strategy's status (WSGI, Jinja2)."""
