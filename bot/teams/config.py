"""What `radsbot teams` needs from the settings: the bot's Entra app or anonymous mode, and the tenants.

Read from `Settings` (bot/settings.py reads the environment); a configuration that cannot run is a
`TeamsConfigProblem` whose Norwegian message names each variable to set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from radsbot.bot.settings import TEAMS_PREFIX, Settings
from radsbot.data.errors import DomainError
from radsbot.data.words import Message, join, msg

DEFAULT_PORT = 3978
# The SDK's own reading of ANONYMOUS_ALLOWED: anything else is "no".
TRUE_WORDS = ("true", "1")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class TeamsConfigProblem(DomainError):
    """The Teams configuration cannot run; the message says what to set."""


@dataclass(frozen=True)
class TeamsConfig:
    """How the Teams bot authenticates, whom it serves and where it listens."""

    anonymous: bool
    client_id: str = ""
    client_secret: str = ""
    tenant_id: str = ""
    auth_type: str = ""
    tenants: frozenset[str] = frozenset()  # empty: every tenant (anonymous mode only)
    check_service_url: bool = True
    port: int = DEFAULT_PORT

    def allows_tenant(self, tenant: str | None) -> bool:
        """Whether a request from this tenant is served."""
        if not self.tenants:
            return True
        return tenant is not None and tenant.strip().lower() in self.tenants

    def sdk_settings(self) -> dict[str, str]:
        """The SERVICE_CONNECTION settings as the Agents SDK reads them."""
        if self.anonymous and not self.client_id:
            return {"ANONYMOUS_ALLOWED": "true"}
        found = {
            "CLIENTID": self.client_id,
            "CLIENTSECRET": self.client_secret,
            "TENANTID": self.tenant_id,
            "AUTHTYPE": self.auth_type,
            "ANONYMOUS_ALLOWED": "true" if self.anonymous else "false",
        }
        return {key: value for key, value in found.items() if value}


def teams_config(settings: Settings, port: int | None = None) -> TeamsConfig:
    """The Teams configuration from the settings.

    Raises:
        TeamsConfigProblem: credentials missing (outside anonymous mode) or a tenant id malformed.
    """
    anonymous = settings.teams_anonymous_allowed.strip().lower() in TRUE_WORDS
    secret = settings.teams_client_secret.get_secret_value().strip() if settings.teams_client_secret else ""
    given = {
        TEAMS_PREFIX + "CLIENTID": settings.teams_client_id.strip(),
        TEAMS_PREFIX + "CLIENTSECRET": secret,
        TEAMS_PREFIX + "TENANTID": settings.teams_tenant_id.strip(),
    }
    missing = [name for name, value in given.items() if not value]
    if missing and not anonymous:
        raise TeamsConfigProblem(_missing(missing))
    tenants = _tenants(settings.teams_tenants)
    own = settings.teams_tenant_id.strip().lower()
    if not tenants and own and not anonymous:
        tenants = frozenset({own})  # a single-tenant bot serves its own organisation by default
    chosen = port if port is not None else (settings.port if "port" in settings.model_fields_set else None)
    return TeamsConfig(
        anonymous=anonymous,
        client_id=given[TEAMS_PREFIX + "CLIENTID"],
        client_secret=secret,
        tenant_id=given[TEAMS_PREFIX + "TENANTID"],
        auth_type=settings.teams_auth_type.strip(),
        tenants=tenants,
        # Local development posts to a loopback connector, which the host check refuses.
        check_service_url=settings.teams_check_service_url and not anonymous,
        port=DEFAULT_PORT if chosen is None else chosen,
    )


def _tenants(text: str) -> frozenset[str]:
    """The allow-list RADSBOT_TEAMS_TENANTS: tenant ids (GUIDs), separated by commas or spaces."""
    found = {part.strip().lower() for part in re.split(r"[,\s]+", text) if part.strip()}
    wrong = sorted(t for t in found if not GUID.match(t))
    if wrong:
        raise TeamsConfigProblem(
            msg(
                "RADSBOT_TEAMS_TENANTS=«{value}» is not a list of tenant ids. Write the Entra tenant ids "
                "(GUIDs such as 72f988bf-86f1-41af-91ab-2d7cd011db47), separated by commas.",
                value=wrong[0][:80],
            )
        )
    return frozenset(found)


def _missing(names: list[str]) -> Message:
    """What to set for production, and how to run locally without Azure."""
    lines = [msg("Teams is not set up: {names} must be set.", names=", ".join(names))]
    lines.append(
        msg(
            "Set the bot's Entra app registration (Azure Bot, single tenant) in the environment, e.g.\n"
            "  export {prefix}CLIENTID=…      (Application (client) ID)\n"
            "  export {prefix}CLIENTSECRET=…  (Certificates & secrets)\n"
            "  export {prefix}TENANTID=…      (Directory (tenant) ID)\n"
            "To try it locally without Azure, set {prefix}ANONYMOUS_ALLOWED=true (unauthenticated).",
            prefix=TEAMS_PREFIX,
        )
    )
    return join(*lines, sep="\n")
