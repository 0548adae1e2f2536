import socket, ssl, sys
port=int(sys.argv[1]); ver=sys.argv[2]; mode=sys.argv[3]; host=sys.argv[4] if len(sys.argv)>4 else '127.0.0.1'
PK='/tmp/probe-acc/pki/'
ctx=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(PK+'srv.pem', PK+'srv.key')
if ver=='13': ctx.minimum_version=ctx.maximum_version=ssl.TLSVersion.TLSv1_3
else: ctx.minimum_version=ctx.maximum_version=ssl.TLSVersion.TLSv1_2
if mode=='mtls': ctx.verify_mode=ssl.CERT_REQUIRED; ctx.load_verify_locations(PK+'ca.pem')
if mode=='alpn': ctx.set_alpn_protocols(['h2'])
fam=socket.AF_INET6 if ':' in host else socket.AF_INET
s=socket.socket(fam); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); s.bind((host,port)); s.listen(5)
n=int(sys.argv[5]) if len(sys.argv)>5 else 1
for i in range(n):
  c,a=s.accept()
  try:
    t=ctx.wrap_socket(c, server_side=True); print("handshake ok", t.version(), t.cipher(), t.selected_alpn_protocol(), flush=True)
    d=t.recv(100); print("got", d, flush=True); t.sendall(b"hello back\n"); t.close()
  except Exception as e: print("SERVER ERROR:", repr(e), flush=True); c.close()
