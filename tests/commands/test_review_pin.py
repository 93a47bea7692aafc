"""`gongkai review --digest`: a reviewer signs only the content they read, identified by the digest the queue,
`gongkai diff` and the preview show; anything else is refused in Chinese with the file untouched."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import digest
from gongkai.cli import main
from gongkai.preview.status import item_chips
from tests.commands.test_review import BODY, FRONT


@pytest.fixture
def run(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-17")
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    return lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


def _shown_by_queue(run) -> str:
    result = run("queue", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]["digest"]


def _sign(run, site, path, pin):
    return run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("李明")),
               "--digest", pin)


def test_the_content_as_read_is_signed_by_its_digest_in_every_spelling(site, run):
    path = site.write("2021/a.md", (FRONT + BODY).encode())
    full = _shown_by_queue(run)
    text = run("queue").output
    assert digest.shown(full) in text and full.startswith("sha256:")
    for pin in (full, digest.shown(full), full.upper(), full.removeprefix("sha256:")[:digest.SHOWN_HEX],
                f"  {digest.shown(full)} "):
        result = _sign(run, site, path, pin)
        assert result.exit_code == 0, (pin, result.output)
    assert f'digest: "{full}"' in path.read_text(encoding="utf-8")


def test_a_pin_of_64_bits_is_too_short_to_stand_between_two_versions(site, run):
    """Whoever prepares the version a reviewer reads and the one they sign can find two with the same 16 first hex
    digits in about 2^32 hashes of variants each (a birthday search): a pin must hold 128 bits (32 digits)."""
    path = site.write("2021/a.md", (FRONT + BODY).encode())
    full = _shown_by_queue(run)
    assert len(digest.shown(full)) == len("sha256:") + 32
    for short in (full[:len("sha256:") + 16], full.removeprefix("sha256:")[:31]):
        result = _sign(run, site, path, short)
        assert result.exit_code == 1 and "至少 32 位" in result.output, result.output


def test_content_changed_after_reading_is_not_signed(site, run):
    path = site.write("2021/a.md", (FRONT + BODY).encode())
    read = digest.shown(_shown_by_queue(run))
    path.write_text((FRONT + BODY).replace("正文。", "正文。身份证号见附件。"), encoding="utf-8")  # the editor's change meanwhile
    before = path.read_bytes()
    result = _sign(run, site, path, read)
    assert result.exit_code == 1 and "已有改动" in result.output and "gongkai diff" in result.output
    assert read in result.output and digest.shown(_shown_by_queue(run)) in result.output
    assert path.read_bytes() == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pin=st.text(max_size=80))
def test_no_pin_but_the_digest_signs(site, run, pin):
    path = site.write("2021/a.md", (FRONT + BODY).encode())
    current = _shown_by_queue(run)
    wanted = current.removeprefix("sha256:")
    hexes = re.fullmatch(r"(?:sha256:)?([0-9a-f]+)", pin.strip().lower())
    signs = hexes is not None and len(hexes[1]) >= digest.SHOWN_HEX and wanted.startswith(hexes[1])
    before = path.read_bytes()
    result = _sign(run, site, path, pin)
    assert (result.exit_code == 0) == signs, result.output
    if not signs:
        assert path.read_bytes() == before and ("--digest" in result.output or "已有改动" in result.output)
        assert "\x1b" not in result.output


def test_diff_and_preview_show_the_digest_to_sign_with(site, run):
    path = site.item()
    signed = path.read_text(encoding="utf-8")
    path.write_text(signed.replace("认真落实", "认真落实并报告", 1), encoding="utf-8")
    result = run("diff", str(path))
    assert result.exit_code == 0, result.output
    current = _shown_by_queue(run)
    assert f"--digest {digest.shown(current)}" in result.output.splitlines()[-1]
    project = site.load()
    item = next(item for item in project.items if item.path.endswith(path.name))
    problems = [p for p in site.check() if p.path.endswith(path.name)]
    chips = item_chips(item, project.documents[item.path], problems, site.today, project.catalog, project.attachments_dir)
    assert any(f"--digest {digest.shown(current)}" in chip.detail for chip in chips)
