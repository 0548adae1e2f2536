import socket, ssl, sys
PK='/tmp/probe-acc/pki/'
ctx=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.load_verify_locations(PK+'ca.pem')
s=ctx.wrap_socket(socket.create_connection(('127.0.0.1',int(sys.argv[1]))), server_hostname='localhost')
print("client handshake ok", s.version(), flush=True)
print("recv", s.recv(100), "(empty = close_notify received)", flush=True)
