// HTTP plumbing: the JSON envelope, errors, Basic credentials and request bodies.
import { timingSafeEqual } from 'node:crypto';

// The HTTP status that goes with each error statusCode (openapi/decisions.md#status-codes).
const HTTP_STATUS_OF = { 1: 400, 2: 400, 3: 403, 4: 500, 5: 403, 6: 404, 19: 403, 20: 401 };

// Bodies larger than this are not kept: no request of the contract comes near it
// (openapi/decisions.md#request-bodies allows refusing them with 400).
const MAX_BODY_BYTES = 1024 * 1024;

export class ApiError extends Error {
  constructor(statusCode, statusMessage, headers = {}, httpStatus = HTTP_STATUS_OF[statusCode]) {
    super(statusMessage);
    this.statusCode = statusCode;
    this.httpStatus = httpStatus;
    this.headers = headers;
  }
}

export const missing = (what) => new ApiError(1, `Missing mandatory parameter: ${what}`);
export const invalid = (message) => new ApiError(2, message);
export const notFound = (what) => new ApiError(6, `${what} not found`);
export const noPermission = () => new ApiError(5, 'User does not have permission');

/** Every body is JSON with statusCode ("Return Values"; openapi/decisions.md#media-type). */
export function sendJson(res, httpStatus, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(httpStatus, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** An error is exactly {statusCode, statusMessage} (openapi/decisions.md#error-body). */
export function sendError(res, error) {
  const body = { statusCode: error.statusCode, statusMessage: error.message };
  sendJson(res, error.httpStatus, body, error.headers);
}

// RFC 7617 section 2: a challenge of the Basic scheme (openapi/decisions.md#authentication).
const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Genesys Web Services"' };

export function accessDenied() {
  return new ApiError(20, 'Access denied', CHALLENGE);
}

/** The user name and password of a Basic `Authorization` header, or null. */
export function basicCredentials(header) {
  if (typeof header !== 'string') return null;
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header); // auth-scheme is case-insensitive (RFC 9110 11.1)
  if (!match) return null;
  // Platform default: Buffer.from decodes base64 leniently (skips characters outside the
  // alphabet), as the basic-auth package behind Express does; the vendor says nothing more.
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function samePassword(given, expected) {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request body as text (null if it was larger than MAX_BODY_BYTES); rejects if the
 * connection fails while reading. */
export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

/** The body parsed as JSON. Platform default: JSON.parse on the whole body whatever its
 * Content-Type (openapi/decisions.md#request-bodies lets a server read a mislabelled body). */
export async function readJson(req) {
  const text = await readBody(req);
  if (text === null) throw invalid('Request body too large');
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('Request body is not valid JSON');
  }
}
