// Distribution day on a phone: the roster is on the page (and cached by the service worker);
// hand-overs are kept in localStorage and synced when there is signal. A hand-over is keyed by
// an id made here, so sending it twice changes nothing on the server.
import { scanInto } from "../cards/camera.js";
import { keysFromJwks, verifyQr } from "../cards/verifier.js";

const root = document.getElementById("roster");
const words = root.dataset;
const data = JSON.parse(document.getElementById("roster-data").textContent);
const $ = (id) => document.getElementById(id);
const STORE = `kinga.distribution.${data.cycle}.${data.point}`;
const KEYS = "kinga.distribution.keys";

function load(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch { return fallback; }
}
function device() {
  let id = localStorage.getItem("kinga.distribution.device");
  if (!id) { id = newId(); localStorage.setItem("kinga.distribution.device", id); }
  return id;
}
function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

let state = load(STORE, { records: [], doubles: 0 });
const save = () => localStorage.setItem(STORE, JSON.stringify(state));

function showStatus() {
  const waiting = state.records.filter((r) => !r.synced).length;
  const parts = [waiting ? words.waiting.replace("{n}", waiting) : words.synced];
  if (state.doubles) parts.push(words.doubles.replace("{n}", state.doubles));
  $("status").textContent = parts.join(" ");
}

function collectedHere(reference) {
  return state.records.some((r) => r.reference === reference);
}

function find(text) {
  const value = text.trim().replace(/[\s-]/g, "");
  return data.rows.find((row) => row.household === value || row.cards.includes(value)) || null;
}

let current = null;
function show(row) {
  current = row;
  const box = $("due");
  box.hidden = false;
  const warning = $("due-warning");
  if (!row) {
    warning.hidden = false; warning.textContent = words.notFound;
    $("d-household").textContent = ""; $("d-holder").textContent = ""; $("d-items").replaceChildren();
    $("hand").hidden = true;
    return;
  }
  const already = row.collected || collectedHere(row.reference);
  warning.hidden = !already; warning.textContent = already ? words.already : "";
  box.classList.toggle("collected", already);
  $("hand").hidden = already;
  $("d-household").textContent = row.household;
  $("d-holder").textContent = [row.initials, row.birth_year].filter(Boolean).join(" · ");
  const list = $("d-items");
  list.replaceChildren();
  for (const item of row.items) {
    const li = document.createElement("li");
    li.textContent = `${item.quantity} ${item.unit} ${item.item}`.trim();
    list.append(li);
  }
  if (row.amount) { const li = document.createElement("li"); li.textContent = row.amount; list.append(li); }
  box.scrollIntoView({ block: "start" });
}

async function check(text) {
  const value = text.trim();
  if (value.toUpperCase().startsWith("KG1:")) {
    const verdict = await verifyQr(value, keysFromJwks(load(KEYS, null)), new Set(), Math.floor(Date.now() / 1000));
    show(verdict.valid && verdict.claims ? find(verdict.claims.card_number) : null);
  } else {
    show(find(value));
  }
}

async function token() {
  try {
    const answer = await fetch(words.csrfUrl, { credentials: "same-origin", cache: "no-store" });
    if (answer.ok) return (await answer.json()).csrf_token;
  } catch { /* offline */ }
  return words.csrf;
}

let syncing = false;
async function sync() {
  const pending = state.records.filter((r) => !r.synced);
  if (syncing || !pending.length || !navigator.onLine) { showStatus(); return; }
  syncing = true;
  try {
    const response = await fetch(words.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": await token() },
      body: JSON.stringify({ device: device(), records: pending }),
    });
    if (response.ok) {
      const answer = await response.json();
      const done = new Set([...answer.accepted, ...answer.known]);
      for (const record of state.records) {
        if (done.has(record.id)) record.synced = true;
        if (answer.refused[record.id]) { record.synced = true; record.problem = answer.refused[record.id]; }
      }
      state.doubles += answer.doubles.length;
      save();
    }
  } catch { /* still offline: kept for later */ }
  syncing = false;
  showStatus();
}

$("find").addEventListener("submit", (event) => { event.preventDefault(); check($("code").value); });
$("hand").addEventListener("submit", (event) => {
  event.preventDefault();
  if (!current || current.collected || collectedHere(current.reference)) { show(current); return; }
  const recipient = event.target.querySelector("input[name=recipient]:checked").value;
  const proxy = $("proxy").value.trim();
  if (recipient === "proxy" && !proxy) { $("due-warning").hidden = false; $("due-warning").textContent = words.proxyNeeded; return; }
  state.records.push({
    id: newId(), reference: current.reference, recipient, proxy_name: proxy,
    handed_at: new Date().toISOString(), synced: false,
  });
  save();
  $("status").textContent = words.recorded;
  $("due").hidden = true; $("code").value = ""; $("proxy").value = "";
  sync();
});
let stopCamera = null;
$("scan").addEventListener("click", async () => {
  if (stopCamera) { stopCamera(); stopCamera = null; return; }
  stopCamera = await scanInto($("camera"), $("frame"), words.jsqrUrl, (text) => { stopCamera = null; check(text); });
});

async function fetchKeys() {
  try {
    const response = await fetch(words.keysUrl, { cache: "no-store" });
    if (response.ok) localStorage.setItem(KEYS, JSON.stringify(await response.json()));
  } catch { /* keep the copy we have */ }
}

showStatus();
if (navigator.onLine) { fetchKeys(); sync(); }
window.addEventListener("online", sync);
if ("serviceWorker" in navigator) {
  // Keep this roster for the day without signal: the worker answers from this copy offline.
  navigator.serviceWorker.register(words.swUrl, { scope: words.swScope })
    .then(() => navigator.serviceWorker.ready)
    .then(() => caches.open(words.cache))
    .then((cache) => (navigator.onLine ? cache.add(location.pathname) : null))
    .then(() => { root.dataset.offline = "1"; })
    .catch(() => {});
}
root.dataset.ready = "1";
