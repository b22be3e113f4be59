"""Driving the Teams bot in tests: activities as Teams posts them, the bot in-process or as
`radsbot teams`, Bot Framework tokens minted with a local key and its JWKS served on loopback."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

TENANT = "11111111-2222-4333-8444-555555555555"
OTHER_TENANT = "99999999-8888-4777-8666-555555555555"
BOT_ID = "28:radsbot-bot"
MEMBER_AAD = "0f0e0d0c-0b0a-4909-8807-060504030201"
STAFF_AAD = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
READY = ("lytter på ", "listens on ")
_ids = itertools.count(1)


def message(
    text: str,
    service_url: str,
    *,
    kind: str = "personal",
    aad: str = MEMBER_AAD,
    tenant: str = TENANT,
    conversation: str | None = None,
    mention: bool = False,
    value: dict | None = None,
) -> dict:
    """A message activity as Teams posts it (personal, groupChat or channel; @mention optional)."""
    number = next(_ids)
    conversation = (
        conversation
        or {
            "personal": f"a:1on1-{aad}",
            "groupChat": "19:group-chat@thread.v2",
            "channel": "19:general@thread.tacv2;messageid=1700000000000",
        }[kind]
    )
    activity = {
        "type": "message",
        "id": f"msg-{number}",
        "timestamp": "2026-11-22T09:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": f"29:user-{aad}", "name": "Kari Nordmann", "aadObjectId": aad},
        "recipient": {"id": BOT_ID, "name": "Rådsbot"},
        "conversation": {
            "id": conversation,
            "conversationType": kind,
            "tenantId": tenant,
            **({"isGroup": True} if kind != "personal" else {}),
        },
        "channelData": {"tenant": {"id": tenant}},
        "text": f"<at>Rådsbot</at> {text}" if mention else text,
        "textFormat": "plain",
        "locale": "nb-NO",
    }
    if mention:
        activity["entities"] = [
            {"type": "mention", "text": "<at>Rådsbot</at>", "mentioned": {"id": BOT_ID, "name": "Rådsbot"}}
        ]
    if value is not None:
        activity["value"] = value
    return activity


def invoke(name: str, value: dict, service_url: str, **kwargs) -> dict:
    """An invoke activity (adaptiveCard/action, fileConsent/invoke) in the same shape."""
    activity = message("", service_url, **kwargs)
    activity.update(type="invoke", name=name, value=value)
    activity.pop("text")
    return activity


def button(verb: str, value: str, service_url: str, **kwargs) -> dict:
    """An Action.Execute click, as Teams sends it."""
    action = {"type": "Action.Execute", "verb": verb, "data": {"action": verb, "value": value}}
    return invoke("adaptiveCard/action", {"action": action, "trigger": "manual"}, service_url, **kwargs)


def post(url: str, activity: dict | bytes, token: str | None = None, timeout: float = 60) -> tuple[int, dict]:
    """POST an activity to the bot's /api/messages; (status, JSON body or {})."""
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url.rstrip("/") + "/api/messages", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read()
            return response.status, (json.loads(data) if data else {})
    except urllib.error.HTTPError as exc:
        data = exc.read()
        try:
            return exc.code, json.loads(data) if data else {}
        except ValueError:
            return exc.code, {"raw": data.decode(errors="replace")}


def get(url: str) -> tuple[int, str]:
    """GET a path of the bot (e.g. /healthz)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class InProcessBot:
    """The aiohttp app of `radsbot teams` (bot.teams.app.build_app) on a free loopback port, in a
    thread with its own event loop."""

    def __init__(self, context, config, engine=None, connections=None):
        from radsbot.bot.teams.app import build_app

        self.loop = asyncio.new_event_loop()
        self.app = build_app(context, config, engine=engine, connections=connections)
        self.url = ""
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from radsbot.bot.teams.server import serve

        asyncio.set_event_loop(self.loop)

        def listening(url: str) -> None:
            self.url = url
            self._ready.set()

        async def main() -> None:
            self._stop = asyncio.Event()
            await serve(self.app, "127.0.0.1", 0, listening, stop=self._stop)

        self.loop.run_until_complete(main())

    def post(self, activity: dict | bytes, token: str | None = None) -> tuple[int, dict]:
        """POST an activity, then wait until the answers made after its 202 are sent."""
        answer = post(self.url, activity, token=token)
        self.wait_idle()
        return answer

    def wait_idle(self, timeout: float = 60) -> None:
        """Wait until no answer is being made in the background (they start before the 202)."""
        from radsbot.bot.teams.app import BOT

        deadline = time.monotonic() + timeout
        while self.app[BOT].later:
            assert time.monotonic() < deadline, "answers still being made"
            time.sleep(0.01)

    def __enter__(self) -> InProcessBot:
        self._thread.start()
        assert self._ready.wait(30), "the Teams app did not start"
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


class TeamsProcess:
    """`radsbot teams --port 0` as a child process; learns its URL from the line it prints."""

    def __init__(self, env: dict[str, str], *args: str):
        radsbot = Path(sys.executable).with_name("radsbot")
        self.command = [str(radsbot), "teams", "--port", "0", "--host", "127.0.0.1", *args]
        self.env = env
        self.lines: list[str] = []
        self.url = ""
        self.process: subprocess.Popen | None = None

    def start(self, wait: float = 60) -> TeamsProcess:
        """Start and wait until it listens; raises with its output if it does not."""
        self.process = subprocess.Popen(self.command, env=self.env, stderr=subprocess.PIPE, text=True)
        ready = threading.Event()

        def read():
            for line in self.process.stderr:
                self.lines.append(line)
                for marker in READY:
                    if marker in line and not ready.is_set():
                        self.url = line.split(marker, 1)[1].split(" ", 1)[0]
                        ready.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + wait
        while not ready.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                time.sleep(0.2)
                raise AssertionError("radsbot teams did not start:\n" + self.output)
        return self

    @property
    def output(self) -> str:
        """What it has written to stderr so far."""
        return "".join(self.lines)

    def stop(self, wait: float = 30) -> int:
        """SIGTERM, then the exit code."""
        if self.process is None:
            return 0
        self.process.terminate()
        try:
            return self.process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def __enter__(self) -> TeamsProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class TokenMint:
    """An RSA key whose public half a loopback JWKS server publishes; mints Bot Framework tokens."""

    ISSUER = "https://api.botframework.com"

    def __init__(self, kid: str = "test-key") -> None:
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        keys = {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}
        body = json.dumps(keys).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.jwks_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/.well-known/keys"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(
        self, audience: str, *, expires_in: int = 3600, key=None, kid: str | None = None, **claims
    ) -> str:
        """A signed token as the Bot Connector sends it (issuer api.botframework.com)."""
        now = int(time.time())
        payload = {
            "iss": self.ISSUER,
            "aud": audience,
            "iat": now - 10,
            "nbf": now - 10,
            "exp": now + expires_in,
            **claims,
        }
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def close(self) -> None:
        """Stop the JWKS server."""
        self.server.shutdown()
        self.server.server_close()


def trust_jwks(jwks_url: str) -> None:
    """Make the SDK fetch Bot Framework signing keys from `jwks_url` (this process only).

    The SDK keeps one PyJWKClient per JWKS address it derives from a token's issuer (for
    api.botframework.com: login.botframework.com/v1/.well-known/keys); that client is replaced by one
    reading the local JWKS. Everything after the key look-up — signature, expiry, audience — is the
    SDK's own code.
    """
    import threading as _threading

    from jwt import PyJWKClient
    from microsoft_agents.hosting.core.authorization import AuthenticationConstants
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator as v

    entry = v._JwkClientCacheEntry(PyJWKClient(jwks_url), _threading.Lock())
    v.JwtTokenValidator._jwk_client_manager._cache[AuthenticationConstants.PUBLIC_ABS_JWKS_URL] = entry


class FixedTokenConnections:
    """The outbound side of production mode without Entra: every token the SDK asks MSAL for is
    `token` (the fake connector records it), while inbound JWT checks use the real configuration."""

    def __init__(self, config, token: str = "outbound-test-token"):
        from microsoft_agents.authentication.msal import MsalConnectionManager
        from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider

        self._manager = MsalConnectionManager(
            CONNECTIONS={"SERVICE_CONNECTION": {"SETTINGS": config.sdk_settings()}}
        )
        configuration = self._manager.get_default_connection_configuration()

        class Provider(AnonymousTokenProvider):
            @property
            def configuration(self):
                return configuration

            async def get_access_token(self, resource_url, scopes, force_refresh=False) -> str:
                return token

        self.provider = Provider()

    def get_connection(self, _name):
        return self.provider

    def get_default_connection(self):
        return self.provider

    def get_token_provider(self, _claims, _service_url):
        return self.provider

    def get_token_provider_from_activity(self, *_args):
        return self.provider

    def get_default_connection_configuration(self):
        return self._manager.get_default_connection_configuration()
