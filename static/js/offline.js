// Offline use (issue 15). Everything here only enhances: without JavaScript or without
// a service worker every page and form works as before, online.
//
// It works on whatever page carries these attributes:
//   form[data-offline-entry]          a new pain entry: offline, it is checked on the
//                                     phone and kept in the outbox (static/js/outbox.js)
//   form[data-offline-check]          a warning-sign check (quick check, a session's
//                                     safety check): offline, checked on the phone;
//                                     data-offline-next="URL" goes on when nothing is raised
//   [data-offline-pain="field"]       on those forms: the pain field's name
//   form[data-offline-finish]         a session's finish form: offline, a signed-in
//                                     person's practice is queued
//   form[data-offline-stop="URL"]     "Stop, this hurts": offline, the advice for the
//                                     reason (URL?reason=...) is shown; nothing saved
//   button[data-offline-keep="[urls]"] keep a session's player on this phone
//   form[data-offline-logout]         log out / delete the account: personal caches and
//                                     the outbox are removed first (warned if unsent)
//   [data-offline-outbox]             where the waiting items are listed ("reload": the
//                                     page reloads when something new was sent)
//   [data-offline-signed-in]          shown only when this phone knows a signed-in person
//   body[data-offline-owner]          the signed-in person's opaque key
//   body[data-call-region]            the region whose call numbers the alerts offer
// The rules come from <script id="device-rules"> ({% device_rules %}).
(function () {
  "use strict";
  var store = window.localStorage;
  var body = document.body;
  var outbox = window.SpasmOutbox;
  var OWNER = "spasmcare-owner";
  var REGION = "spasmcare-region";

  function remember(key, value) {
    try {
      if (value) store.setItem(key, value); else store.removeItem(key);
    } catch (error) { /* private mode: nothing kept */ }
  }
  function recall(key) {
    try { return store.getItem(key); } catch (error) { return null; }
  }

  if (body.dataset.offlineOwner) remember(OWNER, body.dataset.offlineOwner);
  if (body.dataset.callRegion && body.dataset.offlineOwner !== undefined) remember(REGION, body.dataset.callRegion);

  // ---- the rules, evaluated on the phone ------------------------------------------

  function answersFrom(rules, ticked) {
    var answers = {};
    rules.signs.forEach(function (sign) {
      answers[sign.code] = sign.no;
      sign.options.forEach(function (option) {
        // The most serious answer wins: the last ticked reporting option.
        if (ticked.indexOf(option.value) !== -1) answers[sign.code] = option.answer;
      });
    });
    return answers;
  }

  // The codes one entry raises, most urgent first: the same as
  // safety.red_flags.check_answers() for the immediate and urgent rules.
  function evaluate(rules, ticked, pain) {
    var answers = answersFrom(rules, ticked);
    var raised = rules.rules.filter(function (rule) {
      var holds = rule.when.every(function (c) { return c.answers.indexOf(answers[c.sign]) !== -1; });
      return holds && (rule.minPain === null || (pain !== null && pain >= rule.minPain));
    }).map(function (rule) { return rule.code; });
    var carry = rules.carry;
    var injured = carry.signs.some(function (code) { return answers[code] === true; });
    if (injured && pain !== null && pain >= carry.minPain && raised.indexOf(carry.rule) === -1) {
      raised.push(carry.rule);
    }
    var byCode = {};
    rules.rules.forEach(function (rule) { byCode[rule.code] = rule; });
    var covered = [];
    raised.forEach(function (code) { covered = covered.concat(byCode[code].covers); });
    raised = raised.filter(function (code) { return covered.indexOf(code) === -1; });
    var rank = { immediate: 0, urgent: 1 };
    raised.sort(function (a, b) {
      var x = byCode[a], y = byCode[b];
      return (rank[x.urgency] - rank[y.urgency]) || (x.order - y.order);
    });
    return raised.map(function (code) { return byCode[code]; });
  }

  function readRules() {
    var node = document.getElementById("device-rules");
    return node ? JSON.parse(node.textContent) : null;
  }

  function longDay(rules, day) {
    return day.getDate() + " " + rules.months[day.getMonth()] + " " + day.getFullYear();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // The alert, as templates/safety/_flags.html writes it, first in <main>, announced.
  function showAlert(rules, flags, day) {
    var old = document.getElementById("flag-alert");
    if (old) old.remove();
    if (!flags.length) return null;
    var region = rules.regions[recall(REGION)] || rules.regions[body.dataset.callRegion] || rules.regions[Object.keys(rules.regions)[0]];
    var box = el("div", "flags");
    box.id = "flag-alert";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    box.appendChild(el("h1", "flags__heading h2", "Please read this first: warning sign" + (flags.length > 1 ? "s" : "") + " in your answers"));
    flags.forEach(function (flag) {
      var section = el("section", "flag flag--" + flag.urgency);
      section.id = "flag-" + flag.code;
      section.setAttribute("aria-labelledby", "flag-" + flag.code + "-title");
      section.appendChild(el("p", "flag__urgency", (flag.urgency === "immediate" ? "\u26A0\uFE0E " : "") + flag.label + ": " + flag.heading));
      var title = el("h2", "flag__title h5", flag.title);
      title.id = "flag-" + flag.code + "-title";
      section.appendChild(title);
      var care = region.care[flag.urgency];
      var todo = el("div", "flag__todo");
      todo.appendChild(el("span", "flag__todo-label", "What to do now:"));
      todo.appendChild(document.createTextNode(" "));
      todo.appendChild(el("p", "care__advice", care.advice));
      if (care.calls.length) {
        var calls = el("p", "care__calls");
        care.calls.forEach(function (line) {
          var a = el("a", "btn care__call care__call--" + flag.urgency, "Call " + line.label);
          a.href = line.tel;
          calls.appendChild(a);
        });
        todo.appendChild(calls);
      }
      todo.appendChild(el("p", "care__region", "Numbers for " + region.name + "."));
      section.appendChild(todo);
      section.appendChild(el("p", "flag__seen", "You reported " + flag.what + " on " + longDay(rules, day) + "."));
      var more = el("p", "flag__more");
      var link = el("a", "", "Why this sign matters");
      link.href = "/guide/when-to-seek-care/#" + flag.code;
      more.appendChild(link);
      more.appendChild(el("span", "flag__source", " (from " + (flag.source === "nhs" ? "NHS guidance" : "the SpasmCare guide") + ")"));
      section.appendChild(more);
      box.appendChild(section);
    });
    var main = document.getElementById("main") || body;
    main.insertBefore(box, main.firstChild);
    box.focus();
    return box;
  }

  function say(form, text, role) {
    var note = form.parentNode.querySelector("[data-offline-note]");
    if (!note) {
      note = el("div", "alert alert-info");
      note.setAttribute("data-offline-note", "");
      form.parentNode.insertBefore(note, form);
    }
    note.setAttribute("role", role || "status");
    note.textContent = text;
    return note;
  }

  function ticked(form) {
    return Array.prototype.map.call(form.querySelectorAll("input[name=warning_signs]:checked"), function (box) { return box.value; });
  }

  function painOf(form) {
    var checked = form.querySelector("input[name='" + form.dataset.offlinePain + "']:checked");
    return checked ? Number(checked.value) : null;
  }

  function isOffline() { return navigator.onLine === false; }

  // The same "answer every question" rule as the server's form: never read as "no".
  function missingAnswers(form) {
    var signs = ticked(form);
    if (painOf(form) === null) return "Choose how bad your pain is, from 0 (no pain) to 10.";
    if (!signs.length) return "Answer the warning-sign questions: tick each sign you have, or tick \u201cNone of these\u201d.";
    if (signs.indexOf("none") !== -1 && signs.length > 1) return "You ticked \u201cNone of these\u201d and also a warning sign. Untick one of them.";
    return "";
  }

  // ---- the outbox ------------------------------------------------------------------

  function listOutbox() {
    var places = document.querySelectorAll("[data-offline-outbox]");
    // Nobody signed in on this phone: nothing to list (and no database is made).
    if (!places.length || !outbox || !recall(OWNER)) return Promise.resolve();
    return outbox.all().then(function (items) {
      var owner = recall(OWNER);
      items = items.filter(function (item) { return item.owner === owner; });
      Array.prototype.forEach.call(places, function (place) {
        place.textContent = "";
        place.hidden = !items.length;
        if (!items.length) return;
        place.appendChild(el("h2", "h5", "Waiting to be sent"));
        var list = el("ul", "offline-outbox");
        items.sort(function (a, b) { return a.made < b.made ? -1 : 1; }).forEach(function (item) {
          var li = el("li", "", item.label + (item.error ? "" : ": waiting to be sent"));
          if (item.error) {
            li.appendChild(el("strong", "", ": not sent. " + item.error + " It stays on this phone; log it again to correct it, then remove this one. "));
            var drop = el("button", "btn btn-link p-0", "Remove from this phone");
            drop.type = "button";
            drop.addEventListener("click", function () { outbox.remove(item.uid).then(listOutbox); });
            li.appendChild(drop);
          }
          list.appendChild(li);
        });
        place.appendChild(list);
      });
    });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("spasmcare-outbox");
    }).catch(function () { /* no Background Sync: sent on "online" or the next load */ });
  }

  // The pain log: if something reached the server after this page was asked for (sent
  // from here, another page or the worker), show the log again with it (and its
  // warnings, first). Both times are this device's clock.
  function reloadIfSentSince() {
    return outbox.lastSent().then(function (at) {
      if (at && at > performance.timeOrigin) window.location.reload();
    }).catch(function () { /* nothing sent yet */ });
  }

  function sendOutbox() {
    if (!outbox || isOffline() || !recall(OWNER)) return Promise.resolve();
    return outbox.sendAll().then(function (outcome) {
      var places = document.querySelectorAll("[data-offline-outbox]");
      if (outcome.signedIn === false && places.length) {
        return listOutbox().then(function () {
          Array.prototype.forEach.call(places, function (place) {
            if (!place.hidden) place.appendChild(el("p", "", "Log in to send them."));
          });
        });
      }
      if (document.querySelector("[data-offline-outbox=reload]")) reloadIfSentSince();
      var alerts = (outcome.results || []).filter(function (r) { return r.sent && r.answer && r.answer.alertUrl; });
      return listOutbox().then(function () {
        if (alerts.length) {
          Array.prototype.forEach.call(places, function (place) {
            var p = el("p", "alert alert-warning");
            p.setAttribute("role", "alert");
            var a = el("a", "", "Read the warning for the entry just sent");
            a.href = alerts[0].answer.alertUrl;
            p.appendChild(a);
            place.hidden = false;
            place.appendChild(p);
          });
        }
      });
    });
  }

  function encode(form, skip) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (skip.indexOf(name) === -1 && typeof value === "string") {
        pairs.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
      }
    });
    return pairs.join("&");
  }

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // A moment as this phone's wall clock shows it, with its offset from UTC
  // ("2026-10-25T01:30+01:00"): the server files it at that very moment, whatever the
  // account's time zone, and in the hour that runs twice when clocks go back.
  function wallClockWithOffset(moment) {
    var offset = -moment.getTimezoneOffset();
    var wall = new Date(moment.getTime() + offset * 60000).toISOString().slice(0, 16);
    var size = Math.abs(offset);
    return wall + (offset < 0 ? "-" : "+") + twoDigits(Math.floor(size / 60)) + ":" + twoDigits(size % 60);
  }

  function keepEntry(form, rules) {
    var owner = recall(OWNER);
    if (!owner) {
      say(form, "You are offline and this phone does not know who you are. Log in when you are back online to log your pain.", "alert");
      return;
    }
    var pain = painOf(form);
    var when = form.querySelector("input[name=recorded_at]");
    var made = new Date();
    // A time the person chose is sent as typed (read in the account's zone, as online).
    // Left as it was ("now" when the page was drawn, or empty on the offline page), the
    // entry is for now: the moment it is made, exactly.
    var typed = when && when.value && when.value !== when.defaultValue ? when.value : "";
    var time = typed || wallClockWithOffset(made);
    var item = {
      uid: outbox.newUid(),
      kind: "entry",
      owner: owner,
      url: form.dataset.offlineSync,
      body: encode(form, ["csrfmiddlewaretoken", "uid", "owner", "recorded_at"]) + "&recorded_at=" + encodeURIComponent(time),
      made: made.toISOString(),
      label: "Pain " + pain + " out of 10, " + time.slice(0, 16).replace("T", " "),
      error: null
    };
    outbox.put(item).then(function () {
      var flags = evaluate(rules, ticked(form), pain);
      say(form, "You are offline. Your entry is kept on this phone and waiting to be sent: it will be sent when you are back online.");
      showAlert(rules, flags, typed ? new Date(typed) : made);
      if (!flags.length) form.parentNode.querySelector("[data-offline-note]").focus();
      form.reset();
      listOutbox();
      askForSync();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-entry], form[data-offline-check]"), function (form) {
    form.addEventListener("submit", function (event) {
      var rules = readRules();
      if (!isOffline() || !rules || !outbox) return; // online: the form posts as always
      event.preventDefault();
      var missing = missingAnswers(form);
      if (missing) {
        say(form, missing + " Nothing has been saved yet.", "alert");
        return;
      }
      if (form.hasAttribute("data-offline-entry")) {
        keepEntry(form, rules);
        return;
      }
      var pain = painOf(form);
      var flags = evaluate(rules, ticked(form), pain);
      if (flags.length) {
        say(form, "You are offline: these answers were checked on this phone.");
        showAlert(rules, flags, new Date());
      } else if (form.dataset.offlineNext) {
        try {
          window.sessionStorage.setItem("spasmcare-play", JSON.stringify({ uid: outbox.newUid(), before: pain, started: new Date().toISOString(), routine: form.dataset.offlineRoutine }));
        } catch (error) { /* nothing kept: the practice is played as a guest */ }
        window.location.assign(form.dataset.offlineNext + "?before=" + pain);
      } else {
        say(form, "You are offline: these answers were checked on this phone, and none of them means you need a doctor today. How long you have had the pain is checked when you are back online.");
      }
    });
  });

  // ---- a practice finished offline ---------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-finish]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!isOffline() || !outbox) return;
      event.preventDefault();
      var after = form.querySelector("input[name=pain_after]:checked");
      if (!after) {
        say(form, "Choose how bad your pain is, from 0 (no pain) to 10.", "alert");
        return;
      }
      var owner = recall(OWNER);
      var play = null;
      try { play = JSON.parse(window.sessionStorage.getItem("spasmcare-play") || "null"); } catch (error) { play = null; }
      var token = (window.location.pathname.match(/\/play\/([0-9a-f-]{36})\//) || [])[1];
      if (!owner || (!play && !token)) {
        say(form, "Well done. You are offline and not logged in on this phone, so nothing is saved.");
        return;
      }
      var now = new Date().toISOString();
      var fields = encode(form, ["csrfmiddlewaretoken", "uid", "owner"]) +
        "&routine=" + encodeURIComponent(form.dataset.offlineRoutine) +
        "&finished_at=" + encodeURIComponent(now);
      if (play && !token) {
        fields += "&pain_before=" + encodeURIComponent(play.before) + "&started_at=" + encodeURIComponent(play.started);
      }
      outbox.put({
        uid: token || play.uid,
        kind: "practice",
        owner: owner,
        url: form.dataset.offlineFinish,
        body: fields,
        made: now,
        label: "Session " + (document.title.split(" · ")[1] || "") + ", pain after " + after.value + " out of 10",
        error: null
      }).then(function () {
        try { window.sessionStorage.removeItem("spasmcare-play"); } catch (error) { /* ignore */ }
        say(form, "Well done. You are offline: this practice is kept on this phone and will be sent once when you are back online.");
        form.hidden = true;
        listOutbox();
        askForSync();
      });
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-stop]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!isOffline()) return;
      event.preventDefault();
      var reason = form.querySelector("input[name=reason]:checked");
      if (!reason) {
        say(form, "Choose what happened.", "alert");
        return;
      }
      window.location.assign(form.dataset.offlineStop + "?reason=" + encodeURIComponent(reason.value));
    });
  });

  // ---- keep a session on this phone --------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll("[data-offline-keep]"), function (button) {
    if (!("serviceWorker" in navigator)) return;
    var status = document.getElementById(button.getAttribute("aria-describedby") || "") || el("p");
    button.hidden = false;
    button.addEventListener("click", function () {
      var id = "keep-" + Date.now();
      status.textContent = "Keeping this session on this phone…";
      navigator.serviceWorker.ready.then(function (registration) {
        navigator.serviceWorker.addEventListener("message", function listen(event) {
          if (!event.data || event.data.id !== id) return;
          navigator.serviceWorker.removeEventListener("message", listen);
          status.textContent = event.data.type === "kept"
            ? "This session is kept on this phone: you can play it without a connection. Logging out removes it."
            : "This session could not be kept on this phone. Try again when the connection is better.";
        });
        registration.active.postMessage({ type: "keep", id: id, urls: JSON.parse(button.dataset.offlineKeep) });
      });
    });
  });

  // ---- logging out: nothing personal stays on the phone ------------------------------

  function forgetEverything() {
    remember(OWNER, null);
    remember(REGION, null);
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name === "spasmcare-personal"; }).map(function (name) { return caches.delete(name); }));
      }));
    }
    if (outbox) jobs.push(outbox.clear().then(outbox.deleteDatabase, outbox.deleteDatabase));
    return Promise.all(jobs).catch(function () { /* the server's Clear-Site-Data still clears */ });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-offline-logout]"), function (form) {
    var confirmed = false;
    // Deleting the account may still be refused (a wrong password): the server's
    // Clear-Site-Data removes everything once it is done. Logging out cannot fail.
    function leave() {
      confirmed = true;
      (form.dataset.offlineLogout === "delete" ? Promise.resolve() : forgetEverything()).then(function () { form.submit(); });
    }
    form.addEventListener("submit", function (event) {
      if (confirmed || !outbox) return;
      event.preventDefault();
      outbox.all().catch(function () { return []; }).then(function (items) {
        var owner = recall(OWNER);
        var unsent = items.filter(function (item) { return item.owner === owner; }).length;
        if (!unsent) {
          leave();
          return;
        }
        var warning = document.getElementById("offline-logout-warning");
        if (!warning) {
          warning = el("div", "alert alert-warning offline-warning");
          warning.id = "offline-logout-warning";
          warning.setAttribute("role", "alert");
          warning.tabIndex = -1;
          var main = document.getElementById("main") || body;
          main.insertBefore(warning, main.firstChild);
        }
        warning.textContent = "";
        warning.appendChild(el("p", "", unsent + " item" + (unsent > 1 ? "s" : "") + " made on this phone " + (unsent > 1 ? "have" : "has") + " not been sent yet. " + (form.dataset.offlineLogout === "delete" ? "Deleting your account" : "Logging out") + " removes " + (unsent > 1 ? "them" : "it") + " from this phone for good."));
        var stay = el("button", "btn btn-primary me-2", "Stay and send them first");
        stay.type = "button";
        stay.addEventListener("click", function () { warning.remove(); sendOutbox(); });
        var go = el("button", "btn btn-outline-danger", form.dataset.offlineLogout === "delete" ? "Delete anyway" : "Log out anyway");
        go.type = "button";
        go.addEventListener("click", leave);
        warning.appendChild(stay);
        warning.appendChild(go);
        // The phone's Menu (where Log out is) would cover the warning: close it.
        Array.prototype.forEach.call(document.querySelectorAll("details.site-menu[open]"), function (menu) { menu.open = false; });
        warning.scrollIntoView({ block: "start" });
        warning.focus();
      });
    });
  });

  // ---- the service worker ------------------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll("[data-offline-signed-in]"), function (node) {
    node.hidden = !recall(OWNER);
  });

  window.SpasmOffline = { evaluate: evaluate, answersFrom: answersFrom, sendOutbox: sendOutbox, forgetEverything: forgetEverything };

  // The worker is registered once the page has loaded, and asked to fill its cache
  // when the browser is idle: the page the person opened always comes first.
  function whenIdle(work) {
    if (window.requestIdleCallback) window.requestIdleCallback(work, { timeout: 5000 });
    else window.setTimeout(work, 1000);
  }

  if ("serviceWorker" in navigator && body.dataset.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "outbox-changed") return;
      if (document.querySelector("[data-offline-outbox=reload]")) reloadIfSentSince();
      listOutbox();
    });
    var start = function () {
      navigator.serviceWorker.register(body.dataset.serviceWorker, { scope: "/" }).then(function () {
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        whenIdle(function () {
          if (registration.active) registration.active.postMessage({ type: "precache" });
        });
      }).catch(function () { /* online, everything still works */ });
    };
    if (document.readyState === "complete") start(); else window.addEventListener("load", start);
  }
  window.addEventListener("online", sendOutbox);
  listOutbox().then(sendOutbox);
})();
