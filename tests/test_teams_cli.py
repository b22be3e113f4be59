"""`radsbot teams`: what it needs to start (exit 2 and a Norwegian message without it), the loud
warning in anonymous mode, the real process answering over HTTP, and Teams users' roles."""

from __future__ import annotations

import os

import pytest
from radsbot.bot.settings import Settings
from radsbot.bot.teams.config import DEFAULT_PORT, TeamsConfigProblem, teams_config
from radsbot.data.access import role_of

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_bot import STAFF_AAD, TENANT, TeamsProcess, get, message, post

PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
APP = {PREFIX + "CLIENTID": "0a1b2c3d-0000-4000-8000-00000000a11d", PREFIX + "TENANTID": TENANT}


def test_without_any_teams_variable_it_says_what_to_set_and_exits_2(cli):
    code, _, err = cli("teams")
    assert code == 2
    assert "Teams er ikke satt opp" in err
    for name in ("CLIENTID", "CLIENTSECRET", "TENANTID", "ANONYMOUS_ALLOWED=true"):
        assert PREFIX + name in err
    assert "Traceback" not in err


def test_a_missing_secret_is_named_alone(cli):
    code, _, err = cli("teams", **APP)
    assert code == 2
    assert f"{PREFIX}CLIENTSECRET må settes" in err
    assert f"{PREFIX}CLIENTID," not in err.split("\n")[0]


def test_a_malformed_tenant_list_exits_2(cli):
    code, _, err = cli("teams", **{PREFIX + "ANONYMOUS_ALLOWED": "true", "RADSBOT_TEAMS_TENANTS": "contoso"})
    assert code == 2
    assert "RADSBOT_TEAMS_TENANTS=«contoso»" in err


@pytest.mark.parametrize("value", ["yes", "on", "True ", "false", ""])
def test_only_true_or_1_turn_anonymous_mode_on(value):
    settings = Settings(**{PREFIX + "ANONYMOUS_ALLOWED": value})
    if value.strip().lower() == "true":
        assert teams_config(settings).anonymous
    else:
        with pytest.raises(TeamsConfigProblem):
            teams_config(settings)


def test_production_serves_its_own_tenant_by_default_and_checks_service_urls():
    config = teams_config(Settings(**APP, **{PREFIX + "CLIENTSECRET": "s"}))
    assert not config.anonymous and config.check_service_url
    assert config.allows_tenant(TENANT.upper())
    assert not config.allows_tenant("99999999-8888-4777-8666-555555555555")
    assert not config.allows_tenant("")
    assert config.port == DEFAULT_PORT


def test_port_comes_from_port_or_the_option():
    settings = Settings(**{PREFIX + "ANONYMOUS_ALLOWED": "1", "PORT": "5005"})
    assert teams_config(settings).port == 5005
    assert teams_config(settings, port=0).port == 0


def test_teams_users_get_roles_by_their_entra_object_id(cli, session):
    upper = f"aad:{STAFF_AAD.upper()}"
    code, out, _ = cli("access", "grant", upper, "staff", "--name", "Kari")
    assert code == 0 and f"aad:{STAFF_AAD}" in out
    assert role_of(session, f"aad:{STAFF_AAD}").name == "STAFF"
    code, out, _ = cli("access", "list")
    assert f"aad:{STAFF_AAD} staff   Kari" in out
    assert cli("access", "revoke", upper)[0] == 0
    assert role_of(session, f"aad:{STAFF_AAD}").name == "MEMBER"


@pytest.mark.parametrize("bad", ["aad:kari", "aad:", "AAD:1234", f"aad:{STAFF_AAD}x"])
def test_a_malformed_teams_user_id_is_refused(cli, bad):
    code, _, err = cli("access", "grant", bad, "staff")
    assert code == 1
    assert "ikke en Teams-bruker-ID" in err


def test_radsbot_admins_holds_teams_ids_in_any_case(session):
    settings = Settings(RADSBOT_ADMINS=f"U01ABC, AAD:{STAFF_AAD.upper()}")
    assert settings.admins == ("U01ABC", f"aad:{STAFF_AAD}")
    assert role_of(session, f"aad:{STAFF_AAD}", settings.admins).name == "ADMIN"


def test_info_names_the_teams_variables_with_the_secret_masked(cli):
    code, out, _ = cli("info", **APP, **{PREFIX + "CLIENTSECRET": "very-secret-value-1234"})
    assert code == 0
    assert PREFIX + "CLIENTID" in out and "very-secret-value" not in out


def test_the_manifest_command_writes_the_app_package(cli, tmp_path):
    pytest.importorskip("radsbot.bot.teams.manifest")
    import zipfile

    out = tmp_path / "radsbot-teams.zip"
    app_id = APP[PREFIX + "CLIENTID"]
    code, _, err = cli(
        "teams", "manifest", "--app-id", app_id, "--host", "radsbot.example.no", "--out", str(out)
    )
    assert code == 0, err
    with zipfile.ZipFile(out) as package:
        assert "manifest.json" in package.namelist()
        assert app_id in package.read("manifest.json").decode()


@pytest.mark.slow
def test_radsbot_teams_runs_anonymously_with_a_loud_warning_and_answers(db_url):
    env = {**os.environ, "DATABASE_URL": db_url, PREFIX + "ANONYMOUS_ALLOWED": "true"}
    env.pop("PORT", None)
    with FakeBotConnector() as connector, TeamsProcess(env) as bot:
        assert "UTEN AUTENTISERING" in bot.output
        assert get(bot.url + "/healthz") == (200, "ok")
        assert post(bot.url, message("hva er ambisjonen for PLL?", connector.url))[0] == 202
        (answer,) = connector.wait(1)
        assert "Ambisjon" in str(answer)
        code = bot.stop()
    assert code == 0
    assert "Stopper." in bot.output
    assert "Traceback" not in bot.output


@pytest.mark.slow
def test_radsbot_teams_in_production_refuses_unauthenticated_requests(db_url):
    env = {**os.environ, "DATABASE_URL": db_url, **APP, PREFIX + "CLIENTSECRET": "not-a-real-secret"}
    with FakeBotConnector() as connector, TeamsProcess(env) as bot:
        assert "UTEN AUTENTISERING" not in bot.output
        assert post(bot.url, message("status PLL", connector.url))[0] == 401
        assert get(bot.url + "/healthz")[0] == 200
        assert not connector.received
