"""A TCP conversation written as a pcap (Ethernet, IPv4, TCP with correct sequence numbers and
checksums): three-way handshake, the given payloads each acknowledged, FIN both ways."""
import socket
import struct


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, seq, ack, flags, payload=b""):
    sip, dip = socket.inet_aton(src[0]), socket.inet_aton(dst[0])
    tcp = struct.pack(">HHIIBBHHH", src[1], dst[1], seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = sip + dip + struct.pack(">BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack(">H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, sip, dip)
    ip = ip[:10] + struct.pack(">H", checksum(ip)) + ip[12:]
    return b"\0" * 12 + b"\x08\x00" + ip + tcp


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def conversation(path, client, server, payloads, start):
    """`payloads`: `[("c" | "s", bytes)]` in order."""
    seq = {"c": 1000, "s": 5000}
    ends = {"c": (client, server), "s": (server, client)}
    frames = [("c", SYN, b"", False), ("s", SYN | ACK, b"", False), ("c", ACK, b"", False)]
    frames += [(who, PSH | ACK, data, True) for who, data in payloads]
    frames += [("c", FIN | ACK, b"", False), ("s", FIN | ACK, b"", False), ("c", ACK, b"", False)]
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    t = start * 1_000_000
    for who, flags, data, _ in frames:
        other = "s" if who == "c" else "c"
        ack = 0 if flags == SYN else seq[other]
        f = frame(*ends[who], seq[who], ack, flags, data)
        out.append(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(f), len(f)) + f)
        seq[who] += len(data) + (1 if flags & (SYN | FIN) else 0)
        t += 2_000
    with open(path, "wb") as fh:
        fh.write(b"".join(out))
