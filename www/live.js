// The live demo's sign-in: picks a demo identity, asks the server for a token
// (POST api/demo/token, demo mode only), and mounts the widget in remote mode with it —
// the same one tag as on every other page, plus data-api and data-user-token. The token
// lasts an hour; a few minutes before it ends the page fetches a new one and hands it to the
// widget with window.VolunteerWidget.setToken, as a site with its own sign-in would.
(function () {
  "use strict";
  var form = document.getElementById("live-signin");
  var server = document.getElementById("live-server");
  var who = document.getElementById("live-who");
  var mount = document.getElementById("live-widget");
  var api = new URL("api", location.href).href;
  var identity = null;
  var renew = null;

  function say(text, problem) {
    server.textContent = text;
    server.setAttribute("role", problem ? "alert" : "status");
    server.className = problem ? "live-problem" : "";
  }

  // Served by a static server only (npm's serve.mjs, a CDN): say so instead of failing.
  fetch(api + "/health", { cache: "no-store" })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
    .then(function (body) {
      if (!body || body.ok !== true) throw new Error("not the volunteer server");
      say("服务器已连接。");
      form.hidden = false;
    })
    .catch(function () {
      say("这个页面需要服务器，但现在是纯静态网页（没有 /api）：请用 npm start 启动演示服务器（vserver --demo）后再打开。"
        + " This page needs the server (vserver --demo, started by npm start); it is being served as static files only.", true);
    });

  form.addEventListener("change", function () {
    var role = new FormData(form).get("role");
    document.getElementById("live-resident").hidden = role !== "resident";
    document.getElementById("live-volunteer").hidden = role !== "volunteer";
  });

  function token(id) {
    return fetch(api + "/demo/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(id),
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error((body && body.error && body.error.message) || "HTTP " + r.status);
        return body;
      });
    });
  }

  // A new token shortly before this one expires, handed to the widget without a reload.
  function scheduleRenewal(exp) {
    clearTimeout(renew);
    var wait = Math.max(10, exp - Math.floor(Date.now() / 1000) - 300) * 1000;
    renew = setTimeout(function () {
      token(identity).then(function (t) {
        window.VolunteerWidget.setToken(t.token);
        scheduleRenewal(t.exp);
      }, function (e) { say("凭证续期失败 / Could not renew the sign-in: " + e.message, true); });
    }, wait);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var role = data.get("role");
    var id = { role: role };
    var view = role;
    if (role === "resident") id.sub = String(data.get("sub") || "resident-1");
    if (role === "volunteer") id.vid = Number(data.get("vid"));
    token(id).then(function (t) {
      identity = id;
      who.hidden = false;
      who.textContent = "已登录：" + (role === "volunteer" ? "志愿者 #" + id.vid : role === "resident" ? "居民 " + id.sub : "网格员");
      mount.textContent = "";
      var tag = document.createElement("script");
      tag.async = true;
      tag.src = "pkg/volunteer-widget.js";
      tag.setAttribute("data-view", view);
      tag.setAttribute("data-lang", data.get("lang"));
      tag.setAttribute("data-api", "api");
      tag.setAttribute("data-user-token", t.token);
      tag.setAttribute("data-target", "#live-widget");
      document.body.appendChild(tag);
      scheduleRenewal(t.exp);
    }, function (e) {
      say("登录失败 / Sign-in failed: " + e.message, true);
    });
  });
})();
