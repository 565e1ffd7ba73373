#!/usr/bin/python3
"""pymodbus 3.0's RTU client as an independent master for the RTU simulator tests.

Usage: /usr/bin/python3 pymodbus_rtu_client.py DEVICE_PATH BAUD UNIT

Reads holding registers 0-3 and coils 0-7 of UNIT and prints them as one line:
"holding r0 r1 r2 r3 coils b0 .. b7" (bits as 0/1). Exits 1 with the error on failure.
"""

import sys

from pymodbus.client import ModbusSerialClient


def main(path, baud, unit):
    client = ModbusSerialClient(port=path, baudrate=baud, bytesize=8, parity="N", stopbits=1, timeout=3)
    if not client.connect():
        print("cannot open", path, file=sys.stderr)
        return 1
    holding = client.read_holding_registers(0, 4, slave=unit)
    coils = client.read_coils(0, 8, slave=unit)
    client.close()
    if holding.isError() or coils.isError():
        print("error", holding, coils, file=sys.stderr)
        return 1
    print("holding", *holding.registers, "coils", *[int(b) for b in coils.bits[:8]], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
