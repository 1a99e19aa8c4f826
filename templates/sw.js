{% load static %}// SpasmCare's service worker, served at /sw.js with the whole site as its scope.
// One file, one section per job; each section only adds event listeners.
//
//   1. Reminders (push): show a pushed reminder, open its page when it is clicked.
//   2. Offline pages: the offline work (issue 15) adds its install/activate/fetch
//      listeners in the section at the end.
//
// A push carries only a title, a short text ("Time to log your pain" or a session's
// name), a page path and a tag: never a pain score, a note or a warning sign.
"use strict";

// ---- 1. Reminders (push) ----------------------------------------------------------

const REMINDER_ICON = "{% static 'img/icon-192.png' %}";

function samePagePath(path) {
  // Only a path on this site: never a link to somewhere else.
  return typeof path === "string" && path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

function readPush(event) {
  try {
    return event.data ? event.data.json() : {};
  } catch (error) {
    return {};
  }
}

self.addEventListener("push", (event) => {
  const message = readPush(event);
  const title = typeof message.title === "string" ? message.title : "SpasmCare";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof message.body === "string" ? message.body : "You have a reminder.",
      tag: typeof message.tag === "string" ? message.tag : "reminder",
      icon: REMINDER_ICON,
      data: { url: samePagePath(message.url) },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(samePagePath(event.notification.data && event.notification.data.url),
    self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === target && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(target);
    })
  );
});

// ---- 2. Offline pages (issue 15) --------------------------------------------------
//
// Public pages (the list and the version come from spasmcare/offline.py) are fetched
// signed out (credentials "omit") into a cache named after the version, so they never
// hold anything personal and a deploy replaces them. The precache starts with the
// offline page and runs through the rest one by one when a page asks after it has
// loaded (static/js/offline.js), so it never competes with the page itself.
// Pages: network first, then the cache, then the offline page. Static files: cache
// first. "spasmcare-personal" holds only the sessions a person asked to keep on this
// phone; logging out deletes it (and the server sends Clear-Site-Data).

const OFFLINE = {{ offline_json|safe }};
const PUBLIC_CACHE = "spasmcare-public-" + OFFLINE.version;
const PERSONAL_CACHE = "spasmcare-personal";
const OUTBOX_SCRIPT = "{% static 'js/outbox.js' %}";
const OUTBOX_SYNC = "spasmcare-outbox";
importScripts(OUTBOX_SCRIPT); // self.SpasmOutbox: the same outbox the pages use

function sameOrigin(url) {
  return new URL(url, self.location.origin).origin === self.location.origin;
}

function fetchPublic(url) {
  return fetch(url, { credentials: "omit", redirect: "follow", cache: "no-cache" }).then((response) => {
    if (!response.ok || response.redirected) {
      throw new Error("not kept: " + url + " (" + response.status + ")");
    }
    return response;
  });
}

function keepPublic(urls) {
  // One at a time: the phone (and the server) stay free for what the person is doing.
  return caches.open(PUBLIC_CACHE).then((cache) =>
    urls.reduce((done, url) => done.then(() =>
      cache.match(url).then((found) => found || fetchPublic(url).then((response) => cache.put(url, response)))
        .catch(() => undefined)), Promise.resolve()));
}

self.addEventListener("install", (event) => {
  event.waitUntil(keepPublic([OFFLINE.offlinePage]).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names
      .filter((name) => name.startsWith("spasmcare-public-") && name !== PUBLIC_CACHE)
      .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function fromCaches(request) {
  // A page kept on purpose first, then the public copy; a player page whatever its query.
  return caches.match(request, { cacheName: PERSONAL_CACHE })
    .then((hit) => hit || caches.match(request, { cacheName: PUBLIC_CACHE }))
    .then((hit) => hit || caches.match(request, { cacheName: PERSONAL_CACHE, ignoreSearch: true }))
    .then((hit) => hit || caches.match(request, { cacheName: PUBLIC_CACHE, ignoreSearch: true }))
    .then((hit) => hit || playerPage(request));
}

function playerPage(request) {
  // A signed-in practice's page (/routines/<id>/play/<practice>/...) offline: the same
  // page of the guest player, if kept. offline.js queues the practice from there.
  const url = new URL(request.url);
  const match = url.pathname.match(/^\/routines\/(\d+)\/play\/[0-9a-f-]{36}\/(.*)$/);
  if (!match) {
    return Promise.resolve(undefined);
  }
  const guest = "/routines/" + match[1] + "/play/guest/" + match[2];
  return caches.match(guest, { cacheName: PERSONAL_CACHE })
    .then((hit) => hit || caches.match(guest, { cacheName: PUBLIC_CACHE }));
}

function offlinePage() {
  return caches.match(OFFLINE.offlinePage, { cacheName: PUBLIC_CACHE }).then((page) =>
    page || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!sameOrigin(request.url)) {
    return;
  }
  if (request.mode === "navigate" && request.method === "GET") {
    // A form's POST goes straight to the network, untouched (offline.js keeps the
    // forms that can work offline from being sent without a connection).
    event.respondWith(fetch(request).catch(() => fromCaches(request).then((hit) => hit || offlinePage())));
    return;
  }
  if (request.method === "GET" && new URL(request.url).pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

function keepPersonal(urls) {
  return caches.open(PERSONAL_CACHE).then((cache) =>
    urls.reduce((done, url) => done.then(() =>
      fetch(url, { credentials: "same-origin", cache: "no-cache" }).then((response) => {
        if (!response.ok || response.redirected) {
          throw new Error("not kept: " + url);
        }
        return cache.put(url, response);
      })), Promise.resolve()));
}

function tell(source, message) {
  if (source && source.postMessage) {
    source.postMessage(message);
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "precache") {
    event.waitUntil(keepPublic(OFFLINE.pages.concat(OFFLINE.assets))
      .then(() => tell(event.source, { type: "precached", version: OFFLINE.version })));
  } else if (message.type === "keep" && Array.isArray(message.urls)) {
    const urls = message.urls.filter((url) => typeof url === "string" && url.startsWith("/") && !url.startsWith("//"));
    event.waitUntil(keepPersonal(urls)
      .then(() => tell(event.source, { type: "kept", id: message.id }))
      .catch(() => tell(event.source, { type: "keep-failed", id: message.id })));
  } else if (message.type === "forget-personal") {
    event.waitUntil(caches.delete(PERSONAL_CACHE)
      .then(() => tell(event.source, { type: "forgotten" })));
  }
});

// Background Sync: send what was saved on the phone while offline (static/js/outbox.js).
self.addEventListener("sync", (event) => {
  if (event.tag !== OUTBOX_SYNC) {
    return;
  }
  event.waitUntil(self.SpasmOutbox.sendAll().then(() =>
    self.clients.matchAll({ type: "window" }).then((windows) =>
      windows.forEach((client) => client.postMessage({ type: "outbox-changed" })))));
});
