"""`arshjul mail test ADDRESS`: is the SMTP relay reachable and willing?"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from arshjul.commands.common import add_common
from arshjul.system_clock import SystemClock
from config.settings import get_settings
from notifications.sender import send_test


def register(sub: Any) -> None:
    parser = sub.add_parser("mail", help="e-postverktøy")
    mail_sub = parser.add_subparsers(dest="mail_command", required=True, metavar="UNDERKOMMANDO")
    test = mail_sub.add_parser("test", help="send en testmelding og vis svaret fra serveren")
    test.add_argument("address")
    add_common(test)
    test.set_defaults(handler=run_test)


def run_test(args: argparse.Namespace) -> int:
    """Send one test message with the configured SMTP settings and report the server's answer."""
    settings = get_settings()
    try:
        reply = asyncio.run(send_test(args.address, settings.smtp, sent_at=SystemClock().now()))
    except Exception as exc:
        print(
            f"Kunne ikke sende til {args.address} via {settings.smtp.host}:{settings.smtp.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    print(f"Sendt til {args.address} via {settings.smtp.host}:{settings.smtp.port}. Serveren svarte: {reply}")
    return 0
