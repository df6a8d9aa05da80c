// folio serve: live reload. Served only by the dev server, never in `folio build` output.
(() => {
  "use strict";
  let server = null;
  const overlayId = "folio-erreurs";

  function hide() {
    const o = document.getElementById(overlayId);
    if (o) o.remove();
  }

  function show(errors) {
    hide();
    if (!errors || errors.length === 0) return;
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,22,28,.92);color:#fff;" +
      "font:15px/1.5 system-ui,sans-serif;padding:2rem;overflow:auto";
    const h = document.createElement("h2");
    h.textContent = "Erreur de génération : la page affichée est la dernière version réussie";
    h.style.cssText = "margin:0 0 1rem;color:#ff8a8f;font-size:1.3rem";
    box.appendChild(h);
    for (const e of errors) {
      const p = document.createElement("div");
      p.style.cssText = "margin:0 0 1rem;padding:.75rem 1rem;background:#2a2f3a;border-left:4px solid #ff8a8f;border-radius:6px";
      const where = document.createElement("code");
      where.textContent = (e.file || "") + (e.line ? ":" + e.line : "") + (e.column ? ":" + e.column : "");
      where.style.color = "#ffd479";
      const msg = document.createElement("div");
      msg.textContent = e.severity + "[" + e.code + "] : " + e.message;
      p.append(where, msg);
      if (e.hint) {
        const hint = document.createElement("div");
        hint.textContent = "aide : " + e.hint;
        hint.style.color = "#9fe3b0";
        p.appendChild(hint);
      }
      box.appendChild(p);
    }
    document.body.appendChild(box);
  }

  const source = new EventSource("/__folio/events");
  source.addEventListener("hello", (ev) => {
    const data = JSON.parse(ev.data);
    // A new server instance after a reconnection: the site may have changed meanwhile.
    if (server !== null && server !== data.server) { location.reload(); return; }
    server = data.server;
    show(data.errors);
  });
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("folio", Date.now().toString());
      link.href = url.toString();
    }
  });
  source.addEventListener("build-error", (ev) => show(JSON.parse(ev.data).errors));
  source.addEventListener("build-ok", hide);
})();
