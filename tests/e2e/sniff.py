#!/usr/bin/python3
"""Counts the ICMP echo requests from SRC to DST that reach interface IFNAME of the namespace it
runs in (in promiscuous mode, so frames for other hosts count too), until an echo request from SRC
to MARKER arrives; then prints the count and exits 0. Prints "listening" once it is.

Usage: sniff.py IFNAME SRC DST MARKER   (run inside a lab namespace: nstopo exec NS -- ...)
"""
import socket
import struct
import sys

ETH_P_IP = 0x0800
SOL_PACKET = 263
PACKET_ADD_MEMBERSHIP = 1
PACKET_MR_PROMISC = 1
ICMP = 1
ECHO_REQUEST = 8


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    ifname, src, dst, marker = sys.argv[1:]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    s.bind((ifname, 0))
    mreq = struct.pack("iHH8s", socket.if_nametoindex(ifname), PACKET_MR_PROMISC, 0, b"")
    s.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq)
    s.settimeout(60)  # a guard against a test that never sends its marker, not a measurement
    print("listening", flush=True)
    count = 0
    seen = []
    while True:
        frame = s.recv(65535)
        ip = frame[14:]  # after the Ethernet header
        if len(ip) < 20 or ip[9] != ICMP:
            continue
        header = (ip[0] & 0x0F) * 4
        if len(ip) <= header or ip[header] != ECHO_REQUEST:
            continue
        if socket.inet_ntoa(ip[12:16]) != src:
            continue
        to = socket.inet_ntoa(ip[16:20])
        if to == marker:
            break
        if to == dst:
            count += 1
            seen.append(str(struct.unpack("!H", ip[header + 6:header + 8])[0]))
    print("echo sequence numbers seen:", " ".join(seen) or "none", flush=True)
    print(count, flush=True)


if __name__ == "__main__":
    main()
