"""The Slack transport: Block Kit rendering, the Web API client, posting, the Bolt app and server.

Nothing outside this package knows about Slack payloads; slack_bolt and slack_sdk are imported
only here, so `radsbot ask` never loads them.
"""
