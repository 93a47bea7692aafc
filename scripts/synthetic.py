"""Synthetic, realistic disclosure items for benchmarks: ≈1,400 Chinese characters each, 30 % with tables.

Items are reviewed at both levels by the sample roster's reviewers (one authorised for the item's
department and level) and signed with their demo keys (demo-keys/) by ssh-keygen — many statements per
ssh-keygen run — so `gongkai check` passes on them and verifies two signatures per item.
Deterministic for a seed (Ed25519 signatures are deterministic too).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from gongkai import digest
from gongkai.catalog import load_catalog
from gongkai.limits import Limits
from gongkai.loading import parse_document
from gongkai.model import AUDIENCE_PUBLIC, Catalog
from gongkai.review_chain import FIRST, SignedFields, link, statement
from gongkai.reviewing import entry_lines
from gongkai.roster import Reviewer
from gongkai.signatures import NAMESPACE, PublicKey

ROOT = Path(__file__).resolve().parent.parent
DEMO_KEYS = ROOT / "demo-keys"
BATCH = 500  # statements per ssh-keygen run

PHRASES = [
    "农村危房改造", "保障性住房", "公共租赁住房", "棚户区改造", "老旧小区改造", "建筑工程质量监督",
    "安全生产专项检查", "城镇燃气安全", "供水水质检测", "集中供热", "住房公积金", "物业管理",
    "房地产市场监管", "重点建设项目", "市政基础设施", "污水管网改造", "道路及给排水工程", "双随机一公开",
    "行政许可", "建筑市场秩序", "农民工工资", "施工许可", "竣工验收备案", "预拌混凝土",
    "防汛应急预案", "城乡规划", "人居环境整治", "政务公开", "信息公开", "便民服务",
]
CONNECTIVES = [
    "按照县委、县政府的统一部署，", "根据上级有关文件要求，", "为进一步做好", "经研究决定，",
    "结合我县实际，", "切实加强", "认真落实", "全面推进", "持续深化", "扎实开展",
]
TAILS = [
    "工作取得明显成效。", "各项任务均已按期完成。", "请各单位认真贯彻执行。", "现予以公示。",
    "确保群众知情、参与和监督。", "有关情况通报如下。", "进一步提升了服务水平。", "形成长效管理机制。",
]
LEXICON_SIZE = 5000  # entries in the synthetic content/lexicon.yml (issue: check ≤ 3 s at 10,000 items with 5,000)
TOWNS = ["城关镇", "东河乡", "西岭镇", "南湖乡", "北塬镇", "青石乡", "柳庄镇", "杏园乡"]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(CONNECTIVES)}{rng.choice(PHRASES)}{rng.choice(['和', '与', '及'])}{rng.choice(PHRASES)}{rng.choice(TAILS)}"


def body(rng: random.Random, with_table: bool) -> str:
    parts: list[str] = []
    length = 0
    section = 0
    while length < 1400:
        if length >= section * 450:
            section += 1
            heading = f"## {'一二三四五六'[section - 1]}、{rng.choice(PHRASES)}情况"
            parts.append(heading)
        paragraph = "".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        length += len(paragraph)
    if with_table:
        rows = ["| 序号 | 乡镇 | 户数 | 补助资金（万元） |", "| --- | --- | --- | --- |"]
        for number in range(1, rng.randint(6, 15)):
            rows.append(f"| {number} | {rng.choice(TOWNS)} | {rng.randint(1, 60)} | {rng.randint(1, 900) / 10:.1f} |")
        parts.insert(len(parts) // 2, "\n".join(rows))
    return "\n\n".join(parts) + "\n"


def generate(target: Path, count: int, seed: int = 1) -> list[Path]:
    """Make a site project at `target` (the repo's config and catalog, `count` synthetic items)."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "items").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    (target / "theme_overrides").symlink_to(ROOT / "theme_overrides")
    for name in ("catalog.yml", "pages"):
        source = ROOT / "content" / name
        if source.is_dir():
            shutil.copytree(source, target / "content" / name)
        else:
            shutil.copy(source, target / "content" / name)
    (target / "content" / "attachments").mkdir()
    catalog, _, problems = load_catalog(target / "content", target, Limits().item_bytes)
    if catalog is None:
        raise SystemExit(f"sample catalog unusable: {problems}")
    categories = [c for c in catalog.categories if c.audience == AUDIENCE_PUBLIC]  # every item on the public site
    departments = catalog.departments
    serials: dict[int, int] = {}
    unsigned: list[tuple[Path, str, dt.date]] = []
    start = dt.date(2020, 1, 2)
    span = (dt.date(2026, 10, 31) - start).days
    for number in range(count):
        published = start + dt.timedelta(days=rng.randint(0, span))
        serials[published.year] = serials.get(published.year, 0) + 1
        index_no = f"{catalog.org_code}/{published.year}-{serials[published.year]:05d}"
        category = categories[number % len(categories)]
        front = (
            f"title: 关于{rng.choice(PHRASES)}{rng.choice(['工作', '情况', '项目', '事项'])}"
            f"的{rng.choice(['通知', '公示', '公告', '报告'])}（第{number + 1}号）\n"
            f"index_no: {index_no}\n"
            f"category: {category.name}\n"
            f"department: {rng.choice(departments).name}\n"
            f"published: {published.isoformat()}\n"
            f"disclosure: 主动公开\n"
            f"genre: 通知\n"
            f"keywords: [{rng.choice(PHRASES)}, {rng.choice(PHRASES)}]\n"
        )
        if category.feedback_days is not None:  # a 意见征集 column: each notice states its period
            front += f"consultation: {{from: {published.isoformat()}, to: {(published + dt.timedelta(days=29)).isoformat()}}}\n"
        text = body(rng, with_table=rng.random() < 0.3)
        file = target / "content" / "items" / str(published.year) / f"{published.year}-{serials[published.year]:05d}.md"
        unsigned.append((file, f"---\n{front}---\n\n{text}", published))
    signed = sign_many([(text, day) for _, text, day in unsigned], target, catalog)
    for (file, _, _), text in zip(unsigned, signed, strict=True):
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return [file for file, _, _ in unsigned]


# Characters for synthetic lexicon terms: common in government writing, so some terms do occur.
TERM_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民"


def lexicon(target: Path, size: int, seed: int = 2) -> Path:
    """Write content/lexicon.yml with `size` entries (70 % replace, 20 % forbidden, 10 % people)."""
    rng = random.Random(seed)

    def term(low: int, high: int) -> str:
        return "".join(rng.choice(TERM_CHARS) for _ in range(rng.randint(low, high)))

    lines = ["replace:"]
    lines += [f"  - {{wrong: {term(3, 5)}, right: {term(3, 5)}}}" for _ in range(size * 7 // 10)]
    lines.append("forbidden:")
    lines += [f"  - {{text: {term(4, 6)}, reason: 合成的禁用表述}}" for _ in range(size * 2 // 10)]
    lines.append("people:")
    for _ in range(size - size * 7 // 10 - size * 2 // 10):
        lines.append(f"  - {{name: {term(3, 3)}, titles: [{{title: 局长, from: 2020-01-01, until: 2022-12-31}}]}}")
    file = target / "content" / "lexicon.yml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def sign(text: str, project: Path, published: dt.date) -> str:
    """`text` (an item without review) with both levels signed, dated `published`."""
    catalog, _, problems = load_catalog(project / "content", project, Limits().item_bytes)
    if catalog is None:
        raise SystemExit(f"catalog unusable: {problems}")
    return sign_many([(text, published)], project, catalog)[0]


def _reviewers(catalog: Catalog, department_key: str, day: dt.date) -> tuple[Reviewer, Reviewer]:
    """An initial reviewer for the department (its own before an all-department one) and another for final."""
    roster = catalog.roster
    assert roster is not None
    department = catalog.department(department_key)

    def able(level: str, person: Reviewer) -> bool:
        return person.may_sign(level, department, day) and bool(person.keys_on(day))

    def everywhere(person: Reviewer) -> bool:
        return any(role.departments is None for role in person.roles_on(day))

    initial = sorted((p for p in roster.reviewers if able("initial", p)), key=everywhere)[0]
    final = next(p for p in roster.reviewers if able("final", p) and p.ident != initial.ident)
    return initial, final


def sign_many(items: list[tuple[str, dt.date]], project: Path, catalog: Catalog) -> list[str]:
    """Sign every item's two levels with the demo keys: one ssh-keygen run per key and batch."""
    org = catalog.org_code
    prepared = []
    for text, day in items:
        document, problems = parse_document(text.encode("utf-8"), "synthetic.md")
        assert document is not None, problems
        current = digest.compute(document.meta, document.body, project / "content" / "attachments", catalog)
        department = str(document.meta["department"])
        prepared.append((text, str(document.meta["index_no"]), current, day, _reviewers(catalog, department, day)))
    with tempfile.TemporaryDirectory(prefix="gongkai-synthetic-") as folder:
        keys = demo_keys(Path(folder))
        previous = [FIRST] * len(prepared)
        blocks: list[list[str]] = [["review:"] for _ in prepared]
        for level_index, level in enumerate(("initial", "final")):
            statements = []
            for number, (_, index_no, current, day, people) in enumerate(prepared):
                person = people[level_index]
                fields = SignedFields(level, person.name, day.isoformat(), "同意公开", current)
                key = next(keys[k.key.blob] for k in person.keys_on(day) if k.key.blob in keys)
                statements.append((key, statement(org, index_no, fields, previous[number]), fields))
            signatures = _ssh_keygen_sign([(key, message) for key, message, _ in statements], Path(folder))
            for number, ((_, message, fields), signature) in enumerate(zip(statements, signatures, strict=True)):
                previous[number] = link(signature, message)
                blocks[number] += entry_lines(level, {"reviewer": fields.reviewer, "date": fields.date,
                                                      "opinion": fields.opinion, "digest": fields.digest,
                                                      "signature": signature})
    signed = []
    for (text, *_), block in zip(prepared, blocks, strict=True):
        head, rest = text[4:].split("\n---\n", 1)
        signed.append(f"---\n{head.rstrip(chr(10))}\n" + "\n".join(block) + f"\n---\n{rest}")
    return signed


def demo_keys(folder: Path) -> dict[bytes, Path]:
    """Public key blob → a 0600 copy of the demo private key (ssh-keygen refuses git's 0644)."""
    keys = {}
    for public in sorted(DEMO_KEYS.glob("*.pub")):
        private = folder / public.stem
        shutil.copyfile(public.with_suffix(""), private)
        private.chmod(0o600)
        keys[PublicKey.parse(public.read_text(encoding="ascii")).blob] = private
    return keys


def _ssh_keygen_sign(jobs: list[tuple[Path, bytes]], folder: Path) -> list[str]:
    """Armoured signatures of each (key file, message), in order; each run signs many files."""
    out: list[str] = [""] * len(jobs)
    by_key: dict[Path, list[int]] = {}
    for number, (key, _) in enumerate(jobs):
        by_key.setdefault(key, []).append(number)
    work = folder / "statements"
    work.mkdir(exist_ok=True)
    for key, numbers in by_key.items():
        for start in range(0, len(numbers), BATCH):
            batch = numbers[start:start + BATCH]
            files = []
            for number in batch:
                file = work / f"{number}.txt"
                file.write_bytes(jobs[number][1])
                files.append(file)
            subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", NAMESPACE, "-f", str(key), *map(str, files)],
                           check=True, capture_output=True)
            for number, file in zip(batch, files, strict=True):
                out[number] = file.with_name(file.name + ".sig").read_text(encoding="ascii")
                file.unlink()
                file.with_name(file.name + ".sig").unlink()
    return out


if __name__ == "__main__":
    out = Path(sys.argv[1])
    made = generate(out, int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    lexicon(out, LEXICON_SIZE)
    print(f"{len(made)} items and a {LEXICON_SIZE:,}-entry lexicon in {out}")
