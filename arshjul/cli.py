"""The `arshjul` command: every entry point for HR and operations, with errors as sentences, not tracebacks."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Callable, Sequence

from arshjul.commands import (
    audit,
    calendar,
    demo,
    dispatch,
    mail,
    orgimport,
    outbox,
    remind,
    serve,
    setup,
    users,
)
from arshjul.commands.plan import read as plan
from config.yaml_lines import ConfigFileError

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arshjul", description="Årshjul – kompetanseplanleggingens årshjul.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for module in (setup, calendar, orgimport, dispatch, serve, demo, mail, outbox, remind, audit, plan, users):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler: Command = args.handler
    try:
        return handler(args)
    except ConfigFileError as exc:
        print(f"Feil i konfigurasjonen {exc.path}:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Avbrutt.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a sentence for the person, the details for the log
        logging.getLogger("arshjul").debug("unexpected error", exc_info=True)
        print(f"Uventet feil: {exc}", file=sys.stderr)
        if getattr(args, "verbose", False):
            traceback.print_exc()
        else:
            print("Kjør på nytt med --verbose for detaljer.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
