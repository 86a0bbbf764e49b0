"""HTTP servers: gunicorn for production, werkzeug's threaded server for the demo."""

from __future__ import annotations

import errno
import signal
import socket

from flask import Flask

# The access log's line: the path without its query string (%(U)s, not the request line %(r)s) and no
# Referer. A callback's query carries its signature, timestamp and nonce, and a dashboard sign-in's the
# OAuth code; none of it belongs in a log file that more people read than the secrets' owners.
ACCESS_LOG_FORMAT = '%(h)s %(t)s %(p)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


class PortUnavailable(Exception):
    """The address cannot be listened on; the message says why and how to choose another (Chinese)."""


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, or PortUnavailable saying why not and naming --port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = f"端口 {port} 已被占用（{host}:{port}；也许另一个投稿通还在运行）"
        elif exc.errno == errno.EACCES:
            why = f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限）"
        else:
            why = f"无法在 {host}:{port} 监听：{exc.strerror or exc}（请检查 --host）"
        other = port + 1 if 1024 <= port < 65535 else 8000
        raise PortUnavailable(f"{why}。请用 --port 换一个端口，例如 --port {other}。") from None


def run_gunicorn(host: str, port: int, workers: int) -> None:
    """Serve `create_app()` with gunicorn; each worker builds its own app (and database pool)."""
    from gunicorn.app.base import BaseApplication

    class TougaoServer(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", 30)
            self.cfg.set("graceful_timeout", 20)  # SIGTERM lets requests in flight finish
            self.cfg.set("accesslog", "-")
            self.cfg.set("access_log_format", ACCESS_LOG_FORMAT)

        def load(self) -> Flask:
            from bot import create_app
            from senders.redact import install_log_redaction

            install_log_redaction()  # gunicorn's own handlers exist by now
            return create_app()

    TougaoServer().run()


def run_dev_server(app: Flask, listening: socket.socket) -> None:
    """A threaded werkzeug server on a socket already listening (see listen()) that stops cleanly on
    SIGTERM and Ctrl+C."""
    from werkzeug.serving import make_server

    host, port = listening.getsockname()[:2]
    server = make_server(host, port, app, threaded=True, fd=listening.fileno())  # werkzeug keeps a dup
    listening.close()

    def _stop(*_args) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
