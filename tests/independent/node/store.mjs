// The server's state, in memory: users and devices, and how a device looks to a viewer.
import { randomUUID } from 'node:crypto';
import { describeNumber } from './numbers.mjs';

export const AGENT = 'ROLE_AGENT';
export const SUPERVISOR = 'ROLE_SUPERVISOR';
export const ADMIN = 'ROLE_ADMIN';

// One voice environment (8.5.0) / voice service (8.5.2) for every device: the links point into
// APIs outside this one (openapi/decisions.md#uris).
const VOICE_ID = '4c9d2a7e-81f3-4b6a-9e05-d7c3f1a8b246';

const MONITORING_OPERATIONS = ['ListenIn', 'BargeIn', 'Coach'];

export function hasRole(user, role) {
  return Boolean(user) && user.roles.includes(role);
}

export class Store {
  constructor(fixtures, profile) {
    this.profile = profile;
    this.users = new Map(fixtures.users.map((u) => [u.id, { ...u, roles: [...u.roles] }]));
    this.devices = new Map();
    for (const d of fixtures.devices) this.addDevice(d);
  }

  userByName(userName) {
    for (const user of this.users.values()) if (user.userName === userName) return user;
    return null;
  }

  addDevice(fields) {
    const device = {
      id: fields.id ?? randomUUID(),
      phoneNumber: fields.phoneNumber,
      phoneNumberId: randomUUID(),
      telephonyNetwork: fields.telephonyNetwork ?? 'Private',
      model: fields.model,
      vendor: fields.vendor,
      type: fields.type,
      owner: fields.owner ?? null,
      doNotDisturb: fields.doNotDisturb ?? 'Off',
      forwardTo: fields.forwardTo ?? null,
      monitoring: null,
    };
    this.devices.set(device.id, device);
    return device;
  }

  numberInUse(phoneNumber) {
    for (const d of this.devices.values()) if (d.phoneNumber === phoneNumber) return true;
    return false;
  }

  devicesOf(userId) {
    return [...this.devices.values()].filter((d) => d.owner === userId);
  }

  /** The supervisor's device monitoring `target`, if any. */
  monitorOf(target) {
    for (const d of this.devices.values()) if (d.monitoring?.targetId === target.id) return d;
    return null;
  }

  /** The operations available now on `device`, as `viewer` sees them (seed, capabilities;
   * openapi/decisions.md#capabilities: nothing that contradicts the state or the role). */
  capabilities(device, viewer) {
    const caps = [
      device.doNotDisturb === 'On' ? 'DoNotDisturbOff' : 'DoNotDisturbOn',
      device.forwardTo === null ? 'ForwardCallsOn' : 'ForwardCallsOff',
    ];
    const owner = this.users.get(device.owner);
    if (!hasRole(viewer, SUPERVISOR) || !hasRole(owner, SUPERVISOR)) return caps;
    caps.push(...MONITORING_OPERATIONS);
    if (device.monitoring) {
      caps.push('CancelSupervisorMonitoring');
      // 8.5.2: Mute is offered to a supervisor while monitoring; the mute itself is a call
      // operation (openapi/decisions.md#gws-852-and-later), and nobody is muted yet.
      if (this.profile === '8.5.2') caps.push('MuteMonitoredUser');
    }
    return caps;
  }

  /** Every attribute of `device`, in the order of the seed's table and sample. */
  fullView(device, viewer, base) {
    const view = {
      id: device.id,
      deviceState: device.owner ? 'Active' : 'Inactive',
      phoneNumberUri: `${base}/phone-numbers/${device.phoneNumberId}`,
      telephonyNetwork: device.telephonyNetwork,
    };
    if (device.model !== undefined) view.model = device.model;
    if (device.vendor !== undefined) view.vendor = device.vendor;
    if (this.profile === '8.5.2' && device.type !== undefined) view.type = device.type;
    view.phoneNumber = device.phoneNumber;
    Object.assign(view, describeNumber(device.phoneNumber));
    view.doNotDisturb = device.doNotDisturb;
    if (device.forwardTo !== null) view.forwardTo = device.forwardTo;
    view.capabilities = this.capabilities(device, viewer);
    const owner = this.users.get(device.owner);
    if (owner?.agentState) view.userState = { ...owner.agentState };
    Object.assign(view, this.voiceLink(base), this.monitoringView(device, base));
    return view;
  }

  voiceLink(base) {
    if (this.profile === '8.5.2') return { voiceServiceUri: `${base}/services/${VOICE_ID}` };
    return { voiceEnvironmentUri: `${base}/voice-environments/${VOICE_ID}` };
  }

  /** The monitoring in progress, on the supervisor's own device; nothing while not monitoring
   * (seed, supervisorMonitoringState; openapi/decisions.md#monitoring-state). */
  monitoringView(device, base) {
    const m = device.monitoring;
    if (!m) return {};
    if (this.profile === '8.5.2') {
      const targetDeviceUri = `${base}/devices/${encodeURIComponent(m.targetId)}`;
      return { supervisorMonitoringState: { state: m.state, mode: m.mode, scope: m.scope, targetDeviceUri } };
    }
    return {
      supervisorMonitoringState: m.state,
      supervisorMonitoringMode: m.mode,
      supervisorMonitoringScope: m.scope,
    };
  }
}

/** Keeps only the attributes `fields` names, and always `id` ("Request Parameters";
 * openapi/decisions.md#fields). `selection` null means every attribute. */
export function selectFields(view, selection) {
  if (selection === null) return view;
  const picked = { id: view.id };
  for (const [name, value] of Object.entries(view)) if (selection.has(name)) picked[name] = value;
  return picked;
}
