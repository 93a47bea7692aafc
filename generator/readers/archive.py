"""Zip containers: members read by type, their names and comments read too, decompression counted (zip bombs)."""

from __future__ import annotations

import contextlib
import copy
import io
import re
import struct
import zipfile
import zlib
from typing import IO, Any

from ..attachments import suffix_of
from .core import MAX_MEMBERS, PART_BYTES, TOTAL_BYTES, Reading, Refused, named, note_programs, read, refuse_if_hostile
from .text import decode_text


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # Windows zip tools in China write names in GBK, which zipfile read as cp437
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def unzipped_suffix(name: str) -> str:
    """The type of the file a member becomes on Windows, which drops a name's trailing dots and spaces (`发票.exe .`
    is extracted as `发票.exe`)."""
    return suffix_of(name.rstrip(" ."))


def open_zip(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    if len(archive.infolist()) > MAX_MEMBERS:
        raise Refused(f"压缩包内有超过 {MAX_MEMBERS} 个文件，未读取（可能是为耗尽资源而构造的）")
    return archive


class Counted(io.RawIOBase):
    """A zip member's stream that stops the file once the decompression budget is spent."""

    def __init__(self, stream: IO[bytes], name: str, reading: Reading) -> None:
        self.stream, self.name, self.reading, self.read_here = stream, name, reading, 0
        self.refusal: Refused | None = None  # kept: a parser reading from here may turn the exception into its own

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.stream.read(min(len(buffer), 1 << 16))
        self.read_here += len(chunk)
        self.reading.inflated += len(chunk)
        if self.read_here > PART_BYTES or self.reading.inflated > TOTAL_BYTES:
            self.refusal = Refused(f"“{self.name}”解压后超过 {PART_BYTES // 1024 // 1024} MB（单个部件）或"
                                   f" {TOTAL_BYTES // 1024 // 1024} MB（全部），未读取（可能是压缩炸弹）")
            raise self.refusal
        buffer[: len(chunk)] = chunk
        return len(chunk)


def declared(info: zipfile.ZipInfo, reading: Reading) -> None:
    """Refuse at once what the zip itself says is too large (what it hides is counted while reading)."""
    if info.file_size > PART_BYTES or reading.inflated + info.file_size > TOTAL_BYTES:
        raise Refused(f"“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，超过 {PART_BYTES // 1024 // 1024} MB"
                      f"（单个部件）或 {TOTAL_BYTES // 1024 // 1024} MB（全部），未读取（可能是压缩炸弹）")


def member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reading: Reading) -> bytes:
    declared(info, reading)
    with archive.open(info) as stream:
        return io.BufferedReader(Counted(stream, info.filename, reading)).read()


def read_zip(data: bytes, prefix: str, reading: Reading, depth: int) -> None:
    """Every member by type; the names (as the directory, the members' own headers and the Unicode name field
    give them) and the comments of the archive and its members, which unzip tools show, are text too."""
    archive = open_zip(data)
    names = []
    comments = [decode_text(archive.comment)] if archive.comment else []
    for info in archive.infolist():
        name = member_name(info)
        forms = _names(data, info, name)
        names.extend(forms)
        _note_escapes(forms, info, prefix, reading)
        if info.comment:
            comments.append(decode_text(info.comment))
        if info.is_dir():
            continue
        where = named(prefix, f"压缩包内“{name}”")
        if info.flag_bits & 0x1:
            note_programs(b"", unzipped_suffix(name), f"{where}：", reading)  # its name says what it runs
            reading.skip(where, "已加密，无法读取")
            continue
        try:
            member = member_bytes(archive, as_stored(data, info), reading)
        except (Refused, MemoryError):
            raise
        except Exception as exc:  # one damaged member: say which, read the others
            refuse_if_hostile(exc, where)
            note_programs(b"", unzipped_suffix(name), f"{where}：", reading)
            reading.skip(where, f"无法解压（{type(exc).__name__}），可能已损坏")
            continue
        read(member, unzipped_suffix(name), f"{where}：", reading, depth + 1)
    names.extend(read_unlisted(data, archive, prefix, reading, depth))
    reading.add(named(prefix, "压缩包内的文件名第 {line} 个"), "\n".join(names))
    reading.add(named(prefix, "压缩包的注释第 {line} 行"), "\n".join(comments))


_DRIVE = re.compile(r"^[A-Za-z]:")
_LINK = 0o120000  # a Unix symbolic link, in a member's external attributes


def _note_escapes(forms: list[str], info: zipfile.ZipInfo | None, prefix: str, reading: Reading) -> None:
    """A member that unzips outside the folder the reader unzips into (`../`, an absolute path, a drive) or as a
    link to elsewhere: older and careless unzip tools write it there, over the reader's own files."""
    where = named(prefix, "压缩包内")
    for name in forms:
        path = name.replace("\\", "/")
        if path.startswith("/") or _DRIVE.match(path) or ".." in path.split("/"):
            reading.runs(f"{where}的“{name[:80]}”（解压时会写到解压文件夹之外）")
    if info is not None and info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == _LINK:
        reading.runs(f"{where}的“{forms[0][:80]}”（解压后是指向别处的链接）")


_LOCAL = struct.Struct("<4s2xHH8xIIHH")  # signature, flags, method, compressed and full size, name and extra length


def read_unlisted(data: bytes, archive: zipfile.ZipFile, prefix: str, reading: Reading, depth: int) -> list[str]:
    """Bytes of the zip that its directory does not list — before, between or after its members: a tool that reads
    a zip front to back extracts a member hidden there, and anyone can cut the bytes out. Members found there are
    read by type, other bytes as a file of their own; returns the hidden members' names."""
    spans = sorted((info.header_offset, _member_end(data, info)) for info in archive.infolist())
    spans.append((archive.start_dir, _directory_end(data, archive.start_dir)))
    names: list[str] = []
    at = 0
    for start, end in sorted(spans) + [(len(data), len(data))]:
        if data[at:start].strip(b"\0"):
            try:
                names.extend(_read_gap(data[at:start], prefix, reading, depth))
            except (Refused, MemoryError):
                raise
            except Exception as exc:  # a damaged hidden member (its deflate data broken): say so, read the rest
                refuse_if_hostile(exc, prefix)
                reading.skip(named(prefix, "压缩包目录之外的数据"), f"无法解压（{type(exc).__name__}）")
        at = max(at, end)
    return names


def _member_end(data: bytes, info: zipfile.ZipInfo) -> int:
    at = info.header_offset
    header = data[at:at + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        return at
    _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    end = at + _LOCAL_HEADER.size + name_length + extra_length + info.compress_size
    if info.flag_bits & 0x8:  # a data descriptor follows the data
        end += _descriptor(data, end, info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF)
    return end


def _directory_end(data: bytes, start: int) -> int:
    """The end of the central directory's last record (the end record and its comment)."""
    end = data.rfind(b"PK\x05\x06", start)
    if end == -1 or end + 22 > len(data):
        return len(data)
    return end + 22 + int.from_bytes(data[end + 20:end + 22], "little")


def _read_gap(gap: bytes, prefix: str, reading: Reading, depth: int) -> list[str]:
    names: list[str] = []
    at = 0
    while gap.startswith(b"PK\x03\x04", at) and at + _LOCAL.size <= len(gap) and len(names) < MAX_MEMBERS:
        _, flags, method, size, _, name_length, extra_length = _LOCAL.unpack_from(gap, at)
        start = at + _LOCAL.size + name_length + extra_length
        raw_name = gap[at + _LOCAL.size:at + _LOCAL.size + name_length]
        name = raw_name.decode("utf-8" if flags & 0x800 else "gb18030", errors="replace")
        names.append(name)
        _note_escapes([name], None, prefix, reading)
        where = named(prefix, f"压缩包目录之外的“{name}”")
        if method == 8:
            inflater = zlib.decompressobj(-15)
            member = inflater.decompress(gap[start:] if flags & 0x8 else gap[start:start + size], PART_BYTES + 1)
            used = len(gap) - start - len(inflater.unused_data) if flags & 0x8 else size
        else:
            member, used = (gap[start:start + size], size) if method == 0 else (b"", size)
        reading.inflated += len(member)
        if len(member) > PART_BYTES or reading.inflated > TOTAL_BYTES:
            raise Refused(f"{where}解压后超过上限，未读取（可能是压缩炸弹）")
        if method in (0, 8) and not flags & 0x1:
            read(member, unzipped_suffix(name), f"{where}：", reading, depth + 1)
        else:
            note_programs(b"", unzipped_suffix(name), f"{where}：", reading)
            reading.skip(where, "已加密或压缩方式不常见，无法读取")
        at = start + used + (_descriptor(gap, start + used, False) if flags & 0x8 else 0)
    rest = gap[at:]
    if rest.strip(b"\0"):
        read(rest.lstrip(b"\0"), "", named(prefix, "压缩包中目录之外的数据："), reading, depth + 1)
    return names


def _descriptor(data: bytes, at: int, large: bool) -> int:
    """The length of the data descriptor at `at`: a CRC and two sizes (of 8 bytes each in ZIP64), after an optional
    signature."""
    return (4 if data.startswith(b"PK\x07\x08", at) else 0) + (20 if large else 12)


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … name length, extra length
_UNICODE_PATH = 0x7075  # Info-ZIP's field: the name in UTF-8, which 7-Zip and unzip show instead


def _names(data: bytes, info: zipfile.ZipInfo, name: str) -> list[str]:
    """The member's name as the directory gives it, and as its own header and Unicode field give it, if different;
    a name without the UTF-8 flag is read in UTF-8 too, as 7-Zip, macOS and unzip show it when its bytes are UTF-8
    (read as GBK only, `机密.txt` written by a tool that sets no flag was other characters)."""
    found = [name]
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            found.append(info.filename.encode("cp437").decode("utf-8"))
    local = _local_name(data, info)
    for extra in (info.extra, local[1] if local else b""):
        found.extend(_unicode_paths(extra))
    if local and local[0] != info.orig_filename:
        found.append(local[0])
    return list(dict.fromkeys(found))


def _local_name(data: bytes, info: zipfile.ZipInfo) -> tuple[str, bytes] | None:
    """The name and extra field in the member's own header (unzip tools that stream a zip read those)."""
    at = info.header_offset
    header = data[at:at + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        return None
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        return None
    start = at + _LOCAL_HEADER.size
    raw = data[start:start + name_length]
    name = raw.decode("utf-8" if info.flag_bits & 0x800 else "cp437", errors="replace")
    return name, data[start + name_length:start + name_length + extra_length]


def _unicode_paths(extra: bytes) -> list[str]:
    found, at = [], 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        body = extra[at + 4:at + 4 + size]
        if kind == _UNICODE_PATH and len(body) > 5:
            found.append(body[5:].decode("utf-8", errors="replace"))  # after a version byte and a CRC
        at += 4 + size
    return found


def as_stored(data: bytes, info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """`info`, named as its own header names it: zipfile refuses a member whose two names differ, which unzip
    tools extract all the same (by the directory's name, with the header's data)."""
    local = _local_name(data, info)
    if local is None or local[0] == info.orig_filename:
        return info
    stored = copy.copy(info)
    stored.orig_filename = local[0]
    return stored
