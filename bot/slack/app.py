"""The Bolt app: the context's client, lazy listeners, and a work pool apart from the acks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from radsbot.bot.bootstrap import Context
from radsbot.bot.slack import actions, commands, events, narrative_modal
from radsbot.bot.slack.delivery import Responder
from radsbot.bot.slack.workers import Workers
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_bolt.lazy_listener import ThreadLazyListenerRunner
from slack_sdk import WebClient

# Bolt runs each ack() in this pool; acks are trivial, so a few threads per web thread suffice.
ACK_THREADS = 32
# Queries, charts and Web API calls; two cores are shared, so more threads would only queue.
WORK_THREADS = 4


class TokenRefused(Exception):
    """Slack refused the bot token when the app was built (auth.test failed)."""


def build_app(
    context: Context,
    engine=None,
    *,
    workers: Workers | None = None,
    client: WebClient | None = None,
    responder: Responder | None = None,
) -> App:
    """The Slack app for this context and engine.

    Every listener acknowledges first (`ack=`), and its slow work (`lazy=`) runs in `workers`,
    a pool of its own: a queue of charts never delays the next acknowledgement. The engine
    answers in this process, unless a `responder` (a ProcessResponder) answers elsewhere.
    Building the app calls auth.test once, to learn the bot's own user id.

    Raises:
        TokenRefused: Slack refused SLACK_BOT_TOKEN.
    """
    settings = context.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    try:
        app = App(
            client=client or context.slack_client,
            signing_secret=secret,
            process_before_response=False,
            listener_executor=ThreadPoolExecutor(max_workers=ACK_THREADS, thread_name_prefix="radsbot-ack"),
        )
    except BoltError as exc:
        raise TokenRefused(str(exc)) from exc
    runner = app.listener_runner
    runner.lazy_listener_runner = ThreadLazyListenerRunner(
        logger=runner.logger, executor=workers or Workers(WORK_THREADS)
    )
    responder = responder or Responder(context, engine)
    # The status-text modal's button comes before the general button listener (first match wins).
    for module in (events, commands, narrative_modal, actions):
        module.register(app, responder)
    return app


def work_pool(app: App) -> Workers:
    """The pool that runs the app's slow work."""
    runner = app.listener_runner.lazy_listener_runner
    pool = runner.executor if isinstance(runner, ThreadLazyListenerRunner) else None
    if not isinstance(pool, Workers):
        raise TypeError("the app was not made by make_app: its slow work has no Workers pool")
    return pool
