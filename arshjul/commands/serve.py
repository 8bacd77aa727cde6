"""`arshjul serve`: embedded mode — web app, scheduler and Prefect's local API in one process."""

from __future__ import annotations

import argparse
import logging
from typing import Any

import uvicorn

from arshjul.commands.common import add_common, runtime
from arshjul.prefect_api import prefect_api
from arshjul.scheduler import start_scheduler
from notifications.catcher import MailCatcher
from tasks.runtime import install_runtime
from web.app import create_app

log = logging.getLogger(__name__)


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="start nettsiden og planleggeren (innebygd modus)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve the app with an in-process scheduler; Ctrl-C stops the web server, scheduler and Prefect API."""
    rt = runtime()
    install_runtime(rt)
    if rt.settings.env == "production" and not rt.settings.base_url.startswith("https://"):
        log.warning("ARSHJUL_BASE_URL er ikke https: innloggingen sendes ukryptert og øktkapselen er ikke Secure")
    catcher = None
    if rt.settings.mail_catcher and rt.settings.env != "production":
        catcher = MailCatcher(
            host=rt.settings.smtp.host, port=rt.settings.smtp.port, store_dir=rt.settings.data_dir / "mail"
        )
        catcher.start()
        print(f"E-postfanger på {rt.settings.smtp.host}:{catcher.port}; innboks: {rt.settings.base_url}/innboks")
    try:
        with prefect_api(rt.settings) as api_url:
            scheduler = start_scheduler(rt) if rt.settings.scheduler_enabled else None
            print(f"Prefect API: {api_url}")
            print(f"Årshjul kjører på http://{args.host}:{args.port} – Ctrl-C for å stoppe.")
            try:
                server = uvicorn.Server(
                    uvicorn.Config(
                        create_app(rt, catcher=catcher),
                        host=args.host,
                        port=args.port,
                        log_level="warning",
                        proxy_headers=False,  # the app trusts X-Forwarded-For only from ARSHJUL_AUTH__TRUSTED_PROXIES
                    )
                )
                server.run()
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=True)
    finally:
        if catcher is not None:
            catcher.stop()
    print("Stoppet.")
    return 0
