#!/usr/bin/env python3
"""A tiny SMTP sink for drills: accepts every message on 127.0.0.1:PORT and writes each to
DIR/NNNN.eml (envelope recipients in an X-Envelope-To header). Loopback only; no relaying."""
import os
import socketserver
import sys

port, folder = int(sys.argv[1]), sys.argv[2]
os.makedirs(folder, exist_ok=True)
counter = [0]


class Session(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ESMTP")
        rcpts = []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            cmd = line.decode("latin-1").strip()
            verb = cmd[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                rcpts = []
                self.reply("250 ok")
            elif verb == "RCPT":
                rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                body = []
                while True:
                    data = self.rfile.readline(1 << 20)
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    body.append(data[1:] if data.startswith(b"..") else data)
                counter[0] += 1
                path = os.path.join(folder, "%04d.eml" % counter[0])
                with open(path + ".tmp", "wb") as f:
                    f.write(("X-Envelope-To: %s\r\n" % ", ".join(rcpts)).encode())
                    f.writelines(body)
                os.rename(path + ".tmp", path)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


socketserver.ThreadingTCPServer.allow_reuse_address = True
with socketserver.ThreadingTCPServer(("127.0.0.1", port), Session) as server:
    server.serve_forever()
