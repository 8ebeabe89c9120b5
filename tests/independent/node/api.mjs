// The Devices API's paths and what each method does (seed, "Operations" and "List Devices").
import {
  ApiError, accessDenied, basicCredentials, invalid, missing, noPermission, notFound,
  readJson, samePassword, sendError, sendJson,
} from './http.mjs';
import { isPhoneNumber } from './numbers.mjs';
import { isObject, operate } from './operations.mjs';
import { ADMIN, AGENT, hasRole, selectFields } from './store.mjs';

const PREFIX = '/api/v2';
const NETWORKS = ['Public', 'Private'];

// Each path of the contract and its methods; no PUT, PATCH or DELETE (openapi/decisions.md#methods).
const ROUTES = [
  { path: ['me'], GET: getMe },
  { path: ['devices'], GET: listAllDevices, POST: createUnassigned },
  { path: ['devices', ':id'], GET: getDevice },
  { path: ['users', ':userId', 'devices'], GET: listUserDevices, POST: createForUser },
  { path: ['me', 'devices'], GET: listMyDevices, POST: createMine },
  { path: ['me', 'devices', ':id'], GET: getMyDevice, POST: operateMyDevice },
];

export function createHandler(store, fallbackOrigin) {
  return (req, res) => {
    handle(store, fallbackOrigin, req, res).catch((error) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) return sendError(res, error);
      console.error(error);
      sendError(res, new ApiError(4, 'Internal error'));
    });
  };
}

async function handle(store, fallbackOrigin, req, res) {
  const viewer = authenticate(store, req.headers.authorization);
  const [rawPath, rawQuery = ''] = req.url.split('?', 2);
  const found = route(rawPath);
  if (!found) throw notFound('Resource');
  // Platform choice: HEAD is answered as GET (RFC 9110 9.3.2) and node:http drops the body.
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const action = found.route[method];
  if (!action) throw methodNotAllowed(found.route);
  const ctx = {
    store, viewer, req, res,
    params: found.params,
    query: new URLSearchParams(rawQuery),
    base: `${origin(req, fallbackOrigin)}${PREFIX}`,
  };
  await action(ctx);
}

/** HTTP Basic on every request ("Request Parameters"; openapi/decisions.md#authentication). */
function authenticate(store, header) {
  const credentials = basicCredentials(header);
  const user = credentials && store.userByName(credentials.userName);
  if (!user || !samePassword(credentials.password, user.password)) throw accessDenied();
  return user;
}

/** The route and its decoded parameters. Platform choice: the path is matched segment by
 * segment as node:http gives it, so a trailing slash is an extra empty segment: no route. */
function route(rawPath) {
  if (!rawPath.startsWith(`${PREFIX}/`)) return null;
  const segments = rawPath.slice(PREFIX.length + 1).split('/');
  for (const candidate of ROUTES) {
    const params = matchSegments(candidate.path, segments);
    if (params) return { route: candidate, params };
  }
  return null;
}

function matchSegments(pattern, segments) {
  if (pattern.length !== segments.length) return null;
  const params = {};
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern[i].startsWith(':')) {
      const value = decodeSegment(segments[i]);
      if (value === null || value === '') return null;
      params[pattern[i].slice(1)] = value;
    } else if (pattern[i] !== segments[i]) {
      return null;
    }
  }
  return params;
}

/** A percent-decoded path segment; a segment that is not valid percent-encoding names nothing
 * (openapi/decisions.md#unknown-and-malformed-ids: 404). */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** 405 with Allow and the envelope (RFC 9110 15.5.6; openapi/decisions.md#methods). Platform
 * choice: OPTIONS is not special-cased either, so it gets this 405 and its Allow header. */
function methodNotAllowed(found) {
  const methods = ['GET', 'HEAD', 'POST'].filter((m) => found[m] || (m === 'HEAD' && found.GET));
  return new ApiError(3, 'Method not allowed', { Allow: methods.join(', ') }, 405);
}

/** The scheme and authority of absolute URIs: the Host the client used when it is a plain
 * host[:port], otherwise the address the server listens on. */
function origin(req, fallbackOrigin) {
  const host = req.headers.host;
  const plain = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
  return typeof host === 'string' && plain.test(host) ? `http://${host}` : fallbackOrigin();
}

// ---------------------------------------------------------------- fields

/** `fields`: absent → null (URIs for a collection, every attribute for one device); `*` →
 * every attribute; `a,b` → those and id. Unknown names are ignored (openapi/decisions.md#fields).
 * Platform default: URLSearchParams.get, so of repeated `fields` the first counts, and an empty
 * value counts as absent. */
function fieldsOf(query) {
  const value = query.get('fields');
  if (value === null || value === '') return null;
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('*')) return '*';
  return new Set(names);
}

function deviceUri(base, device) {
  return `${base}/devices/${encodeURIComponent(device.id)}`;
}

function sendCollection(ctx, devices) {
  const fields = fieldsOf(ctx.query);
  if (fields === null) {
    return sendJson(ctx.res, 200, { statusCode: 0, uris: devices.map((d) => deviceUri(ctx.base, d)) });
  }
  const selection = fields === '*' ? null : fields;
  const views = devices.map((d) => selectFields(ctx.store.fullView(d, ctx.viewer, ctx.base), selection));
  return sendJson(ctx.res, 200, { statusCode: 0, devices: views });
}

function sendDevice(ctx, device) {
  const fields = fieldsOf(ctx.query);
  const selection = fields === null || fields === '*' ? null : fields;
  const view = selectFields(ctx.store.fullView(device, ctx.viewer, ctx.base), selection);
  return sendJson(ctx.res, 200, { statusCode: 0, device: view });
}

// ---------------------------------------------------------------- who may

// Admin paths are for ROLE_ADMIN only (seed, "List Devices"; openapi/decisions.md#admin-paths).
function requireAdmin(viewer) {
  if (!hasRole(viewer, ADMIN)) throw noPermission();
}

// /me/devices needs the "Contact Center Agent" role: a user without it is refused with 403
// (one of the two answers of openapi/decisions.md#users-without-the-agent-role).
function requireAgent(viewer) {
  if (!hasRole(viewer, AGENT)) throw noPermission();
}

/** A device the caller may see: an admin any, anyone else only its own. Another user's device
 * is answered 404, as if it did not exist (openapi/decisions.md#foreign-devices). */
function visibleDevice(ctx, adminSeesAll) {
  const device = ctx.store.devices.get(ctx.params.id);
  const allowed = device && ((adminSeesAll && hasRole(ctx.viewer, ADMIN)) || device.owner === ctx.viewer.id);
  if (!allowed) throw notFound('Device');
  return device;
}

function knownUser(ctx) {
  const user = ctx.store.users.get(ctx.params.userId);
  if (!user) throw notFound('User');
  return user;
}

// ---------------------------------------------------------------- reads

function getMe(ctx) {
  const { password, agentState, ...user } = ctx.viewer;
  sendJson(ctx.res, 200, { statusCode: 0, user: { ...user, enabled: true } });
}

function listAllDevices(ctx) {
  requireAdmin(ctx.viewer);
  sendCollection(ctx, [...ctx.store.devices.values()]);
}

function getDevice(ctx) {
  sendDevice(ctx, visibleDevice(ctx, true));
}

function listUserDevices(ctx) {
  requireAdmin(ctx.viewer);
  sendCollection(ctx, ctx.store.devicesOf(knownUser(ctx).id));
}

function listMyDevices(ctx) {
  requireAgent(ctx.viewer);
  sendCollection(ctx, ctx.store.devicesOf(ctx.viewer.id));
}

function getMyDevice(ctx) {
  requireAgent(ctx.viewer);
  sendDevice(ctx, visibleDevice(ctx, false));
}

// ---------------------------------------------------------------- writes

async function operateMyDevice(ctx) {
  requireAgent(ctx.viewer);
  const device = visibleDevice(ctx, false);
  operate(ctx.store, device, ctx.viewer, await readJson(ctx.req));
  sendJson(ctx.res, 200, { statusCode: 0 });
}

async function createUnassigned(ctx) {
  requireAdmin(ctx.viewer);
  await create(ctx, null);
}

async function createForUser(ctx) {
  requireAdmin(ctx.viewer);
  const user = knownUser(ctx);
  // The user must hold the agent role (vendor page "Create and assign a device").
  if (!hasRole(user, AGENT)) throw new ApiError(3, 'The user does not hold the agent role');
  await create(ctx, user.id);
}

async function createMine(ctx) {
  requireAgent(ctx.viewer);
  await create(ctx, ctx.viewer.id);
}

/** Creates a device ({statusCode, id, uri}, vendor page "Create a device"). */
async function create(ctx, owner) {
  const fields = deviceToCreate(await readJson(ctx.req), ctx.store.profile);
  if (ctx.store.numberInUse(fields.phoneNumber)) {
    // In use: 403 with 3; 8.5.2 has its own code, 19 "already in use"
    // (openapi/decisions.md#gws-852-and-later).
    const code = ctx.store.profile === '8.5.2' ? 19 : 3;
    throw new ApiError(code, `Phone number ${fields.phoneNumber} is already in use`);
  }
  const device = ctx.store.addDevice({ ...fields, owner });
  sendJson(ctx.res, 200, { statusCode: 0, id: device.id, uri: deviceUri(ctx.base, device) });
}

/** The members of a create body (contract's DeviceCreate; members not listed are ignored). */
function deviceToCreate(body, profile) {
  if (!isObject(body)) throw invalid('The body must be a JSON object');
  const { phoneNumber, telephonyNetwork = 'Private' } = body; // seed: default Private
  if (phoneNumber === undefined) throw missing('phoneNumber');
  if (!isPhoneNumber(phoneNumber)) throw invalid('phoneNumber must be an E.164 number or an extension');
  if (!NETWORKS.includes(telephonyNetwork)) throw invalid('telephonyNetwork must be Public or Private');
  const fields = { phoneNumber, telephonyNetwork };
  optionalString(body, 'model');
  // 8.5.2 and later ignore `model` on create and take `type` and `vendor` (vendor page
  // "Devices attributes", latest); 8.5.0 takes `model`.
  const settable = profile === '8.5.2' ? ['type', 'vendor'] : ['model'];
  for (const name of settable) {
    const value = optionalString(body, name);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

function optionalString(body, name) {
  const value = body[name];
  if (value !== undefined && typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}
