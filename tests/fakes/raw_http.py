"""Hostile HTTP clients over raw sockets: idle and half-sent connections, requests no library
would send (bad request lines, huge declared or streamed bodies), and the server's answer."""

from __future__ import annotations

import contextlib
import http.client
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

CHUNK = 64 * 1024


def address(url: str) -> tuple[str, int]:
    """Host and port of a URL."""
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def read_status(sock: socket.socket) -> int | None:
    """The status of the response on `sock`, or None when the server reset the connection."""
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        response.read()
    except (ConnectionError, http.client.HTTPException):
        return None
    return response.status


def raw_request(url: str, data: bytes, timeout: float = 10) -> int | None:
    """Send `data` as it is on a new connection and return the status of the answer."""
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sock.sendall(data)
        return read_status(sock)


def request_head(url: str, method: str = "POST", headers: dict[str, str] | None = None) -> bytes:
    """A request line and headers for the URL's path, ending with the blank line."""
    host, port = address(url)
    lines = [f"{method} {urlsplit(url).path or '/'} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunked(data: bytes) -> bytes:
    """`data` as one chunk of a chunked body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def throw_body(url: str, size: int, *, declared: bool, timeout: float = 30) -> int | None:
    """Stream an unsigned body of `size` bytes (declared by Content-Length, or chunked) until the
    server stops reading; returns the server's status, or None when it reset the connection."""
    headers = {"Content-Type": "application/json"}
    headers.update({"Content-Length": str(size)} if declared else {"Transfer-Encoding": "chunked"})
    block = b"x" * CHUNK if declared else chunked(b"x" * CHUNK)
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sent = 0
        try:
            sock.sendall(request_head(url, headers=headers))
            while sent < size:
                sock.sendall(block)
                sent += CHUNK
            if not declared:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server refused the body and closed: what it answered is read below
        return read_status(sock)


@contextlib.contextmanager
def idle_connections(url: str, count: int, half_sent: bool = True) -> Iterator[list[socket.socket]]:
    """Hold `count` connections open that never finish a request: half of them send nothing,
    the other half (with `half_sent`) only the start of a request line, like a slow client."""
    sockets: list[socket.socket] = []
    try:
        for n in range(count):
            sock = socket.create_connection(address(url), timeout=10)
            if half_sent and n % 2:
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nContent-Type: appl")
            sockets.append(sock)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def closed_by_server(sock: socket.socket, timeout: float) -> bool:
    """Whether the server closes `sock` (end of stream or a reset) before `timeout` seconds."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
