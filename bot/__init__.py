"""Chat side of Rådsbot: understanding messages, replies, renderers, the Slack app, scheduler and CLI."""
