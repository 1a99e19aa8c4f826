/*
 * SpasmCare guided session player.
 *
 * Enhances the one-page-per-stretch player (which works without JavaScript) into a
 * follow-along timer: get ready, hold, rest, switch sides, next stretch.
 * The timeline (phases) comes from the server as JSON (json_script), so the timer and
 * the session page's estimate use the same rules (routines/timing.py).
 *
 * Time left is computed from an end timestamp (Date.now() vs endAt), never by counting
 * ticks, so a throttled background tab does not drift, and a locked phone (whose
 * monotonic clock may stop) catches up when it wakes.
 *
 * The place is kept on the device (localStorage, keyed by the practice): the phase
 * and its end time, so a reload or a phone lock/unlock resumes from the time left.
 * Only timing is kept there: no pain score, no answer.
 *
 * Spoken prompts (speechSynthesis) are off unless the person ticks "Speak the
 * prompts"; the choice is remembered on the device.
 *
 * Test hook: ?speed=20 in the address (or data-speed on #player) runs the clock 20× faster.
 */
(function () {
  "use strict";

  var root = document.getElementById("player");
  var dataNode = document.getElementById("player-data");
  if (!root || !dataNode) return;

  var data = JSON.parse(dataNode.textContent);
  var phases = data.phases;
  var steps = data.steps;
  if (!phases.length) return;

  var params = new URLSearchParams(window.location.search);
  var speed = Number(params.get("speed") || root.dataset.speed || 1);
  if (!isFinite(speed) || speed < 1) speed = 1;
  if (speed > 1000) speed = 1000;

  var $ = function (id) { return document.getElementById(id); };
  var el = {
    timer: $("player-timer"),
    phase: $("player-phase"),
    count: $("player-count"),
    repeat: $("player-repeat"),
    phaseProgress: $("player-phase-progress"),
    live: $("player-live"),
    controls: $("player-controls"),
    start: $("player-start"),
    pause: $("player-pause"),
    next: $("player-next"),
    nextStretch: $("player-next-stretch"),
    sound: $("player-sound"),
    nav: $("player-nav"),
    stop: $("player-stop"),
    where: $("player-where"),
    leftLabel: $("player-left-label"),
    left: $("player-left"),
    progress: $("player-progress"),
    name: $("player-name"),
    hold: $("player-hold"),
    sideNote: $("player-side-note"),
    position: $("player-position"),
    steps: $("player-steps"),
    now: $("player-now"),
    nowName: $("player-now-name"),
    nowSide: $("player-now-side"),
    nowImage: $("player-now-image"),
    speakWrap: $("player-speak-wrap"),
    speak: $("player-speak")
  };

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var totalSeconds = phases.reduce(function (sum, p) { return sum + p.seconds; }, 0);
  var startStep = Math.max(0, Math.min(steps.length - 1, Number(root.dataset.step || 1) - 1));

  var state = {
    index: firstPhaseOf(startStep),
    running: false,
    paused: false,
    endAt: 0,
    remainingMs: 0,
    shownStep: startStep,
    completed: startStep,
    timer: null,
    finished: false
  };

  var audio = null;
  var soundOn = true;
  var wakeLock = null;

  // --- kept on the device: the place in the session, and the spoken-prompts choice ----

  var SPEAK_KEY = "spasmcare.player.speak";
  var PLACE_KEY = "spasmcare.player.place." + (data.placeKey || "");
  var PLACE_MAX_AGE_MS = 6 * 60 * 60 * 1000; // an older place is forgotten

  function store() {
    try { return window.localStorage; } catch (e) { return null; } // blocked: no keeping
  }

  function readJSON(key) {
    var s = store();
    if (!s) return null;
    try { return JSON.parse(s.getItem(key) || "null"); } catch (e) { return null; }
  }

  function write(key, value) {
    var s = store();
    if (!s) return;
    try {
      if (value === null) s.removeItem(key); else s.setItem(key, JSON.stringify(value));
    } catch (e) { /* full or blocked: the timer still runs */ }
  }

  function forgetOldPlaces() {
    var s = store();
    if (!s) return;
    try {
      for (var i = s.length - 1; i >= 0; i--) {
        var key = s.key(i);
        if (key && key.indexOf("spasmcare.player.place.") === 0) {
          var place = readJSON(key);
          if (!place || !(Date.now() - place.savedAt < PLACE_MAX_AGE_MS)) s.removeItem(key);
        }
      }
    } catch (e) { /* fine */ }
  }

  function firstPhaseOf(step) {
    for (var i = 0; i < phases.length; i++) if (phases[i].step === step) return i;
    return phases.length;
  }

  function now() { return Date.now(); }

  function durationMs(phase) { return (phase.seconds * 1000) / speed; }

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function minutesText(seconds) {
    if (seconds <= 0) return "0 minutes";
    if (seconds < 60) return "under a minute";
    var m = Math.round(seconds / 60);
    return m === 1 ? "1 minute" : m + " minutes";
  }

  // --- feedback: sound, vibration, announcements ---------------------------------------

  function beep(frequency, lengthMs, times) {
    if (!soundOn || !audio) return;
    times = times || 1;
    for (var i = 0; i < times; i++) {
      var start = audio.currentTime + i * (lengthMs / 1000 + 0.12);
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.12, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + lengthMs / 1000);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + lengthMs / 1000 + 0.05);
    }
  }

  function buzz(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (e) { /* not allowed: fine */ }
    }
  }

  var speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
  var speakOn = false;

  function say(text) {
    if (!speakOn || !speech || !text) return;
    try {
      speech.cancel(); // the newest prompt wins; never a queue of stale ones
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || "en";
      speech.speak(utterance);
    } catch (e) { /* no voice: the screen and the beeps still say it */ }
  }

  function announce(text) {
    // Clear first so the same words are announced again.
    el.live.textContent = "";
    window.setTimeout(function () { el.live.textContent = text; }, 50);
  }

  function requestWakeLock() {
    if (!("wakeLock" in navigator) || wakeLock) return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { /* refused (battery saver, no permission): fine */ });
  }

  function releaseWakeLock() {
    if (wakeLock) wakeLock.release().catch(function () {});
    wakeLock = null;
  }

  // --- the drawings: where the stretch starts, and the position held -------------------
  // Only classes change here. static/css/player.css stacks the two drawings and
  // cross-fades from one to the other (or, with reduced motion, leaves them side by
  // side), and mirrors them for the second side of a per-side stretch.

  var drawings = (function () {
    var box = $("player-drawings");
    if (!box) return { show: function () {}, pose: function () {} };
    var start = box.querySelector(".drawing--start img");
    var hold = box.querySelector(".drawing--hold img");
    return {
      show: function (step) {
        start.src = step.startImage;
        start.alt = step.startAlt;
        hold.src = step.holdImage;
        hold.alt = step.holdAlt;
      },
      pose: function (phase) {
        // Get ready, rest and switch: the start position; hold: the hold position.
        box.classList.toggle("drawings--hold", phase.kind === "hold");
        box.classList.toggle("drawings--mirrored", steps[phase.step].perSide && phase.side === 2);
      }
    };
  })();

  // --- rendering ---------------------------------------------------------------------

  function sideText(phase, step) {
    if (!step.perSide || !phase.side) return "";
    return phase.side === 1 ? "first side" : "other side";
  }

  function nextHold(index) {
    for (var i = index + 1; i < phases.length && phases[i].step === phases[index].step; i++) {
      if (phases[i].kind === "hold") return phases[i];
    }
    return null;
  }

  // Each repeat of a per-side stretch is the first side, then the other side
  // (routines/timing.py builds the phases in that order; the words follow it).
  function phaseWords(phase, index) {
    var step = steps[phase.step];
    switch (phase.kind) {
      case "get_ready": return { title: "Get ready", detail: "Get into position: " + step.name };
      case "hold": {
        var side = sideText(phase, step);
        return {
          title: "Hold",
          detail: "Repeat " + phase.repeat + " of " + phase.repeats + (side ? ", " + side : "")
        };
      }
      case "rest": {
        var next = nextHold(index);
        var then = next && step.perSide ? " Next: repeat " + next.repeat + ", first side." : "";
        return { title: "Rest", detail: "Relax and breathe." + then };
      }
      case "switch": {
        var note = step.sideNote ? " " + step.sideNote : "";
        return { title: "Switch sides", detail: "Now the other side of this repeat." + note };
      }
      default: return { title: "", detail: "" };
    }
  }

  function spokenPrompt(phase) {
    var step = steps[phase.step];
    switch (phase.kind) {
      case "get_ready": return "Get ready: " + step.name + ". " + phase.seconds + " seconds.";
      case "hold": {
        var side = sideText(phase, step);
        return "Hold the " + step.name.toLowerCase() + (side ? ", " + side : "") + ", " + phase.seconds + " seconds.";
      }
      case "rest": return "Relax.";
      case "switch": return "Switch sides.";
      default: return "";
    }
  }

  // The stretch, its side and its drawing stay in the sticky bar while the timer runs.
  function showNow(phase, words) {
    if (!el.now) return;
    var step = steps[phase.step];
    el.nowName.textContent = step.name;
    el.nowSide.textContent = words.title + (words.detail && phase.kind === "hold" ? " · " + words.detail : "");
    el.nowImage.src = phase.kind === "hold" ? step.holdImage : step.startImage;
    el.nowImage.classList.toggle("player__now-image--mirrored", step.perSide && phase.side === 2);
  }

  function showStep(index) {
    var step = steps[index];
    state.shownStep = index;
    el.name.textContent = step.name;
    drawings.show(step);
    el.hold.textContent = step.holdText;
    el.sideNote.textContent = step.sideNote;
    el.sideNote.hidden = !step.sideNote;
    el.position.textContent = step.startingPosition;
    el.steps.textContent = "";
    step.instructions.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      el.steps.appendChild(li);
    });
    el.where.textContent = "Stretch " + (index + 1) + " of " + steps.length;
    el.nextStretch.textContent = index + 1 < steps.length ? "Next stretch" : "Finish";
    document.title = step.name + " (" + (index + 1) + " of " + steps.length + ")";
    if (window.history && history.replaceState && step.url) {
      history.replaceState(null, "", step.url);
    }
    updateStopLink();
  }

  function withCompleted(url) {
    var u = new URL(url, window.location.href);
    u.searchParams.set("completed", String(state.completed));
    return u.pathname + u.search;
  }

  function updateStopLink() {
    el.stop.href = withCompleted(data.stopUrl);
  }

  function secondsLeft(msLeftInPhase) {
    var rest = 0;
    for (var i = state.index + 1; i < phases.length; i++) rest += phases[i].seconds;
    return rest + (msLeftInPhase * speed) / 1000;
  }

  function render(msLeft) {
    var phase = phases[state.index];
    if (!phase) return;
    var phaseSeconds = (msLeft * speed) / 1000;
    el.count.textContent = clock(phaseSeconds);
    el.phaseProgress.max = phase.seconds;
    el.phaseProgress.value = Math.max(0, phase.seconds - phaseSeconds);
    var left = secondsLeft(msLeft);
    el.leftLabel.textContent = clock(left) + " left";
    el.left.textContent = " (about " + minutesText(left) + ")";
    el.progress.max = totalSeconds;
    el.progress.value = Math.max(0, totalSeconds - left);
  }

  function enterPhase(index, quiet) {
    state.index = index;
    if (index >= phases.length) return finish();
    var phase = phases[index];
    if (phase.step !== state.shownStep) {
      state.completed = Math.max(state.completed, phase.step);
      showStep(phase.step);
    }
    var words = phaseWords(phase, index);
    el.phase.textContent = words.title;
    el.repeat.textContent = words.detail;
    el.timer.dataset.kind = phase.kind;
    drawings.pose(phase);
    showNow(phase, words);
    if (!reducedMotion) {
      el.timer.classList.remove("player__timer--changed");
      void el.timer.offsetWidth; // restart the CSS animation
      el.timer.classList.add("player__timer--changed");
    }
    if (!quiet) {
      var spoken = words.title + ". " + words.detail + ". " + phase.seconds + " seconds.";
      if (phase.kind === "get_ready") spoken = steps[phase.step].name + ". " + spoken;
      announce(spoken);
      say(spokenPrompt(phase));
      if (phase.kind === "hold") { beep(660, 250); buzz(200); }
      else if (phase.kind === "switch") { beep(520, 180, 2); buzz([150, 100, 150]); }
      else { beep(440, 200); buzz(100); }
    }
  }

  function tick() {
    if (!state.running || state.paused) return;
    var t = now();
    // Catch up on every phase that ended while the tab slept, chaining end times.
    var moved = false;
    while (state.index < phases.length && t >= state.endAt) {
      var next = state.index + 1;
      if (next >= phases.length) { state.index = next; return finish(); }
      enterPhase(next, t - state.endAt > 1000);
      state.endAt += durationMs(phases[next]);
      moved = true;
    }
    if (moved) savePlace();
    render(state.endAt - t);
  }

  function savePlace() {
    if (!state.running || state.finished) return;
    write(PLACE_KEY, {
      index: state.index,
      endAt: state.endAt,
      paused: state.paused,
      remainingMs: state.remainingMs,
      completed: state.completed,
      speed: speed,
      savedAt: Date.now()
    });
  }

  function forgetPlace() { write(PLACE_KEY, null); }

  function startTimer() {
    if (state.timer) return;
    state.timer = window.setInterval(tick, 100);
  }

  function stopTimer() {
    if (state.timer) window.clearInterval(state.timer);
    state.timer = null;
  }

  // --- controls ------------------------------------------------------------------------

  function showRunning() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) {
      try { audio = new Ctx(); } catch (e) { audio = null; }
    }
    requestWakeLock();
    state.running = true;
    el.start.hidden = true;
    el.pause.hidden = false;
    el.next.hidden = false;
    el.nextStretch.hidden = false;
    el.sound.hidden = !audio;
    el.timer.hidden = false;
    el.nav.hidden = true;
    if (el.now) el.now.hidden = false;
    root.classList.add("player--running");
  }

  function start() {
    showRunning();
    enterPhase(state.index, false);
    state.endAt = now() + durationMs(phases[state.index]);
    savePlace();
    render(state.endAt - now());
    startTimer();
    el.pause.focus({ preventScroll: true });
    el.timer.scrollIntoView({ behavior: reducedMotion ? "auto" : "smooth", block: "start" });
  }

  // A reload, or a phone that discarded the page while locked: carry on from the time
  // left, counted from the end time kept on the device (phases that ended meanwhile
  // pass quietly, as after a sleeping tab).
  function resumePlace() {
    var place = readJSON(PLACE_KEY);
    if (!place || typeof place.index !== "number" || !phases[place.index]) return false;
    if (!(Date.now() - place.savedAt < PLACE_MAX_AGE_MS)) return false;
    if (phases[place.index].step !== startStep) return false; // another stretch's page
    if (place.speed !== speed) return false;
    state.index = place.index;
    state.completed = Math.max(state.completed, place.completed || 0);
    showRunning();
    enterPhase(state.index, true);
    if (place.paused) {
      state.paused = true;
      state.remainingMs = Math.max(0, place.remainingMs);
      state.endAt = now() + state.remainingMs;
      el.pause.textContent = "Resume";
      root.classList.add("player--paused");
      render(state.remainingMs);
      announce("Back where you were, paused. " + clock((state.remainingMs * speed) / 1000) + " left on this part.");
    } else {
      state.endAt = place.endAt;
      tick();
      if (state.finished) return true;
      startTimer();
      announce("Back where you were: " + el.phase.textContent + ", " + el.count.textContent + " left on this part.");
    }
    return true;
  }

  function togglePause() {
    if (!state.running || state.finished) return;
    if (state.paused) {
      state.paused = false;
      state.endAt = now() + state.remainingMs;
      savePlace();
      el.pause.textContent = "Pause";
      root.classList.remove("player--paused");
      announce("Resumed.");
      requestWakeLock();
      startTimer();
    } else {
      state.paused = true;
      state.remainingMs = Math.max(0, state.endAt - now());
      stopTimer();
      savePlace();
      render(state.remainingMs); // show exactly the time kept
      el.pause.textContent = "Resume";
      root.classList.add("player--paused");
      announce("Paused. " + clock((state.remainingMs * speed) / 1000) + " left on this part.");
    }
  }

  function jumpTo(index) {
    if (!state.running || state.finished) return;
    if (index >= phases.length) {
      state.completed = steps.length;
      return finish();
    }
    enterPhase(index, false);
    state.endAt = now() + durationMs(phases[index]);
    if (state.paused) state.remainingMs = durationMs(phases[index]);
    savePlace();
    render(durationMs(phases[index]));
  }

  function skipPhase() { jumpTo(state.index + 1); }

  function nextStretch() {
    var current = phases[state.index] ? phases[state.index].step : steps.length;
    state.completed = Math.max(state.completed, current + 1);
    jumpTo(firstPhaseOf(current + 1));
  }

  function finish() {
    if (state.finished) return;
    state.finished = true;
    state.completed = steps.length;
    forgetPlace();
    stopTimer();
    releaseWakeLock();
    beep(523, 200, 3);
    buzz([200, 100, 200, 100, 300]);
    el.phase.textContent = "Session complete";
    el.repeat.textContent = "Well done.";
    el.count.textContent = "0:00";
    render(0);
    announce("Session complete. Well done.");
    say("Session complete. Well done.");
    window.setTimeout(function () {
      window.location.assign(withCompleted(data.finishUrl));
    }, Math.min(1500, 1500 / Math.sqrt(speed)));
  }

  // --- wiring ----------------------------------------------------------------------------

  el.controls.hidden = false;
  el.start.addEventListener("click", start);
  el.pause.addEventListener("click", togglePause);
  el.next.addEventListener("click", skipPhase);
  el.nextStretch.addEventListener("click", nextStretch);
  el.sound.addEventListener("click", function () {
    soundOn = !soundOn;
    el.sound.setAttribute("aria-pressed", String(soundOn));
    el.sound.textContent = soundOn ? "Sound on" : "Sound off";
  });
  el.stop.addEventListener("click", function () {
    state.running = false; // nothing to keep: the place is not saved again on leaving
    forgetPlace();
    stopTimer();
    releaseWakeLock();
    el.stop.href = withCompleted(data.stopUrl);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var onControl = tag === "BUTTON" || tag === "A";
    if (event.key === " " || event.code === "Space") {
      if (onControl) return; // the focused button or link handles Space itself
      event.preventDefault();
      if (!state.running) start(); else togglePause();
    } else if (event.key === "n" || event.key === "N") {
      event.preventDefault();
      if (state.running) skipPhase();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      // Woken up: the time left is recomputed from the end time (tick), never counted.
      if (state.running && !state.paused && !state.finished) requestWakeLock();
      tick();
    } else {
      savePlace();
    }
  });
  window.addEventListener("pagehide", savePlace);

  if (speech && el.speak) {
    speakOn = readJSON(SPEAK_KEY) === true;
    el.speak.checked = speakOn;
    el.speakWrap.hidden = false;
    el.speak.addEventListener("change", function () {
      speakOn = el.speak.checked;
      write(SPEAK_KEY, speakOn);
      if (!speakOn) speech.cancel();
    });
  }

  forgetOldPlaces();
  updateStopLink();
  resumePlace();
})();
