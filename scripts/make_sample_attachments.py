#!/usr/bin/env python3
"""(Re)generate the sample agency's attachments under content/attachments/.

The files are committed; run this only to rebuild them after changing the data below:

    .venv/bin/python scripts/make_sample_attachments.py

Output is deterministic (same bytes on every run): fixed PDF creation dates, fixed
ZIP member timestamps and document properties in DOCX/XLSX/OFD, seeded pseudo-random names.

Needs (only for this script, not for building the site):
  * fpdf2 (``pip install fpdf2``) for the PDFs, with font subsetting so each PDF stays small;
  * a TrueType font with CJK glyphs, e.g. Debian's ``fonts-droid-fallback``
    (/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf), or set GONGKAI_CJK_TTF,
    and one for Latin letters and digits (``fonts-dejavu-core``, or GONGKAI_LATIN_TTF);
  * python-docx (a dependency of gongkai) and openpyxl (in the 'sample' extra).

Every personal identifier below is fictional and masked the way a real 公示 must be:
身份证号 as 6 digits + 8 stars + 4 characters, no mobile numbers, no bank accounts.
``2023/draft-unpublished.pdf`` is deliberately referenced by no item: it must never be published.
"""
from __future__ import annotations

import csv
import io
import os
import random
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "attachments"
FIXED = datetime(2020, 1, 1, tzinfo=UTC)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FONT_CANDIDATES = [
    os.environ.get("GONGKAI_CJK_TTF", ""),
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


LATIN_CANDIDATES = [
    os.environ.get("GONGKAI_LATIN_TTF", ""),
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def _first(candidates: list[str], what: str) -> str:
    for path in candidates:
        if path and Path(path).is_file():
            return path
    sys.exit(f"找不到字体 / font not found: {what}")


def cjk_font() -> str:
    return _first(FONT_CANDIDATES, "CJK TrueType (apt-get install fonts-droid-fallback, or set GONGKAI_CJK_TTF)")


def latin_font() -> str:
    # DroidSansFallback has no Latin letters or digits: they come from this font.
    return _first(LATIN_CANDIDATES, "Latin TrueType (apt-get install fonts-dejavu-core, or set GONGKAI_LATIN_TTF)")


# --------------------------------------------------------------------------- helpers

def masked_id(rng: random.Random) -> str:
    """A masked 身份证号: region 131122, 8 stars, 3 digits and a check character."""
    tail = f"{rng.randrange(1000):03d}" + rng.choice("0123456789X")
    return "131122********" + tail


SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
            "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = "秀英桂兰玉珍凤琴淑芬建国志强海军德顺明亮福来金山广才长林宝华永利春梅翠英文杰玉霞立新振华俊杰素云红霞国富丽萍庆华小燕晓红雪梅"


def fake_name(rng: random.Random, used: set[str]) -> str:
    while True:
        n = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        if n not in used:
            used.add(n)
            return n


def normalise_zip(path: Path) -> None:
    """Rewrite a ZIP-based file (docx/xlsx/ofd) with fixed timestamps and metadata."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    r"\g<1>2020-01-01T00:00:00Z\g<3>",
                    text,
                )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------- PDF

class Pdf:
    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_creation_date(FIXED)
        self.pdf.set_title(title)
        self.pdf.set_author("青禾县住房和城乡建设局")
        self.pdf.set_creator("gongkai scripts/make_sample_attachments.py")
        self.pdf.set_producer("fpdf2")
        self.pdf.add_font("latin", fname=latin_font())
        self.pdf.add_font("cjk", fname=cjk_font())
        self.pdf.set_fallback_fonts(["cjk"], exact_match=False)
        self.pdf.set_auto_page_break(True, margin=18)
        self.pdf.add_page()
        self.pdf.set_font("latin", size=16)
        self.pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def para(self, text: str, size: int = 11) -> None:
        self.pdf.set_font("latin", size=size)
        self.pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def heading(self, text: str) -> None:
        self.pdf.set_font("latin", size=13)
        self.pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")

    def table(self, rows: list[list[str]], widths: tuple[int, ...] | None = None, size: int = 9) -> None:
        self.pdf.set_font("latin", size=size)
        from fpdf.fonts import FontFace

        # one regular CJK face only: headings are set apart by a grey fill, not bold
        head = FontFace(emphasis="", fill_color=(230, 230, 230))
        with self.pdf.table(col_widths=widths, line_height=6, text_align="CENTER",
                            first_row_as_headings=True, headings_style=head) as t:
            for r in rows:
                row = t.row()
                for c in r:
                    row.cell(str(c))
        self.pdf.ln(3)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pdf.output(str(path))


# --------------------------------------------------------------------------- data

# 2021 危房改造: per town (户数, D级, C级), villages; the first 8 households are the ones
# already named in the first and second 公示 (items 2021-00006 / 2021-00009).
TOWNS_2021 = [
    ("禾丰镇", 19, 6, ["南街村", "前营村", "北街村", "后屯村"]),
    ("青山镇", 17, 5, ["上庄村", "下庄村", "东沟村"]),
    ("石桥镇", 14, 4, ["石桥村", "后营村", "西沟村"]),
    ("柳河乡", 13, 3, ["柳河村", "王家庄村"]),
    ("东湖乡", 12, 3, ["东湖村", "湖西村"]),
    ("北营乡", 11, 2, ["北营村", "小营村"]),
]
KNOWN_2021 = [
    ("禾丰镇", "南街村", "王福来", "131122********0213", "D"),
    ("禾丰镇", "南街村", "李秀兰", "131122********1826", "C"),
    ("禾丰镇", "前营村", "赵金山", "131122********3411", "C"),
    ("禾丰镇", "前营村", "刘凤琴", "131122********0527", "D"),
    ("青山镇", "上庄村", "张德旺", "131122********2639", "C"),
    ("青山镇", "上庄村", "陈玉梅", "131122********1140", "C"),
    ("青山镇", "下庄村", "杨广才", "131122********4052", "D"),
    ("青山镇", "下庄村", "孙桂芝", "131122********2764", "C"),
]


def weigai_2021() -> None:
    rng = random.Random(20211126)
    used = {k[2] for k in KNOWN_2021}
    rows = [["序号", "乡镇", "村", "户主", "身份证号", "改造方式", "验收时间", "补助（万元）"]]
    n = 0
    total = 0.0
    for town, count, d_count, villages in TOWNS_2021:
        known = [k for k in KNOWN_2021 if k[0] == town]
        grades = ["D"] * d_count + ["C"] * (count - d_count)
        for k in known:
            grades.remove(k[4])
        rng.shuffle(grades)
        households = [(k[1], k[2], k[3], k[4]) for k in known]
        for g in grades:
            households.append((rng.choice(villages), fake_name(rng, used), masked_id(rng), g))
        for village, name, rid, g in households:
            n += 1
            money = 3.5 if g == "D" else 1.5
            total += money
            month = rng.choice(("2021年9月", "2021年10月", "2021年11月"))
            way = "拆除重建" if g == "D" else "修缮加固"
            rows.append([str(n), town, village, name, rid, way, month, f"{money:.1f}"])
    assert n == 86 and abs(total - 175.0) < 1e-9, (n, total)
    rows.append(["", "合计", "", "86户", "", "", "", f"{total:.1f}"])
    p = Pdf("青禾县2021年农村危房改造竣工验收及补助资金拨付名单")
    p.para("公示期：2021年11月26日至2021年12月2日。户主身份证号码已隐去中间8位。"
           "补助标准：拆除重建（D级）每户3.5万元，修缮加固（C级）每户1.5万元。")
    p.table(rows, widths=(10, 18, 20, 18, 40, 20, 24, 20), size=8)
    p.para("监督电话：青禾县住房和城乡建设局村镇建设股 0311-86221025；城建服务热线 12319。")
    p.save(OUT / "2021" / "2021年农村危房改造竣工验收名单.pdf")


def gongzufang_2024_pdf() -> None:
    p = Pdf("青禾县公共租赁住房管理办法")
    p.para("青住建规〔2024〕1号　　2024年6月17日印发　　自2024年7月1日起施行", size=10)
    chapters = [
        ("第一章　总则", [
            "第一条　为规范公共租赁住房管理，解决城镇中等偏下收入住房困难家庭、"
            "新就业无房职工和外来务工人员的住房困难，根据《公共租赁住房管理办法》等规定，结合本县实际，制定本办法。",
            "第二条　本县城区范围内公共租赁住房的申请、审核、分配、使用、退出和管理，适用本办法。",
            "第三条　县住房和城乡建设局是全县公共租赁住房的主管部门。"
            "县发展和改革、财政、民政、自然资源和规划、公安等部门按照各自职责做好相关工作。",
        ]),
        ("第二章　申请条件", [
            "第四条　城镇中等偏下收入住房困难家庭申请公共租赁住房，"
            "应当在本县城区无自有住房或人均住房建筑面积低于15平方米，且家庭人均月收入低于上年度本县城镇居民人均可支配收入的70%。",
            "第五条　新就业无房职工、在本县城区连续稳定就业6个月以上的外来务工人员，在本县城区无自有住房的，可以申请公共租赁住房。",
        ]),
        ("第三章　申请与审核", [
            "第六条　申请人可以通过县政务服务网在线申请，也可以向社区提交书面申请。",
            "第七条　社区、街道（乡镇）应当在10个工作日内完成审核；县住房和城乡建设局会同县民政局在10个工作日内完成审核。",
            "第八条　审核结果在县政府门户网站公示，公示期为7日。"
            "公示内容包括申请人姓名、家庭人口和保障方式。申请人身份证号码只公开前6位和后4位，手机号码只公开前3位和后4位，不公开家庭住址。",
        ]),
        ("第四章　配租与使用", [
            "第九条　公共租赁住房实行公开摇号配租，摇号过程接受公证机构和群众代表监督，结果公示7日。",
            "第十条　公共租赁住房租金按照同地段市场租金的70%确定并向社会公布。",
            "第十一条　承租人不得转借、转租、擅自调换或者改变所承租住房的用途，不得无正当理由连续6个月以上闲置。",
        ]),
        ("第五章　退出管理", [
            "第十二条　县住房和城乡建设局每年对保障家庭进行资格年审。不再符合条件的，给予6个月过渡期，过渡期内按市场租金计收。",
            "第十三条　承租人有转租、转借等违规行为的，解除租赁合同，收回住房，并记入个人信用记录。",
        ]),
        ("第六章　附则", [
            "第十四条　本办法自2024年7月1日起施行，有效期5年。《青禾县公共租赁住房管理办法》（青住建规〔2020〕1号）同时废止。",
        ]),
    ]
    for head, articles in chapters:
        p.heading(head)
        for a in articles:
            p.para(a)
    p.save(OUT / "2024" / "青住建规〔2024〕1号-公共租赁住房管理办法.pdf")


BUDGET_2025_INCOME = [
    ["项目", "金额（万元）"],
    ["一般公共预算拨款", "3451.30"],
    ["政府性基金预算拨款", "320.00"],
    ["事业收入", "127.34"],
    ["收入合计", "3898.64"],
]
BUDGET_2025_SPEND = [
    ["项目", "基本支出（万元）", "项目支出（万元）", "合计（万元）"],
    ["一般公共服务支出", "412.56", "35.00", "447.56"],
    ["社会保障和就业支出", "318.42", "0.00", "318.42"],
    ["城乡社区支出", "1421.30", "683.46", "2104.76"],
    ["住房保障支出", "349.90", "678.00", "1027.90"],
    ["合计", "2502.18", "1396.46", "3898.64"],
]


def budget_2025_pdf() -> None:
    p = Pdf("青禾县住房和城乡建设局2025年部门预算公开表")
    p.heading("表一　收入预算总表")
    p.table(BUDGET_2025_INCOME, widths=(60, 40))
    p.heading("表二　支出预算总表（按功能分类）")
    p.table(BUDGET_2025_SPEND, widths=(50, 35, 35, 35))
    p.heading("表三　一般公共预算\"三公\"经费支出预算表")
    p.table([
        ["项目", "2025年预算（万元）", "2024年预算（万元）"],
        ["因公出国（境）费", "0.00", "0.00"],
        ["公务用车购置及运行费", "8.90", "9.30"],
        ["其中：公务用车购置费", "0.00", "0.00"],
        ["公务接待费", "2.50", "2.60"],
        ["合计", "11.40", "11.90"],
    ], widths=(60, 40, 40))
    p.para("说明：我局2025年无政府性基金预算安排的\"三公\"经费支出。公开日期：2025年2月21日。")
    p.save(OUT / "2025" / "2025-bumen-yusuan-gongkaibiao.pdf")


def shuangsuiji_2026_pdf() -> None:
    p = Pdf("2026年建筑工程质量安全\"双随机一公开\"抽查结果明细")
    p.para("抽查时间：2026年8月17日至9月11日。抽取方式：县\"双随机一公开\"监管平台随机抽取检查对象、随机匹配执法人员。")
    p.table([
        ["序号", "项目名称", "施工单位", "发现问题", "处理情况"],
        ["1", "县人民医院感染楼", "青禾县建工集团有限公司", "0项", "未发现问题"],
        ["2", "县第二水厂二期", "禾州市政工程有限公司", "0项", "未发现问题"],
        ["3", "禾兴家园四期", "青禾县宏达建筑有限公司", "5项", "依法立案"],
        ["4", "锦绣华庭三期9#楼", "青禾县第一建筑工程有限公司", "2项", "责令整改，已复查合格"],
        ["5", "禾兴·滨河湾3#楼", "禾州建设集团有限公司", "3项", "责令整改，已复查合格"],
        ["6", "青禾府6#楼", "青禾县建工集团有限公司", "2项", "责令整改，已复查合格"],
        ["7", "城区雨污分流改造（四期）", "禾州市政工程有限公司", "2项", "责令整改，已复查合格"],
        ["8", "县职教中心实训楼", "青禾县第一建筑工程有限公司", "0项", "未发现问题"],
        ["", "合计", "", "14项", ""],
    ], widths=(12, 46, 52, 20, 50))
    p.para("联系电话：青禾县建筑工程质量安全监督站 0311-86221033。")
    p.save(OUT / "2026" / "2026-shuangsuiji-choucha-jieguo.pdf")


def draft_unpublished_pdf() -> None:
    # Referenced by no item: the site must never contain this file or its text.
    p = Pdf("【工作底稿】2023年公租房租金调整测算（草稿）")
    p.para("本文件为未经保密审查的工作底稿，没有任何条目引用，不得出现在网站上。"
           "测试标记：GONGKAI-UNPUBLISHED-DRAFT-2023。")
    p.table([
        ["小区", "现行租金（元/平方米·月）", "测算租金（元/平方米·月）"],
        ["禾兴家园", "5.2", "5.6"],
        ["康宁小区", "5.0", "5.4"],
    ], widths=(40, 60, 60))
    p.save(OUT / "2023" / "draft-unpublished.pdf")


# --------------------------------------------------------------------------- DOCX

def new_docx():
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    cp = doc.core_properties
    cp.author = "青禾县住房和城乡建设局"
    cp.last_modified_by = "青禾县住房和城乡建设局"
    cp.created = FIXED.replace(tzinfo=None)
    cp.modified = FIXED.replace(tzinfo=None)
    cp.revision = 1
    return doc


def docx_table(doc, rows: list[list[str]]) -> None:
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c


def save_docx(doc, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    normalise_zip(path)


def nongfang_2022_docx() -> None:
    doc = new_docx()
    doc.core_properties.title = "农村房屋安全隐患排查整治回头看情况统计表"
    doc.add_heading("农村房屋安全隐患排查整治\"回头看\"情况统计表", level=1)
    doc.add_paragraph("填报单位（盖章）：＿＿＿＿乡（镇）人民政府　　填报日期：2022年　月　日")
    rows = [["村名", "排查房屋（户）", "其中经营性自建房", "初判存在隐患", "已鉴定C级", "已鉴定D级", "已整治销号", "备注"]]
    for v in ("南街村", "前营村", "北街村", "后屯村", "合计"):
        rows.append([v, "", "", "", "", "", "", ""])
    docx_table(doc, rows)
    doc.add_paragraph("填表说明：1. 经营性自建房指用作农家乐、民宿、超市、培训机构等经营用途的农村自建房；"
                      "2. 本表每月25日前报县住房和城乡建设局村镇建设股，联系电话0311-86221025；"
                      "3. 本表只填报数量，不填写户主身份证号码、手机号码等个人信息。")
    save_docx(doc, OUT / "2022" / "nongfang-huitoukan-tongjibiao.docx")


def ranqi_2023_docx() -> None:
    doc = new_docx()
    doc.core_properties.title = "城镇燃气安全隐患排查整治台账（样表）"
    doc.add_heading("城镇燃气安全隐患排查整治台账（样表）", level=1)
    doc.add_paragraph("企业名称：＿＿＿＿＿＿＿＿　　填报人：＿＿＿＿　　联系电话（座机）：＿＿＿＿＿＿")
    docx_table(doc, [
        ["序号", "排查对象", "隐患类别", "隐患描述", "整改措施", "整改时限", "整改责任人", "销号日期"],
        ["1", "示例：某餐饮店", "未安装燃气泄漏报警装置", "后厨未安装报警装置", "安装报警及切断装置", "2023年7月31日",
         "（企业安全员）", ""],
        ["2", "示例：某小区中压管道", "管道占压", "管道上方搭建简易棚", "拆除占压建筑物", "2023年8月15日", "（企业安全员）", ""],
        ["3", "", "", "", "", "", "", ""],
    ])
    doc.add_paragraph("隐患类别：无证经营、管网老化、管道占压、报警装置缺失、橡胶软管、气瓶违规存放、其他。"
                      "重大隐患须单独报告。本台账每周四下午5点前报市政公用事业股（0311-86221040）。")
    save_docx(doc, OUT / "2023" / "燃气安全隐患排查整治台账.docx")


def gongzufang_2024_docx() -> None:
    doc = new_docx()
    doc.core_properties.title = "青禾县公共租赁住房管理办法（修订征求意见稿）"
    doc.add_heading("青禾县公共租赁住房管理办法（修订征求意见稿）", level=1)
    for t in (
        "第一条　为规范公共租赁住房管理，解决城镇中等偏下收入住房困难家庭、"
        "新就业无房职工和外来务工人员的住房困难，结合本县实际，制定本办法。",
        "第二条　申请人在本县城区无自有住房或人均住房建筑面积低于15平方米，家庭人均月收入低于上年度本县城镇居民人均可支配收入的70%。",
        "第三条　外来务工人员在本县城区连续稳定就业6个月以上的，可以申请公共租赁住房。",
        "第四条　申请人可以通过县政务服务网在线申请。县级审核时限为10个工作日。",
        "第五条　公示时，申请人身份证号码只公开前6位和后4位，手机号码只公开前3位和后4位。",
        "第六条　承租人不再符合条件的，给予6个月过渡期，过渡期内按市场租金计收。",
    ):
        doc.add_paragraph(t)
    doc.add_page_break()
    doc.add_heading("意见反馈表", level=2)
    docx_table(doc, [
        ["姓名或单位", "", "联系电话", ""],
        ["条款", "修改意见", "理由", "备注"],
        ["", "", "", ""],
        ["", "", "", ""],
    ])
    doc.add_paragraph("征集期限：2024年4月12日至2024年5月12日。"
                      "寄送地址：青禾县禾兴大街88号县住房和城乡建设局住房保障股，邮编053500，电话0311-86221018。")
    save_docx(doc, OUT / "2024" / "gongzufang-banfa-zhengqiuyijian.docx")


def ranqi_2026_docx() -> None:
    doc = new_docx()
    doc.core_properties.title = "青禾县城镇燃气用户安全管理规定（征求意见稿）"
    doc.add_heading("青禾县城镇燃气用户安全管理规定（征求意见稿）", level=1)
    for t in (
        "第一条　为加强城镇燃气用户安全管理，预防燃气事故，根据《城镇燃气管理条例》等规定，结合本县实际，制定本规定。",
        "第二条　燃气经营企业应当对居民用户每年至少入户安检1次，对餐饮等非居民用户每季度至少安检1次。",
        "第三条　餐饮等非居民用户应当安装可燃气体泄漏报警装置和紧急自动切断装置。",
        "第四条　居民用户应当使用金属波纹管等不易脱落的连接管。",
        "第五条　燃气计量表具到期更换和户内老旧管道改造的费用，按照国家和省有关规定承担。",
        "第六条　本规定自印发之日起30日后施行，有效期5年。",
    ):
        doc.add_paragraph(t)
    doc.add_paragraph("征集期限：2026年4月17日至2026年5月17日。意见请寄青禾县禾兴大街88号县住房和城乡建设局市政公用事业股，电话0311-86221040。")
    save_docx(doc, OUT / "2026" / "ranqi-yonghu-anquan-guiding-zhengqiuyijian.docx")


# --------------------------------------------------------------------------- XLSX

def new_xlsx():
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "青禾县住房和城乡建设局"
    wb.properties.created = FIXED.replace(tzinfo=None)
    wb.properties.modified = FIXED.replace(tzinfo=None)
    return wb


def save_xlsx(wb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    normalise_zip(path)


def gzf_2023_xlsx() -> None:
    wb = new_xlsx()
    ws = wb.active
    ws.title = "审核结果名单"
    ws.append(["2023年第二批公共租赁住房保障资格审核结果名单（更正后）"])
    ws.append(["序号", "申请人", "身份证号", "家庭人口", "所在社区", "保障方式"])
    for r in [
        (1, "马国庆", "131122********1013", 3, "城关社区", "实物配租"),
        (2, "胡美玲", "131122********2425", 2, "禾兴社区", "实物配租"),
        (3, "郭永安", "131122********0251", 1, "康宁社区", "租赁补贴"),
        (4, "谢丽华", "131122********3128", 3, "西关社区", "实物配租"),
        (5, "唐振宇", "131122********1476", 2, "北关社区", "租赁补贴"),
        (6, "董春燕", "131122********0860", 3, "北关社区", "实物配租"),
    ]:
        ws.append(list(r))
    ws.append(["公示期：2023年5月31日至6月6日。联系电话：0311-86221018。"])
    for col, w in zip("ABCDEF", (8, 12, 24, 10, 12, 12), strict=True):
        ws.column_dimensions[col].width = w
    save_xlsx(wb, OUT / "2023" / "2023-gzf-di2pi-mingdan.xlsx")


def juesuan_2024_xlsx() -> None:
    wb = new_xlsx()
    ws = wb.active
    ws.title = "收入支出决算总表"
    ws.append(["青禾县住房和城乡建设局2024年度收入支出决算总表", None, None])
    ws.append(["项目", "决算数（万元）", "年初预算数（万元）"])
    for r in [
        ("一般公共预算财政拨款收入", 3389.74, 3342.19),
        ("政府性基金预算财政拨款收入", 310.00, 310.00),
        ("事业收入", 140.28, 134.33),
        ("收入合计", 3840.02, 3786.52),
        ("基本支出", 2466.91, 2451.37),
        ("项目支出", 1341.66, 1335.15),
        ("支出合计", 3808.57, 3786.52),
        ("年末结转和结余", 31.45, None),
    ]:
        ws.append(list(r))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 18
    ws2 = wb.create_sheet("三公经费")
    ws2.append(["项目", "决算数（万元）", "预算数（万元）"])
    for r in [
        ("因公出国（境）费", 0.00, 0.00),
        ("公务用车运行维护费", 8.42, 9.30),
        ("公务接待费", 1.96, 2.60),
        ("合计", 10.38, 11.90),
    ]:
        ws2.append(list(r))
    ws2.column_dimensions["A"].width = 24
    save_xlsx(wb, OUT / "2025" / "2024-niandu-bumen-juesuan.xlsx")


# --------------------------------------------------------------------------- CSV

def shuizhi_2026_csv() -> None:
    rows = [
        ["检测项目", "单位", "标准限值", "第一水厂出厂水", "第二水厂出厂水", "管网末梢水均值", "结论"],
        ["浑浊度", "NTU", "≤1", "0.18", "0.15", "0.29", "合格"],
        ["色度", "度", "≤15", "<5", "<5", "<5", "合格"],
        ["臭和味", "", "无异臭、异味", "无", "无", "无", "合格"],
        ["肉眼可见物", "", "无", "无", "无", "无", "合格"],
        ["pH", "", "6.5～8.5", "7.56", "7.61", "7.52", "合格"],
        ["游离氯", "mg/L", "出厂0.3～2，末梢≥0.05", "0.48", "0.51", "0.19", "合格"],
        ["菌落总数", "CFU/mL", "≤100", "2", "1", "6", "合格"],
        ["总大肠菌群", "MPN/100mL", "不应检出", "未检出", "未检出", "未检出", "合格"],
        ["大肠埃希氏菌", "MPN/100mL", "不应检出", "未检出", "未检出", "未检出", "合格"],
        ["高锰酸盐指数（以O2计）", "mg/L", "≤3", "0.82", "0.76", "0.88", "合格"],
        ["氨（以N计）", "mg/L", "≤0.5", "<0.02", "<0.02", "0.03", "合格"],
        ["硝酸盐（以N计）", "mg/L", "≤10", "3.26", "2.94", "3.18", "合格"],
        ["总硬度（以CaCO3计）", "mg/L", "≤450", "236", "218", "231", "合格"],
        ["溶解性总固体", "mg/L", "≤1000", "412", "386", "405", "合格"],
    ]
    path = OUT / "2026" / "2026Q3-gongshui-shuizhi.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- OFD

def ofd_2022() -> None:
    """A minimal OFD (GB/T 33190) package: the checker cannot read its text and says so."""
    text = "青禾县住宅专项维修资金管理办法（青住建规〔2022〕1号）"
    files = {
        "OFD.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>6f0c3b1e2a7d4c58b9e1a0d2c4f6e8a1</ofd:DocID>"
            f"<ofd:Title>{text}</ofd:Title><ofd:Author>青禾县住房和城乡建设局</ofd:Author>"
            "<ofd:CreationDate>2022-03-14</ofd:CreationDate></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n"
        ),
        "Doc_0/Document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData>'
            "<ofd:MaxUnitID>4</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>\n'
        ),
        "Doc_0/PublicRes.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>\n'
        ),
        "Doc_0/Pages/Page_0/Content.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="3">'
            '<ofd:TextObject ID="4" Boundary="20 30 170 10" Font="2" Size="5">'
            f'<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
            "</ofd:Layer></ofd:Content></ofd:Page>\n"
        ),
    }
    path = OUT / "2022" / "qhzjg-2022-1.ofd"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def main() -> None:
    for make in (
        weigai_2021, gongzufang_2024_pdf, budget_2025_pdf, shuangsuiji_2026_pdf, draft_unpublished_pdf,
        nongfang_2022_docx, ranqi_2023_docx, gongzufang_2024_docx, ranqi_2026_docx,
        gzf_2023_xlsx, juesuan_2024_xlsx, shuizhi_2026_csv, ofd_2022,
    ):
        make()
    for p in sorted(OUT.rglob("*")):
        if p.is_file():
            print(f"{p.stat().st_size:>8}  {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
