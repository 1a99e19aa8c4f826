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
