#!/usr/bin/python3
"""A PLC played by pymodbus (an independent Modbus implementation) for EdgeCloud's end-to-end tests.

Usage: /usr/bin/python3 plc.py PORT
Serves unit id 1 on 127.0.0.1:PORT with the register map below, prints READY once it listens,
and runs until killed. Holding register 20 counts up every 50 ms so that polls see changes.
Run with Debian's interpreter: the pyenv python3 on PATH cannot see python3-pymodbus.
"""
import asyncio
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusTcpServer


def words(fmt, value, order):
    """Registers holding `value` packed big-endian as `fmt`, rearranged into byte order `order`."""
    raw = struct.pack(">" + fmt, value)
    letters = "ABCD"[: len(raw)]
    placed = bytes(raw[letters.index(c)] for c in order[: len(raw)]) if len(raw) == 4 else (
        raw if order in ("ABCD", "CDAB") else raw[::-1])
    return [int.from_bytes(placed[i:i + 2], "big") for i in range(0, len(placed), 2)]


HOLDING = {
    0: words("f", 21.5, "ABCD"),
    2: words("f", -3.25, "CDAB"),
    4: words("i", -123456, "BADC"),
    6: words("I", 3000000000, "DCBA"),
    8: words("h", -42, "ABCD"),
    9: words("H", 65000, "ABCD"),
    10: words("h", 1234, "BADC"),
}
INPUT = {
    0: words("f", 1013.25, "ABCD"),
}
COUNTER = 20


def block(layout):
    values = [0] * 100
    for address, registers in layout.items():
        values[address:address + len(registers)] = registers
    return ModbusSequentialDataBlock(0, values)


async def main(port):
    slave = ModbusSlaveContext(hr=block(HOLDING), ir=block(INPUT), zero_mode=True)
    context = ModbusServerContext(slaves={1: slave}, single=False)
    server = ModbusTcpServer(context, address=("127.0.0.1", port), allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print("READY", flush=True)
    count = 0
    while not task.done():
        await asyncio.sleep(0.05)
        count = (count + 1) % 65536
        slave.setValues(3, COUNTER, [count])


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
