"""Zip containers: members read by type, their names read too, decompression counted (zip bombs)."""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from ...attachments import suffix_of
from .core import MAX_MEMBERS, PART_BYTES, TOTAL_BYTES, Reading, Refused, named, read


def member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # Windows zip tools in China write names in GBK, which zipfile read as cp437
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


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
    archive = open_zip(data)
    names = []
    for info in archive.infolist():
        name = member_name(info)
        names.append(name)
        if info.is_dir():
            continue
        where = named(prefix, f"压缩包内“{name}”")
        if info.flag_bits & 0x1:
            reading.skip(where, "已加密，无法读取")
            continue
        read(member_bytes(archive, info, reading), suffix_of(name), f"{where}：", reading, depth + 1)
    reading.add(named(prefix, "压缩包内的文件名第 {line} 个"), "\n".join(names))
