// Phone numbers: what a device shows about its number (country, e164Number, localNumber).
// No numbering-plan library is available here, so only the ranges below are placed in a
// country; each range is one whose every number is a valid number of that country.

// A public number in E.164 form: `+`, a country code (never starting with 0), at most 15
// digits in all (ITU-T E.164; openapi/decisions.md#e164-numbers).
const E164 = /^\+[1-9][0-9]{1,14}$/;

// An internal extension: digits only, as the vendor's sample extension `3001`.
const EXTENSION = /^[0-9]+$/;

// The ranges this server can place: calling code, then the national number's pattern.
const PLANS = [
  {
    callingCode: '1',
    code: 'US',
    name: 'United States',
    national: /^(212|415|646|650|718)[2-9][0-9]{6}$/,
    location: (n) => US_AREAS[n.slice(0, 3)],
  },
  {
    callingCode: '44',
    code: 'GB',
    name: 'United Kingdom',
    national: /^20[378][0-9]{7}$/,
    location: () => 'London',
  },
  {
    callingCode: '33',
    code: 'FR',
    name: 'France',
    national: /^1[0-9]{8}$/,
    location: () => 'Paris',
  },
];

const US_AREAS = {
  212: 'New York',
  415: 'California',
  646: 'New York',
  650: 'California',
  718: 'New York',
};

const NO_COUNTRY = Object.freeze({ name: '', code: '', callingCode: '' });

/** Whether a string is a phone number this API takes: E.164 or an extension (contract's
 * DeviceCreate.phoneNumber: "a public number in E.164 form or an internal extension"). */
export function isPhoneNumber(value) {
  return typeof value === 'string' && (E164.test(value) || EXTENSION.test(value));
}

function placeInPlan(digits) {
  for (const plan of PLANS) {
    if (!digits.startsWith(plan.callingCode)) continue;
    const national = digits.slice(plan.callingCode.length);
    if (plan.national.test(national)) return { plan, national };
  }
  return null;
}

/** The attributes derived from a device's number. A `+` number outside the table keeps its
 * e164Number but shows no country (attributes other than id are optional:
 * openapi/decisions.md#optional-and-extra-attributes). */
export function describeNumber(phoneNumber) {
  if (EXTENSION.test(phoneNumber)) {
    // An extension: empty country, e164Number and localNumber the extension itself
    // (seed's sample, device 3001; openapi/decisions.md#e164-numbers, #local-numbers).
    return { country: { ...NO_COUNTRY }, localNumber: phoneNumber, e164Number: phoneNumber };
  }
  if (!E164.test(phoneNumber)) return {};
  const placed = placeInPlan(phoneNumber.slice(1));
  if (!placed) return { e164Number: phoneNumber };
  const { plan, national } = placed;
  const location = plan.location(national);
  return {
    country: { name: plan.name, code: plan.code, callingCode: plan.callingCode },
    ...(location ? { location } : {}),
    // The national number without trunk prefix or punctuation (openapi/decisions.md#local-numbers).
    localNumber: national,
    e164Number: phoneNumber,
  };
}
