#!/usr/bin/env python3
"""tests/ssh/hostile_peer.py - SSH peers that misbehave on purpose, for the
tests of tsam-collect's bounds (tests/ssh/test_hostile.sh).

usage: hostile_peer.py MODE ADDR PORT [UPSTREAM_ADDR UPSTREAM_PORT [N]]

Serves every connection to ADDR:PORT (one thread each) until killed:
  flood       bytes without a newline, as fast as the socket takes them
  prelines    lines before the banner, forever (RFC 4253 allows a few)
  longbanner  "SSH-2.0-" and 1,000 more bytes with no newline, then silence
  slowbanner  "SSH-2.0-Op" then silence: a banner that never completes
  nulbanner   an identification line holding a NUL byte
  kexstall    relays to a real sshd at UPSTREAM, but stops passing the
              server's bytes after N (mid-packet, in the key exchange) and
              keeps the connection open
  cut         relays to a real sshd at UPSTREAM and closes both sides once
              N bytes of the server's have passed (mid-channel)
"""
import socket
import sys
import threading
import time


def flood(c):
    chunk = b"Y" * 65536
    while True:
        c.sendall(chunk)


def prelines(c):
    while True:
        c.sendall(b"Welcome to a very chatty server\r\n" * 64)


def longbanner(c):
    c.sendall(b"SSH-2.0-" + b"x" * 1000)
    time.sleep(3600)


def slowbanner(c):
    c.sendall(b"SSH-2.0-Op")
    time.sleep(3600)


def nulbanner(c):
    c.sendall(b"SSH-2.0-Open\x00SSH_9.2\r\n")
    time.sleep(3600)


def relay(c, upstream, limit, cut):
    u = socket.create_connection(upstream)
    passed = [0]

    def client_to_server():
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                u.sendall(d)
        except OSError:
            pass

    threading.Thread(target=client_to_server, daemon=True).start()
    try:
        while True:
            d = u.recv(65536)
            if not d:
                break
            room = limit - passed[0]
            if room <= 0:
                if cut:
                    break
                continue  # swallow: the client waits for the rest
            c.sendall(d[:room])
            passed[0] += min(len(d), room)
            if passed[0] >= limit and cut:
                break
        if not cut:
            time.sleep(3600)
    except OSError:
        pass
    finally:
        for s in (u, c):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def serve(mode, addr, port, upstream, limit):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(64)
    handlers = {"flood": flood, "prelines": prelines,
                "longbanner": longbanner, "slowbanner": slowbanner,
                "nulbanner": nulbanner}
    while True:
        c, _ = ls.accept()
        if mode in handlers:
            target, args = handlers[mode], (c,)
        else:
            target, args = relay, (c, upstream, limit, mode == "cut")

        def run(target=target, args=args, c=c):
            try:
                target(*args)
            except OSError:
                pass
            finally:
                c.close()

        threading.Thread(target=run, daemon=True).start()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    upstream, limit = None, 0
    if mode in ("kexstall", "cut"):
        upstream = (sys.argv[4], int(sys.argv[5]))
        limit = int(sys.argv[6]) if len(sys.argv) > 6 else 1000
    serve(mode, addr, port, upstream, limit)


if __name__ == "__main__":
    main()
