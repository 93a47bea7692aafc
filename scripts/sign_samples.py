"""Re-sign every sample item with the demo keys, keeping each level's reviewer, date and opinion.

    .venv/bin/python scripts/sign_samples.py

Idempotent: Ed25519 signatures are deterministic, so an item whose content, digest and review are
unchanged is written back byte for byte. Run it after anything that changes the review digest or the
signed statement (e.g. after a rebase that touches `digest.py`), then commit the items it changed.
The demo keys in demo-keys/ belong to the sample's reviewers and are used for nothing else.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from gongkai.catalog import load_catalog
from gongkai.limits import Limits
from gongkai.loading import read_document
from gongkai.reviewing import ReviewRefused, SignOff, sign
from gongkai.values import as_mapping, as_text, parse_date

if not __package__:  # run as `python scripts/sign_samples.py`: the project root holds `scripts`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.synthetic import demo_keys  # noqa: E402 - after the path above

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    content = ROOT / "content"
    catalog, _, problems = load_catalog(content, ROOT, Limits().item_bytes)
    if catalog is None or catalog.roster is None:
        print(f"catalog.yml unusable: {problems}", file=sys.stderr)
        return 1
    roster = catalog.roster
    changed = failed = 0
    with tempfile.TemporaryDirectory(prefix="gongkai-demo-keys-") as folder:
        keys = demo_keys(Path(folder))
        for file in sorted((content / "items").rglob("*.md")):
            rel = file.relative_to(ROOT).as_posix()
            document, _ = read_document(file, rel, Limits().item_bytes)
            review = as_mapping(document.meta.get("review")) if document else {}
            before = file.read_bytes()
            try:
                for level in roster.levels:
                    entry = as_mapping(review.get(level.key))
                    if not entry:
                        break
                    day = parse_date(entry.get("date"))
                    person = roster.person(as_text(entry.get("reviewer")))
                    if day is None or person is None:
                        raise ReviewRefused(f"{level.name}: no usable reviewer/date")
                    key = next((keys[k.key.blob] for k in person.keys_on(day) if k.key.blob in keys), None)
                    if key is None:
                        raise ReviewRefused(f"{level.name}: no demo key of {person.name} valid on {day}")
                    sign(file, SignOff(level.key, person.name, day, as_text(entry.get("opinion")), key),
                         catalog, content / "attachments", rel)
            except ReviewRefused as exc:
                failed += 1
                file.write_bytes(before)
                print(f"{rel}: not signed: {exc}", file=sys.stderr)
                continue
            changed += file.read_bytes() != before
    print(f"{changed} sample items re-signed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
