"""The HTTP connection a thread keeps open to an external SPARQL engine, acknowledging what it reads at once.

An engine that writes its headers and its body in two writes, with Nagle's
algorithm on (Virtuoso 7.2 does, for answers past about 32 KB), holds the body
until the headers are acknowledged; a client that delays its acknowledgements
(Linux does, by up to 40 ms, once a connection is a request-reply exchange)
then waits 40 ms for every such answer. Measured on loopback: a 36 KB answer
of Virtuoso took 60 ms instead of 17. A connection from :func:`open_connection`
asks the kernel for an immediate acknowledgement (``TCP_QUICKACK``, which does
not stay set) before each read of the socket, so the engine never waits for
one. Where the option does not exist (outside Linux) it is an ordinary connection.

:func:`form_encoded` writes a request's fields as ``urllib.parse.urlencode``
does, in one ``str.translate`` instead of a Python step per character (a
page's batch texts took 0.8 ms to encode that way).
"""

from __future__ import annotations

import http.client
import io
import socket

QUICKACK = getattr(socket, "TCP_QUICKACK", None)
_UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
# Each byte (as the latin-1 character of the same number) to what a form writes for it.
_FORM = {byte: chr(byte) if byte in _UNRESERVED else "+" if byte == 0x20 else f"%{byte:02X}" for byte in range(256)}


def form_encoded(fields: list[tuple[str, str]]) -> bytes:
    """``application/x-www-form-urlencoded`` fields, byte for byte as ``urllib.parse.urlencode`` writes them.

    >>> import urllib.parse
    >>> fields = [("query", "SELECT * { ?s ?p 'é ~ & = + %' }"), ("timeout", "2500")]
    >>> form_encoded(fields) == urllib.parse.urlencode(fields).encode()
    True
    """
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in fields).encode("ascii")


def _quoted(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_FORM)


class _QuickAckReader(io.RawIOBase):
    """The socket's bytes, each read preceded by a request for immediate acknowledgements."""

    def __init__(self, sock: socket.socket):
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            self._sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)
        except OSError:  # closed under us: the read below says so
            pass
        return self._sock.recv_into(buffer)


def quick_ack_reader(sock: socket.socket, size: int = io.DEFAULT_BUFFER_SIZE) -> io.BufferedReader:
    """A buffered reader of ``sock`` that asks for an immediate acknowledgement before each read
    (an ordinary one where the option does not exist)."""
    return io.BufferedReader(_QuickAckReader(sock) if QUICKACK is not None else socket.SocketIO(sock, "rb"), size)


class _QuickAckSocket:
    """A socket whose ``makefile("rb")`` (how http.client reads a response) is a :func:`quick_ack_reader`."""

    def __init__(self, sock: socket.socket):
        self._sock = sock

    def makefile(self, mode: str = "r", *args, **kwargs):
        if mode != "rb":
            return self._sock.makefile(mode, *args, **kwargs)
        return quick_ack_reader(self._sock)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _QuickAckMixin:
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if QUICKACK is not None:
            self.sock = _QuickAckSocket(self.sock)


class QuickAckHTTPConnection(_QuickAckMixin, http.client.HTTPConnection):
    pass


class QuickAckHTTPSConnection(_QuickAckMixin, http.client.HTTPSConnection):
    pass


def open_connection(scheme: str, host: str, port: int | None, timeout: float) -> http.client.HTTPConnection:
    """A keep-alive HTTP(S) connection to the engine (connected on its first request)."""
    kind = QuickAckHTTPSConnection if scheme == "https" else QuickAckHTTPConnection
    return kind(host, port, timeout=timeout)
