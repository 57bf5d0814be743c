#!/usr/bin/env python3
"""pty_run.py OUT COMMAND...: runs COMMAND with its stdin, stdout and stderr on a new
pseudo-terminal (80 columns), writes every byte it printed to OUT, exits with its exit code."""
import fcntl
import os
import pty
import struct
import sys
import termios


def main():
    out, argv = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(data)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
