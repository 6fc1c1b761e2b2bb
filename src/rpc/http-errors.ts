// Error responses in the layout supervisord's HTTP server (medusa) sends.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

export function errorBody(code: number): string {
  const message = STATUS_CODES[code] ?? 'Error';
  return (
    '<head>\n<title>Error response</title>\n</head>\n<body>\n<h1>Error response</h1>\n' +
    `<p>Error code ${code}.\n<p>Message: ${message}.\n</body>\n`
  );
}

export function sendError(res: ServerResponse, code: number, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorBody(code);
  res.writeHead(code, {
    'Content-Type': 'text/html',
    'Content-Length': Buffer.byteLength(body),
    ...extraHeaders,
  });
  res.end(body);
}
