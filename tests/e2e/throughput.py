#!/usr/bin/python3
"""A bounded TCP transfer between two lab namespaces, to measure a shaped link.

  throughput.py recv PORT BYTES   listens on PORT, prints "listening", takes one connection, reads
                                  BYTES and prints the rate it read them at, in kbit/s (from the
                                  first byte to the last: the handshake and slow start's first
                                  round trip are not the link's rate)
  throughput.py send HOST PORT BYTES   sends BYTES to HOST:PORT

Run each inside its namespace (ip netns exec NS, or nstopo exec NS). Both give up after 60 s: a
guard against a test that never connects, not a measurement.
"""
import socket
import sys
import time

CHUNK = 65536


def recv(port, total):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port))
    listener.listen(1)
    listener.settimeout(60)
    print("listening", flush=True)
    conn, _ = listener.accept()
    conn.settimeout(60)
    got = 0
    first = None
    first_bytes = 0
    while got < total:
        data = conn.recv(CHUNK)
        if not data:
            sys.exit(f"the sender stopped after {got} of {total} bytes")
        if first is None:
            first, first_bytes = time.monotonic(), len(data)
        got += len(data)
    elapsed = time.monotonic() - first
    print(int((got - first_bytes) * 8 / elapsed / 1000), flush=True)


def send(host, port, total):
    s = socket.create_connection((host, port), timeout=60)
    block = b"x" * CHUNK
    sent = 0
    while sent < total:
        n = min(CHUNK, total - sent)
        s.sendall(block[:n])
        sent += n
    s.shutdown(socket.SHUT_WR)
    s.recv(1)  # until the receiver closes: every byte is through
    s.close()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "recv":
        recv(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 5 and sys.argv[1] == "send":
        send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
