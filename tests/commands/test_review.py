"""`gongkai review`: writes one level with the current digest and leaves every other byte as it was; refuses
in Chinese, the file untouched, whatever is wrong (hostile input included); never reads through a link."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import signal
import subprocess

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.cli import main
from tests.projects import CATALOG, REVIEWERS
from tests.review_keys import roster_yaml

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


# Every refusal of `gongkai review`: exit code 1, a Chinese message naming the cause, the file untouched.

def _refused(run, path, *args: str, wanted: str) -> None:
    before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    result = run("review", str(path), *args)
    assert result.exit_code == 1 and wanted in result.output, result.output
    assert "Traceback" not in result.output and "Error" not in result.output
    if before is not None:
        assert path.read_bytes() == before


def _as(site, name: str, *more: str) -> tuple[str, ...]:
    return ("--reviewer", name, "--key", str(site.keys.file(name)), *more)


def test_a_catalog_with_errors_is_refused_before_the_file_is_read(site, run):
    path = site.item(signed=False)
    (site.content / "catalog.yml").write_text("org: [\n", encoding="utf-8")
    _refused(run, path, "--level", "initial", *_as(site, "李明"), wanted="catalog.yml 有错误，无法确认审查人名册（content/catalog.yml:")


def test_a_special_or_oversized_file_is_never_read(site, run):
    fifo = site.content / "items" / "2021" / "fifo.md"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    _refused(run, fifo, "--level", "initial", *_as(site, "李明"), wanted="content/items/2021/fifo.md 是")
    (site.root / "mkdocs.yml").write_text("site_name: 测试\ndocs_dir: docs\nplugins:\n  - gongkai:\n      limits: {item_mb: 1}\n",
                                          encoding="utf-8")
    big = site.item("2021/big.md", signed=False, body="正文。" * 400_000)
    _refused(run, big, "--level", "initial", *_as(site, "李明"), wanted="超过上限 1 MB")


@pytest.mark.parametrize("reviewer, wanted", [
    ("　", "--reviewer 不能为空"),
    ("李名", "“李名”不在审查人名册中：是否想写“李明”？"),
    ("赵六", "“赵六”不在审查人名册中：新审查人须先由办公室在 catalog.yml 的 reviewers 中登记"),
])
def test_a_reviewer_who_is_not_in_the_roster_is_refused(site, run, reviewer, wanted):
    path = site.item(signed=False)
    _refused(run, path, "--level", "initial", "--reviewer", reviewer, "--key", str(site.keys.file("李明")), wanted=wanted)


def test_an_opinion_outside_the_two_is_refused_by_the_signing_code_too(site):
    from gongkai.catalog import load_catalog
    from gongkai.limits import Limits
    from gongkai.reviewing import ReviewRefused, SignOff, sign

    path = site.item(signed=False)
    catalog, _, _ = load_catalog(site.content, site.root, Limits().item_bytes)
    assert catalog is not None
    before = path.read_bytes()
    with pytest.raises(ReviewRefused, match="--opinion 只能是 同意公开 或 不予公开"):
        sign(path, SignOff("initial", "李明", site.today, "同意", site.keys.file("李明")), catalog, site.attachments, site.rel(path))
    assert path.read_bytes() == before


def test_a_final_over_a_broken_initial_is_refused(site, run):
    path = site.item(signed=False)
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": "2021-06-16", "key": "王芳"}])  # another's key
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="初审记录有问题，不能在其上签署复核：")


@pytest.mark.parametrize("undated", ["2021-6-16", "2021-06-16T10:00:00+08:00", "9999-06-16"])
def test_a_final_over_an_initial_whose_date_does_not_read_is_refused(site, run, undated):
    """An entry whose date does not read is never verified: 李明's signature copied from another item, with such a
    date, let 复核 sign over an 初审 that never happened."""
    other = site.item("2021/other.md")
    copied = re.search(r"  initial:\n(?:    .*\n|      .*\n)+?(?=  final:)", other.read_text(encoding="utf-8"))
    assert copied is not None
    path = site.item(signed=False)
    block = re.sub(r"date: \S+", f"date: {undated}", copied.group(0), count=1)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n---\n", "\nreview:\n" + block + "---\n", 1), encoding="utf-8")
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="初审记录的日期无法读取")


def test_a_final_over_changed_content_is_refused(site, run):
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明")
    path.write_bytes(path.read_bytes().replace("现将有关事项".encode(), "现将下列事项".encode()))
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="内容在初审之后被修改过（运行 `gongkai diff")


def test_a_final_dated_before_the_initial_is_refused(site, run):
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明", date=dt.date(2021, 6, 17))
    _refused(run, path, "--level", "final", *_as(site, "王芳", "--date", "2021-06-16"),
             wanted="复核日期 2021-06-16 早于初审日期 2021-06-17")


def test_a_final_cannot_overturn_an_initial_refusal(site, run):
    path = site.item(signed=False)
    site.sign_level(path, "initial", "李明", opinion="不予公开")
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="初审意见是“不予公开”，复核不能签署“同意公开”")


def test_a_level_or_department_the_roster_does_not_give_is_refused_before_signing(site, run):
    site.write_catalog({"李明": ("[住房保障股]", "[initial, final]"), "王芳": ("[全部]", "[initial]"), "张三": ("[全部]", "[initial]")})
    path = site.item(signed=False)
    _refused(run, path, "--level", "initial", *_as(site, "李明"), wanted="李明 未获授权审查“办公室”的信息")
    site.sign_level(path, "initial", "张三")
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="王芳 未获授权")


def test_a_key_that_is_not_the_reviewers_is_refused(site, run):
    path = site.item(signed=False)
    _refused(run, path, "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("王芳")),
             wanted="初审记录写的审查人是“李明”，签名却是用“王芳”的密钥")


def test_a_reviewer_without_a_key_valid_on_the_day_is_refused(site, run):
    (site.content / "catalog.yml").write_text(CATALOG + roster_yaml(site.keys, REVIEWERS, from_="2022-01-01"), encoding="utf-8")
    path = site.item(signed=False)
    _refused(run, path, "--level", "initial", *_as(site, "李明"), wanted="名册中 李明 在 2021-06-17 没有有效的密钥")


def test_a_key_signing_before_its_start_is_told_to_use_the_key_of_that_day(site, run):
    """A key registered from a later date, used for an earlier review: the key is not retired, so the fix is the key
    valid on that day (or the real date), never 'a key stops signing once retired'."""
    roster = roster_yaml(site.keys, REVIEWERS).replace(
        f'keys: [{{key: "{site.keys.public("李明")}", from: 2000-01-01}}]',
        f'keys: [{{key: "{site.keys.public("李明")}", from: 2000-01-01, until: 2021-12-31}}, '
        f'{{key: "{site.keys.public("李明2")}", from: 2022-01-01}}]')
    (site.content / "catalog.yml").write_text(CATALOG + roster, encoding="utf-8")
    path = site.item(signed=False)
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("李明2")))
    assert result.exit_code == 1 and "2022-01-01 起才启用" in result.output and "停用" not in result.output, result.output


def test_front_matter_whose_keys_do_not_start_the_line_is_refused(site, run):
    path = site.write("2021/a.md", b"---\n" + b"".join(b" " + line + b"\n" for line in FRONT.encode().split(b"\n")[2:-1])
                      + BODY.encode())
    _refused(run, path, "--level", "initial", *_as(site, "李明"), wanted="顶层键必须从行首开始")


# Hostile input: any file is signed or refused in Chinese; links are never read through.

HOSTILE_FRONT = "---\ntitle: 关于做好保障性住房工作的通知\ndepartment: 办公室\nindex_no: 11131122MB1534702N/2021-00001\n"
HOSTILE_BODY = "---\n\n正文。\n"
_FRONT_MATTER = st.dictionaries(
    st.sampled_from(["title", "index_no", "category", "department", "published", "disclosure", "review", "keywords", "1"]),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
                 lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                 max_leaves=6),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _FRONT_MATTER.map(
    lambda meta: ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n正文\n").encode("utf-8"))))
def test_review_of_any_file_signs_or_refuses_in_chinese(site, run, data):
    path = site.write("2021/random.md", data)
    result = run("review", site.rel(path), "--level", "initial", "--reviewer", "李明", "--date", "2021-06-16")
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert re.search(r"[\u4e00-\u9fff]", result.output)
    if result.exit_code == 1:
        assert result.output.startswith("错误：") and path.read_bytes() == data  # refused: not a byte changed


def test_review_refuses_a_file_whose_keys_are_not_text(site, run):
    path = site.write("2021/keys.md", HOSTILE_FRONT.replace("department: 办公室\n", "department: 办公室\n1: x\n") + HOSTILE_BODY)
    result = run("review", site.rel(path), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 1 and "键必须是英文单词" in result.output and "第 4 行" in result.output


def test_review_never_reads_through_a_link(site, run, tmp_path):
    real = tmp_path / "real.md"
    real.write_bytes((HOSTILE_FRONT + HOSTILE_BODY).encode())
    link = site.content / "items" / "2021" / "link.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    result = run("review", site.rel(link), "--level", "initial", "--reviewer", "李明")
    assert result.exit_code == 1 and "符号链接" in result.output and real.read_bytes() == (HOSTILE_FRONT + HOSTILE_BODY).encode()


def test_a_save_made_while_signing_is_never_overwritten(site, run, monkeypatch):
    """ssh-keygen may wait for a passphrase; an editor who saves the item meanwhile keeps the save, and the
    review (signed over the content before the save) is not written."""
    import gongkai.reviewing as reviewing

    path = site.write("2021/a.md", (FRONT + BODY).encode())
    saved = (FRONT + BODY + "\n编辑在签名期间加上的一段。\n").encode()
    real_signature = reviewing._signature

    def signature_while_the_editor_saves(*args, **kwargs):
        path.write_bytes(saved)
        return real_signature(*args, **kwargs)

    monkeypatch.setattr(reviewing, "_signature", signature_while_the_editor_saves)
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--date", "2021-06-16",
                 "--key", str(site.keys.file("李明")))
    assert result.exit_code != 0 and "被修改" in result.output and "重新执行" in result.output, result.output
    assert path.read_bytes() == saved
    assert [p.name for p in path.parent.iterdir()] == ["a.md"]  # no temporary file left beside it


def test_a_read_only_item_is_refused_and_kept(site, run):
    path = site.item(signed=False)
    path.chmod(0o444)
    _refused(run, path, "--level", "initial", *_as(site, "李明"), wanted="是只读文件")
    assert path.stat().st_mode & 0o777 == 0o444


def test_a_file_name_with_an_escape_sequence_is_shown_not_acted_on(site, run):
    """The signed file's name is printed as `gongkai check` prints paths: an ESC sequence in it (a committed file
    name) would clear or recolour the reviewer's terminal, a line break forge a second line."""
    path = site.write("2021/\x1b[2J\x1b[31mA\n2021-00001.md", _variants()["no review key"])
    before = path.read_bytes()
    result = run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", str(site.keys.file("李明")))
    assert result.exit_code == 1 and "GK030" in result.output, result.output  # never read by the check: not signed
    assert "\x1b" not in result.output and "\\x1b[2J\\x1b[31mA\\x0a2021-00001.md" in result.output
    assert path.read_bytes() == before
    result = run("diff", str(path))
    assert "\x1b" not in result.output and "\\x1b[2J" in result.output


def test_a_refusal_quoting_a_value_with_line_breaks_starts_no_line_with_it(site, run):
    """A reviewer's name in the item may hold a line break (YAML's `\\n`); quoted in the refusal, the rest of it was a
    line of its own: `fake.md:1:1: GK000 error: …`, or a `::add-mask::` command for a CI log."""
    path = site.write("2021/a.md", _variants()["no review key"])
    key = str(site.keys.file("李明"))
    assert run("review", str(path), "--level", "initial", "--reviewer", "李明", "--key", key).exit_code == 0
    text = path.read_text(encoding="utf-8").replace("reviewer: 李明", 'reviewer: "李明\\nfake.md:1:1: GK000 error: x\\n::add-mask::y"')
    path.write_text(text, encoding="utf-8")
    result = run("review", str(path), "--level", "final", "--reviewer", "王芳", "--key", str(site.keys.file("王芳")))
    assert result.exit_code == 1
    assert [line for line in result.output.split("\n") if line.startswith(("fake.md", "::"))] == [], result.output


def test_a_final_over_an_initial_by_a_reviewer_not_cleared_for_party_items_is_refused(site, run):
    """The check refuses a 党内 item's sign-off by someone without `party: true` once the roster marks anyone so; the
    command judged the levels below without it, and signed a 复核 over an 初审 the check then refused."""
    roster = roster_yaml(site.keys, REVIEWERS).replace("  - name: 王芳\n", "  - name: 王芳\n    party: true\n")
    (site.content / "catalog.yml").write_text(CATALOG + roster, encoding="utf-8")
    path = site.item(signed=False, audience="党内")
    site.write_review(path, [{"level": "initial", "reviewer": "李明", "date": "2021-06-16", "key": "李明"}])
    _refused(run, path, "--level", "final", *_as(site, "王芳"), wanted="初审记录有问题，不能在其上签署复核：李明 未获授权审查仅向党员公开")
