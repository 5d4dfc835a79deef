// A webhook receiver for tests, as an integrator would write one: every
// delivery is verified with the standardwebhooks library, unchanged.
//
// Environment: PORT (127.0.0.1), SECRET (whsec_…), FAIL_FIRST (answer 500 to
// the first N attempts of each message, by webhook-id), HOLD_MS (wait that
// long before answering the first attempt of each message). Each request is
// one JSON line on stdout: {"id","type","verified","status","error","at"}.
"use strict";
const http = require("node:http");
const { Webhook } = require("standardwebhooks");

const wh = new Webhook(process.env.SECRET);
const failFirst = Number(process.env.FAIL_FIRST || 0);
const holdMs = Number(process.env.HOLD_MS || 0);
const seen = new Map();

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const id = req.headers["webhook-id"] || "";
    const n = (seen.get(id) || 0) + 1;
    seen.set(id, n);
    const line = { id, n, at: Date.now(), method: req.method, verified: false, type: null, error: null, body: null };
    try {
      const payload = wh.verify(body, req.headers);
      line.verified = true;
      line.type = payload.type;
      line.body = payload;
    } catch (err) {
      line.error = String(err && err.message);
    }
    line.status = !line.verified ? 400 : n <= failFirst ? 500 : 200;
    const answer = () => {
      res.writeHead(line.status, { "content-type": "text/plain" });
      res.end(line.status === 200 ? "ok" : "no");
      process.stdout.write(JSON.stringify(line) + "\n");
    };
    if (holdMs > 0 && n === 1) {
      process.stdout.write(JSON.stringify({ id, n, holding: true }) + "\n");
      setTimeout(answer, holdMs);
    } else {
      answer();
    }
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ listening: server.address().port }) + "\n");
});
