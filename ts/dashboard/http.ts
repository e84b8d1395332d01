// The dashboard's HTTP layer on plain node:http: a route table (method, path pattern with `:params`, handler), JSON
// answers with bigints as decimal strings, errors as JSON `{error}` with their status, and the page's static files.
// A handler throws an error with a numeric `.status` (400-499: HttpError here, PointsInputError of ts/points) to answer
// that status with the error's message; anything else is a 500. Adding an endpoint is one line in the table.
import {createReadStream, existsSync, statSync} from "node:fs";
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import path from "node:path";
import {isAddress, getAddress, type Address} from "viem";

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.name = "HttpError";
  }
}

/** What a handler gets: the path's `:params`, the query string, and the parsed JSON body of a POST. */
export interface Request {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** A handler's answer that is not JSON (e.g. a CSV export). */
export class Raw {
  constructor(
    readonly body: string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface Route {
  method: "GET" | "POST";
  /** e.g. `/api/deals/:id` (a `:name` segment matches one non-empty path segment) */
  path: string;
  handler: (req: Request) => unknown;
}

/** Static files: URL path -> absolute file path. */
export type StaticFiles = Record<string, string>;

/** JSON with bigints as decimal strings. */
export const toJson = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));

/** A checksummed address from a path or query value; 400 when malformed. */
export function parseAddress(v: string | undefined | null, what = "address"): Address {
  if (!v || !isAddress(v, {strict: false})) throw new HttpError(400, `${what} must be a 20-byte hex address (0x + 40 hex digits), got "${v ?? ""}"`);
  return getAddress(v);
}

/** A non-negative decimal integer id; 400 when not one (or absurdly long). */
export function parseId(v: string | undefined, what = "id"): bigint {
  if (!v || !/^\d{1,30}$/.test(v)) throw new HttpError(400, `${what} must be a non-negative decimal integer, got "${v ?? ""}"`);
  return BigInt(v);
}

export const MAX_LIMIT = 500;

/** `?limit=` and `?offset=`: integers, limit 1..500 (default `def`), offset >= 0; 400 otherwise. */
export function parsePage(query: URLSearchParams, def = 100): {limit: number; offset: number} {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = query.get(name);
    if (v === null) return fallback;
    if (!/^\d{1,9}$/.test(v)) throw new HttpError(400, `${name} must be a non-negative integer, got "${v}"`);
    const n = Number(v);
    if (n < min || n > max) throw new HttpError(400, `${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
  return {limit: int("limit", def, 1, MAX_LIMIT), offset: int("offset", 0, 0, 1e9)};
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
};

function compile(route: Route): {route: Route; re: RegExp; names: string[]} {
  const names: string[] = [];
  const re = route.path
    .split("/")
    .map((seg) => (seg.startsWith(":") ? (names.push(seg.slice(1)), "([^/]+)") : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return {route, re: new RegExp(`^${re}/?$`), names};
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `body larger than ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

function send(res: ServerResponse, status: number, body: string, type = "application/json; charset=utf-8", headers: Record<string, string> = {}) {
  res.writeHead(status, {...headers, "content-type": type, "cache-control": "no-store"});
  res.end(body);
}

/** The request handler of `routes` and `files`; `log` gets every 5xx. */
export function handler(routes: readonly Route[], files: StaticFiles, log: (line: string) => void = console.error) {
  const table = routes.map(compile);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const file = files[url.pathname];
      if (file && (req.method === "GET" || req.method === "HEAD")) {
        if (!existsSync(file)) throw new HttpError(404, `${url.pathname}: ${path.basename(file)} is not installed (run npm install)`);
        res.writeHead(200, {"content-type": MIME[path.extname(file)] ?? "application/octet-stream", "content-length": statSync(file).size, "cache-control": "no-cache"});
        if (req.method === "HEAD") return void res.end();
        createReadStream(file).pipe(res);
        return;
      }
      let pathMatched = false;
      for (const {route, re, names} of table) {
        const m = re.exec(url.pathname);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== req.method) continue;
        const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
        const body = req.method === "POST" ? await readBody(req) : undefined;
        const out = await route.handler({params, query: url.searchParams, body});
        if (out instanceof Raw) return send(res, 200, out.body, out.contentType, out.headers);
        return send(res, 200, toJson(out));
      }
      if (pathMatched) throw new HttpError(405, `${req.method} not allowed on ${url.pathname}`);
      throw new HttpError(404, `no such endpoint: ${url.pathname}`);
    } catch (e) {
      const status = (e as {status?: unknown}).status;
      // 4xx: the caller's mistake; 503: the index or a chain cannot answer now (the page shows it as stale)
      if (typeof status === "number" && ((status >= 400 && status < 500) || status === 503)) {
        return send(res, status, toJson({error: (e as Error).message, ...((e as {extra?: object}).extra ?? {})}));
      }
      log(`${req.method} ${url.pathname}: ${(e as Error).stack ?? String(e)}`);
      if (!res.headersSent) send(res, 500, toJson({error: `internal error: ${(e as Error).message}`}));
      else res.end();
    }
  };
}

/** Listens on 127.0.0.1:`port` (0: a free port); resolves with the server and its base URL. */
export async function listen(routes: readonly Route[], files: StaticFiles, port: number, log?: (line: string) => void): Promise<{server: Server; url: string}> {
  const h = handler(routes, files, log);
  const server = createServer((req, res) => void h(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  return {server, url: `http://127.0.0.1:${actual}`};
}
