"""`arshjul dispatch [--as-of]`: run the dispatcher once, as the scheduler would."""

from __future__ import annotations

import argparse
import json
from typing import Any

from arshjul.commands.common import add_common, moment, runtime
from arshjul.prefect_api import prefect_api
from tasks.runtime import install_runtime


def register(sub: Any) -> None:
    parser = sub.add_parser("dispatch", help="gjør det som er forfalt nå (eller --as-of)")
    parser.add_argument("--as-of", type=moment, help="tidspunkt, f.eks. 2027-04-30T09:00 (Oslo-tid)")
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the dispatcher flow once against Prefect (the configured API, or a local one)."""
    rt = runtime()
    install_runtime(rt)
    from flows.dispatcher import dispatcher

    with prefect_api(rt.settings):
        result = dispatcher(as_of=args.as_of)
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0
