"""A delivering process for the hard-kill test: `python -m tests.support.outbox_child DB PORT AS_OF CONNECTIONS`.

It delivers what is due in the SQLite file DB to the SMTP server on 127.0.0.1:PORT at the moment AS_OF (ISO 8601),
as a dispatcher run would, and prints the counts; the test kills it with SIGKILL in the middle.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import datetime

from config.settings import SmtpSettings
from tasks.outbox.delivery import deliver_due
from tasks.store.db import make_engine


def main(argv: list[str]) -> int:
    database, port, as_of, connections = argv
    engine = make_engine(f"sqlite:///{database}")
    smtp = SmtpSettings(port=int(port), from_address="arshjul@testvik.no", concurrency=int(connections))
    try:
        print(asdict(deliver_due(engine, smtp, as_of=datetime.fromisoformat(as_of))), flush=True)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
