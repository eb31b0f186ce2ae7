// Field pages with JavaScript on: screens without round trips, live skip logic, and an
// offline queue (IndexedDB) replayed when the signal returns. Everything works without it.
(function () {
  "use strict";
  var bar = document.getElementById("queue");
  if (!bar) return;
  var DB = "kinga-field", STORE = "outbox";

  function say(text) { bar.textContent = text; bar.hidden = !text; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function newKey() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- IndexedDB outbox: one entry per submission key, so a double tap queues once ---
  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), out = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(out && out.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(entry) { return tx("readwrite", function (s) { return s.put(entry); }); }
  function drop(key) { return tx("readwrite", function (s) { return s.delete(key); }); }

  function showCount(prefix) {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.problem; });
      var text = waiting.length ? fill(bar.dataset.waiting, { n: waiting.length }) : "";
      say([prefix, text].filter(Boolean).join(" — "));
      items.filter(function (i) { return i.problem; }).forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "problem";
        button.textContent = bar.dataset.problem;
        button.addEventListener("click", function () { reopen(item); });
        bar.appendChild(button);
        bar.hidden = false;
      });
      return items;
    });
  }

  // A queued submission the server refused (changed meanwhile, or an answer to correct) is
  // sent again as a plain form post, so the server shows its page: both versions, or errors.
  function reopen(item) {
    fetch(bar.dataset.csrf, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (token) {
        var post = document.createElement("form");
        post.method = "post";
        post.action = item.url;
        new URLSearchParams(item.body).forEach(function (value, name) {
          if (name === "csrf_token") value = token.csrf_token;
          var input = document.createElement("input");
          input.type = "hidden"; input.name = name; input.value = value;
          post.appendChild(input);
        });
        document.body.appendChild(post);
        return drop(item.key).then(function () { post.submit(); });
      });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return showCount("");
    flushing = true;
    var notes = [];
    return all().then(function (items) {
      return items.filter(function (i) { return !i.problem; }).reduce(function (chain, item) {
        return chain.then(function () { return send(item, notes); });
      }, Promise.resolve());
    }).catch(function () { /* still no signal: keep everything */ })
      .then(function () { flushing = false; return showCount(notes.join(" · ")); });
  }
  function send(item, notes) {
    return fetch(bar.dataset.csrf, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (token) {
        var body = new URLSearchParams(item.body);
        body.set("csrf_token", token.csrf_token);
        body.set("offline", "1");
        return fetch(item.url, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { Accept: "application/json" }
        });
      })
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        if (reply.status !== "saved") {
          item.problem = reply.status;
          return put(item);
        }
        notes.push(fill(bar.dataset.sent, { number: reply.number }));
        if (reply.duplicates && reply.duplicates.length) {
          notes.push(fill(bar.dataset.check, { numbers: reply.duplicates.join(", ") }));
        }
        return drop(item.key);
      });
  }

  // --- the wizard: one screen at a time ---
  var form = document.querySelector("form.wiz");
  function screens() { return form.querySelectorAll("section.screen"); }
  function show(index) {
    var list = screens();
    index = Math.max(0, Math.min(index, list.length - 1));
    list.forEach(function (s, i) { s.classList.toggle("current", i === index); });
    form.querySelector("input[name=step]").value = index;
    syncMembers(list[index]);
    window.scrollTo(0, 0);
    var first = list[index].querySelector("input:not([type=hidden]),select,textarea");
    if (first) first.focus({ preventScroll: true });
  }
  function syncMembers(section) {
    var template = section && section.querySelector("template[data-member]");
    if (!template) return;
    var name = template.dataset.member;
    var countInput = form.querySelector("input[name=other_" + name + "]");
    var want = Math.min(parseInt(countInput && countInput.value, 10) || 0, 20);
    var blocks = section.querySelectorAll("fieldset.member");
    for (var i = blocks.length; i < want; i++) {
      var html = template.innerHTML.replace(/__i__/g, String(i)).replace(/__n__/g, String(i + 1));
      template.insertAdjacentHTML("beforebegin", html);
    }
    for (var j = blocks.length - 1; j >= want; j--) blocks[j].remove();
    var none = section.querySelector("p.muted");
    if (none) none.hidden = want > 0;
  }
  function applySkips() {
    form.querySelectorAll("[data-when]").forEach(function (el) {
      var rule = el.dataset.when.split("="), on = form.querySelector(
        "input[name='" + rule[0] + "']:checked");
      el.classList.toggle("off", !on || on.value !== rule[1]);
    });
  }

  // The browser's own checks (answered or not) before moving on; the server checks the rest.
  function screenValid(section) {
    var inputs = section.querySelectorAll("input:not([type=hidden]),select,textarea");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].closest(".off")) continue;
      if (!inputs[i].checkValidity()) { inputs[i].reportValidity(); return false; }
    }
    return true;
  }
  function firstInvalid() {
    var list = screens();
    for (var i = 0; i < list.length; i++) {
      syncMembers(list[i]);
      if (!screenValid(list[i])) return i;
    }
    return -1;
  }

  // With no signal the server cannot draw the summary: the page draws it from the answers.
  function answerText(q) {
    var picked = q.querySelector("input[type=radio]:checked");
    if (picked) return picked.closest("label").textContent.trim();
    var select = q.querySelector("select");
    if (select) return select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
    var input = q.querySelector("input:not([type=hidden]),textarea");
    return input ? input.value.trim() : "";
  }
  function offlineSummary() {
    var box = document.getElementById("offline-summary") || document.createElement("div");
    box.id = "offline-summary";
    box.textContent = "";
    screens().forEach(function (screen) {
      var part = document.createElement("section");
      part.className = "sum";
      part.appendChild(screen.querySelector("h2").cloneNode(true));
      var list = document.createElement("dl");
      screen.querySelectorAll(".q").forEach(function (q) {
        var value = answerText(q);
        if (q.closest(".off") || !value) return;
        var term = document.createElement("dt");
        var title = q.querySelector("label>span, legend>span");
        term.textContent = title ? title.textContent : "";
        var detail = document.createElement("dd");
        detail.textContent = value;
        list.appendChild(term);
        list.appendChild(detail);
      });
      part.appendChild(list);
      box.appendChild(part);
    });
    var save = document.createElement("button");
    save.name = "go"; save.value = "save"; save.className = "primary";
    save.textContent = bar.dataset.saveHere;
    var change = document.createElement("button");
    change.type = "button"; change.className = "back";
    change.textContent = bar.dataset.change;
    change.addEventListener("click", function () { box.remove(); show(0); });
    box.appendChild(save);
    box.appendChild(change);
    screens().forEach(function (s) { s.classList.remove("current"); });
    form.appendChild(box);
    window.scrollTo(0, 0);
  }

  if (form) {
    if (form.dataset.fresh) form.querySelector("input[name=submission_key]").value = newKey();
    applySkips();
    form.addEventListener("change", applySkips);
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=go]");
      if (!button || !form.querySelector("section.screen")) return;
      var step = parseInt(form.querySelector("input[name=step]").value, 10) || 0;
      if (button.value === "next") {
        event.preventDefault();
        if (screenValid(screens()[step])) show(step + 1);
      }
      if (button.value === "back") { event.preventDefault(); show(step - 1); }
    });
    form.addEventListener("submit", function (event) {
      if (!form.dataset.queue || navigator.onLine) return;
      event.preventDefault();
      var bad = form.querySelector("section.screen") ? firstInvalid() : -1;
      if (bad >= 0) { show(bad); screenValid(screens()[bad]); return; }
      var go = event.submitter && event.submitter.value;
      if (go === "summary") { offlineSummary(); return; }
      var data = new FormData(form);
      data.set("go", "save");
      var body = new URLSearchParams(data).toString();
      var key = data.get("submission_key");
      put({ key: key, url: form.action, body: body, at: Date.now() })
        .then(function () { return showCount(bar.dataset.savedHere); })
        .then(function () {
          form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        });
    });
    if (form.querySelector("section.screen")) syncMembers(form.querySelector("section.screen.current"));
  }

  window.addEventListener("online", flush);
  flush();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(bar.dataset.sw, { scope: bar.dataset.sw.replace(/sw\.js$/, "") })
      .then(function (reg) {
        var worker = reg.active || reg.waiting || reg.installing;
        if (worker) worker.postMessage({ cache: bar.dataset.cache });
      }).catch(function () { /* no service worker: pages still work online */ });
  }
})();
