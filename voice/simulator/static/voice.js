// The voice call simulator: each step goes to the same call service as the gateways' callbacks;
// the prompts' audio clips are played in order (their text shown beside), keys are sent as a
// gateway would send them, and the caller's message is recorded with the microphone (or, when
// the browser has none or refuses it, a short generated tone is sent instead).
(function () {
  "use strict";
  var root = document.getElementById("vsim");
  if (!root) { return; }
  var heard = document.getElementById("vsim-heard");
  var stateLine = document.getElementById("vsim-state");
  var keysShown = document.getElementById("vsim-keys");
  var player = document.getElementById("vsim-audio");
  var phone = document.getElementById("vsim-phone");
  var callId = null, waiting = null, step = null, keys = "", queue = [], recorder = null;

  function newCallId() {
    var bytes = new Uint8Array(8);
    window.crypto.getRandomValues(bytes);
    return "VSIM" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function playNext() {
    var item = queue.shift();
    if (!item) { return; }
    item.li.className = "playing";
    if (!item.audio) { item.li.className = ""; playNext(); return; }
    player.src = item.audio;
    var done = function () { item.li.className = ""; player.onended = player.onerror = null; playNext(); };
    player.onended = done;
    player.onerror = done;
    var playing = player.play();
    if (playing && playing.catch) { playing.catch(done); }
  }

  function show(turn) {
    heard.textContent = "";
    queue = [];
    turn.speech.forEach(function (sentence) {
      var li = document.createElement("li");
      li.textContent = sentence.text;
      li.lang = sentence.language;
      li.dir = "auto";
      if (sentence.audio) { li.dataset.audio = sentence.audio; }
      heard.appendChild(li);
      queue.push({ li: li, audio: sentence.audio });
    });
    player.pause();
    playNext();
    waiting = turn.waits ? turn : null;
    step = turn.step;
    keys = "";
    keysShown.textContent = "";
    if (!turn.waits) {
      stateLine.textContent = root.dataset.ended;
      callId = null;
    } else if (turn.waits === "record") {
      stateLine.textContent = root.dataset.recording;
      startRecording();
    } else {
      stateLine.textContent = "";
    }
  }

  function send(fields, audio) {
    var body = new FormData();
    body.set("call_id", callId);
    body.set("phone", phone.value);
    if (step !== null) { body.set("step", step); }
    Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
    if (audio) { body.set("audio", audio.blob, "message"); body.set("seconds", audio.seconds); }
    return fetch(root.dataset.endpoint, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrf }
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(show).catch(function () {
      stateLine.textContent = root.dataset.error;
      callId = null;
    });
  }

  function toneWav(seconds) {
    var rate = 8000, n = Math.floor(rate * seconds), buffer = new ArrayBuffer(44 + n * 2);
    var view = new DataView(buffer);
    function text(offset, s) { for (var i = 0; i < s.length; i++) { view.setUint8(offset + i, s.charCodeAt(i)); } }
    text(0, "RIFF"); view.setUint32(4, 36 + n * 2, true); text(8, "WAVE"); text(12, "fmt ");
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, n * 2, true);
    for (var i = 0; i < n; i++) { view.setInt16(44 + i * 2, Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / rate)), true); }
    return new Blob([buffer], { type: "audio/wav" });
  }

  function startRecording() {
    var started = Date.now();
    recorder = { stop: function () {
      stateLine.textContent = root.dataset.noMic;
      send({}, { blob: toneWav(1.5), seconds: Math.max(2, Math.round((Date.now() - started) / 1000)) });
    } };
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) { return; }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      var chunks = [], media = new MediaRecorder(stream);
      media.ondataavailable = function (e) { if (e.data.size) { chunks.push(e.data); } };
      media.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        var type = (media.mimeType || "audio/webm").split(";")[0];
        send({}, { blob: new Blob(chunks, { type: type }), seconds: Math.round((Date.now() - started) / 1000) });
      };
      media.start();
      recorder = { stop: function () { media.stop(); } };
    }).catch(function () { /* no microphone: the tone stands in (see recorder above) */ });
  }

  function press(key) {
    if (!callId || !waiting) { return; }
    if (waiting.waits === "record") {
      if (key === "#" && recorder) { var r = recorder; recorder = null; waiting = null; r.stop(); }
      return;
    }
    if (key === "#" && waiting.finish_on_hash) { var digits = keys; waiting = null; send({ digits: digits }); return; }
    keys += key;
    keysShown.textContent = keys;
    if (!waiting.finish_on_hash && keys.length >= waiting.max_digits) {
      var sent = keys; waiting = null; send({ digits: sent });
    }
  }

  document.getElementById("vsim-call").addEventListener("click", function () {
    if (callId) { return; }
    callId = newCallId();
    step = null;
    send({});
  });
  document.getElementById("vsim-hang").addEventListener("click", function () {
    callId = null; waiting = null; player.pause();
    stateLine.textContent = root.dataset.ended;
  });
  document.getElementById("vsim-keypad").addEventListener("click", function (event) {
    var key = event.target.closest("button");
    if (key) { press(key.dataset.key); }
  });
}());
