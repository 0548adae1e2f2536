import socket, ssl, sys
port=int(sys.argv[1]); PK='/tmp/probe-acc/pki/'
ctx=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(PK+'srv.pem', PK+'srv.key')
ctx.minimum_version=ssl.TLSVersion.TLSv1_3; ctx.num_tickets=0
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); s.bind(('127.0.0.1',port)); s.listen(1)
c,a=s.accept(); t=ctx.wrap_socket(c, server_side=True); print("server handshake ok", t.version(), flush=True)
try: t.unwrap(); print("sent close_notify", flush=True)
except Exception as e: print("unwrap:", repr(e), flush=True)
c.close()
