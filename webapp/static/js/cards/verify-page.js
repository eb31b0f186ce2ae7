// /verify: sync keys and the revoked list when online, then check cards with no network.
import { makeDecoder } from "./camera.js";
import { keysFromJwks, luhnValid, readRevocationList, verifyQr } from "./verifier.js";

const root = document.getElementById("verify");
const words = document.getElementById("words").dataset;
const messages = JSON.parse(document.getElementById("messages").textContent);
const STORE = "kinga.cards.sync";
const $ = (id) => document.getElementById(id);

function loadCache() {
  try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch { return null; }
}

function formatTime(iso) {
  return new Date(iso).toLocaleString(root.dataset.lang, { dateStyle: "medium", timeStyle: "short" });
}

let cache = loadCache();

function showSync(failed) {
  const el = $("sync-status");
  if (!cache) { el.textContent = el.dataset.never; return; }
  const template = failed ? el.dataset.failed : el.dataset.synced;
  el.textContent = template.replace("%(time)s", formatTime(cache.syncedAt));
}

async function sync() {
  try {
    const [jwks, revokedDoc] = await Promise.all([
      fetch(root.dataset.keysUrl, { cache: "no-store" }).then((r) => { if (!r.ok) throw new Error(); return r.json(); }),
      fetch(root.dataset.revokedUrl, { cache: "no-store" }).then((r) => { if (!r.ok) throw new Error(); return r.json(); }),
    ]);
    const list = await readRevocationList(revokedDoc, keysFromJwks(jwks));
    if (!list) throw new Error("revocation list signature");
    if (cache && cache.revoked && cache.revoked.version > list.version) throw new Error("older list");
    cache = { jwks, revoked: list, syncedAt: new Date().toISOString() };
    localStorage.setItem(STORE, JSON.stringify(cache));
    showSync(false);
  } catch {
    showSync(true);
  }
}

function showVerdict(verdict, typedOnly) {
  $("result").hidden = false;
  $("result").classList.toggle("ok", verdict.valid);
  $("result").classList.toggle("bad", !verdict.valid);
  $("verdict-title").textContent = verdict.valid ? words.valid : words.invalid;
  $("verdict-message").textContent = messages[verdict.reason] || verdict.reason;
  const asof = $("verdict-asof");
  const when = cache ? formatTime(cache.syncedAt) : "-";
  asof.textContent = typedOnly
    ? asof.dataset.offlineNumber.replace("%(time)s", when)
    : verdict.valid ? asof.dataset.template.replace("%(time)s", when) : "";
  const claims = verdict.claims;
  $("claims").hidden = !claims;
  if (claims) {
    $("c-number").textContent = claims.card_number.replace(/(\d{4})(?=\d)/g, "$1 ");
    $("c-area").textContent = claims.area_code;
    $("c-programs").textContent = claims.programs.length ? claims.programs.join(", ") : words.none;
    $("c-holder").textContent = [claims.initials, claims.birth_year].filter(Boolean).join(" · ") || "-";
    $("c-expires").textContent = new Date(claims.expires_at * 1000).toLocaleDateString(root.dataset.lang);
  }
  root.dataset.lastReason = verdict.reason;
  $("result").scrollIntoView({ block: "start" });
}

function showHolder(answer) {
  const box = $("holder");
  if (!answer || !("holder" in answer)) { box.hidden = true; return; }
  box.hidden = false;
  const holder = answer.holder;
  $("h-outside").hidden = !!holder;
  $("h-name").textContent = holder ? holder.name : "";
  $("h-household").textContent = holder ? holder.household_number : "";
  $("h-area").textContent = holder ? holder.area_name : "";
  const list = $("h-enrollments");
  list.replaceChildren();
  for (const line of (holder && holder.enrollments) || []) {
    const item = document.createElement("li");
    item.textContent = line.status ? `${line.program}: ${line.status}` : line.program;
    list.append(item);
  }
}

async function askServer(body) {
  if (root.dataset.canCheck !== "1" || !navigator.onLine) return null;
  try {
    const response = await fetch(root.dataset.checkUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify(body),
    });
    return response.ok ? await response.json() : null;
  } catch { return null; }
}

async function check(text) {
  const value = text.trim();
  const keys = keysFromJwks(cache && cache.jwks);
  const revoked = new Set((cache && cache.revoked && cache.revoked.revoked) || []);
  const now = Math.floor(Date.now() / 1000);
  let body;
  if (value.toUpperCase().startsWith("KG1:")) {
    showVerdict(await verifyQr(value, keys, revoked, now), false);
    body = { qr: value };
  } else {
    const digits = value.replace(/[\s-]/g, "");
    const ok = luhnValid(digits);
    const reason = !ok ? "bad_number" : revoked.has(digits) ? "revoked" : null;
    showVerdict({ valid: false, reason: reason || "ok", claims: null }, reason === null);
    if (reason === null) { $("verdict-title").textContent = "…"; $("result").classList.remove("bad"); }
    if (!ok) { showHolder(null); return; }
    body = { number: digits };
  }
  const answer = await askServer(body);
  if (answer && body.number) showVerdict(answer, false);
  showHolder(answer);
}

// Camera: see camera.js.
let stream = null;

async function decoder() {
  return makeDecoder($("frame"), root.dataset.jsqrUrl);
}

function stopCamera() {
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $("camera").hidden = true;
  $("scan").textContent = words.scan;
}

async function startCamera() {
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    $("sync-status").textContent = words.cameraFailed; return;
  }
  const video = $("camera");
  video.srcObject = stream; video.hidden = false; await video.play();
  $("scan").textContent = words.stop;
  const read = await decoder();
  const tick = async () => {
    if (!stream) return;
    if (video.readyState >= 2) {
      const text = await read(video).catch(() => null);
      if (text) { stopCamera(); await check(text); return; }
    }
    setTimeout(tick, 200);
  };
  tick();
}

$("scan").addEventListener("click", () => (stream ? stopCamera() : startCamera()));
$("typed").addEventListener("submit", (event) => { event.preventDefault(); check($("code").value); });
showSync(false);
if (navigator.onLine) sync();
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.swScope }).catch(() => {});
}
window.addEventListener("online", sync);
