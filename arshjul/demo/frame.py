"""Fjordvik's plan frame: the packaged one, with the competence areas its units work in added, as HR would."""

from __future__ import annotations

from pathlib import Path

import yaml

from arshjul.demo.catalogue import catalogue
from domain.plan.frame import DEFAULT_FRAME
from tasks.plan.sources import FRAME_FILE


def write_demo_frame(data_dir: Path) -> Path:
    """Write `<data_dir>/planramme.yaml`, the file HR extends the frame's lists in (docs/configuration.md)."""
    frame = {**DEFAULT_FRAME, "competence_areas": catalogue().frame_areas()}
    path = data_dir / FRAME_FILE
    path.write_text(yaml.safe_dump(frame, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return path
