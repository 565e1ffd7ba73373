#!/usr/bin/python3
"""Independent Modbus TCP peer for EdgeCloud.Edge.Modbus.Tests (Debian python3-pymodbus 3.0).

Usage: /usr/bin/python3 pymodbus_server.py PORT

Serves unit id 1 only (registers in TABLE and STRINGS, 2048 coils and discrete inputs), on 127.0.0.1:PORT (0 picks a free port). Prints "READY <port>" once it
listens. Exits when its standard input closes, so a crashed test run leaves no server behind.

The register values below are encoded here with Python's struct module, independently of the
C# RegisterEncoder, so the tests check our decoder against a second implementation. The table
must match PymodbusRegisterTable.cs in the tests.
"""

import asyncio
import struct
import sys
import threading
import os

from pymodbus.datastore import (
    ModbusSequentialDataBlock,
    ModbusServerContext,
    ModbusSlaveContext,
)
from pymodbus.server import StartAsyncTcpServer

HOLDING_SIZE = 128
BITS = 2048
INPUT_SIZE = 32

# (area, address, type, byte order, value)
TABLE = [
    ("holding", 0, "int16", "ABCD", -2),
    ("holding", 1, "int16", "BADC", -2),
    ("holding", 2, "uint16", "ABCD", 0x1234),
    ("holding", 3, "uint16", "CDAB", 0x1234),
    ("holding", 4, "uint16", "BADC", 0x1234),
    ("holding", 5, "uint16", "DCBA", 0x1234),
    ("holding", 6, "int16", "DCBA", -12345),
    ("holding", 10, "float32", "ABCD", 123.456),
    ("holding", 12, "float32", "CDAB", 123.456),
    ("holding", 14, "float32", "BADC", 123.456),
    ("holding", 16, "float32", "DCBA", 123.456),
    ("holding", 20, "int32", "ABCD", -123456789),
    ("holding", 22, "int32", "CDAB", -123456789),
    ("holding", 24, "int32", "BADC", -123456789),
    ("holding", 26, "int32", "DCBA", -123456789),
    ("holding", 30, "uint32", "ABCD", 0xDEADBEEF),
    ("holding", 32, "uint32", "CDAB", 0xDEADBEEF),
    ("holding", 34, "uint32", "BADC", 0xDEADBEEF),
    ("holding", 36, "uint32", "DCBA", 0xDEADBEEF),
    ("input", 0, "uint16", "ABCD", 65535),
    ("input", 1, "int16", "BADC", -300),
    ("input", 2, "float32", "DCBA", -0.15625),
    ("input", 4, "uint32", "CDAB", 4000000000),
    ("input", 6, "int32", "ABCD", -2),
    ("input", 8, "float32", "CDAB", 1013.25),
    ("holding", 40, "int64", "ABCD", -0x0123456789ABCDF0),
    ("holding", 44, "int64", "DCBA", -0x0123456789ABCDF0),
    ("holding", 54, "uint64", "CDAB", 0x0123456789ABCDF0),
    ("input", 10, "float64", "ABCD", -2.718281828459045),
    ("input", 14, "float64", "CDAB", -2.718281828459045),
    ("input", 18, "float64", "BADC", 6.02214076e23),
    ("input", 22, "float64", "DCBA", 6.02214076e23),
    ("input", 26, "int64", "BADC", 987654321012),
]

# (address, byte order, text): NUL-padded to LENGTH registers, first character in the high byte
# for ABCD and in the low byte for BADC. Must match PymodbusRegisterTable.Strings.
STRINGS = [
    (64, "ABCD", "EdgeCloud-7"),
    (72, "BADC", "SN 0042  "),
]
STRING_LENGTH = 8


# Holding register CLAMPED takes at most CLAMP: a device that silently limits a setpoint.
CLAMPED = 120
CLAMP = 1000


class ClampingBlock(ModbusSequentialDataBlock):
    def setValues(self, address, values):
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        values = [min(v, CLAMP) if address + i == CLAMPED else v for i, v in enumerate(values)]
        super().setValues(address, values)


def coil(i):
    """Coil i is on when i is a multiple of 3 (PymodbusRegisterTable.Coil)."""
    return i % 3 == 0


def discrete_input(i):
    """Discrete input i is on when i is odd (PymodbusRegisterTable.DiscreteInput)."""
    return i % 2 == 1


def text_registers(order, text):
    raw = text.encode("latin-1").ljust(STRING_LENGTH * 2, b"\0")
    pairs = [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if order == "BADC":
        pairs = [p[::-1] for p in pairs]
    return [(p[0] << 8) | p[1] for p in pairs]

FORMATS = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f",
           "int64": ">q", "uint64": ">Q", "float64": ">d"}


def registers(kind, order, value):
    """Big-endian bytes A B [C D], rearranged as the byte order names, as 16-bit registers."""
    raw = struct.pack(FORMATS[kind], value)
    if len(raw) == 8:
        # Four registers: CDAB/DCBA put the least significant word first, BADC/DCBA swap the
        # bytes inside every word.
        words = [raw[i:i + 2] for i in range(0, 8, 2)]
        if order in ("CDAB", "DCBA"):
            words.reverse()
        if order in ("BADC", "DCBA"):
            words = [w[::-1] for w in words]
        wire = [b for w in words for b in w]
    elif len(raw) == 2:
        a, b = raw
        wire = [a, b] if order in ("ABCD", "CDAB") else [b, a]
    else:
        a, b, c, d = raw
        wire = {
            "ABCD": [a, b, c, d],
            "CDAB": [c, d, a, b],
            "BADC": [b, a, d, c],
            "DCBA": [d, c, b, a],
        }[order]
    return [(wire[i] << 8) | wire[i + 1] for i in range(0, len(wire), 2)]


def build_context():
    holding = [0] * HOLDING_SIZE
    inputs = [0] * INPUT_SIZE
    for area, address, kind, order, value in TABLE:
        target = holding if area == "holding" else inputs
        for i, word in enumerate(registers(kind, order, value)):
            target[address + i] = word
    for address, order, text in STRINGS:
        holding[address:address + STRING_LENGTH] = text_registers(order, text)
    slave = ModbusSlaveContext(
        co=ModbusSequentialDataBlock(0, [coil(i) for i in range(BITS)]),
        di=ModbusSequentialDataBlock(0, [discrete_input(i) for i in range(BITS)]),
        hr=ClampingBlock(0, holding),
        ir=ModbusSequentialDataBlock(0, inputs),
        zero_mode=True,
    )
    # single=False: only unit id 1 exists; a request for another unit gets no reply at all.
    return ModbusServerContext(slaves={1: slave}, single=False)


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


async def main(port):
    server = await StartAsyncTcpServer(
        context=build_context(),
        address=("127.0.0.1", port),
        defer_start=True,
        ignore_missing_slaves=True,
        allow_reuse_address=True,
    )
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    actual = server.server.sockets[0].getsockname()[1]
    print(f"READY {actual}", flush=True)
    await task


if __name__ == "__main__":
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(int(sys.argv[1])))
