// The Node baseline of `scripts/bench live`: a plain WebSocket broadcast server on npm's
// `ws`. POST /publish sends the request body to every connected client.
import http from "node:http";
import { WebSocketServer } from "ws";

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/publish") return res.writeHead(404).end();
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    for (const client of wss.clients) if (client.readyState === 1) client.send(body);
    res.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server, path: "/ws" });
server.listen(Number(process.env.PORT), "127.0.0.1");
