"""The reviewer roster in catalog.yml (GK910–GK919): every mistake named with its file and line."""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import roster as roster_module
from gongkai.catalog import load_catalog
from gongkai.limits import Limits
from gongkai.roster import person_key

ROOT = Path(__file__).resolve().parents[1]


def problems_of(site, review: str = "", reviewers: str | None = None):
    text = re.split(r"^review", (site.content / "catalog.yml").read_text(encoding="utf-8"), flags=re.M)[0]
    (site.content / "catalog.yml").write_text(text + review + (reviewers or ""), encoding="utf-8")
    catalog, _, problems = load_catalog(site.content, site.root, Limits().item_bytes)
    return catalog, problems


def person(site, name="李明", departments="[全部]", levels="[initial]", keys=None):
    key = keys if keys is not None else f'[{{key: "{site.keys.public(name)}", from: 2020-01-01}}]'
    return f"  - name: {name}\n    departments: {departments}\n    levels: {levels}\n    keys: {key}\n"


def codes(problems):
    return sorted(p.code for p in problems)


def test_the_test_roster_is_clean(site):
    catalog, _, problems = load_catalog(site.content, site.root, Limits().item_bytes)
    assert catalog is not None and catalog.roster is not None
    assert problems == [] and [p.name for p in catalog.roster.reviewers] == ["李明", "王芳"]


def test_no_roster_is_an_error(site):
    catalog, problems = problems_of(site)
    assert codes(problems) == [roster_module.NO_ROSTER.code]
    assert catalog is not None  # the rest of the catalog still loads


def test_bad_review_setup(site):
    setup = "review:\n  levels: [{key: initial, name: 初审}]\n  signatures: sometimes\n  signatures_required_from: soon\n  extra: 1\n"
    _, problems = problems_of(site, setup, "reviewers:\n" + person(site))
    assert codes(problems) == [roster_module.BAD_SETUP.code] * 4
    assert {p.line for p in problems} == {2, 3, 4, 5} or all(p.path == "content/catalog.yml" for p in problems)


def test_level_keys_must_be_distinct_and_lowercase(site):
    for levels in ("[{key: Initial, name: 初审}, {key: final, name: 复核}]", "[{key: a, name: 初审}, {key: a, name: 复核}]"):
        _, problems = problems_of(site, f"review:\n  levels: {levels}\n", "reviewers:\n" + person(site))
        assert roster_module.BAD_SETUP.code in codes(problems)


def test_every_roster_mistake_has_its_line(site):
    good = person(site, "王芳", levels="[final]")
    entries = "reviewers:\n" + "".join([
        person(site, "李明"),
        person(site, "李\u3000明"),  # the same person twice
        person(site, "张三", departments="[档案室]"),
        person(site, "李四", levels="[终审]"),
        person(site, "王五", keys='[{key: "ssh-ed25519 AAAAnot-base64!"}]'),
        person(site, "赵六", keys=f'[{{key: "{site.keys.public("李明")}"}}]'),  # 李明's key again
        person(site, "孙七", keys=f'[{{key: "{site.keys.public("孙七")}", from: 2024-01-01, until: 2023-01-01}}]'),
        person(site, "周八", keys="[]"),
        good,
    ])
    catalog, problems = problems_of(site, reviewers=entries)
    text = (site.content / "catalog.yml").read_text(encoding="utf-8").split("\n")
    found = {p.code: (p.line, p.message) for p in problems}
    expected = {
        roster_module.DUPLICATE_PERSON.code: "李\u3000明",
        roster_module.UNKNOWN_DEPARTMENT.code: "档案室",
        roster_module.UNKNOWN_LEVEL.code: "终审",
        roster_module.BAD_KEY.code: "王五",
        roster_module.SHARED_KEY.code: "赵六",
        roster_module.BAD_PERIOD.code: "孙七",
        roster_module.NO_KEY.code: "周八",
    }
    assert set(found) == set(expected)
    for code, needle in expected.items():
        line, message = found[code]
        block = "\n".join(text[line - 5:line + 1])
        assert needle in message or needle in block, (code, line, message)
        assert next(p.path for p in problems if p.code == code) == "content/catalog.yml"
    assert [p.name for p in catalog.roster.reviewers if p.name in ("李明", "王芳")] == ["李明", "王芳"]


def test_key_types(site):
    keys = []
    for kind, bits in (("ecdsa", "256"), ("ecdsa", "384"), ("ecdsa", "521"), ("rsa", "2048"), ("rsa", "1024")):
        file = site.root / f"k-{kind}{bits}"
        subprocess.run(["ssh-keygen", "-q", "-t", kind, "-b", bits, "-N", "", "-f", str(file)], check=True)
        keys.append(file.with_suffix(".pub").read_text().strip())
    sk = ("sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIFeCIZo/mMTNeo7hcOorHs0ooTACJqiT+MGe6xUJV2Bz"
          "AAAABHNzaDo= hardware")
    listed = "".join(f'      - {{key: "{key}"}}\n' for key in [*keys, sk])
    entries = f"reviewers:\n  - name: 李明\n    departments: [全部]\n    levels: [initial]\n    keys:\n{listed}"
    catalog, problems = problems_of(site, reviewers=entries)
    [problem] = problems
    assert problem.code == roster_module.BAD_KEY.code and "1024" in problem.message
    assert [k.key.kind for k in catalog.roster.reviewers[0].keys] == [
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "sk-ssh-ed25519@openssh.com"]


def test_a_private_key_in_the_roster_is_refused_loudly(site):
    private = site.keys.file("李明").read_text()
    entries = "reviewers:\n" + person(site, keys=f"[{{key: {private!r}}}]".replace("'", '"').replace("\n", "\\n"))
    _, problems = problems_of(site, reviewers=entries)
    assert any(p.code == roster_module.BAD_KEY.code and "私钥" in p.message for p in problems)


_invisible = st.sampled_from(["", " ", "\u3000", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\t"])


@given(name=st.text(alphabet=st.characters(categories=["Lo", "Ll", "Lu"]), min_size=1, max_size=6), noise=st.lists(_invisible, max_size=4))
def test_spacing_and_invisible_characters_never_make_a_second_person(name, noise):
    spelled = "".join(ch + (noise[i] if i < len(noise) else "") for i, ch in enumerate(name))
    assert person_key(spelled) == person_key(name)
    assert person_key(name.upper()) == person_key(name.lower()) or not name.isascii()


def test_full_width_and_case_are_one_person():
    assert person_key("ＬＩ　Ｍｉｎｇ") == person_key("li ming") == person_key("Li\u200bMing")
    assert person_key("李明") != person_key("李铭")


@pytest.mark.parametrize(("simple", "traditional"), [("陈志刚", "陳志剛"), ("刘建华", "劉建華"), ("王芳", "王芳"),
                                                    ("张丽", "張麗"), ("赵国庆", "趙國慶")])
def test_traditional_and_simplified_spellings_are_one_person(simple, traditional):
    assert person_key(traditional) == person_key(simple) == person_key(f"{traditional[0]} {traditional[1:]}")


def test_a_person_entered_twice_in_traditional_characters_is_refused(site):
    entries = "reviewers:\n" + person(site, "李明") + person(site, "李明", keys=f'[{{key: "{site.keys.public("孙七")}"}}]')
    entries = entries.replace("name: 李明", "name: 陳志剛", 1).replace("name: 李明", "name: 陈志刚", 1)
    _, problems = problems_of(site, reviewers=entries)
    assert [p.code for p in problems] == [roster_module.DUPLICATE_PERSON.code] and "繁简" in problems[0].message


@pytest.mark.parametrize("name, twin", [("Aygul", "\u0410ygul"), ("Aygul Mamat", "Ayg\u03c5l M\u0430mat"),
                                        ("HAN MEI", "\u041d\u0391N MEI"), ("Polat", "\u0420\u03bfl\u0430t")])
def test_a_latin_name_spelled_with_cyrillic_or_greek_letters_is_the_same_person(site, name, twin):
    """Cyrillic А and Greek Α are drawn as Latin A: a name in Latin letters written with them was a second roster
    entry, with a key of its own, that a reader (and the office leader approving the roster) could not tell apart."""
    assert person_key(twin) == person_key(name) and person_key("Ivan") != person_key("\u0418van")
    entries = "reviewers:\n" + person(site, name) + person(site, twin, levels="[final]")
    _, problems = problems_of(site, reviewers=entries)
    assert [p.code for p in problems] == [roster_module.DUPLICATE_PERSON.code]


@pytest.mark.parametrize("name, twin", [("朱德", "朱徳"), ("孙黑", "孙黒"), ("马龙", "马竜"), ("李户", "李戸"),
                                        ("郎平", "郞平"), ("王值", "王値"), ("刘晚", "刘晩")])
def test_a_name_in_a_variant_form_is_the_same_person(site, name, twin):
    """徳 黒 竜 (the Japanese forms) and 郞 値 (drawn alike, Unicode's confusables) are read as 德 黑 龙 郎 值, but t2s
    leaves them as they are: 朱徳 was a second roster entry with a key of its own, so one person signed both levels."""
    assert person_key(twin) == person_key(name)
    entries = "reviewers:\n" + person(site, name) + person(site, twin, levels="[final]")
    _, problems = problems_of(site, reviewers=entries)
    assert [p.code for p in problems] == [roster_module.DUPLICATE_PERSON.code]


def test_two_everyday_characters_drawn_alike_stay_two_people():
    assert person_key("王士") != person_key("王土") and person_key("李口") != person_key("李囗")


@pytest.mark.parametrize("name, twin", [("马龙", "\u2ee2\u2ef0"), ("长青", "\u2ed3青"), ("王民", "王\u2ea0"),
                                        ("李一", "李\u31d0")])
def test_a_name_written_with_radicals_is_the_same_person(site, name, twin):
    """U+2EE2 U+2EF0 are drawn as 马龙: CJK radicals and strokes, which NFKC keeps, are read as the ideographs they
    look like, so one person cannot be two roster entries and sign both levels."""
    entries = "reviewers:\n" + person(site, name) + person(site, twin, levels="[final]")
    _, problems = problems_of(site, reviewers=entries)
    assert [p.code for p in problems] == [roster_module.DUPLICATE_PERSON.code]


@pytest.mark.parametrize("twin", ["李\u2800明", "李\u3164明", "李\u0301明", "李明\u20e3", "李\u0300\u0300明",
                                  "李明\U000e0101", "李\u1160明"])
def test_a_name_a_reader_reads_as_another_is_the_same_person(site, twin):
    """U+2800 (braille blank) and the Hangul fillers show as a gap, combining marks and variation selectors as
    nothing or next to nothing: 李⠀明 reads as 李 明, which is 李明. As two roster entries with a key each, one person
    could sign 初审 and 复核 as two people. Names are compared as the shared reader-text folding reads them."""
    assert person_key(twin) == person_key("李明")
    entries = "reviewers:\n" + person(site, "李明") + person(site, twin, levels="[final]")
    _, problems = problems_of(site, reviewers=entries)
    assert [p.code for p in problems] == [roster_module.DUPLICATE_PERSON.code]


def test_one_name_composed_or_decomposed_is_one_person():
    assert person_key("José") == person_key("Jose\u0301") == person_key("JOSÉ")


def test_no_private_key_under_content():
    """Private keys never belong in the published content: the demo keys live in demo-keys/."""
    marker = re.compile(rb"-----BEGIN (?:OPENSSH |RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----|openssh-key-v1\x00")
    offenders = [path for path in (ROOT / "content").rglob("*") if path.is_file() and marker.search(path.read_bytes())]
    assert offenders == []
    assert any(marker.search(path.read_bytes()) for path in (ROOT / "demo-keys").iterdir() if path.is_file())


def test_every_sample_item_is_signed_at_every_level_and_verifies():
    import datetime as dt

    from gongkai import checks
    from gongkai.project import load_project

    project = load_project(ROOT, ROOT / "content")
    assert project.catalog is not None and project.catalog.roster is not None
    levels = project.catalog.roster.level_keys
    assert project.items and all(
        [entry.level for entry in item.review.entries if entry.signature.startswith("-----BEGIN SSH SIGNATURE-----")] == list(levels)
        for item in project.items
    )
    assert [p for p in checks.run(project, dt.date(2026, 11, 27)) if p.code.startswith(("GK2", "GK91"))] == []


_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
              st.sampled_from(["全部", "办公室", "initial", "final", "2024-01-01", "ssh-ed25519 AAAA", "required"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["name", "departments", "levels", "keys", "key", "from", "until",
                                                             "signatures", "signatures_required_from", "x"]), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(review=_values, reviewers=_values)
def test_random_rosters_never_crash_the_catalog(review, reviewers):
    from gongkai.loading import SourceDocument
    from gongkai.model import Department
    from gongkai.roster import load_roster

    document = SourceDocument("content/catalog.yml", "", {}, "", 1)
    roster, problems = load_roster({"review": review, "reviewers": reviewers}, document, (Department("办公室", "office"),))
    assert len(roster.levels) >= 2 and all(p.path == "content/catalog.yml" and p.message for p in problems)


def test_one_key_under_its_fido_type_is_not_a_second_persons_key(site):
    """Whoever holds an Ed25519 or ECDSA private key can also make the signatures of its `sk-…` (FIDO) type:
    registered under both types for two names, one person would sign 初审 and 复核 as two (GK917)."""
    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    raw = base64.b64decode(site.keys.public("李明").split()[1])[4 + len(b"ssh-ed25519") + 4:]
    fido = "sk-ssh-ed25519@openssh.com " + base64.b64encode(
        string(b"sk-ssh-ed25519@openssh.com") + string(raw) + string(b"ssh:")).decode()
    reviewers = "reviewers:\n" + person(site) + person(site, "王芳", levels="[final]", keys=f'[{{key: "{fido}"}}]')
    _, problems = problems_of(site, reviewers=reviewers)
    [shared] = [p for p in problems if p.code == roster_module.SHARED_KEY.code]
    assert "李明" in shared.message


def test_one_rsa_modulus_under_two_exponents_is_not_a_second_persons_key(site):
    """Whoever knows the factors of an RSA modulus signs under any public exponent: (65537, n) and
    (3, n) registered for two names would let one person sign 初审 and 复核 as two (GK917)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    def mpint(value: int) -> bytes:
        return string(value.to_bytes((value.bit_length() + 8) // 8, "big"))

    modulus = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
    first, second = (f"ssh-rsa {base64.b64encode(string(b'ssh-rsa') + mpint(e) + mpint(modulus)).decode()}" for e in (65537, 3))
    reviewers = ("reviewers:\n" + person(site, keys=f'[{{key: "{first}"}}]')
                 + person(site, "王芳", levels="[final]", keys=f'[{{key: "{second}"}}]'))
    _, problems = problems_of(site, reviewers=reviewers)
    [shared] = [p for p in problems if p.code == roster_module.SHARED_KEY.code]
    assert "李明" in shared.message


@given(dots=st.lists(st.sampled_from(["·", "•", "・", "･", "‧", "∙", "⋅", "⸱", ".", "．"]), min_size=2, max_size=2))
def test_the_dot_between_the_parts_of_a_name_never_makes_a_second_person(dots):
    """阿依古丽·买买提 is typed with whichever dot the keyboard gives; registered twice under two dots, one
    person would sign 初审 and 复核 as two (GK913 must see one person)."""
    first, second = (f"阿依古丽{dot}买买提" for dot in dots)
    assert person_key(first) == person_key(second) == person_key("阿依古丽 买买提")


def _dot_like() -> list[str]:
    """Every character Unicode files as punctuation, a symbol or a modifier letter, and every letter drawn as a dot."""
    import sys

    from gongkai import lookalikes

    kinds = ("P", "S", "Lm", "Sk")
    found = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)).startswith(kinds)]
    return found + list(lookalikes.separators())


def test_no_character_drawn_between_the_parts_of_a_name_makes_a_second_person():
    """Listing the dots left U+A78F (made for this use), U+2E33, U+02D1, U+1427 … each a second person. Every such
    character is tried. (A stroke or radical a reader takes for a character, ㇐ for 一, and a circle drawn like 〇
    are those characters: test_a_name_written_with_radicals…, test_a_circle_drawn_like….)"""
    from gongkai.reader_text import fold

    plain = person_key("阿依古丽买买提")
    second = [dot for dot in _dot_like() if person_key(f"阿依古丽{dot}买买提") != plain
              and not (unicodedata.category(dot)[0] in "PSZ" and any(unicodedata.category(read)[0] in "LN" for read in fold(dot)))
              and dot not in "○◯⭕"]
    assert second == []


@pytest.mark.parametrize("circle", ["○", "◯", "⭕", "〇"])
def test_a_circle_drawn_like_the_ideographic_zero_is_it(circle):
    assert person_key(f"王{circle}") == person_key("王〇") != person_key("王")


def test_a_second_entry_with_another_dot_is_the_same_person(site):
    reviewers = ("reviewers:\n" + person(site, "阿依古丽·买买提", levels="[initial]", keys="[]")
                 + person(site, "阿依古丽•买买提", levels="[final]", keys="[]"))
    _, problems = problems_of(site, reviewers=reviewers)
    assert roster_module.DUPLICATE_PERSON.code in codes(problems)


def test_an_rsa_key_with_a_long_public_exponent_is_refused(site):
    """Each verification under a 3,000-bit exponent costs ≈ 300 times one under 65537: a roster key that makes every
    cold check of the site's sign-offs take minutes. ssh-keygen never writes one."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    def mpint(value: int) -> bytes:
        return string(value.to_bytes((value.bit_length() + 8) // 8, "big"))

    modulus = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
    for exponent, refused in ((2**32 - 1, False), (2**32 + 1, True), (modulus - 2, True)):
        key = f"ssh-rsa {base64.b64encode(string(b'ssh-rsa') + mpint(exponent) + mpint(modulus)).decode()}"
        _, problems = problems_of(site, reviewers="reviewers:\n" + person(site, keys=f'[{{key: "{key}"}}]'))
        bad = [p for p in problems if p.code == roster_module.BAD_KEY.code]
        assert bool(bad) == refused, exponent
        assert all("公开指数" in p.message for p in bad)


def test_dated_roles_are_read_and_their_mistakes_named(site):
    key = f'[{{key: "{site.keys.public("李明")}", from: 2020-01-01}}]'
    good = ("reviewers:\n  - name: 李明\n    roles:\n"
            "      - {levels: [initial], departments: [住房保障股], until: 2021-06-30}\n"
            "      - {levels: [final], departments: [全部], from: 2021-07-01}\n"
            f"    keys: {key}\n" + person(site, "王芳", levels="[final]"))
    catalog, problems = problems_of(site, reviewers=good)
    assert problems == [] and catalog is not None and catalog.roster is not None
    li = catalog.roster.reviewers[0]
    housing = catalog.department("住房保障股")
    june, july = dt.date(2021, 6, 30), dt.date(2021, 7, 1)
    assert li.may_sign("initial", housing, june) and not li.may_sign("initial", housing, july)
    assert li.may_sign("final", housing, july) and not li.may_sign("final", housing, june)
    assert not li.may_sign("initial", catalog.department("办公室"), june)
    bad = ("reviewers:\n  - name: 李明\n    levels: [initial]\n    roles:\n"  # line 3: levels beside roles
           "      - {levels: [initial], departments: [全部], from: 2021-07-01, until: 2021-06-30}\n"  # 5: until < from
           "      - {levels: [终审], departments: [全部], since: 2021-01-01}\n"  # 6: unknown level and key
           "      - 初审\n"  # 7: not a mapping
           f"    keys: {key}\n")
    _, problems = problems_of(site, reviewers=bad)
    first = (site.content / "catalog.yml").read_text(encoding="utf-8").splitlines().index("reviewers:")
    found = sorted((p.line - first, p.code) for p in problems)
    assert (3, roster_module.BAD_REVIEWER.code) in found and (5, roster_module.BAD_PERIOD.code) in found
    assert (6, roster_module.BAD_REVIEWER.code) in found and (6, roster_module.UNKNOWN_LEVEL.code) in found
    assert (7, roster_module.BAD_REVIEWER.code) in found
    assert all(p.path == "content/catalog.yml" and "Traceback" not in p.message for p in problems)
    for empty in ("[]", "初审", "{levels: [initial]}"):
        _, problems = problems_of(site, reviewers=f"reviewers:\n  - name: 李明\n    roles: {empty}\n    keys: {key}\n")
        assert roster_module.BAD_REVIEWER.code in codes(problems), empty


_ROLE_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.dates() | st.sampled_from(
        ["initial", "final", "初审", "全部", "办公室", "住房保障股", "2021-06-30", "2021-13-45", "", "\u202e", "x" * 300]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["levels", "departments", "from", "until", "party", "since", "1"]), inner, max_size=5),
    max_leaves=20)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_ROLE_VALUES, st.lists(_ROLE_VALUES, max_size=6)))
def test_any_roles_value_reads_as_roles_or_as_problems_on_its_lines(site, roles):
    """Whatever a committer writes under `roles`, the roster either reads it as roles of known levels, departments and
    ordered periods, or names the mistakes on catalog.yml's lines: never a traceback."""
    import yaml

    entry = {"name": "李明", "roles": roles, "keys": [{"key": site.keys.public("李明"), "from": "2020-01-01"}]}
    text = yaml.safe_dump({"reviewers": [entry]}, allow_unicode=True, default_flow_style=None)
    catalog, problems = problems_of(site, reviewers=text)
    lines = (site.content / "catalog.yml").read_text(encoding="utf-8").count("\n") + 1
    assert all(p.path == "content/catalog.yml" and 1 <= p.line <= lines for p in problems)
    if catalog is None or catalog.roster is None:  # a value the file itself may not hold (a bidi mark: GK016)
        assert any(p.is_error for p in problems)
        return
    assert problems or catalog.roster.reviewers[0].roles  # nothing refused: something to sign with
    for role in (catalog.roster.reviewers[0].roles if catalog.roster.reviewers else ()):
        assert role.levels <= {"initial", "final"}
        assert role.departments is None or role.departments <= {d.slug for d in catalog.departments}
        assert role.valid_from is None or role.until is None or role.valid_from <= role.until or problems


def test_a_person_has_at_most_a_hundred_roles(site):
    key = f'[{{key: "{site.keys.public("李明")}", from: 2020-01-01}}]'
    role = "{levels: [initial], departments: [全部], until: 2020-12-31}"
    many = f"reviewers:\n  - name: 李明\n    roles: [{', '.join([role] * (roster_module.MAX_ROLES + 1))}]\n    keys: {key}\n"
    catalog, problems = problems_of(site, reviewers=many)
    assert [p.code for p in problems] == [roster_module.BAD_REVIEWER.code] and "超过 100 项" in problems[0].message
    assert catalog is not None and catalog.roster is not None and catalog.roster.reviewers[0].roles == ()


def test_at_most_nine_review_levels(site):
    """Each item reports each level it lacks: 1,000 levels made the sample site's check print 139,000 errors (29 MB,
    23 s), and the YAML node budget allowed 33,000 levels."""
    def setup(count):
        levels = "".join(f"    - {{key: l{n}, name: 级别{n}}}\n" for n in range(count - 1))
        return "review:\n  levels:\n" + levels + "    - {key: final, name: 复核}\n"

    catalog, problems = problems_of(site, setup(10), "reviewers:\n" + person(site, levels="[final]"))
    assert codes(problems) == [roster_module.BAD_SETUP.code]
    lines = (site.content / "catalog.yml").read_text(encoding="utf-8").split("\n")
    assert "{key: final, name: 复核}" in lines[problems[0].line - 1] and "写了 10 级，最多 9 级" in problems[0].message
    catalog, problems = problems_of(site, setup(9), "reviewers:\n" + person(site, levels="[final]"))
    assert problems == [] and catalog is not None and catalog.roster is not None and len(catalog.roster.levels) == 9


def _ed25519_lines(count: int) -> list[str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    def string(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    raws = (ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                           serialization.PublicFormat.Raw)
            for _ in range(count))
    return [f"ssh-ed25519 {base64.b64encode(string(b'ssh-ed25519') + string(raw)).decode()}" for raw in raws]


def test_a_roster_holds_at_most_a_thousand_keys(site):
    """Each roster key is read on every check, an Ed25519 one checked against the prime-order subgroup (≈ 2 ms):
    20,000 keys pasted under one name (1.7 MB, within the 5 MB a catalog may have) made every check of the sample
    site take 50 s instead of 4. Keys past the 1,000th are not read; the error names the line of the first."""
    lines = _ed25519_lines(roster_module.MAX_KEYS + 5)
    keys = "\n".join(f'      - "{line}"' for line in lines)
    reviewers = "reviewers:\n" + person(site) + person(site, "王芳", levels="[final]", keys="\n" + keys)
    catalog, problems = problems_of(site, reviewers=reviewers)
    [problem] = [p for p in problems if p.code == roster_module.TOO_LARGE.code]
    text = (site.content / "catalog.yml").read_text(encoding="utf-8").splitlines()
    assert lines[roster_module.MAX_KEYS - 1] in text[problem.line - 1] and "1,000" in problem.message
    assert catalog is not None and catalog.roster is not None
    assert [len(person.keys) for person in catalog.roster.reviewers] == [1, roster_module.MAX_KEYS - 1]


def test_a_roster_names_at_most_three_hundred_reviewers(site):
    people = "".join(person(site, f"审查人{n}", keys="[]") for n in range(roster_module.MAX_REVIEWERS + 2))
    catalog, problems = problems_of(site, reviewers="reviewers:\n" + people)
    [problem] = [p for p in problems if p.code == roster_module.TOO_LARGE.code]
    text = (site.content / "catalog.yml").read_text(encoding="utf-8").splitlines()
    assert text[problem.line - 1] == f"  - name: 审查人{roster_module.MAX_REVIEWERS}"
    assert f"第 {roster_module.MAX_REVIEWERS + 1} 位" in problem.message
    assert catalog is not None and catalog.roster is not None and len(catalog.roster.reviewers) == roster_module.MAX_REVIEWERS


def test_the_nearest_name_hint_costs_little_whatever_the_names(site):
    """difflib's cost grows with the product of the two lengths: a roster name and an item's reviewer of 20,000
    characters cost 0.7 s for each sign-off that named nobody in the roster."""
    import random
    import time

    letters = [chr(0x4E00 + n) for n in range(120)]
    long_name = "".join(random.Random(1).choice(letters) for _ in range(20_000))
    entries = "reviewers:\n" + person(site, "李明") + person(site, long_name, levels="[final]")
    catalog, problems = problems_of(site, reviewers=entries)
    assert catalog is not None and catalog.roster is not None
    started = time.process_time()
    assert catalog.roster.closest(long_name[::-1]) is None
    assert time.process_time() - started < 0.1
    assert catalog.roster.closest("李 铭") == "李明"


@pytest.mark.parametrize("brk", ["\\n", "\\r\\n", "\\u2029"])
def test_a_reviewers_or_levels_name_holding_a_line_break_is_refused(site, brk):
    """Both are printed in `gongkai queue`, `gongkai diff` and the roster notice of `check --base`, a line each."""
    forged = f'"王芳{brk}审查人名册（content/catalog.yml）与 origin/main 相同。"'
    _, problems = problems_of(site, "", "reviewers:\n" + person(site) + person(site, forged, levels="[final]"))
    assert {roster_module.BAD_REVIEWER.code, "GK016"} & set(codes(problems)), problems  # GK016: YAML's, a control
    levels = f'review:\n  levels: [{{key: initial, name: 初审}}, {{key: final, name: "复核{brk}fake.md:1:1: x"}}]\n'
    _, problems = problems_of(site, levels, "reviewers:\n" + person(site))
    assert {roster_module.BAD_SETUP.code, "GK016"} & set(codes(problems)), problems


def _demo_key(stem: str) -> str:
    return (ROOT / "demo-keys" / f"{stem}.pub").read_text(encoding="utf-8").strip()


def test_the_published_keys_are_the_demo_keys():
    """The list gongkai refuses is every public key of demo-keys/, and nothing else."""
    from gongkai.signatures import PublicKey

    published = {PublicKey.parse(_demo_key(path.stem)).material for path in (ROOT / "demo-keys").glob("*.pub")}
    assert published == roster_module.PUBLISHED_KEYS and len(published) == 12


@pytest.mark.parametrize("as_type", ["ssh-ed25519", "sk-ssh-ed25519@openssh.com"])
def test_a_demo_key_in_an_agencys_roster_is_an_error(site, as_type):
    """An agency that starts from the sample site and keeps a reviewer's key line has a roster anyone can sign for:
    the private key is in demo-keys/. By the key itself: the FIDO type of the same key signs with the same secret."""
    kind, encoded = _demo_key("liujianhua").split()[:2]
    if as_type != kind:
        raw = base64.b64decode(encoded)[4 + 11 + 4:]
        blob = b"".join(struct.pack(">I", len(part)) + part for part in (as_type.encode(), raw, b"ssh:"))
        encoded = base64.b64encode(blob).decode()
    catalog_file = site.content / "catalog.yml"
    catalog_file.write_text(catalog_file.read_text(encoding="utf-8").replace(roster_module.SAMPLE_ORG_CODE, "12330100002503417T"),
                            encoding="utf-8")
    keys = f'[{{key: "{as_type} {encoded}", from: 2020-01-01}}]'
    _, problems = problems_of(site, "", "reviewers:\n" + person(site, "刘建华", keys=keys) + person(site, "王芳"))
    [problem] = problems
    assert problem.code == "GK921" and "刘建华" in problem.message and "demo-keys/" in problem.message
    assert catalog_file.read_text(encoding="utf-8").splitlines()[problem.line - 1].lstrip().startswith("keys:")


def test_the_sample_site_may_list_the_demo_keys():
    catalog, _, problems = load_catalog(ROOT / "content", ROOT, Limits().item_bytes)
    assert catalog is not None and catalog.org_code == roster_module.SAMPLE_ORG_CODE and problems == []
