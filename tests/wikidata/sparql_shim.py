#!/usr/bin/env python3
"""SPARQL 1.1 Protocol shim in front of the test Virtuoso (started by ci/sparql-server.sh).

Usage: sparql_shim.py LISTEN_PORT BACKEND_PORT   (both on 127.0.0.1)

Virtuoso 7.2.5 (Debian bookworm) never answers a POST whose Content-Type is
`application/sparql-query` (the "query via POST directly" form of the SPARQL 1.1 Protocol):
it waits forever and burns CPU (upstream openlink/virtuoso-opensource issue #842).
This shim forwards every request to Virtuoso unchanged, except that such a POST is rewritten
into the equivalent `application/x-www-form-urlencoded` POST (`query=<body>`), keeping the
URL's own parameters (default-graph-uri, named-graph-uri, ...). Responses are passed back
byte for byte (status, Content-Type, body, Content-Encoding); only hop-by-hop headers are
redone. Standard library only; listens on 127.0.0.1 only.
"""

import http.client
import http.server
import sys
import urllib.parse

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
    "upgrade", "content-length", "host",
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newskg-sparql-shim"
    backend_port = 0

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _reply_error(self, status, text):
        body = ("newskg sparql shim: %s\n" % text).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _forward(self):
        body = self._read_body() if self.command == "POST" else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        content_type = self.headers.get("Content-Type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if self.command == "POST" and media_type == "application/sparql-query":
            charset = "utf-8"
            for param in content_type.split(";")[1:]:
                name, _, value = param.strip().partition("=")
                if name.strip().lower() == "charset" and value.strip():
                    charset = value.strip().strip('"')
            try:
                text = body.decode(charset)
            except (LookupError, UnicodeDecodeError) as err:
                self._reply_error(400, "cannot decode the query as %s: %s" % (charset, err))
                return
            body = urllib.parse.urlencode({"query": text}).encode("ascii")
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            headers["Content-Length"] = str(len(body))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.backend_port, timeout=120)
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status, reason, resp_headers = resp.status, resp.reason, resp.getheaders()
            conn.close()
        except (OSError, http.client.HTTPException) as err:
            self._reply_error(502, "Virtuoso on port %d did not answer: %s" % (self.backend_port, err))
            return
        self.send_response(status, reason)
        for name, value in resp_headers:
            if name.lower() not in HOP_BY_HOP and name.lower() not in ("server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = _forward
    do_POST = _forward
    do_HEAD = _forward


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: sparql_shim.py LISTEN_PORT BACKEND_PORT")
    Handler.backend_port = int(sys.argv[2])
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    sys.stderr.write("sparql shim on 127.0.0.1:%s -> 127.0.0.1:%s\n" % (sys.argv[1], sys.argv[2]))
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
