/** A tiny HTTP server on 127.0.0.1 that shows one demo CRM: its board and a page per deal. */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoDeal, DemoPipeline } from './data';
import { boardPage, dealPage, demoPaths } from './pages';

export interface RunningCrm {
  origin: string;
  boardUrl: string;
  dealUrl(id: string): string;
  close(): Promise<void>;
}

/** Which page a path asks for: the board, one deal, or nothing this CRM has. */
export function routeOf(pipeline: DemoPipeline, path: string): 'board' | DemoDeal | null {
  const board = demoPaths[pipeline.crm].board.split('#')[0];
  if (path === board || path === `${board}/`) return 'board';
  const id =
    pipeline.crm === 'odoo' ? /^\/odoo\/crm\/(\d+)$/.exec(path) : /^\/opportunity\/(\w+)$/.exec(path);
  return pipeline.deals.find((deal) => deal.id === id?.[1]) ?? null;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

/** Pages are rendered on first request and kept: the data never changes while the demo runs. */
export async function startCrm(pipeline: DemoPipeline, port = 0): Promise<RunningCrm> {
  const rendered = new Map<string, string>();
  const page = (key: string, render: () => string) => {
    const html = rendered.get(key) ?? render();
    rendered.set(key, html);
    return html;
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    const route = routeOf(pipeline, path);
    if (route === null) return send(res, 404, '<!doctype html><title>Not found</title><p>Not found</p>');
    if (route === 'board')
      return send(
        res,
        200,
        page('board', () => boardPage(pipeline)),
      );
    send(
      res,
      200,
      page(route.id, () => dealPage(pipeline, route)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const paths = demoPaths[pipeline.crm];
  return {
    origin,
    boardUrl: `${origin}${paths.board}`,
    dealUrl: (id) => `${origin}${paths.deal(id)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
