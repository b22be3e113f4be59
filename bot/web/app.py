"""The dashboard as a WSGI application: routing, language, security headers and error pages.

Read-only and public: GET and HEAD only (any other method is 405), no login, no cookies, and
nothing staff-only (see `radsbot.data.public`). Every response carries the same hardened headers;
an unknown address is a 404 page in the reader's language (bokmål unless English is asked for),
and a failure is a 500 page with no trace of the error, which goes to the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

from markupsafe import Markup
from radsbot.bot.bootstrap import Context
from radsbot.bot.web import views
from radsbot.bot.web.render import Renderer
from radsbot.bot.web.texts import LANGUAGES, TEXTS
from radsbot.data.db import Session
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, MapAdapter, Rule
from werkzeug.wrappers import Request, Response

log = logging.getLogger(__name__)

READ = ["GET", "HEAD"]
# No script at all, styles and images only from this site (data: for the design system's icons),
# no framing, no form posts elsewhere.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

URLS = Map(
    [
        Rule("/", endpoint="overview", methods=READ),
        Rule("/mal/<code>", endpoint="goal", methods=READ),
        Rule("/mal/<code>/graf.<any(png,svg):image>", endpoint="goal_chart", methods=READ),
        Rule("/indikator/<code>", endpoint="indicator", methods=READ),
        Rule("/indikator/<code>/graf.<any(png,svg):image>", endpoint="indicator_chart", methods=READ),
        Rule("/indikator/<code>/verdier.csv", endpoint="indicator_csv", methods=READ),
        Rule("/nedlasting/indikatorer.xlsx", endpoint="indicators_xlsx", methods=READ),
        Rule("/moter", endpoint="meetings", methods=READ),
        # Ids fit PostgreSQL's INTEGER; a larger number is no page rather than a database error.
        Rule("/moter/<int(max=2147483647):meeting_id>", endpoint="meeting", methods=READ),
        Rule("/saker/<int(max=2147483647):case_id>", endpoint="case", methods=READ),
        Rule("/static/<name>", endpoint="static", methods=READ),
    ],
    strict_slashes=False,
)


@dataclass
class Page:
    """What a view needs for one request: the session, the day, the language and the URLs."""

    request: Request
    db: Session | None  # None on the error page, which is made without the database
    today: dt.date
    lang: str
    chosen: bool  # the reader chose the language with ?lang=, so links keep it
    urls: MapAdapter
    renderer: Renderer
    timezone: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def session(self) -> Session:
        """The request's database session (the error page has none)."""
        if self.db is None:
            raise RuntimeError("the error page has no database session")
        return self.db

    @property
    def texts(self) -> dict[str, str]:
        """The page's words in the reader's language."""
        return TEXTS[self.lang]

    @property
    def stored(self) -> Markup:
        """The attribute that marks stored (bokmål) text on a page in another language."""
        return Markup(' lang="nb"') if self.lang != "nb" else Markup("")

    def url(self, endpoint: str, **values) -> str:
        """A link within the dashboard, keeping a language the reader chose."""
        if self.chosen:
            values.setdefault("lang", self.lang)
        return self.urls.build(endpoint, values)

    def switch_url(self) -> str:
        """This page in the other language."""
        args = {k: v for k, v in self.request.args.items() if k != "lang"}
        args["lang"] = self.texts["other_lang"]
        try:
            endpoint, values = self.urls.match()
        except HTTPException:  # an error page: the overview in the other language
            endpoint, values, args = "overview", {}, {"lang": args["lang"]}
        return self.urls.build(endpoint, {**values, **args})

    def render(self, template: str, status: int = 200, **data) -> Response:
        """An HTML page from a template."""
        html = self.renderer.render(template, page=self, t=self.texts, **data)
        return Response(html, status=status, mimetype="text/html")


class Dashboard:
    """The WSGI application of the public dashboard."""

    def __init__(self, ctx: Context, *, today: Callable[[], dt.date] | None = None):
        self.ctx = ctx
        self.today = today or ctx.today
        self.renderer = Renderer()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        response = self._respond(request)
        response.headers.update(SECURITY_HEADERS)
        return response(environ, start_response)

    def _respond(self, request: Request) -> Response:
        urls = URLS.bind_to_environ(request.environ)
        lang, chosen = negotiate(request)
        try:
            endpoint, values = urls.match()
        except MethodNotAllowed:
            log.warning(
                "Refused %s %r from %s: 405 only GET and HEAD",
                request.method,
                request.path[:100],
                request.remote_addr,
            )
            return self._error(request, urls, lang, chosen, 405, {"Allow": "GET, HEAD"})
        except NotFound:
            return self._error(request, urls, lang, chosen, 404)
        except HTTPException as exc:  # a redirect (a trailing slash): werkzeug's own response
            return exc.get_response(request.environ)
        try:
            if endpoint == "static":
                return static(values["name"])
            with self.ctx.sessions() as session:
                page = self._page(request, session, urls, lang, chosen)
                response = getattr(views, endpoint)(page, **values)
        except NotFound:
            return self._error(request, urls, lang, chosen, 404)
        except Exception:
            log.exception("The dashboard failed on %s %r", request.method, request.path[:100])
            return self._error(request, urls, lang, chosen, 500)
        if not chosen:
            response.vary.add("Accept-Language")
        return response

    def _page(self, request, session, urls, lang: str, chosen: bool) -> Page:
        return Page(
            request, session, self.today(), lang, chosen, urls, self.renderer, self.ctx.settings.timezone
        )

    def _error(self, request, urls, lang, chosen, status: int, headers: dict | None = None) -> Response:
        """The error page, made without the database (it may be what failed)."""
        page = Page(request, None, self.today(), lang, chosen, urls, self.renderer, "")
        key = {404: "not_found", 405: "method", 500: "error"}[status]
        response = page.render("error.html", status=status, key=key)
        response.headers.update(headers or {})
        return response


def negotiate(request: Request) -> tuple[str, bool]:
    """The reader's language: ?lang=nb|en when valid (other values are ignored), else the
    browser's Accept-Language (Norwegian in any form is bokmål), else bokmål."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked, True
    best = request.accept_languages.best_match(["nb", "no", "nn", "en"], default="nb")
    return ("en" if best == "en" else "nb"), False


def static(name: str) -> Response:
    """A file of the package's static folder (the design system's CSS and ours)."""
    folder = resources.files("radsbot.bot.web") / "static"
    suffix = name[name.rfind(".") :] if "." in name else ""
    candidate = folder / name
    if suffix not in STATIC_TYPES or name.startswith(".") or not candidate.is_file():
        raise NotFound()
    response = Response(candidate.read_bytes(), content_type=STATIC_TYPES[suffix])
    # File names carry the version (designsystemet-css-1.22.0.css), so a day's caching is safe.
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
