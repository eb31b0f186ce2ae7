// The phone simulator: dials the USSD service the way Africa's Talking does (text = every
// answer so far joined by "*"), through the server's /simulator/ussd (which holds the gateway
// token), and polls the outbox for SMS to this number.
(function () {
  "use strict";
  var root = document.getElementById("sim");
  if (!root) { return; }
  var screen = document.getElementById("sim-screen");
  var input = document.getElementById("sim-input");
  var phone = document.getElementById("sim-phone");
  var inbox = document.getElementById("sim-sms");
  var session = null;
  var answers = [];
  var busy = false;

  function newSessionId() {
    var bytes = new Uint8Array(8);
    window.crypto.getRandomValues(bytes);
    return "SIM" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    body.set("csrf_token", root.dataset.csrf);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" });
  }

  function show(text, open) {
    screen.textContent = text;
    input.disabled = !open;
    input.value = "";
    if (open) { input.focus(); }
  }

  function send() {
    if (busy) { return; }
    busy = true;
    post(root.dataset.endpoint, {
      sessionId: session, serviceCode: root.dataset.serviceCode,
      phoneNumber: phone.value, networkCode: "63902", text: answers.join("*")
    }).then(function (response) { return response.text(); }).then(function (body) {
      var open = body.indexOf("CON ") === 0;
      show(body.slice(4), open);
      if (!open) { end("Success"); }
      refreshSms();
    }).catch(function () {
      show(root.dataset.error, false);
      end("Failed");
    }).finally(function () { busy = false; });
  }

  function end(status) {
    if (!session) { return; }
    post(root.dataset.events, {
      sessionId: session, serviceCode: root.dataset.serviceCode, phoneNumber: phone.value,
      networkCode: "63902", status: status, input: answers.join("*")
    });
    session = null;
  }

  function dialOrSend() {
    if (!session) {
      session = newSessionId();
      answers = [];
      send();
      return;
    }
    if (input.disabled) { return; }
    answers.push(input.value.trim());
    send();
  }

  function refreshSms() {
    fetch(root.dataset.sms + "?phone=" + encodeURIComponent(phone.value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        inbox.textContent = "";
        if (!data.messages.length) {
          var empty = document.createElement("li");
          empty.className = "muted";
          empty.textContent = inbox.dataset.empty;
          inbox.appendChild(empty);
        }
        data.messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message.at + " · " + message.body;
          inbox.appendChild(item);
        });
      });
  }

  document.getElementById("sim-call").addEventListener("click", dialOrSend);
  document.getElementById("sim-hang").addEventListener("click", function () {
    end("Incomplete");
    show(root.dataset.ended, false);
  });
  document.getElementById("sim-keypad").addEventListener("click", function (event) {
    var key = event.target.closest("button");
    if (!key || input.disabled) { return; }
    if (key.dataset.key === "del") { input.value = input.value.slice(0, -1); }
    else { input.value += key.dataset.key; }
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); dialOrSend(); }
  });
  phone.addEventListener("change", refreshSms);
  refreshSms();
  window.setInterval(refreshSms, 5000);
}());
