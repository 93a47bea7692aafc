"""Random sequences of edits, each followed by `gongkai build` over the site the one before left: after
every build the site is byte for byte a clean full build of the same project, and holds no trace of
what is no longer public (every item's text carries a marker of its version; Pagefind's files are
read decompressed); a build the check refuses leaves the site as it was."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gongkai.commands.build import BuildFailed
from tests.projects import REPO, TODAY, build, hashes, make_project, write_item
from tests.site.test_site_never_published import output_bytes

SERIALS = (500, 501, 502)
CATEGORIES = ("动态信息", "规范性文件", "保障性住房", "党组织决议")  # the last a 党内 column: members only
# How one item's body links another (its file, or its attachment): each way Python-Markdown and MkDocs read a link.
LINK_FORMS = ("plain", "escaped", "root", "wiki", "attachment")
# What the check says of a link to an item that is not (yet) public, moved, or of a file it no longer publishes.
LINK_CODES = ("GK225", "GK608", "GK613")


class EditsAndBuilds(RuleBasedStateMachine):
    """A small project whose managed items change in every way an editor changes them."""

    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gongkai-sequences-"))
        self.fixture = make_project(self.folder / "project", news=3)
        self.root = self.fixture.root
        (self.root / "theme_overrides").unlink()  # a copy of its own, to edit a template
        shutil.copytree(REPO / "theme_overrides", self.root / "theme_overrides")
        config = self.root / "mkdocs.yml"  # links from the root resolved from there; wiki links to an item's file
        config.write_text(config.read_text(encoding="utf-8").replace(
            "    anchors: ignore\n", "    anchors: ignore\n    absolute_links: relative_to_docs\n").replace(
            "  - sane_lists\n", "  - sane_lists\n  - wikilinks:\n      base_url: ''\n      end_url: .md\n      html_class: ''\n"),
            encoding="utf-8")
        self.site = self.root / "site"
        self.today = TODAY
        self.versions = 0
        self.items: dict[int, dict[str, Any]] = {n: {"version": 0, "title": "管理条目", "body": "正文", "published": dt.date(2024, 3, 1),
                          "category": "动态信息", "audience": None, "disclosure": "主动公开", "withdrawn": False,
                          "attachment": None, "folder": "2024", "signed": True, "link": None} for n in SERIALS}
        for serial in SERIALS:
            self._write(serial)
        self._build()
        published = b"\n".join(output_bytes(self.site).values())
        assert all(self._marker(serial, part).encode() in published for serial in SERIALS for part in "tsb")  # the scan sees

    def teardown(self) -> None:
        if hasattr(self, "folder"):
            shutil.rmtree(self.folder, ignore_errors=True)

    def _marker(self, serial: int, part: str, version: int | None = None) -> str:
        return f"qxseq{part}{serial}v{self.items[serial]['version'] if version is None else version}q"

    def _write(self, serial: int) -> None:
        item = self.items[serial]
        self.versions += 1
        item["version"] = self.versions
        for old in (self.root / "content" / "items").rglob(f"2024-{serial:05d}.md"):
            old.unlink()
        fields: dict = {"title": f"{item['title']}{self._marker(serial, 't')}", "category": item["category"],
                        "department": "办公室", "published": item["published"], "disclosure": item["disclosure"],
                        "summary": f"概述{self._marker(serial, 's')}"}
        if item["audience"]:
            fields["audience"] = item["audience"]
        if item["withdrawn"]:
            fields["withdrawn"] = {"date": TODAY, "reason": "信息有误"}
        if item["attachment"]:
            name = item["attachment"]
            file = self.root / "content" / "attachments" / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(f"名称,说明\n{self._marker(serial, 'f')},测试\n", encoding="utf-8")
            fields["attachments"] = [{"title": f"附件{self._marker(serial, 'a')}", "file": name}]
        path = write_item(self.root, 2024, serial, f"{item['body']}{self._marker(serial, 'b')}。{self._link(serial)}", **fields)
        if not item["signed"]:  # changed after review: the check refuses it (GK207)
            path.write_text(path.read_text(encoding="utf-8").replace("。\n", "，又改了一句。\n"), encoding="utf-8")
        if item["folder"] != "2024":
            moved = self.root / "content" / "items" / item["folder"] / path.name
            moved.parent.mkdir(parents=True, exist_ok=True)
            path.rename(moved)

    def _link(self, serial: int) -> str:
        """The link `serial`'s body ends with, as its `link` says: (target, form) or None."""
        if self.items[serial]["link"] is None:
            return ""
        target, form = self.items[serial]["link"]
        item = self.items[target]
        if form == "attachment":
            if not item["attachment"]:
                return ""
            path = f"attachments/{item['attachment']}"
        else:
            path = f"items/{item['folder']}/2024-{target:05d}.md"
        if form == "root":
            return f"见[它](/{path})。"
        if form == "wiki":  # resolves while both files share a folder
            return f"见[[2024-{target:05d}]]。"
        relative = os.path.relpath(path, f"items/{self.items[serial]['folder']}")
        return f"见[它]({relative.replace('-', chr(92) + '-') if form == 'escaped' else relative})。"

    def _build(self) -> None:
        before = hashes(self.site) if self.site.exists() else None
        # the check refuses an item changed after review that a site built today shows (GK207; one on no site is
        # GK226, which takes it down without stopping the build) and one withdrawn before it is published (GK116)
        refused = any((not item["signed"] and item["disclosure"] == "主动公开" and item["published"] <= self.today)
                      or (item["withdrawn"] and item["published"] > TODAY) for item in self.items.values())
        try:
            build(self.fixture, self.site, today=self.today)
        except BuildFailed as exc:
            # … and may refuse a link to an item not public (yet), moved, or to a file its item no longer publishes
            linking = any(item["link"] is not None for item in self.items.values())
            if not (refused or (linking and any(code in str(exc) for code in LINK_CODES))):
                raise
            assert (hashes(self.site) if self.site.exists() else None) == before
            return
        assert not refused, "the check let a build through that it must refuse"
        self.published = {serial: dict(item) for serial, item in self.items.items()}  # what the site now shows
        self.published_on = self.today
        clean = self.folder / f"clean-{self.versions}"
        shutil.copytree(self.root, clean, symlinks=True, ignore=shutil.ignore_patterns(".gongkai-cache", "site"))
        self.fixture.root = clean
        try:
            assert hashes(self.site) == hashes(build(self.fixture, clean / "site", today=self.today).site)
        finally:
            self.fixture.root = self.root
            shutil.rmtree(clean)

    @invariant()
    def nothing_of_what_is_not_public(self) -> None:
        if not hasattr(self, "published") or not self.site.exists():
            return
        published = b"\n".join(output_bytes(self.site).values()).decode("utf-8", "replace")
        # A refused build leaves the site of the last good one: judged by the items as they were then.
        for serial, item in self.published.items():
            public = (item["disclosure"] == "主动公开" and item["published"] <= self.published_on
                      and (item["audience"] == "公众" or (item["audience"] is None and item["category"] != "党组织决议")))
            for part, version in re.findall(rf"qxseq([tsbaf]){serial}v(\d+)q", published):
                shown = public and (part == "t" or not item["withdrawn"]) and (part not in "af" or item["attachment"])
                assert int(version) == item["version"] and shown, (serial, part, version, item)

    @rule(serial=st.sampled_from(SERIALS), body=st.sampled_from(["正文", "新正文"]), title=st.sampled_from(["管理条目", "改名条目"]))
    def edit_text(self, serial: int, body: str, title: str) -> None:
        self.items[serial].update(body=body, title=title, signed=True)
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS),
          published=st.sampled_from([dt.date(2024, 3, 1), dt.date(2024, 1, 5), TODAY + dt.timedelta(days=5)]))
    def redate(self, serial: int, published: dt.date) -> None:
        self.items[serial]["published"] = published
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), category=st.sampled_from(CATEGORIES), audience=st.sampled_from([None, "党内", "公众"]))
    def move_column(self, serial: int, category: str, audience: str | None) -> None:
        self.items[serial].update(category=category, audience=audience)
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), disclosure=st.sampled_from(["主动公开", "不予公开", "依申请公开"]),
          withdrawn=st.booleans())
    def disclose(self, serial: int, disclosure: str, withdrawn: bool) -> None:
        self.items[serial].update(disclosure=disclosure, withdrawn=withdrawn and disclosure == "主动公开")
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), attachment=st.sampled_from([None, "2024/甲.csv", "2024/乙.csv"]))
    def attach(self, serial: int, attachment: str | None) -> None:
        if attachment:
            attachment = attachment.replace(".csv", f"{serial}.csv")
        self.items[serial]["attachment"] = attachment  # a new name, new bytes (re-signed), or none
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), folder=st.sampled_from(["2024", "moved", "2024/sub"]))
    def move_file(self, serial: int, folder: str) -> None:
        self.items[serial]["folder"] = folder
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), signed=st.booleans())
    def sign(self, serial: int, signed: bool) -> None:
        self.items[serial]["signed"] = signed
        self._write(serial)
        self._build()

    @rule(serial=st.sampled_from(SERIALS), linked=st.sampled_from(SERIALS), form=st.sampled_from(LINK_FORMS), link=st.booleans())
    def link_another(self, serial: int, linked: int, form: str, link: bool) -> None:
        """One item's body links another (each rule above then changes what the link leads to, or whether it leads)."""
        self.items[serial]["link"] = (linked, form) if link and linked != serial else None
        self._write(serial)
        self._build()

    @rule(page_size=st.sampled_from([2, 20]), slug=st.sampled_from(["news", "news2"]), lexicon=st.booleans(),
          template=st.booleans(), later=st.sampled_from([0, 6, 25]))
    def project_files(self, page_size: int, slug: str, lexicon: bool, template: bool, later: int) -> None:
        config = self.root / "mkdocs.yml"
        config.write_text(re.sub(r"page_size: \d+", f"page_size: {page_size}", config.read_text(encoding="utf-8")),
                          encoding="utf-8")
        catalog = self.root / "content" / "catalog.yml"
        catalog.write_text(re.sub(r"\{name: 动态信息, slug: news2?\}", f"{{name: 动态信息, slug: {slug}}}",
                                  catalog.read_text(encoding="utf-8")), encoding="utf-8")
        (self.root / "content" / "lexicon.yml").write_text(
            "replace:\n  - {wrong: 住建局局, right: 住建局}\n" if lexicon else "", encoding="utf-8")
        page = self.root / "theme_overrides" / "gongkai" / "item.html"
        text = page.read_text(encoding="utf-8").replace("\n{# 改过 #}\n", "")
        page.write_text(text + "\n{# 改过 #}\n" if template else text, encoding="utf-8")
        self.today = TODAY + dt.timedelta(days=later)
        self._build()


EditsAndBuilds.TestCase.settings = settings(max_examples=4, stateful_step_count=5, deadline=None,
                                            suppress_health_check=list(HealthCheck))
test_every_build_after_any_edits_is_a_clean_build = pytest.mark.long(EditsAndBuilds.TestCase)
