"""Reading a plan PDF back as a reader would: its structure tree (what a screen reader gets) and its text layer."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf

SOFT_HYPHEN_MARKS = ("\u2010", "\u00ad")  # what WeasyPrint (and others) put at a hyphenation point


def structure(pdf: Path) -> tuple[Counter[str], dict[str, Any]]:
    """The count of each structure type under StructTreeRoot, and the catalogue facts PDF/UA asks for."""
    with pikepdf.open(pdf) as document:
        root = document.Root
        kinds: Counter[str] = Counter()
        stack: list[Any] = [root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                kinds[str(node.S).lstrip("/")] += 1
                if "/K" in node:
                    stack.append(node.K)
        with document.open_metadata() as xmp:
            facts = {
                "lang": str(root.get("/Lang", "")),
                "marked": bool(root.MarkInfo.Marked) if "/MarkInfo" in root else False,
                "display_title": bool(root.ViewerPreferences.DisplayDocTitle)
                if "/ViewerPreferences" in root
                else False,
                "title": str(document.docinfo.get("/Title", "")),
                "xmp_title": xmp.get("dc:title", ""),
                "ua_part": xmp.get("pdfuaid:part", ""),
                "pages": len(document.pages),
            }
    return kinds, facts


def text_layer(pdf: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text in content order, lines joined as a reader joins them: a hyphenation mark at a line's end joins
    the word's halves, a real hyphen stays, any other line end is a space."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    raw = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    joined: list[str] = []
    for line in raw.replace("\f", "\n").splitlines():
        line = line.strip()
        if joined and joined[-1].endswith(SOFT_HYPHEN_MARKS):
            joined[-1] = joined[-1][:-1] + line
        elif joined and joined[-1].endswith("-"):
            joined[-1] += line
        else:
            joined.append(line)
    return " ".join(" ".join(joined).replace("\u00a0", " ").split())


def page_texts(pdf: Path) -> list[str]:
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True)
    return layout.stdout.split("\f")
