"""HTTP servers: gunicorn for production, werkzeug's threaded server for the demo."""

from __future__ import annotations

import signal

from flask import Flask

# The access log's line: the path without its query string (%(U)s, not the request line %(r)s) and no
# Referer. A callback's query carries its signature, timestamp and nonce, and a dashboard sign-in's the
# OAuth code; none of it belongs in a log file that more people read than the secrets' owners.
ACCESS_LOG_FORMAT = '%(h)s %(t)s %(p)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


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


def run_dev_server(app: Flask, host: str, port: int) -> None:
    """A threaded werkzeug server that stops cleanly on SIGTERM and Ctrl+C."""
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)

    def _stop(*_args) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
