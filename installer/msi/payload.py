"""The MSI's file list: one WiX component per file of the one-dir build, under INSTALLDIR.

    python installer/msi/payload.py <one-dir folder> <out.wxs>

Used by wixl on Linux and by WiX's candle on the Windows runner alike, so both MSIs hold the
same components. Ids and component GUIDs derive from the relative path (stable across builds:
an upgrade replaces a file in place instead of removing and re-adding it); files are referenced
as ``$(var.PayloadDir)/<path>``.
"""

from __future__ import annotations

import hashlib
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

#: Namespace for the component GUIDs of this product (any fixed UUID; never change it).
NAMESPACE = uuid.UUID("5A0C3E51-7C1B-4B53-8D0E-0F6E2F8A4C21")


def _id(prefix: str, rel: str) -> str:
    return prefix + hashlib.sha1(rel.encode()).hexdigest()[:32].upper()


def fragment(root: Path) -> str:
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    by_folder: dict[str, list[str]] = {}
    folders = {""}
    for rel in files:
        parent = rel.rpartition("/")[0]
        by_folder.setdefault(parent, []).append(rel)
        while parent:  # every folder on the way, also those holding only folders
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">', "  <Fragment>"]
    refs: list[str] = []

    def emit(folder: str, depth: int) -> None:
        pad = "  " * depth
        for rel in by_folder.get(folder, []):
            cid = _id("cmp", rel)
            guid = str(uuid.uuid5(NAMESPACE, rel)).upper()
            src = quoteattr(f"$(var.PayloadDir)/{rel}")
            lines.append(f'{pad}<Component Id="{cid}" Guid="{guid}" Win64="yes">')
            lines.append(f'{pad}  <File Id="{_id("fil", rel)}" KeyPath="yes" Source={src}/>')
            lines.append(f"{pad}</Component>")
            refs.append(cid)
        for child in sorted(f for f in folders if f and f.rpartition("/")[0] == folder):
            name = child.rpartition("/")[2]
            lines.append(f'{pad}<Directory Id="{_id("dir", child)}" Name={quoteattr(name)}>')
            emit(child, depth + 1)
            lines.append(f"{pad}</Directory>")

    lines.append('    <DirectoryRef Id="INSTALLDIR">')
    emit("", 3)
    lines.append("    </DirectoryRef>")
    lines.append('    <ComponentGroup Id="Payload">')
    lines += [f'      <ComponentRef Id="{c}"/>' for c in refs]
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: payload.py <one-dir folder> <out.wxs>", file=sys.stderr)
        return 2
    Path(argv[1]).write_text(fragment(Path(argv[0])), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
