// Turns push reminders on or off in this browser (the reminders page). Without
// JavaScript the page says so, and email reminders work as they are.
(function () {
  "use strict";
  var section = document.querySelector("[data-push-key]");
  if (!section) {
    return;
  }
  var status = section.querySelector("[data-push-status]");
  var onButton = section.querySelector("[data-push-on]");
  var offButton = section.querySelector("[data-push-off]");

  function say(text) {
    status.textContent = text;
  }

  function keyBytes(base64url) {
    var text = base64url.replace(/-/g, "+").replace(/_/g, "/");
    text += "===".slice((text.length + 3) % 4);
    var raw = window.atob(text);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": section.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.error || "The server did not accept it.");
        }
        return answer;
      });
    });
  }

  function show(subscribed) {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot show push notifications. Choose email for your reminders.");
    return;
  }

  var ready = navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  });

  ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    say(subscription ? "Push is on in this browser." : "Push is off in this browser.");
    show(Boolean(subscription));
  }).catch(function () {
    say("Push could not be started in this browser. Email reminders still work.");
  });

  onButton.addEventListener("click", function () {
    say("Turning push on…");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        throw new Error("Notifications are blocked for this site in your browser settings.");
      }
      return ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(section.dataset.pushKey),
      });
    }).then(function (subscription) {
      return post(section.dataset.pushSubscribe, subscription.toJSON());
    }).then(function () {
      say("Push is on in this browser. Choose push on a reminder to get it here.");
      show(true);
    }).catch(function (error) {
      say("Push could not be turned on: " + error.message);
    });
  });

  offButton.addEventListener("click", function () {
    say("Turning push off…");
    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) {
        return null;
      }
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post(section.dataset.pushUnsubscribe, { endpoint: endpoint });
      });
    }).then(function () {
      say("Push is off in this browser.");
      show(false);
    }).catch(function (error) {
      say("Push could not be turned off: " + error.message);
    });
  });
})();
