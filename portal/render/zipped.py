"""Zip archives (PKWARE's APPNOTE, the subset every reader takes) written in one pass, the same
bytes for the same members: every member deflated, dated at the zip epoch (1980-01-01 00:00),
mode 0644, no extra fields, no comment.

Written here and not with `zipfile` because a Word file is a few fixed members and two of its
own: `zipfile` cannot take members compressed beforehand, so each file's fixed members were
read back from a template zip and its directory rebuilt (a third of a .docx's time), and it
deflates with the system's zlib where zlib-ng takes half the time for the same size.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass

from zlib_ng import zlib_ng

# zlib-ng's level 6 (zlib's default): the system zlib's size at level 6 in about half its time.
ZIP_LEVEL = 6
_LOCAL, _CENTRAL, _END = 0x04034B50, 0x02014B50, 0x06054B50
_VERSION = 20  # 2.0: deflate
_MADE_BY = 3 << 8 | _VERSION  # on Unix, so that readers take the mode below
_DEFLATED = 8
_EPOCH_TIME, _EPOCH_DATE = 0, (0 << 9) | (1 << 5) | 1  # DOS time and date of 1980-01-01 00:00:00
_MODE = 0o100644 << 16  # a regular file, rw-r--r--


@dataclass(frozen=True)
class ZipStart:
    """Members already written: their local records and central-directory entries, to which an
    archive's other members are added (`zip_archive`)."""

    records: bytes = b""
    directory: bytes = b""
    count: int = 0


def zip_members(members: Iterable[tuple[str, bytes]], start: ZipStart = ZipStart()) -> ZipStart:
    """`start` and then `members` (name, bytes), in that order."""
    records, directory, count = [start.records], [start.directory], start.count
    offset = len(start.records)
    for name, data in members:
        encoded = name.encode("ascii")  # package part names are ASCII: no UTF-8 flag needed
        compressor = zlib_ng.compressobj(ZIP_LEVEL, zlib_ng.DEFLATED, -15)  # raw deflate, as zip stores it
        packed = compressor.compress(data) + compressor.flush()
        crc = zlib_ng.crc32(data)
        fields = (_DEFLATED, _EPOCH_TIME, _EPOCH_DATE, crc, len(packed), len(data), len(encoded))
        record = struct.pack("<IHHHHHIIIHH", _LOCAL, _VERSION, 0, *fields, 0) + encoded + packed
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", _CENTRAL, _MADE_BY, _VERSION, 0, *fields, 0, 0, 0, 0,
                                     _MODE, offset) + encoded)
        records.append(record)
        offset += len(record)
        count += 1
    return ZipStart(b"".join(records), b"".join(directory), count)


def zip_archive(members: Iterable[tuple[str, bytes]], start: ZipStart = ZipStart()) -> bytes:
    """The whole archive: `start`'s members, then `members`, then the central directory."""
    done = zip_members(members, start)
    end = struct.pack("<IHHHHIIH", _END, 0, 0, done.count, done.count, len(done.directory), len(done.records), 0)
    return done.records + done.directory + end
