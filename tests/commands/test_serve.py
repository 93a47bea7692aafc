"""`gongkai serve` as an editor runs it, and the judges' scenario: unreviewed,
scheduled and non-public items are previewed with their banners while `gongkai build` still refuses and
leaves site/ untouched; once they are reviewed, the build holds nothing of the preview."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.projects import ORG_CODE, TODAY, build, write_item
from tests.site.test_site_never_published import output_bytes

GONGKAI = os.path.join(os.path.dirname(sys.executable), "gongkai")
ENV = {**os.environ, "GONGKAI_TODAY": TODAY.isoformat()}
# Words a Chinese message may hold: commands, option values and front-matter keys it names.
ALLOWED = {"gongkai", "build", "serve", "review", "check", "diff", "new", "preview", "initial", "final", "level",
           "reviewer", "key", "Ctrl", "C", "site", "index_no", "title", "disclosure", "published", "category"}

ITEMS = {  # serial: (front matter, marker, body); none of them reviewed
    901: ("published: 2024-06-20\ndisclosure: 主动公开\n", "qxpvdraft", "正文。"),
    902: ("published: 2024-09-01\ndisclosure: 主动公开\n", "qxpvscheduled", "正文。"),
    # A link to an item that does not exist: an error of its own (a draft), and a warning of MkDocs' own.
    903: ("published: 2024-06-21\ndisclosure: 依申请公开\n", "qxpvprivate", "参见[旧文](../2020/2020-09999.md)。"),
}


def found(pattern: str, text: str) -> str:
    """The first group of `pattern` in `text` (the test fails when it is not there)."""
    match = re.search(pattern, text)
    assert match is not None, text
    return match[1]


def english(text: str) -> list[str]:
    """The English words in `text` outside paths, addresses, codes and quoted commands."""
    text = re.sub(r"`[^`]*`|https?://\S+|\S*[/.]\S*|GK\d{3}|--[a-z-]+", " ", text)
    return [word for word in re.findall(r"[A-Za-z_]{2,}", text) if word not in ALLOWED]


# Stopped with Ctrl+C as a terminal sends it. A suite started in the background of a non-interactive shell
# hands its children SIGINT ignored, and Python then installs no KeyboardInterrupt handler: the child
# restores the default before it becomes gongkai (exec keeps a default disposition, not a handler).
INTERRUPTIBLE = [sys.executable, "-c",
                 "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"]


class Serving:
    """`gongkai <args>` running in `root`, its output collected line by line."""

    def __init__(self, root: Path, *args: str, ready: str = "预览已启动") -> None:
        self.ready = ready
        self.lines: list[str] = []
        self.started = threading.Event()
        # PYTHONFAULTHANDLER: a preview that does not stop is made to print every thread's stack (see `stop`).
        self.process = subprocess.Popen([*INTERRUPTIBLE, GONGKAI, *args, "--dev-addr", "127.0.0.1:0"], cwd=root,
                                        env={**ENV, "PYTHONFAULTHANDLER": "1"},
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        assert self.started.wait(120), "\n".join(self.lines)
        self.base = found(r"预览已启动：(http://\S+/)", "\n".join(self.lines))

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.ready in line:
                self.started.set()

    def get(self, url: str) -> str:
        with urllib.request.urlopen(self.base + url, timeout=60) as answer:
            return answer.read().decode("utf-8")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:  # where it hangs: SIGABRT makes the fault handler print each thread's stack
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(30)
            self.reader.join(10)  # the stacks, to the end of the output
            raise AssertionError("gongkai serve did not stop on Ctrl+C within 60 s:\n" + "\n".join(self.lines)) from None
        return "\n".join(self.lines)


def snapshot(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([GONGKAI, *args], cwd=root, env=ENV, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_the_judges_scenario(project):
    root = project.root
    build(project, root / "site")
    before = snapshot(root / "site")
    for serial, (front, marker, body) in ITEMS.items():
        path = project.item_path(2024, serial)
        path.write_text(f"---\ntitle: 预览测试{marker}\nindex_no: {ORG_CODE}/2024-{serial:05d}\ncategory: 动态信息\n"
                        f"department: 办公室\n{front}review: {{}}\n---\n\n{marker}{body}\n", encoding="utf-8")
    serving = Serving(root, "serve")
    try:
        banners = {serial: serving.get(f"items/2024/{serial:05d}/") for serial in ITEMS}
        problems = serving.get("_preview/")
        failed = run(root, "build")
    finally:
        output = serving.stop()
    assert "待初审" in banners[901] and "qxpvdraft" in banners[901]
    assert "定时发布 2024-09-01" in banners[902] and "待初审" in banners[902]
    assert "草稿" in banners[903] and "不公开" in banners[903] and "qxpvprivate" in banners[903]
    assert all('content="noindex, nofollow"' in page and "<title>【预览】" in page for page in banners.values())
    assert all(f"content/items/2024/2024-{serial:05d}.md" in problems for serial in ITEMS)
    assert failed.returncode == 1 and "内容检查未通过" in failed.stderr
    assert snapshot(root / "site") == before
    assert "预览已停止" in output and "Traceback" not in output
    assert "链接“../2020/2020-09999.md”" in output  # MkDocs' own warning, in Chinese
    assert english(output) == [], output

    for serial, (front, marker, _) in ITEMS.items():
        published = dt.date.fromisoformat(found(r"published: (\S+)", front))
        write_item(root, 2024, serial, f"{marker}正文。", title=f"预览测试{marker}", category="动态信息", department="办公室",
                   published=published, disclosure=found(r"disclosure: (\S+)", front))
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    files = output_bytes(root / "site")
    leaks = [(name, word) for name, data in files.items()
             for word in ("qxpvscheduled", "qxpvprivate", "gkp-", "_preview", "【预览】", "待初审", "不是正式网站")
             if word.lower().encode() in data]
    assert leaks == []
    assert any(b"qxpvdraft" in data for data in files.values())  # reviewed and due: published


def test_a_bad_address_is_refused_in_chinese(project):
    refused = run(project.root, "serve", "--dev-addr", "localhost")
    assert refused.returncode == 1 and refused.stderr.startswith("错误：--dev-addr“localhost”不对")


@pytest.mark.parametrize("dev_addr", ["0.0.0.0:0", "[::]:0", "192.168.1.5:0", "example.com:0", "127.0.0.1.nip.io:0"])
def test_the_preview_never_listens_where_others_can_reach_it(project, dev_addr):
    """It shows unreviewed, withheld and members-only items: only this machine's loopback may serve it."""
    for command in (["serve"], ["preview", "content/items/2024/2024-00001.md"]):
        refused = subprocess.run([GONGKAI, *command, "--dev-addr", dev_addr], cwd=project.root, env=ENV,
                                 capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1 and "不是本机地址" in refused.stderr and "127.0.0.1:8000" in refused.stderr


def test_a_saved_file_s_name_reaches_the_terminal_escaped(tmp_path):
    """A file name (from a `git pull`, say) may hold a terminal's escape sequences: an OSC title, a colour, a
    line break. What the preview prints on each save shows them escaped, as `gongkai check` does."""
    from gongkai.commands.serve import _changed
    from tests.preview.conftest import Preview
    from tests.projects import make_project, unreviewed_item

    preview = Preview(make_project(tmp_path / "project", news=3))
    lines: list[str] = []
    for name in ("\x1b]0;标题\x07a.md", "b\n.md", "\x1b[31mc.csv"):
        folder = "items/2024" if name.endswith(".md") else "attachments"
        path = preview.fixture.content / folder / name
        path.write_text(unreviewed_item(901, "通知", "正文。"), encoding="utf-8")
        _changed(preview.session, {path}, lines.append)
    assert lines and not [line for line in lines if re.search("[\x00-\x1f\x7f-\x9f]", line)]
    assert any("\\x1b]0;" in line for line in lines)


def test_mkdocs_warnings_about_a_page_reach_the_terminal_escaped(project):
    """MkDocs warns about a page's broken links with the address as written; the preview shows pages the check
    refuses (control characters in a body are GK009), so an address holding an OSC title, a C1 CSI that clears the
    screen, a bell or a right-to-left override reached the editor's terminal as it was, acting on it."""
    root = project.root
    (root / "content" / "pages" / "links.md").write_text(
        "---\ntitle: 链接\n---\n\n见[说明](nothere\u009b2J\x1b]0;pwned\x07.md)和[另一个](../zz\u202eabc.md)。\n", encoding="utf-8")
    serving = Serving(root, "serve")
    try:
        serving.get("pages/links/")
    finally:
        output = serving.stop()
    assert "\\x1b]0;pwned\\x07" in output and "\\x9b2J" in output and "\\u202e" in output, output
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", output), output


def _until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["content2", "later/content"])
def test_the_preview_follows_mkdocs_yml_to_another_content_folder(project, folder):
    """A pulled branch moves content_dir (or custom_dir) and edits in the new folder: the preview re-read the
    settings but went on watching the old folders, so it kept showing the text of before — without the
    “审查后内容有修改” mark — while the check and the build read the new. A folder made only after mkdocs.yml names
    it (`later/content`: `later`, then `content` in it) is awaited, then read and followed."""
    root = project.root
    made_first = folder == "content2"
    if made_first:
        shutil.copytree(root / "content", root / folder, symlinks=True)
    item = project.item_path(2024, 1).relative_to(root / "content")
    serving = Serving(root, "serve")
    try:
        address = "items/2024/00001/"
        assert "qxpvmoved" not in serving.get(address)
        _name_content_dir(root, folder)
        assert _until(lambda: any("mkdocs.yml 或主题有修改" in line or folder in line for line in serving.lines)), serving.lines
        if not made_first:
            shutil.copytree(root / "content", root / folder, symlinks=True)
        _prefix_title(root / folder / item, "qxpvmoved")
        assert _until(lambda: "qxpvmoved" in (_shown(serving, address) or "")), serving.lines
        assert "审查后内容有修改" in serving.get(address)
    finally:
        output = serving.stop()
    assert "Traceback" not in output


def _shown(serving: Serving, address: str) -> str | None:
    """The page at `address`, None while the preview has none."""
    try:
        return serving.get(address)
    except urllib.error.HTTPError:
        return None


def _name_content_dir(root: Path, folder: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("content_dir: content", f"content_dir: {folder}"),
                      encoding="utf-8")


def _prefix_title(item: Path, prefix: str) -> None:
    item.write_text(re.sub(r"(?m)^title: ", f"title: {prefix}", item.read_text(encoding="utf-8"), count=1), encoding="utf-8")
