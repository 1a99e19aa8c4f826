// The outbox: pain entries and finished practices made on this phone while offline,
// kept in IndexedDB until the server has them. Used by the pages (static/js/offline.js)
// and by the service worker's Background Sync (templates/sw.js), so it runs in both.
//
// Each item: { uid (made on the phone: the server's idempotency key), kind ("entry" or
// "practice"), owner (the account it was made in: an opaque key), url (where it is
// sent), body (the form, URL-encoded), made (ISO time), label (what the list shows),
// error (why the server refused it, if it did) }.
(function (scope) {
  "use strict";
  var DB = "spasmcare-offline";
  var STORE = "outbox";
  var META = "meta"; // "lastSent": when this device last had something accepted (ms)
  var WHO = "/symptoms/sync/"; // GET: who is signed in, and a CSRF token

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "uid" });
        request.result.createObjectStore(META);
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work, storeName) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName || STORE, mode);
        var result = work(tx.objectStore(storeName || STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(item) { return run("readwrite", function (store) { store.put(item); }); }
  function remove(uid) { return run("readwrite", function (store) { store.delete(uid); }); }
  function clear() { return run("readwrite", function (store) { store.clear(); }); }
  function noteSent() { return run("readwrite", function (store) { store.put(Date.now(), "lastSent"); }, META); }
  function lastSent() { return run("readonly", function (store) { return store.get("lastSent"); }, META); }

  function newUid() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function who() {
    return fetch(WHO, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 403) return { signedIn: false };
        if (!response.ok) throw new Error("server " + response.status);
        return response.json();
      });
  }

  function errorText(answer) {
    if (answer && answer.errors) {
      return Object.keys(answer.errors).map(function (field) {
        return answer.errors[field].join(" ");
      }).join(" ");
    }
    return (answer && answer.error) || "The server did not accept it.";
  }

  function sendOne(item, token) {
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token,
        Accept: "application/json"
      },
      body: item.body + "&uid=" + encodeURIComponent(item.uid) + "&owner=" + encodeURIComponent(item.owner)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.ok) {
          return remove(item.uid).then(noteSent).then(function () { return { uid: item.uid, sent: true, answer: answer }; });
        }
        if (response.status === 400 || response.status === 409) {
          item.error = errorText(answer);
          return put(item).then(function () { return { uid: item.uid, refused: true, answer: answer }; });
        }
        // Signed out meanwhile, a stale token, a server error: keep it and try later.
        return { uid: item.uid, kept: true, status: response.status };
      });
    });
  }

  var sending = null;

  // Send every item made in the signed-in account, one at a time. Resolves to
  // { signedIn, results: [...] }; a failed connection leaves everything for later.
  function sendAll() {
    if (sending) return sending;
    // One sender at a time across the pages and the service worker (Web Locks).
    var locks = scope.navigator && scope.navigator.locks;
    sending = (locks ? locks.request("spasmcare-outbox", sendWaiting) : sendWaiting()).then(function (outcome) {
      sending = null;
      return outcome;
    });
    return sending;
  }

  function sendWaiting() {
    return all().then(function (items) {
      var waiting = items.filter(function (item) { return !item.error; });
      if (!waiting.length) return { signedIn: null, results: [] };
      return who().then(function (me) {
        if (!me.signedIn) return { signedIn: false, results: [] };
        var mine = waiting.filter(function (item) { return item.owner === me.owner; });
        var results = [];
        return mine.reduce(function (done, item) {
          return done.then(function () {
            return sendOne(item, me.csrfToken).then(function (result) { results.push(result); });
          });
        }, Promise.resolve()).then(function () { return { signedIn: true, results: results }; });
      });
    }).catch(function () {
      return { offline: true, results: [] };
    });
  }

  scope.SpasmOutbox = {
    all: all,
    put: put,
    remove: remove,
    clear: clear,
    newUid: newUid,
    lastSent: lastSent,
    sendAll: sendAll,
    deleteDatabase: function () {
      return new Promise(function (resolve) {
        var request = scope.indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }
  };
})(self);
