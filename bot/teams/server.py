"""Serving the Teams app: aiohttp on host and port until SIGTERM or Ctrl-C, answers in progress finished."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from aiohttp import web

# Time given to requests in progress when asked to stop (the SDK answers after the whole turn).
DRAIN_SECONDS = 25


async def serve(
    app: web.Application,
    host: str,
    port: int,
    listening: Callable[[str], None],
    stop: asyncio.Event | None = None,
) -> None:
    """Listen until `stop` is set (by default: SIGTERM or SIGINT); `listening` gets the URL once the
    socket is bound (port 0 allowed)."""
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=DRAIN_SECONDS, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sockets = getattr(site._server, "sockets", None)
    if not sockets:
        raise RuntimeError("the Teams server did not bind a socket")
    bound = sockets[0].getsockname()  # the real port when 0 was asked for
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    listening(f"http://{shown}:{bound[1]}")
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
