#!/usr/bin/python3
"""pymodbus 3.0's synchronous TCP client timed on the same request as our master.

Usage: /usr/bin/python3 pymodbus_client_bench.py PORT COUNT REGISTERS
Prints "RATE <round trips per second>" after COUNT reads of REGISTERS holding registers from 0.
"""

import sys
import time

from pymodbus.client import ModbusTcpClient


def main(port, count, registers):
    client = ModbusTcpClient("127.0.0.1", port=port)
    client.connect()
    for _ in range(100):
        client.read_holding_registers(0, registers, slave=1)
    start = time.perf_counter()
    for _ in range(count):
        reply = client.read_holding_registers(0, registers, slave=1)
        if reply.isError():
            print("error", reply, file=sys.stderr)
            return 1
    elapsed = time.perf_counter() - start
    client.close()
    print(f"RATE {count / elapsed:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
