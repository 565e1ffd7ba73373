#!/usr/bin/python3
"""Independent Modbus RTU peer for EdgeCloud.Edge.Modbus.Tests (Debian python3-pymodbus 3.0).

Usage: /usr/bin/python3 pymodbus_rtu_server.py serial DEVICE_PATH BAUD
       /usr/bin/python3 pymodbus_rtu_server.py tcp

"serial" serves RTU on a serial device (one end of a socat pty pair); "tcp" serves RTU framing
on a TCP socket (RTU over TCP) on a free port. Several units share the line: unit 1 and unit 2;
any other unit id gets no reply at all, as on a real bus. Values: holding register i of unit u
holds u*1000 + i, input register i holds u*1000 + 500 + i; coil i is on when (i + u) is even, discrete
input i when (i + u) is a multiple of 3. Prints "READY <port or 0>" once it
serves. Exits when its standard input closes, so a crashed test run leaves no server behind.
"""

import asyncio
import os
import socket
import sys
import threading

from pymodbus.datastore import (
    ModbusSequentialDataBlock,
    ModbusServerContext,
    ModbusSlaveContext,
)
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.server.async_io import ModbusSerialServer

UNITS = (1, 2)
SIZE = 64


def slave(unit):
    return ModbusSlaveContext(
        co=ModbusSequentialDataBlock(0, [(i + unit) % 2 == 0 for i in range(SIZE)]),
        di=ModbusSequentialDataBlock(0, [(i + unit) % 3 == 0 for i in range(SIZE)]),
        hr=ModbusSequentialDataBlock(0, [unit * 1000 + i for i in range(SIZE)]),
        ir=ModbusSequentialDataBlock(0, [unit * 1000 + 500 + i for i in range(SIZE)]),
        zero_mode=True,
    )


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


async def main(mode, device, baud):
    context = ModbusServerContext(slaves={u: slave(u) for u in UNITS}, single=False)
    if mode == "serial":
        server = ModbusSerialServer(context, framer=ModbusRtuFramer, port=device, baudrate=baud,
                                    bytesize=8, parity="N", stopbits=1, ignore_missing_slaves=True)
        await server.start()
        print("READY 0", flush=True)
        await server.serve_forever()
    else:
        # pymodbus 3.0 serves RTU framing on a socket when the "port" is socket:HOST:PORT.
        server = ModbusSerialServer(context, framer=ModbusRtuFramer, port="socket:127.0.0.1:0",
                                    ignore_missing_slaves=True)
        task = asyncio.create_task(server.serve_forever())
        while server.server is None:
            await asyncio.sleep(0.01)
        # It binds every interface ("" host), one socket per family, each with its own free port:
        # report the IPv4 one, which the tests connect to as 127.0.0.1.
        ipv4 = [s for s in server.server.sockets if s.family == socket.AF_INET]
        print(f"READY {ipv4[0].getsockname()[1]}", flush=True)
        await task


if __name__ == "__main__":
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    mode = sys.argv[1]
    asyncio.run(main(mode, sys.argv[2] if mode == "serial" else None, int(sys.argv[3]) if mode == "serial" else 0))
