// Refreshes the real-time dashboard (templates/dashboard.html) from its
// JSON endpoint every few seconds. Without this script the page still
// works: it is rendered on the server, with a Refresh link.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.fetch) { return; }
  var src = root.getAttribute("data-src");
  var every = Math.max(1, parseInt(root.getAttribute("data-refresh"), 10) || 5) * 1000;
  var live = document.getElementById("live");

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function fill(body, rows, empty, cols) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    if (rows.length === 0) {
      var tr = el("tr"), td = el("td", empty, "empty");
      td.colSpan = cols;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (tr) { body.appendChild(tr); });
  }

  function show(d) {
    document.getElementById("snapshot").textContent = d.snapshot || "(no queue)";
    fill(document.getElementById("queues-body"), d.queues.map(function (q) {
      var tr = el("tr");
      tr.setAttribute("data-queue", q.queueId);
      tr.setAttribute("data-channel", q.channel);
      tr.appendChild(el("td", q.queue));
      tr.appendChild(el("td", q.channel));
      q.values.forEach(function (v) { tr.appendChild(el("td", v, "num")); });
      return tr;
    }), "No standard queue.", d.metrics.length + 2);
    fill(document.getElementById("agents-body"), d.agents.map(function (a) {
      var tr = el("tr"), name = el("td"), link = el("a", a.username), contacts = el("td");
      tr.setAttribute("data-user", a.userId);
      link.setAttribute("href", a.href);
      name.appendChild(link);
      tr.appendChild(name);
      tr.appendChild(el("td", a.status + (a.nextStatus ? " (next: " + a.nextStatus + ")" : "")));
      tr.appendChild(el("td", a.since));
      if (a.contacts.length === 0) { contacts.textContent = "—"; }
      a.contacts.forEach(function (c) {
        var div = el("div", c.channel + " " + c.state + " in " + c.queue + " since " + c.since, "contact");
        div.setAttribute("data-contact", c.contactId);
        contacts.appendChild(div);
      });
      tr.appendChild(contacts);
      tr.appendChild(el("td", a.slots));
      return tr;
    }), "No agent is logged in.", 5);
  }

  function tick() {
    fetch(src, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.redirected || !(r.headers.get("Content-Type") || "").startsWith("application/json")) {
          throw new Error("signed out: reload the page");
        }
        return r.json().then(function (d) {
          if (!r.ok) { throw new Error(d.error || ("HTTP " + r.status)); }
          return d;
        });
      })
      .then(function (d) { show(d); live.textContent = "live, every " + every / 1000 + " s"; })
      .catch(function (e) { live.textContent = "not refreshed: " + e.message; })
      .then(function () { setTimeout(tick, every); });
  }
  live.textContent = "live, every " + every / 1000 + " s";
  setTimeout(tick, every);
})();
