import socket, ssl, sys
host=sys.argv[1]; port=int(sys.argv[2]); ver=sys.argv[3]; cert=sys.argv[4] if len(sys.argv)>4 else ''
PK='/tmp/probe-acc/pki/'
ctx=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.load_verify_locations(PK+'ca.pem')
if ver=='13': ctx.minimum_version=ctx.maximum_version=ssl.TLSVersion.TLSv1_3
elif ver=='12': ctx.minimum_version=ctx.maximum_version=ssl.TLSVersion.TLSv1_2
if cert: ctx.load_cert_chain(PK+cert+'.pem', PK+cert+'.key')
try:
  s=ctx.wrap_socket(socket.create_connection((host,port)), server_hostname='localhost')
  print("client handshake ok", s.version(), s.cipher(), flush=True)
  s.sendall(b"GET / HTTP/1.0\r\n\r\n"); print("sent data", flush=True)
  print("recv", s.recv(100), flush=True)
except Exception as e: print("CLIENT ERROR:", repr(e), flush=True); sys.exit(1)
