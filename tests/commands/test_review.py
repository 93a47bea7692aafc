"""`gongkai review`: writes one level with the current digest and leaves every other byte as it was."""

from __future__ import annotations

import codecs
import os
import signal
import subprocess

import pytest
from click.testing import CliRunner

from gongkai.cli import main

FRONT = (
    "---\n"
    "# 注释：本条目由办公室起草\n"
    "department: 办公室   # 发布机构\n"
    "title: '关于做好保障性住房工作的通知'\n"
    "index_no: 11131122MB1534702N/2021-00001\n"
    "category: 规范性文件\n"
    "published: 2021-06-18\n"
    "disclosure: 主动公开\n"
)
BODY = "---\n\n正文。\n\n| 序号 | 名称 |\n| --- | --- |\n| 1 | 甲 |\n"


def _variants() -> dict[str, bytes]:
    review_block = (
        "review:\n"
        "  initial:\n"
        "    reviewer: 张三\n"
        "    date: 2021-06-16\n"
        "    opinion: 同意公开\n"
        '    digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"\n'
    )
    plain = (FRONT + BODY).encode()
    return {
        "no review key": plain,
        "empty mapping": (FRONT + "review: {}  # 请勿手工填写\n" + BODY).encode(),
        "block style": (FRONT + review_block + "keywords: [住房]\n" + BODY).encode(),
        "crlf": (FRONT + BODY).replace("\n", "\r\n").encode(),
        "bom": codecs.BOM_UTF8 + plain,
        "bom and crlf in the middle": codecs.BOM_UTF8
        + (FRONT + "review: {}\n" + "genre: 通知\n" + BODY).replace("\n", "\r\n").encode(),
    }


@pytest.fixture
def run(site, monkeypatch):
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("GONGKAI_TODAY", "2021-06-17")
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")  # no user.signingkey from the machine's git
    return lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


def _outside_review(data: bytes) -> list[bytes]:
    """The file's lines with the top-level review block taken out."""
    lines = data.split(b"\n")
    kept, inside = [], False
    for line in lines:
        if line.startswith(b"review:"):
            inside = True
            continue
        if inside and line.startswith(b" "):
            continue
        inside = False
        kept.append(line)
    return kept


@pytest.mark.parametrize("name", list(_variants()))
def test_every_byte_outside_the_review_block_is_kept(site, run, name):
    original = _variants()[name]
    path = site.write("2021/a.md", original)
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--date", "2021-06-16",
                 "--key", str(site.keys.file("李明")))
    assert result.exit_code == 0, result.output
    result = run("review", str(path), "--level", "final", "--reviewer", "王芳", "--key", str(site.keys.file("王芳")))
    assert result.exit_code == 0, result.output
    signed = path.read_bytes()
    assert _outside_review(signed) == _outside_review(original)
    assert signed.startswith(codecs.BOM_UTF8) == original.startswith(codecs.BOM_UTF8)
    if b"\r\n" in original:
        assert signed.count(b"\n") == signed.count(b"\r\n")
    eol = b"\r\n" if b"\r\n" in original else b"\n"
    assert eol.join("    reviewer: 李明|    date: 2021-06-16".encode().split(b"|")) in signed
    assert eol.join("    reviewer: 王芳|    date: 2021-06-17".encode().split(b"|")) in signed
    assert not [p for p in site.check() if p.path.endswith("a.md") and p.code.startswith("GK2")]


def test_final_by_the_initial_reviewer_is_refused(site, run):
    path = site.write("2021/a.md", _variants()["no review key"])
    key = str(site.keys.file("李明"))
    assert run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", key).exit_code == 0
    before = path.read_bytes()
    result = run("review", str(path), "--level", "final", "--reviewer", "李　明", "--key", key)
    assert result.exit_code == 1 and "四眼原则" in result.output
    assert path.read_bytes() == before


def test_final_before_initial_is_refused(site, run):
    path = site.write("2021/a.md", _variants()["no review key"])
    result = run("review", str(path), "--level", "final", "--reviewer", "王芳", "--key", str(site.keys.file("王芳")))
    assert result.exit_code == 1 and "初审" in result.output


def test_re_signing_initial_says_final_was_removed(site, run):
    path = site.item()
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("李明")))
    assert result.exit_code == 0 and "已移除复核" in result.output


def test_without_a_key_the_command_says_how_to_get_one(site, run):
    path = site.write("2021/a.md", _variants()["no review key"])
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 1 and "--key" in result.output and "ssh-agent" in result.output
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.root / "no-such-key"))
    assert result.exit_code == 1 and "找不到私钥文件" in result.output
    result = run("review", str(path), "--level", "middle", "--reviewer", "李明", "--key", str(site.keys.file("李明")))
    assert result.exit_code == 1 and "initial（初审）" in result.output


def test_git_user_signingkey_is_used_without_key(site, run, monkeypatch):
    path = site.write("2021/a.md", _variants()["no review key"])
    subprocess.run(["git", "init", "-q", str(site.root)], check=True)
    subprocess.run(["git", "-C", str(site.root), "config", "user.signingkey", str(site.keys.file("李明"))], check=True)
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 0, result.output
    assert not [p for p in site.check() if p.path.endswith("a.md") and p.code == "GK215"]


def test_ssh_agent_key_is_used_without_key(site, run, monkeypatch):
    path = site.write("2021/a.md", _variants()["no review key"])
    agent = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True, check=True).stdout
    env = dict(part.split("=", 1) for part in agent.replace(";", "\n").split("\n") if "=" in part and "echo" not in part)
    try:
        monkeypatch.setenv("SSH_AUTH_SOCK", env["SSH_AUTH_SOCK"])
        subprocess.run(["ssh-add", "-q", str(site.keys.file("王芳"))], check=True, capture_output=True)
        result = run("review", str(path), "--level", "initial", "--reviewer", "王芳")
        assert result.exit_code == 0, result.output
        result = run("review", str(path), "--level", "final", "--reviewer", "李明")  # the agent has no key of 李明
        assert result.exit_code == 1 and "没有签名密钥" in result.output
    finally:
        os.kill(int(env["SSH_AGENT_PID"]), signal.SIGTERM)


def test_unparseable_file_is_refused_untouched(site, run):
    path = site.write("2021/a.md", "---\ntitle: [通知\n---\n")
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("李明")))
    assert result.exit_code == 1 and "无法解析" in result.output
    assert path.read_text(encoding="utf-8") == "---\ntitle: [通知\n---\n"


def test_bad_date_is_a_clear_error(site, run):
    path = site.write("2021/a.md", _variants()["no review key"])
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--date", "2021-6-1")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
