"""A fake chat engine with canned replies, for tests that need replies under their control.

It keeps the Engine contract (answer, action, home) and records every call. Some texts trigger
special replies: "feil …" raises, "privat …" is ephemeral, "stor …" is far beyond Slack's block
limit, "krasj …" ends the whole process (only for tests of worker processes), anything else is
an indicator card with a "Vis graf" button.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib

from radsbot.bot.replies import Attachment, Button, Fact, Reply, Section


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid, small grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def card(code: str) -> Reply:
    """An indicator card like the core's: facts, a notice, a chart button and small print."""
    return Reply(
        title=f"{code}: Pasientens legemiddelliste",
        summary=f"{code}: 27,4 % (3. kvartal 2026), på vei mot ambisjonen",
        notice="Tallene er eksempeldata.",
        sections=(
            Section(
                heading="Mål 2: Sammenhengende tjenester",
                facts=(
                    Fact("Siste verdi", "27,4 % (3. kvartal 2026)"),
                    Fact("Endring", "+3,1 prosentpoeng siden 2. kvartal 2026"),
                    Fact("Ambisjon", "80 % innen desember 2029 (foreslått)"),
                    Fact("Vurdering", "I rute"),
                ),
                buttons=(Button("Vis graf", "show_chart", code, "primary"),),
                context="Kilde: Norsk helsenett & FHI <eksempeldata>",
            ),
        ),
    )


class FakeEngine:
    """Canned replies in the shape of the real Engine; records (method, args) of every call."""

    def __init__(self, context=None, today=None):
        self.calls: list[tuple[str, str, str, str]] = []
        self._lock = threading.Lock()

    def _record(self, *call: str) -> None:
        with self._lock:
            self.calls.append(call)

    def answer(self, text: str, user: str = "") -> Reply:
        """An answer to any chat text."""
        self._record("answer", text, "", user)
        word = text.split()[0].lower() if text.split() else ""
        if word == "feil":
            raise RuntimeError("the engine failed on purpose")
        if word == "krasj":
            os._exit(3)
        if word == "privat":
            return Reply(
                title="Ikke tilgang", summary="Du har ikke tilgang til dette.", kind="refused", ephemeral=True
            )
        if word == "stor":
            sections = tuple(
                Section(heading=f"Mål {i}", text="Status " * 50, items=(f"Punkt {i}",)) for i in range(120)
            )
            return Reply(title="Stor oversikt", summary="Oversikt over 120 mål", sections=sections)
        return card(text.split()[-1].upper() if text.split() else "PLL")

    def action(self, action: str, value: str, user: str = "") -> Reply:
        """A button click: show_chart gives a PNG attachment."""
        self._record("action", action, value, user)
        if action == "show_chart":
            return Reply(
                title=f"Utvikling for {value}",
                summary=f"Graf for {value}",
                attachments=(Attachment(f"{value.lower()}.png", f"Utvikling for {value}", tiny_png()),),
            )
        return Reply(title=f"Utført: {action}", summary=f"{action} {value}")

    def home(self, user: str = "") -> Reply:
        """The App Home overview."""
        self._record("home", "", "", user)
        return Reply(
            title="Oversikt: nasjonal e-helsestrategi",
            summary="3 i rute, 2 ikke i rute",
            sections=tuple(
                Section(
                    heading=f"Mål {i}",
                    facts=(Fact("I rute", str(i)),),
                    buttons=(Button("Vis graf", "show_chart", f"M{i}"),),
                )
                for i in range(1, 6)
            ),
        )


class BlockingEngine(FakeEngine):
    """Answers only when the test releases it, to show that Slack is acknowledged first."""

    def __init__(self, context=None, today=None):
        super().__init__(context, today)
        self.entered = threading.Event()
        self.release = threading.Event()

    def answer(self, text: str, user: str = "") -> Reply:
        """Wait for `release`, then answer as the fake does."""
        self.entered.set()
        if not self.release.wait(timeout=30):
            raise TimeoutError("the test never released the engine")
        return super().answer(text, user)
