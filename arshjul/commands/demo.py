"""`arshjul demo`: a whole simulated year in about a minute."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from arshjul.commands.common import add_common
from arshjul.demo.run import DemoOptions, run_demo


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="kjør et helt simulert år for en fiktiv kommune")
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="mappe for resultatet")
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--units", type=int, default=150, help="antall virksomheter")
    parser.add_argument("--sectors", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--aarshjul", type=Path, default=None, help="årshjul-fil, f.eks. config/examples/sorum.yaml")
    add_common(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo and print its summary."""
    summary = run_demo(
        DemoOptions(
            out=args.out,
            year=args.year,
            units=args.units,
            sectors=args.sectors,
            seed=args.seed,
            aarshjul=args.aarshjul,
        )
    )
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0
