// Keeps the registration form and its assets on the phone so it opens with no signal.
// Pages with people's data are never cached: only the blank form, styles, script, icons.
"use strict";
var CACHE = "kinga-field-v1";
var ASSETS = ["/static/css/app.css", "/static/css/field.css", "/static/js/field.js",
  "/static/field-icons.svg"];
var FORM = "/field/register";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.concat([FORM]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) {
      return caches.delete(k);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.cache) {
    caches.open(CACHE).then(function (cache) { return cache.add(FORM); }).catch(function () {});
  }
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === FORM) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(FORM, { ignoreSearch: true });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});
