"""The aiohttp application of `radsbot teams`: POST /api/messages (Bot Framework tokens checked
first) and GET /healthz.

Order on /api/messages: the SDK's JWT check (401 without a valid token, outside anonymous mode),
then the tenant allow-list (403), and only then the SDK's adapter and Rådsbot's handlers.
"""

from __future__ import annotations

import json
import logging
import warnings

from aiohttp import web
from microsoft_agents.activity import Activity, DeliveryModes
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import OutboundHostValidator
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.teams.answering import Answerer
from radsbot.bot.teams.bot import TeamsBot
from radsbot.bot.teams.config import TeamsConfig
from yarl import URL

log = logging.getLogger(__name__)

# Time given to answers still being made after their 202 when the server stops.
DRAIN_SECONDS = 25

UNAUTHORIZED = {"error": "Invalid token or authentication failed."}
PASSED = "radsbot_token_checked"
BOT = web.AppKey("radsbot_teams_bot", TeamsBot)
ADAPTER = web.AppKey("radsbot_teams_adapter", CloudAdapter)


def build_app(
    context: Context,
    config: TeamsConfig,
    engine: Engine | None = None,
    connections=None,
    processes: int = 0,
) -> web.Application:
    """The web application. Answers come from `engine` in threads, or from `processes` worker
    processes, or from an Engine of `context` in threads; `connections` replaces the SDK's MSAL
    token source (tests)."""
    manager = connections or MsalConnectionManager(
        CONNECTIONS={"SERVICE_CONNECTION": {"SETTINGS": config.sdk_settings()}}
    )
    validator = OutboundHostValidator(enabled=config.check_service_url)
    adapter = CloudAdapter(connection_manager=manager, host_validator=validator)
    if engine is None and not processes:
        engine = Engine(context)
    answerer = Answerer(engine, context.settings, processes)
    answerer.warm_up()
    bot = TeamsBot(context, answerer, host_allowed=validator.is_allowed if config.check_service_url else None)
    adapter.on_turn_error = bot.on_error  # never the SDK's default, which shows the exception text

    app = web.Application(client_max_size=context.settings.max_body_bytes)
    with warnings.catch_warnings():  # the SDK's JWT check reads its settings from this string key
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app["agent_configuration"] = manager.get_default_connection_configuration()
    app[BOT] = bot
    app[ADAPTER] = adapter

    @_authenticated
    async def messages(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if not _same_service_host(request, body):
            log.warning("Refused a Teams request whose serviceUrl is not the one its token names")
            return web.json_response(UNAUTHORIZED, status=401)
        tenant = _tenant(body)
        if not config.allows_tenant(tenant):
            log.warning("Refused a Teams request from tenant %r (not in RADSBOT_TEAMS_TENANTS)", tenant[:60])
            return web.json_response({"error": "This tenant is not served."}, status=403)
        incoming = _message_to_answer_later(body)
        if incoming is None:
            # The SDK answers None when the turn leaves nothing to return: accepted.
            return await adapter.process(request, bot) or web.Response(status=202)
        if config.check_service_url and not validator.is_allowed(incoming.service_url):
            log.warning("Refused a Teams request whose serviceUrl is not a Microsoft host")
            return web.json_response(UNAUTHORIZED, status=401)
        # Acknowledged now and answered in a turn of its own: the SDK would hold the response until
        # the whole turn (engine, posts) had finished, and set up a connector for nothing.
        bot.answer_later(adapter, request.get("claims_identity") or ClaimsIdentity(), incoming)
        return web.Response(status=202)

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.on_shutdown.append(_drain(bot))
    app.on_cleanup.append(_close(bot))
    return app


def _authenticated(handler):
    """The SDK's JWT check before `handler`; a token it cannot even read (no key id, …) is a 401
    too, not the 500 its exception would make."""
    checked = jwt_authorization_decorator(_marking(handler))

    async def guard(request: web.Request) -> web.StreamResponse:
        try:
            return await checked(request)
        except Exception:
            if request.get(PASSED):
                raise
            log.warning("Refused a Teams request: its token could not be read")
            return web.json_response(UNAUTHORIZED, status=401)

    return guard


def _marking(handler):
    async def marked(request: web.Request) -> web.StreamResponse:
        request[PASSED] = True
        return await handler(request)

    return marked


async def _body(request: web.Request) -> dict:
    """The activity as JSON, or {} (the SDK answers a body it cannot read with 400)."""
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _same_service_host(request: web.Request, body: dict) -> bool:
    """Whether the activity's serviceUrl is on the host its token was issued for (when it names one).

    The SDK checks this only with its outbound host check on; replies carry the bot's own token,
    so they must never go where the token's issuer did not say.
    """
    claims = request.get("claims_identity")
    claimed = claims.get_claim_value("serviceurl") if claims is not None else None
    if not claimed:
        return True
    given = URL(str(body.get("serviceUrl") or "")).host
    if not given:
        return False
    return given.casefold() == (URL(str(claimed)).host or "").casefold()


def _message_to_answer_later(body: dict) -> Activity | None:
    """The activity when it is a message nobody waits for in the response, else None (the adapter
    answers it in its own turn: invokes, expectReplies, other types, malformed bodies)."""
    if body.get("type") != "message" or body.get("deliveryMode") == DeliveryModes.expect_replies:
        return None
    try:
        activity = Activity.model_validate(body)
    except ValueError:
        return None
    ok = activity.conversation is not None and activity.conversation.id and activity.service_url
    return activity if ok else None


def _object(value: object) -> dict:
    """A JSON object, or an empty one for anything else."""
    return value if isinstance(value, dict) else {}


def _tenant(body: dict) -> str:
    """The tenant id an activity names (conversation.tenantId, else channelData.tenant.id)."""
    conversation = _object(body.get("conversation"))
    tenant = _object(_object(body.get("channelData")).get("tenant"))
    return str(conversation.get("tenantId") or tenant.get("id") or "").strip().lower()


def _drain(bot: TeamsBot):
    async def drain(_app: web.Application) -> None:
        await bot.drain(DRAIN_SECONDS)

    return drain


def _close(bot: TeamsBot):
    async def close(_app: web.Application) -> None:
        bot.close()

    return close
