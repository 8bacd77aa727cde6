"""Import files kept on the server between HR's preview and their "apply", under a random token.

Each upload gets a folder `<data_dir>/org-import/<token>/` with the files under their own (cleaned) names, so the
importer's messages name them as HR knows them, and `staged.json`: who uploaded, when, and the organisation's
fingerprint at the preview. A staged upload is for the account that made it, lives at most `LIFETIME`, and is
removed when it is applied; older ones are swept at every new upload. The folder is local to the web process's
machine: with several web servers, their data_dir must be shared, or HR must come back to the same one.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

LIFETIME: Final = timedelta(hours=2)
MAX_FILE_BYTES: Final = 5 * 1024 * 1024  # a 5 000-unit municipality's CSV is well under 1 MB
MAX_FILES: Final = 4  # the units, the tillitsvalgte, the employees and the bodies' members
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{32}")
_UNSAFE: Final = re.compile(r"[^\w.,() -]+")
FOLDER: Final = "org-import"


class StagingRefused(ValueError):
    """The files cannot be kept for a preview; the text is for the person, in bokmål."""


@dataclass(frozen=True)
class Staged:
    token: str
    account_id: int
    created_at: datetime
    fingerprint: str
    paths: list[Path]


def clean_name(name: str, position: int) -> str:
    """The file's own name without folders or odd characters (it appears in every message), never empty."""
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")[:120]
    return base or f"fil-{position}"


def stage(
    data_dir: Path, files: list[tuple[str, bytes]], *, account_id: int, fingerprint: str, now: datetime
) -> Staged:
    """Keep the files under a fresh token; StagingRefused if there are none, too many, or one is too large."""
    if not files:
        raise StagingRefused("Velg en fil å importere (CSV eller Excel).")
    if len(files) > MAX_FILES:
        raise StagingRefused(
            f"Velg høyst {MAX_FILES} filer: én med enheter og eventuelt én med tillitsvalgte, én med ansatte og én med "
            "organenes medlemmer."
        )
    for name, content in files:
        if len(content) > MAX_FILE_BYTES:
            size, limit = f"{len(content) / 1024 / 1024:.1f}".replace(".", ","), MAX_FILE_BYTES // 1024 // 1024
            raise StagingRefused(f"Filen {clean_name(name, 1)} er for stor ({size} MB); høyst {limit} MB per fil.")
    sweep(data_dir, now)
    token = secrets.token_urlsafe(24)
    folder = data_dir / FOLDER / token
    folder.mkdir(parents=True)
    paths: list[Path] = []
    for position, (name, _) in enumerate(files, start=1):
        path = folder / clean_name(name, position)
        paths.append(folder / f"{position}-{path.name}" if path in paths else path)  # same name twice: keep both
    meta = {"account_id": account_id, "created_at": now.isoformat(), "fingerprint": fingerprint,
            "files": [path.name for path in paths]}  # fmt: skip
    (folder / "staged.json").write_text(json.dumps(meta), encoding="utf-8")  # first, so no sweep takes the folder
    for path, (_, content) in zip(paths, files, strict=True):
        path.write_bytes(content)
    return Staged(token, account_id, now, fingerprint, paths)


def load(data_dir: Path, token: str, *, account_id: int, now: datetime) -> Staged | None:
    """The upload under this token, if it is this account's and not expired; None otherwise."""
    if not _TOKEN.fullmatch(token):
        return None
    meta_path = data_dir / FOLDER / token / "staged.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        created = datetime.fromisoformat(meta["created_at"])
        staged = Staged(token, int(meta["account_id"]), created, str(meta["fingerprint"]),
                        [meta_path.parent / str(name) for name in meta["files"]])  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if staged.account_id != account_id or now - staged.created_at > LIFETIME:
        return None
    return staged


def discard(data_dir: Path, token: str) -> None:
    if _TOKEN.fullmatch(token):
        shutil.rmtree(data_dir / FOLDER / token, ignore_errors=True)


def sweep(data_dir: Path, now: datetime) -> None:
    """Remove uploads older than LIFETIME (and any folder without its description)."""
    root = data_dir / FOLDER
    if not root.is_dir():
        return
    for folder in root.iterdir():
        try:
            created = datetime.fromisoformat(json.loads((folder / "staged.json").read_text())["created_at"])
        except (OSError, ValueError, KeyError, TypeError):
            created = None
        if created is None or now - created > LIFETIME:
            shutil.rmtree(folder, ignore_errors=True)
