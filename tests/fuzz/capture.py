#!/usr/bin/env python3
"""Regenerates the captured part of tests/fuzz/corpus from real nngcat and nanocat traffic.

Each capture runs the peer against a small Python endpoint on 127.0.0.1 (port 0) or a temporary IPC path, records
exactly what the peer sent (or answered), and writes it in the shape a fuzz target reads:
  handshake/  the 8-byte SP header the peer sent
  frame/      one selector byte (bit 0: ipc) + everything the peer sent after its header
  backtrace/  one SP message as it arrived (request ids, backtraces, survey ids)
  pair1/      one PAIR1 message as it arrived (hop count + body)
  ws-head/    the peer's upgrade request, or its 101 answer
  ws-frame/   the WebSocket frames the peer sent after the upgrade
  discovery/  a member's JSON answer to a registry survey, sent by the peer as a RESPONDENT
Usage: tests/fuzz/capture.py [CORPUS_DIR]   (needs nngcat and nanocat on PATH)
"""
import base64
import hashlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
PROTO = {"pair0": 0x10, "pair1": 0x11, "pub": 0x20, "sub": 0x21, "req": 0x30, "rep": 0x31,
         "push": 0x50, "pull": 0x51, "surveyor": 0x62, "respondent": 0x63, "bus": 0x70}
PEER = {"pair0": "pair0", "pair1": "pair1", "pub": "sub", "req": "rep", "rep": "req", "push": "pull",
        "surveyor": "respondent", "respondent": "surveyor", "bus": "bus"}
MEMBER = '{"service":"cache","address":"tcp://10.0.0.5:5555","meta":{"zone":"eu-1"}}'
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def save(kind, name, data):
    os.makedirs(os.path.join(CORPUS, kind), exist_ok=True)
    with open(os.path.join(CORPUS, kind, name), "wb") as f:
        f.write(data)


def header(proto):
    return b"\x00SP\x00" + struct.pack(">H", PROTO[proto]) + b"\x00\x00"


def read_for(conn, seconds, first=b""):
    data = first
    conn.settimeout(0.2)
    end = time.time() + seconds
    while time.time() < end:
        try:
            chunk = conn.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


def frames(data, ipc):
    """Splits the bytes after a header into message bodies."""
    out, i = [], 0
    size = 9 if ipc else 8
    while len(data) - i >= size:
        n = struct.unpack(">Q", data[i + size - 8:i + size])[0]
        if len(data) - i - size < n:
            break
        out.append(data[i + size:i + size + n])
        i += size + n
    return out


def peer_cmd(tool, role, url, listen, data):
    if tool == "nngcat":
        cmd = ["nngcat", "--" + role, "--listen" if listen else "--dial", url]
    else:
        cmd = ["nanocat", "--" + role, "--bind" if listen else "--connect", url]
    if data is not None:
        cmd += ["-D", data]
    if role in ("req", "push", "pub", "surveyor", "pair1", "pair0", "bus") and data is not None:
        cmd += ["-i", "1"] if tool == "nanocat" else ["--interval", "1"]
    return cmd


def capture_sp(tool, role, ipc=False, our_first=None, data=None):
    """The peer dials us (tcp or ipc) as ROLE; we answer as its peer and record what it sends."""
    path = None
    if ipc:
        path = os.path.join(tempfile.mkdtemp(), "c.sock")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        url = "ipc://" + path
    else:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        url = "tcp://127.0.0.1:%d" % server.getsockname()[1]
    server.listen(1)
    if data is None:
        data = "hello" if role not in ("rep", "respondent") else "answer"
    proc = subprocess.Popen(peer_cmd(tool, role, url, False, data),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.settimeout(5)
        conn, _ = server.accept()
        conn.sendall(header(PEER[role]))
        if our_first is not None:
            conn.sendall(struct.pack(">Q", len(our_first)) if not ipc else b"\x01" + struct.pack(">Q", len(our_first)))
            conn.sendall(our_first)
        data = read_for(conn, 2.5)
        conn.close()
    finally:
        proc.kill()
        proc.wait()
        server.close()
        if path:
            os.unlink(path)
    return data[:8], data[8:]


def capture_ws_dial(tool, role):
    """The peer dials ws://…/sp as ROLE: record its upgrade request, accept it, record its frames."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    url = "ws://127.0.0.1:%d/sp" % server.getsockname()[1]
    proc = subprocess.Popen(peer_cmd(tool, role, url, False, "hello"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server.settimeout(5)
        conn, _ = server.accept()
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                break
            head += chunk
        request, rest = head.split(b"\r\n\r\n", 1)
        key = [l.split(b":", 1)[1].strip() for l in request.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key:")][0]
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID.encode()).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
                     b"\r\nSec-WebSocket-Protocol: " + PEER[role].encode() + b".sp.nanomsg.org\r\n\r\n")
        data = read_for(conn, 2.5, rest)
        conn.close()
    finally:
        proc.kill()
        proc.wait()
        server.close()
    return request + b"\r\n\r\n", data


def capture_ws_listen(tool, role):
    """The peer listens on ws://…/sp as ROLE: send it an upgrade request and record its answer."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    path = b"/sp" if tool == "nngcat" else b"/"  # nanocat refuses to bind an IP address with a path
    proc = subprocess.Popen(peer_cmd(tool, role, "ws://127.0.0.1:%d%s" % (port, path.decode().rstrip("/")), True, "answer"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        conn = None
        for _ in range(50):
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        if conn is None:
            raise RuntimeError("%s did not listen on ws port %d" % (tool, port))
        conn.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     b"Sec-WebSocket-Protocol: %s.sp.nanomsg.org\r\n\r\n" % (path, port, role.encode()))  # a dialer names the listener's protocol
        answer = read_for(conn, 1.5)
        conn.close()
    finally:
        proc.kill()
        proc.wait()
    return answer


def main():
    for tool in ("nngcat", "nanocat"):
        # nanocat has PAIR0 only (as --pair); PAIR1 comes from nngcat.
        for role in ("req", "surveyor", "push", "bus") + (("pair1",) if tool == "nngcat" else ()):
            hs, rest = capture_sp(tool, role)
            save("handshake", "%s-%s" % (tool, role), hs)
            save("frame", "%s-tcp-%s" % (tool, role), b"\x00" + rest)
            for i, body in enumerate(frames(rest, False)[:2]):
                if role in ("req", "surveyor"):
                    save("backtrace", "%s-%s-%d" % (tool, role, i), body)
                if role == "pair1":
                    save("pair1", "%s-%s-%d" % (tool, role, i), body)
        # A REP and a RESPONDENT answering our request/survey: the reply carries the backtrace back.
        for role, ask in (("rep", b"\x80\x00\x00\x07ask"), ("respondent", b"\x00\x00\x00\x02\x80\x00\x00\x09ask")):
            hs, rest = capture_sp(tool, role, our_first=ask)
            save("handshake", "%s-%s" % (tool, role), hs)
            save("frame", "%s-tcp-%s" % (tool, role), b"\x00" + rest)
            for i, body in enumerate(frames(rest, False)[:1]):
                save("backtrace", "%s-%s-%d" % (tool, role, i), body)
        # A member answering a registry's survey, as docs/discovery.md shows it done with nngcat: the JSON after the backtrace.
        hs, rest = capture_sp(tool, "respondent", our_first=b"\x80\x00\x00\x05", data=MEMBER)
        for body in frames(rest, False)[:1]:
            save("discovery", "%s-member-answer" % tool, body[4:])
        hs, rest = capture_sp(tool, "push", ipc=True)
        save("frame", "%s-ipc-push" % tool, b"\x01" + rest)
        request, data = capture_ws_dial(tool, "req")
        save("ws-head", "%s-upgrade-request" % tool, request)
        save("ws-frame", "%s-req-frames" % tool, data)
        save("ws-head", "%s-upgrade-answer" % tool, capture_ws_listen(tool, "rep"))


if __name__ == "__main__":
    main()
