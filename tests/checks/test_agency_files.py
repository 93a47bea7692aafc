"""The files an agency copies (pre-commit hook, CI examples) and the 编辑手册 stay correct."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from gongkai.rulebook import manual_section, render_markdown
from gongkai.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "编辑手册.md"


def test_guide_code_table_is_the_generated_one():
    guide = GUIDE.read_text(encoding="utf-8")
    assert manual_section(guide) == render_markdown(), "docs/编辑手册.md：请用 `gongkai rules --format markdown` 重新生成代码表"
    codes = {rule.code for rule in all_rules()}
    assert {f"GK00{n}" for n in range(1, 8)} | {f"GK90{n}" for n in range(1, 5)} <= codes
    rows = set(re.findall(r"^\| (GK\d{3}) \|", guide, re.M))
    assert rows == codes


def test_one_chinese_word_per_severity():
    guide = GUIDE.read_text(encoding="utf-8")
    assert "提醒" not in guide
    assert {rule.severity_label for rule in all_rules()} == {"错误", "警告"}


def test_codes_are_unique_and_well_formed():
    rules = all_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    for rule in rules:
        assert re.fullmatch(r"GK\d{3}", rule.code) and rule.severity in ("error", "warning")
        assert rule.title and rule.fix


def test_pre_commit_hook():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "gongkai-check" and hook["entry"] == "gongkai check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.match(hook["files"], "content/items/2021/a.md") and not re.match(hook["files"], "README.md")
    # what the check reads besides content/: a commit of only a template or mkdocs.yml is checked too
    assert re.match(hook["files"], "theme_overrides/main.html") and re.match(hook["files"], "mkdocs.yml")
    assert not re.match(hook["files"], "mkdocs.yml.bak")


def test_github_workflow():
    workflow = yaml.safe_load((ROOT / "examples/content-repo/.github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    check, build = workflow["jobs"]["check"]["steps"], workflow["jobs"]["build"]["steps"]
    assert "gongkai check --format github" in [step.get("run", "") for step in check]
    runs = [step.get("run", "") for step in build]
    assert runs.index("gongkai build") < runs.index("gongkai build --next-change")
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site/"


def test_ci_examples_publish_whatever_check_says():
    """A check that fails only on errors declared not to stop publishing (GK841 an overdue application, GK226 a
    takedown) must not stop the daily build and deployment: the build checks again and refuses what blocks it, so
    the job that publishes neither runs `gongkai check` before it nor waits for the job that does."""
    workflow = yaml.safe_load((ROOT / "examples/content-repo/.github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    build = jobs["build"]
    assert "needs" not in build
    assert not any("gongkai check" in step.get("run", "") for step in build["steps"])
    assert jobs["deploy"]["needs"] == "build"
    ci = yaml.safe_load((ROOT / "examples/content-repo/.gitlab-ci.yml").read_text(encoding="utf-8"))
    # Without needs, a job waits for every earlier stage to succeed: the check stage holds the check and the audit.
    assert ci["gongkai-build"]["needs"] == [] and ci["gongkai-deploy"]["needs"] == ["gongkai-build"]
    assert not any("gongkai check" in line for line in ci["gongkai-build"]["script"])


def test_gitlab_ci():
    ci = yaml.safe_load((ROOT / "examples/content-repo/.gitlab-ci.yml").read_text(encoding="utf-8"))
    check, build = ci["gongkai-check"], ci["gongkai-build"]
    assert any("gongkai check" in line for line in check["script"])
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert build["script"][0] == "gongkai build" and build["artifacts"]["paths"] == ["site/"]


def test_ci_examples_build_and_deploy_every_day():
    """Scheduled items and consultations change the site by the day: a daily build publishes them."""
    workflow = yaml.safe_load((ROOT / "examples/content-repo/.github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "10 16 * * *"}] and workflow["env"]["TZ"] == "Asia/Shanghai"
    deploy = workflow["jobs"]["deploy"]
    assert "pull_request" in deploy["if"]
    assert any("rsync" in step.get("run", "") for step in deploy["steps"])
    audit = workflow["jobs"]["audit"]
    assert audit["steps"][0]["with"]["fetch-depth"] == 0 and "schedule" in audit["if"]
    assert any(step.get("run", "").startswith("gongkai audit") for step in audit["steps"])
    ci = yaml.safe_load((ROOT / "examples/content-repo/.gitlab-ci.yml").read_text(encoding="utf-8"))
    assert ci["variables"]["TZ"] == "Asia/Shanghai" and ci["variables"]["GIT_DEPTH"] == 0
    assert ci["gongkai-deploy"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["stages"].index(ci["gongkai-build"]["stage"]) < ci["stages"].index(ci["gongkai-deploy"]["stage"])
    assert ci["gongkai-audit"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]


def test_guide_examples_are_valid_front_matter():
    from gongkai.fields import FIELDS
    from gongkai.lexicon.entries import TOP_KEYS
    from gongkai.loading import parse_document
    from gongkai.yaml_reading import read_yaml

    guide = GUIDE.read_text(encoding="utf-8")
    item = re.search(r"```markdown\n(---\n.*?\n---\n.*?)```", guide, re.S)
    assert item is not None
    document, problems = parse_document(item[1].encode(), "example.md")
    assert document is not None and not problems and set(document.meta) <= set(FIELDS)
    for block in re.findall(r"```yaml\n(.*?)```", guide, re.S):
        parsed = read_yaml(block, "example.yml")
        data = parsed.data
        assert not parsed.problems, block
        if block.startswith("# catalog.yml"):  # the review setup and the roster
            assert set(data) <= {"review", "reviewers"}, block
            continue
        if set(data) <= set(FIELDS) or _valid_register_example(block, data):
            continue
        if set(data) <= set(TOP_KEYS):  # the 错敏词库 chapter's content/lexicon.yml
            lexicon, problems = load_lexicon_text(block)
            assert not problems and lexicon.people, block
        else:  # the audit chapter's catalog.yml settings
            assert set(data) <= {"categories", "audit"}, block


def _valid_register_example(block: str, data: dict) -> bool:
    """A register file of the 编辑手册 reads without problems; a fragment has only the register's keys."""
    from gongkai.loading import SourceDocument
    from gongkai.registers import applications, supervision
    from gongkai.yaml_reading import read_yaml

    parsed = read_yaml(block, "example.yml", first_line=1)
    document = SourceDocument("example.yml", block, data, "", 1, parsed.keys, parsed.values)
    if "request" in data:
        return applications.read_application(data, document).problems == []
    if "source" in data:
        return supervision.read_entry(data, document, None)[1] == []
    return set(data) <= {field.key for field in supervision.FIELDS}


def load_lexicon_text(text: str):
    import tempfile

    from gongkai.lexicon import load_lexicon
    from gongkai.limits import Limits

    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        content.mkdir()
        (content / "lexicon.yml").write_text(text, encoding="utf-8")
        return load_lexicon(content, Path(folder), Limits().item_bytes)


def test_ci_examples_show_roster_changes_and_protect_the_roster():
    workflow = yaml.safe_load((ROOT / "examples/content-repo/.github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    assert any("--base" in step.get("run", "") and step.get("if") for step in steps)
    assert steps[0]["with"]["fetch-depth"] == 0
    ci = yaml.safe_load((ROOT / "examples/content-repo/.gitlab-ci.yml").read_text(encoding="utf-8"))
    assert any("--base" in line for line in ci["gongkai-roster"]["script"])
    for owners in ("examples/content-repo/.github/CODEOWNERS", "examples/content-repo/CODEOWNERS"):
        rules = [line.split() for line in (ROOT / owners).read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith(("#", "["))]
        assert ["/content/catalog.yml", "@office-leader"] in rules
        # content_dir names the roster's folder: mkdocs.yml and a catalog.yml anywhere are the roster too
        assert ["/mkdocs.yml", "@office-leader"] in rules and ["catalog.yml", "@office-leader"] in rules
        # published without a 保密审查 signature (they are not items): pages, the annual reports, the theme, and the
        # registers the reports' tables 三 and 四 and the 答复 pages' statuses are counted from (rt28)
        for folder in ("/content/pages/", "/content/reports/", "/content/applications/", "/content/supervision/",
                       "/theme_overrides/"):
            assert [folder, "@office-leader"] in rules
        # the bytes every file is checked out with, on reviewers' machines and in CI (`* -text`)
        assert [".gitattributes", "@office-leader"] in rules  # anywhere: content/.gitattributes overrides the root's


def test_the_example_repository_ignores_what_a_killed_command_leaves_and_what_a_build_makes(tmp_path):
    """A command killed while it writes an item leaves its temporary file beside it: never committed by `git add -A`."""
    import shutil
    import subprocess

    from gongkai.writer import _temporary_prefix

    shutil.copy(ROOT / "examples/content-repo/.gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    item = Path("content/items/2021/2021-00001.md")
    left = item.parent / f"{_temporary_prefix(item)}k3j_x9q2.tmp"
    names = [str(item), str(left), "site/index.html", ".gongkai-cache/items.sqlite", "site-party/index.html"]
    ignored = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "--no-index", *names],
                             capture_output=True, text=True).stdout.split()
    assert ignored == names[1:]


def test_the_example_attributes_keep_a_windows_clone_byte_for_byte(git_site, tmp_path):
    """Git for Windows checks text files out with CRLF line ends (core.autocrlf=true): a CSV attachment's bytes
    changed, so a reviewer there signed a digest that the CI (and the site) never sees — or an editor previewed and
    the scans read other bytes than the site publishes. The example repository's .gitattributes checks every file
    out as committed."""
    import json
    import os
    import subprocess
    import sys

    git_site.attach("2021/名单.csv", "姓名,户数\n甲,1\n乙,2\n".encode())
    git_site.item(attachments=[{"title": "名单", "file": "2021/名单.csv"}])
    git_site.commit("复核通过")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GONGKAI_TODAY": "2021-12-31"}

    def codes_in_windows_clone(name: str) -> set[str]:
        clone = tmp_path / name
        subprocess.run(["git", "clone", "-q", "-c", "core.autocrlf=true", str(git_site.root), str(clone)], check=True, env=env)
        (clone / "docs").mkdir(exist_ok=True)
        assert (clone / "content" / "attachments" / "2021" / "名单.csv").is_file()
        checked = subprocess.run([str(Path(sys.executable).parent / "gongkai"), "check", "--format", "json"], cwd=clone,
                                 capture_output=True, text=True, env=env, timeout=120)
        return {problem["code"] for problem in json.loads(checked.stdout)}

    assert "GK207" in codes_in_windows_clone("without")  # the CSV came out with CRLF: not the bytes signed
    (git_site.root / ".gitattributes").write_bytes((ROOT / "examples" / "content-repo" / ".gitattributes").read_bytes())
    git_site.commit("换行符")
    assert "GK207" not in codes_in_windows_clone("with")


def test_ci_examples_run_nothing_from_the_checkout():
    """`python -` puts the checkout first on the import path (a committed json.py ran in CI, with the deploy key on the
    default branch), and a pip cache inside the checkout installs whatever was committed there."""
    ci = yaml.safe_load((ROOT / "examples/content-repo/.gitlab-ci.yml").read_text(encoding="utf-8"))
    lines = [line for job in ci.values() if isinstance(job, dict) for line in job.get("script", []) + job.get("before_script", [])]
    pythons = [line for line in lines if re.search(r"(^|\s)python3?\s", line)]
    assert pythons and all(re.search(r"python3?\s+-I\b", line) for line in pythons), pythons
    assert "PIP_CACHE_DIR" not in ci["variables"] and "cache" not in ci.get("default", {})
    workflow = yaml.safe_load((ROOT / "examples/content-repo/.github/workflows/gongkai.yml").read_text(encoding="utf-8"))
    setups = [step for job in workflow["jobs"].values() for step in job["steps"] if "setup-python" in step.get("uses", "")]
    assert setups and not any("cache" in step.get("with", {}) for step in setups)
    ignored = (ROOT / "examples/content-repo/.gitignore").read_text(encoding="utf-8").split("\n")
    assert "/.venv/" in ignored
