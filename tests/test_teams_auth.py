"""Production configuration: every request needs a valid Bot Framework token (401 before any
handler runs), and only the allowed tenants are served. Tokens are minted here with a local RSA
key whose JWKS a loopback server publishes; the SDK's own validator checks them."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from radsbot.bot.bootstrap import Context
from radsbot.bot.engine import Engine
from radsbot.bot.settings import Settings
from radsbot.bot.teams.config import teams_config
from radsbot.data.models import AuditLog
from sqlalchemy import func, select

from tests.conftest import CHAT_TODAY
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_bot import (
    OTHER_TENANT,
    TENANT,
    FixedTokenConnections,
    InProcessBot,
    TokenMint,
    message,
    trust_jwks,
)

APP_ID = "0a1b2c3d-0000-4000-8000-00000000a11d"
PRODUCTION = {
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP_ID,
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret-0123456789",
    "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": TENANT,
    # The fake connector is on loopback, which the SDK's outbound host check refuses (tested below).
    "RADSBOT_TEAMS_CHECK_SERVICE_URL": "false",
}


class CountingEngine(Engine):
    """The real engine, counting the questions that reach it."""

    calls = 0

    def answer(self, text, user=""):
        CountingEngine.calls += 1
        return super().answer(text, user)


@pytest.fixture(scope="module")
def mint():
    minted = TokenMint()
    trust_jwks(minted.jwks_url)
    yield minted
    minted.close()


@pytest.fixture
def connector():
    with FakeBotConnector() as fake:
        yield fake


def start(db_url: str, **extra: str) -> tuple[Context, InProcessBot]:
    context = Context(Settings(DATABASE_URL=db_url, **(PRODUCTION | extra)))
    config = teams_config(context.settings)
    CountingEngine.calls = 0
    engine = CountingEngine(context, today=lambda: CHAT_TODAY)
    return context, InProcessBot(context, config, engine, connections=FixedTokenConnections(config))


@pytest.fixture
def bot(db_url):
    context, server = start(db_url)
    with server:
        yield server
    context.close()


def refused_without_a_turn(connector: FakeBotConnector, status: int, expected: int = 401) -> None:
    assert status == expected
    assert CountingEngine.calls == 0
    assert not connector.received


@pytest.mark.slow
def test_a_valid_token_is_answered_and_outbound_calls_carry_the_bots_token(bot, mint, connector, session):
    token = mint.token(APP_ID, serviceurl=connector.url)
    status, _ = bot.post(message("status PLL", connector.url), token=token)
    assert status == 202
    assert CountingEngine.calls == 1
    (posted,) = connector.received
    assert posted.headers["authorization"] == "Bearer outbound-test-token"
    assert "Pasientens legemiddelliste" in posted.body.decode()


@pytest.mark.slow
def test_no_token_is_401(bot, connector):
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url))[0])


@pytest.mark.slow
@pytest.mark.parametrize("token", ["garbage", "a.b.c", "Bearer", "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0."])
def test_a_garbage_token_is_401(bot, connector, token):
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_an_unsigned_forgery_is_401(bot, connector):
    import jwt

    forged = jwt.encode({"iss": TokenMint.ISSUER, "aud": APP_ID}, key="", algorithm="none")
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=forged)[0])


@pytest.mark.slow
def test_a_token_signed_with_another_key_is_401(bot, mint, connector):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = mint.token(APP_ID, key=other, serviceurl=connector.url)
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_a_token_for_another_key_id_is_401(bot, mint, connector):
    token = mint.token(APP_ID, kid="unknown-key", serviceurl=connector.url)
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_a_token_for_another_audience_is_401(bot, mint, connector):
    token = mint.token("ffffffff-0000-4000-8000-000000000000", serviceurl=connector.url)
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_an_expired_token_is_401(bot, mint, connector):
    token = mint.token(APP_ID, expires_in=-(10 * 60), serviceurl=connector.url)  # beyond the 5 min leeway
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_a_token_for_another_service_url_is_refused(bot, mint, connector):
    token = mint.token(APP_ID, serviceurl="https://smba.trafficmanager.net/emea/")
    refused_without_a_turn(connector, bot.post(message("status PLL", connector.url), token=token)[0])


@pytest.mark.slow
def test_a_foreign_tenant_is_refused_before_any_handler(bot, mint, connector, session):
    before = session.scalar(select(func.count()).select_from(AuditLog))
    token = mint.token(APP_ID, serviceurl=connector.url)
    sent = message("status PLL", connector.url, tenant=OTHER_TENANT)
    refused_without_a_turn(connector, bot.post(sent, token=token)[0], expected=403)
    assert session.scalar(select(func.count()).select_from(AuditLog)) == before


@pytest.mark.slow
def test_the_allow_list_can_name_several_tenants(db_url, mint, connector):
    context, server = start(db_url, RADSBOT_TEAMS_TENANTS=f"{TENANT}, {OTHER_TENANT.upper()}")
    with server:
        token = mint.token(APP_ID, serviceurl=connector.url)
        assert server.post(message("status PLL", connector.url, tenant=OTHER_TENANT), token=token)[0] == 202
    assert CountingEngine.calls == 1
    context.close()


@pytest.mark.slow
def test_the_outbound_host_check_refuses_a_loopback_service_url(db_url, mint, connector):
    context, server = start(db_url, RADSBOT_TEAMS_CHECK_SERVICE_URL="true")
    with server:
        token = mint.token(APP_ID, serviceurl=connector.url)
        status = server.post(message("status PLL", connector.url), token=token)[0]
    refused_without_a_turn(connector, status)
    context.close()


@pytest.mark.slow
def test_tokens_are_checked_again_on_every_request(bot, mint, connector):
    good = mint.token(APP_ID, serviceurl=connector.url)
    assert bot.post(message("status PLL", connector.url), token=good)[0] == 202
    status = bot.post(message("status PLL", connector.url), token=good[:-4] + "AAAA")[0]
    assert status == 401
    assert CountingEngine.calls == 1
