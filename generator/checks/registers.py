"""Family `registers` (GK83x–GK86x): the office's 依申请公开 and 督查督办 registers.

The rules are declared in `gongkai.registers.codes`, beside the register's reader, because
`gongkai report` and `gongkai applications` read the register through the same code.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..problems import Problem
from ..registers import codes  # noqa: F401 - declares the family's rules
from .base import CheckContext


def check(ctx: CheckContext) -> Iterable[Problem]:
    # Imported here: the register's privacy scan uses this package's detectors.
    from ..registers.checking import check_registers
    from ..registers.loading import load_registers

    registers = load_registers(ctx.project)
    ctx.files_read.update(registers.files)
    return check_registers(ctx.project, registers, ctx.today)
