// Device operations, POST /me/devices/{id} {operationName, ...} (vendor page "Device operations").
import { ApiError, invalid, missing } from './http.mjs';
import { isPhoneNumber } from './numbers.mjs';
import { AGENT, hasRole } from './store.mjs';

const SCOPES = ['Call', 'Agent'];
const MODES = ['NextCall', 'AllCalls'];

const OPERATIONS = {
  DoNotDisturbOn: (ctx) => { ctx.device.doNotDisturb = 'On'; },
  DoNotDisturbOff: (ctx) => { ctx.device.doNotDisturb = 'Off'; },
  ForwardCallsOn: forwardCallsOn,
  ForwardCallsOff: (ctx) => { ctx.device.forwardTo = null; },
  ListenIn: monitor,
  BargeIn: monitor,
  Coach: monitor,
  CancelSupervisorMonitoring: (ctx) => { ctx.device.monitoring = null; },
};

/** Performs the operation of `body` on `device` for its owner `viewer`; throws an ApiError,
 * having changed nothing, when it is refused. */
export function operate(store, device, viewer, body) {
  if (!isObject(body)) throw invalid('The body must be a JSON object');
  const name = body.operationName;
  if (name === undefined) throw missing('operationName');
  if (typeof name !== 'string') throw invalid('operationName must be a string');
  if (!Object.hasOwn(OPERATIONS, name)) throw invalid(`Unknown operationName: ${name.slice(0, 64)}`);
  // Only what the device offers now (openapi/decisions.md#unoffered-operations: 400 with 2).
  if (!store.capabilities(device, viewer).includes(name)) {
    throw invalid(`Operation ${name} is not available on this device`);
  }
  OPERATIONS[name]({ store, device, body, name });
}

function forwardCallsOn({ device, body }) {
  const destination = body.destination;
  if (destination === undefined) throw missing('destination');
  if (!isPhoneNumber(destination)) throw invalid('destination must be a phone number');
  device.forwardTo = destination;
}

/** ListenIn, BargeIn, Coach: the monitoring shows on the supervisor's own device
 * (openapi/decisions.md#monitoring-state), scope Call and mode AllCalls unless given. */
function monitor({ store, device, body, name }) {
  const target = targetDevice(store, device, body.targetDeviceUri);
  const scope = choice(body, 'supervisorMonitoringScope', SCOPES, 'Call');
  const mode = choice(body, 'supervisorMonitoringMode', MODES, 'AllCalls');
  if (store.profile === '8.5.2' && body.phoneNumber !== undefined && !isPhoneNumber(body.phoneNumber)) {
    throw invalid('phoneNumber must be a phone number');
  }
  // Seed, capabilities: only one supervisor at a time may monitor a given device.
  const monitor = store.monitorOf(target);
  if (monitor && monitor.id !== device.id) {
    throw new ApiError(3, 'The device is already monitored by another supervisor');
  }
  device.monitoring = { state: name, mode, scope, targetId: target.id };
}

function choice(body, member, allowed, fallback) {
  const value = body[member];
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw invalid(`${member} must be one of ${allowed.join(', ')}`);
  return value;
}

/** The agent's device a monitoring names: any host, a path ending in /devices/{id}; never the
 * device posted to, nor another of the supervisor's own (openapi/decisions.md#monitoring-state:
 * the target is an agent's device, and a device cannot listen in on its own calls). */
function targetDevice(store, device, uri) {
  if (uri === undefined) throw missing('targetDeviceUri');
  const id = deviceIdOf(uri);
  const target = id === null ? undefined : store.devices.get(id);
  if (!target) throw invalid('targetDeviceUri does not name a device');
  if (target.owner === device.owner) throw invalid('A supervisor cannot monitor its own device');
  if (!hasRole(store.users.get(target.owner), AGENT)) {
    throw invalid("targetDeviceUri does not name an agent's device");
  }
  return target;
}

function deviceIdOf(uri) {
  if (typeof uri !== 'string') return null;
  let url;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const match = /\/devices\/([^/]+)$/.exec(url.pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
