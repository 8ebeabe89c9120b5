// The Devices API of Genesys Web Services 8.5 (GWS v2, /api/v2) on node:http, state in memory.
// Usage: node server.mjs --port 0 [--api-version 8.5.0|8.5.2] [--host 127.0.0.1]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createHandler } from './api.mjs';
import { Store } from './store.mjs';

const PROFILES = ['8.5.0', '8.5.2'];

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'api-version': { type: 'string', default: '8.5.0' },
      fixtures: { type: 'string', default: new URL('./fixtures.json', import.meta.url).pathname },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`not a port: ${values.port}`);
  if (!PROFILES.includes(values['api-version'])) fail(`unknown --api-version: ${values['api-version']}`);
  return { port, host: values.host, profile: values['api-version'], fixtures: values.fixtures };
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

function hostForUrl(host) {
  return host.includes(':') ? `[${host}]` : host;
}

function main() {
  const opts = options();
  const fixtures = JSON.parse(readFileSync(opts.fixtures, 'utf8'));
  const store = new Store(fixtures, opts.profile);
  let origin = '';
  // node:http with its defaults (keep-alive, timeouts, its own 400 for unparseable requests).
  const server = createServer(createHandler(store, () => origin));
  server.listen(opts.port, opts.host, () => {
    origin = `http://${hostForUrl(opts.host)}:${server.address().port}`;
    console.log(`Devices API (GWS ${opts.profile}) listening at ${origin}/api/v2`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
}

main();
