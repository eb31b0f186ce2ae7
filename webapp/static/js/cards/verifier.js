// Kinga card verifier for the browser: the same steps, order and reason codes as
// registry/cards/verify.py. Needs only the published JWKS and revocation list.
import * as nobleEd from "./vendor/noble-ed25519.js";

export const PREFIX = "KG1:";
export const MAX_PAYLOAD_CHARS = 296;
export const CLOCK_SKEW_SECONDS = 600;
const B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const REQUIRED = ["2", "4", "6", "s:cn", "s:ar", "s:pg"];
const OPTIONAL = ["s:in", "s:by", "5"];

class Refused extends Error {
  constructor(reason, kid) { super(reason); this.reason = reason; this.kid = kid; }
}
class CborFloat { constructor(value) { this.value = value; } }
class CborTag { constructor(tag, value) { this.tag = tag; this.value = value; } }

export function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    const digits = [...chunk].map((ch) => B45.indexOf(ch));
    if (digits.some((d) => d < 0) || chunk.length === 1) throw new Error("base45");
    const value = digits.reduce((acc, d, k) => acc + d * 45 ** k, 0);
    if (chunk.length === 3) {
      if (value > 0xffff) throw new Error("base45");
      out.push(value >> 8, value & 0xff);
    } else {
      if (value > 0xff) throw new Error("base45");
      out.push(value);
    }
  }
  return Uint8Array.from(out);
}

// A small CBOR decoder (RFC 8949): definite and indefinite lengths, tags, maps keyed by
// integers ("2") or text ("s:cn"). Byte strings come back as Uint8Array slices.
function cborDecode(bytes) {
  let pos = 0;
  const need = (n) => { if (pos + n > bytes.length) throw new Error("cbor: short"); };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readLength = (info) => {
    if (info < 24) return info;
    if (info === 24) { need(1); return bytes[pos++]; }
    if (info === 25) { need(2); const v = view.getUint16(pos); pos += 2; return v; }
    if (info === 26) { need(4); const v = view.getUint32(pos); pos += 4; return v; }
    if (info === 27) {
      need(8); const v = view.getBigUint64(pos); pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    throw new Error("cbor: bad length");
  };
  const readChunks = (major) => {
    const parts = [];
    for (;;) {
      need(1);
      if (bytes[pos] === 0xff) { pos++; break; }
      const head = bytes[pos++];
      if (head >> 5 !== major || (head & 31) === 31) throw new Error("cbor: bad chunk");
      const n = readLength(head & 31);
      if (typeof n !== "number") throw new Error("cbor: too long");
      need(n); parts.push(bytes.slice(pos, pos + n)); pos += n;
    }
    const total = parts.reduce((a, p) => a + p.length, 0);
    const joined = new Uint8Array(total);
    let at = 0; for (const p of parts) { joined.set(p, at); at += p.length; }
    return joined;
  };
  const keyOf = (key) => {
    if (typeof key === "number" || typeof key === "bigint") return String(key);
    if (typeof key === "string") return "s:" + key;
    throw new Error("cbor: unsupported map key");
  };
  const item = (depth) => {
    if (depth > 16) throw new Error("cbor: too deep");
    need(1);
    const head = bytes[pos++];
    const major = head >> 5, info = head & 31;
    if (major === 0) return readLength(info);
    if (major === 1) { const n = readLength(info); return typeof n === "bigint" ? -1n - n : -1 - n; }
    if (major === 2 || major === 3) {
      let raw;
      if (info === 31) raw = readChunks(major);
      else { const n = readLength(info); if (typeof n !== "number") throw new Error("cbor"); need(n); raw = bytes.slice(pos, pos + n); pos += n; }
      return major === 2 ? raw : new TextDecoder("utf-8", { fatal: true }).decode(raw);
    }
    if (major === 4) {
      const list = [];
      if (info === 31) { for (;;) { need(1); if (bytes[pos] === 0xff) { pos++; break; } list.push(item(depth + 1)); } }
      else { const n = readLength(info); if (typeof n !== "number") throw new Error("cbor"); for (let i = 0; i < n; i++) list.push(item(depth + 1)); }
      return list;
    }
    if (major === 5) {
      const map = new Map();
      const entry = () => { const k = keyOf(item(depth + 1)); map.set(k, item(depth + 1)); };
      if (info === 31) { for (;;) { need(1); if (bytes[pos] === 0xff) { pos++; break; } entry(); } }
      else { const n = readLength(info); if (typeof n !== "number") throw new Error("cbor"); for (let i = 0; i < n; i++) entry(); }
      return map;
    }
    if (major === 6) { const tag = readLength(info); return new CborTag(tag, item(depth + 1)); }
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22 || info === 23) return null;
    if (info === 25) { need(2); const v = view.getFloat16 ? view.getFloat16(pos) : NaN; pos += 2; return new CborFloat(v); }
    if (info === 26) { need(4); const v = view.getFloat32(pos); pos += 4; return new CborFloat(v); }
    if (info === 27) { need(8); const v = view.getFloat64(pos); pos += 8; return new CborFloat(v); }
    if (info < 20) return new CborTag(-1, info); // unassigned simple value
    if (info === 24) { need(1); pos++; return new CborTag(-1, 0); }
    throw new Error("cbor: bad simple value");
  };
  const value = item(0);
  if (pos !== bytes.length) throw new Error("cbor: trailing bytes");
  return value;
}

function cborHead(major, length) {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  if (length < 65536) return [(major << 5) | 25, length >> 8, length & 0xff];
  return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

export function sigStructure(protectedBytes, payload) {
  const context = new TextEncoder().encode("Signature1");
  const parts = [
    [0x84],
    cborHead(3, context.length), context,
    cborHead(2, protectedBytes.length), protectedBytes,
    [0x40],
    cborHead(2, payload.length), payload,
  ];
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0; for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function b64urlDecode(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

let webCryptoEd25519 = null; // null: untested, true/false once known

export async function ed25519Verify(publicKey, signature, message) {
  if (webCryptoEd25519 !== false && globalThis.crypto && crypto.subtle) {
    try {
      const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
      const ok = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
      webCryptoEd25519 = true;
      return ok;
    } catch (error) {
      if (webCryptoEd25519 === true) return false;
      webCryptoEd25519 = false;
    }
  }
  try { return await nobleEd.verifyAsync(signature, message, publicKey); } catch { return false; }
}

export function verifierEngine() { return webCryptoEd25519 === false ? "js" : "webcrypto"; }
export function forceJsEd25519() { webCryptoEd25519 = false; }

export function keysFromJwks(jwks) {
  const keys = {};
  for (const jwk of (jwks && jwks.keys) || []) {
    if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.kid === "string") keys[jwk.kid] = b64urlDecode(jwk.x);
  }
  return keys;
}

export function luhnValid(number) {
  if (!/^\d{12}$/.test(number)) return false;
  let total = 0;
  [...number].reverse().forEach((ch, i) => {
    let v = Number(ch);
    if (i % 2 === 1) { v *= 2; if (v > 9) v -= 9; }
    total += v;
  });
  return total % 10 === 0;
}

const isInt = (v) => typeof v === "number" && Number.isInteger(v);

function claimsWellFormed(claims) {
  const keys = [...claims.keys()];
  if (!REQUIRED.every((k) => claims.has(k))) return false;
  if (keys.some((k) => !REQUIRED.includes(k) && !OPTIONAL.includes(k))) return false;
  if (!["2", "s:cn", "s:ar"].every((k) => typeof claims.get(k) === "string")) return false;
  const programs = claims.get("s:pg");
  if (!Array.isArray(programs) || !programs.every((p) => typeof p === "string")) return false;
  if (![claims.get("6"), claims.get("4"), claims.has("5") ? claims.get("5") : 0].every(isInt)) return false;
  if (claims.has("s:in") && typeof claims.get("s:in") !== "string") return false;
  if (claims.has("s:by")) { const by = claims.get("s:by"); if (!isInt(by) || by < 1900 || by > 2200) return false; }
  return true;
}

function coseParts(raw) {
  let message;
  try { message = cborDecode(raw); } catch { throw new Refused("bad_cose"); }
  if (message instanceof CborTag) {
    if (message.tag !== 18) throw new Refused("bad_cose");
    message = message.value;
  }
  if (!Array.isArray(message) || message.length !== 4) throw new Refused("bad_cose");
  const [prot, unprot, payload, signature] = message;
  if (!(prot instanceof Uint8Array) || !(unprot instanceof Map) || !(payload instanceof Uint8Array)
      || !(signature instanceof Uint8Array) || signature.length !== 64) throw new Refused("bad_cose");
  return [prot, payload, signature];
}

function decodeMap(bytes, reason, kid) {
  let value;
  try { value = cborDecode(bytes); } catch { throw new Refused(reason, kid); }
  if (!(value instanceof Map)) throw new Refused(reason, kid);
  return value;
}

async function checkSigned(text, keys) {
  if (!text.startsWith(PREFIX)) throw new Refused("bad_prefix");
  if (text.length > MAX_PAYLOAD_CHARS) throw new Refused("oversized");
  let raw;
  try { raw = base45Decode(text.slice(PREFIX.length)); } catch { throw new Refused("bad_base45"); }
  const [prot, payload, signature] = coseParts(raw);
  const header = decodeMap(prot, "bad_cose");
  if (header.get("1") !== -8) throw new Refused("unsupported_alg");
  const kidBytes = header.get("4");
  if (!(kidBytes instanceof Uint8Array)) throw new Refused("bad_cose");
  const kid = new TextDecoder().decode(kidBytes);
  const key = Object.prototype.hasOwnProperty.call(keys, kid) ? keys[kid] : null;
  if (!key) throw new Refused("unknown_kid", kid);
  const ok = await ed25519Verify(key, signature, sigStructure(prot, payload));
  if (!ok) throw new Refused("bad_signature", kid);
  return [kid, decodeMap(payload, "bad_claims", kid)];
}

function toClaims(map) {
  return {
    card_number: map.get("s:cn"),
    holder_ref: map.get("2"),
    area_code: map.get("s:ar"),
    programs: map.get("s:pg"),
    issued_at: map.get("6"),
    expires_at: map.get("4"),
    initials: map.has("s:in") ? map.get("s:in") : null,
    birth_year: map.has("s:by") ? map.get("s:by") : null,
  };
}

// keys: {kid: Uint8Array(32)}; revoked: Set of card numbers; nowSeconds: Unix time.
export async function verifyQr(text, keys, revoked, nowSeconds) {
  let kid, map;
  try { [kid, map] = await checkSigned(text, keys); }
  catch (error) {
    if (error instanceof Refused) return { valid: false, reason: error.reason, kid: error.kid || null, claims: null };
    return { valid: false, reason: "bad_cose", kid: null, claims: null };
  }
  if (!claimsWellFormed(map)) return { valid: false, reason: "bad_claims", kid, claims: null };
  const claims = toClaims(map);
  const verdict = (valid, reason) => ({ valid, reason, kid, claims });
  if (!luhnValid(claims.card_number)) return verdict(false, "bad_number");
  const notBefore = Math.max(map.get("6"), map.has("5") ? map.get("5") : 0);
  if (notBefore > nowSeconds + CLOCK_SKEW_SECONDS) return verdict(false, "not_yet_valid");
  if (map.get("4") <= nowSeconds) return verdict(false, "expired");
  if (revoked.has(claims.card_number)) return verdict(false, "revoked");
  return verdict(true, "ok");
}

// The signed revocation list: trusted only when its JWS verifies with a published key.
export async function readRevocationList(document, keys) {
  try {
    const [h, p, s] = String(document.jws).split(".");
    const header = JSON.parse(new TextDecoder().decode(b64urlDecode(h)));
    if (header.alg !== "EdDSA" || !keys[header.kid]) return null;
    const ok = await ed25519Verify(keys[header.kid], b64urlDecode(s), new TextEncoder().encode(h + "." + p));
    return ok ? JSON.parse(new TextDecoder().decode(b64urlDecode(p))) : null;
  } catch { return null; }
}
