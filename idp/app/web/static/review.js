// Review UI: keyboard-first queue and task pages, the page viewer (zoom, pan, rotate, fit, thumbnails),
// the claim's heartbeat and release on leave. Keys are ignored while an input method composes (IME).
(function () {
  "use strict";

  var CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function isTyping(el) {
    return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }
  function composing(e) { return e.isComposing || e.keyCode === 229; }
  function submitForm(form, button) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit(button || undefined); else if (button) button.click(); else form.submit();
  }

  function queuePage() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.open-task"));
    document.addEventListener("keydown", function (e) {
      if (composing(e) || isTyping(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      var i = links.indexOf(document.activeElement);
      if ((e.key === "j" || e.key === "ArrowDown") && links.length) {
        links[Math.min(i + 1, links.length - 1)].focus(); e.preventDefault();
      } else if ((e.key === "k" || e.key === "ArrowUp") && links.length) {
        links[Math.max(i - 1, 0)].focus(); e.preventDefault();
      } else if (e.key === "n") {
        e.preventDefault(); submitForm(document.getElementById("next-form"));
      }
    });
  }

  // ---- page viewer -------------------------------------------------------------------------------
  function Viewer(root) {
    var stage = root.querySelector("#stage");
    var pages = Array.prototype.slice.call(root.querySelectorAll(".page"));
    var label = root.querySelector("#zoom-label");
    var pageNo = root.querySelector("#page-no");
    var state = { zoom: 1, rotation: 0, current: pages[0], fit: true };

    function dims(page) { return { w: +page.dataset.w || 1000, h: +page.dataset.h || 1400 }; }
    function fitZoom(page) {
      var d = dims(page);
      var turned = state.rotation % 180 !== 0;
      var avail = stage.clientWidth - 16;
      return Math.max(0.1, avail / (turned ? d.h : d.w));
    }
    function layout() {
      var page = state.current;
      if (!page) return;
      if (state.fit) state.zoom = fitZoom(page);
      var d = dims(page), w = d.w * state.zoom, h = d.h * state.zoom;
      var sheet = page.querySelector(".sheet");
      var turned = state.rotation % 180 !== 0;
      page.style.width = (turned ? h : w) + "px";
      page.style.height = (turned ? w : h) + "px";
      sheet.style.width = w + "px";
      sheet.style.height = h + "px";
      var shift = { 0: "translate(0,0)", 90: "translate(" + h + "px,0)", 180: "translate(" + w + "px," + h + "px)",
                    270: "translate(0," + w + "px)" }[state.rotation];
      sheet.style.transform = shift + " rotate(" + state.rotation + "deg)";
      if (label) label.textContent = Math.round(state.zoom * 100) + "%";
    }
    function show(no) {
      pages.forEach(function (p) {
        var on = String(p.dataset.page) === String(no);
        p.hidden = !on;
        if (on) state.current = p;
      });
      if (pageNo) pageNo.textContent = no;
      root.querySelectorAll(".thumb").forEach(function (t) { t.classList.toggle("current", t.dataset.goto === String(no)); });
      layout();
    }
    function zoomBy(f) { state.fit = false; state.zoom = Math.max(0.2, Math.min(6, state.zoom * f)); layout(); }
    function rotate() { state.rotation = (state.rotation + 90) % 360; layout(); }
    function fit() { state.fit = true; layout(); stage.scrollLeft = 0; }
    function reveal(name) {
      var box = root.querySelector('.box[data-field="' + CSS.escape(name) + '"]');
      if (!box) return false;
      var page = box.closest(".page");
      if (page !== state.current) show(page.dataset.page);
      var b = box.getBoundingClientRect(), s = stage.getBoundingClientRect();
      stage.scrollLeft += (b.left + b.width / 2) - (s.left + s.width / 2);
      stage.scrollTop += (b.top + b.height / 2) - (s.top + s.height / 2);
      box.classList.add("pulse");
      setTimeout(function () { box.classList.remove("pulse"); }, 900);
      return true;
    }
    root.querySelectorAll("[data-act]").forEach(function (b) {
      b.addEventListener("click", function () {
        var act = b.dataset.act;
        if (act === "zoom-in") zoomBy(1.25); else if (act === "zoom-out") zoomBy(0.8);
        else if (act === "fit") fit(); else if (act === "rotate") rotate();
      });
    });
    root.querySelectorAll(".thumb").forEach(function (t) { t.addEventListener("click", function () { show(t.dataset.goto); }); });
    stage.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault(); zoomBy(e.deltaY < 0 ? 1.1 : 0.9);
    }, { passive: false });
    var drag = null;  // pan by dragging the page
    stage.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || e.target.closest(".box")) return;
      drag = { x: e.clientX, y: e.clientY, l: stage.scrollLeft, t: stage.scrollTop };
      stage.classList.add("panning");
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag) return;
      stage.scrollLeft = drag.l - (e.clientX - drag.x);
      stage.scrollTop = drag.t - (e.clientY - drag.y);
    });
    window.addEventListener("pointerup", function () { drag = null; stage.classList.remove("panning"); });
    window.addEventListener("resize", function () { if (state.fit) layout(); });
    layout();
    return { show: show, reveal: reveal, zoomBy: zoomBy, rotate: rotate, fit: fit, state: state };
  }

  // ---- task page ---------------------------------------------------------------------------------
  function taskPage(form) {
    var head = document.getElementById("task");
    var taskId = head.dataset.task;
    var lease = head.dataset.lease;
    var viewerRoot = document.getElementById("viewer");
    var viewer = viewerRoot ? Viewer(viewerRoot) : null;
    var cells = Array.prototype.slice.call(document.querySelectorAll(".cell"));
    var inputs = cells.map(function (c) { return c.querySelector(".field-input"); });
    var comment = document.getElementById("comment");
    var hint = document.getElementById("hint");
    var current = -1, before = null, leaving = false;

    function sel(cls, name) { return cls + '[data-field="' + CSS.escape(name) + '"]'; }
    function mark(name, on) {
      document.querySelectorAll(sel(".box", name)).forEach(function (b) { b.classList.toggle("active", on); });
    }
    function changed() {
      return inputs.filter(function (i) { return i.value.trim() !== (i.dataset.original || "").trim(); });
    }
    function updateChanged() {
      var c = changed();
      inputs.forEach(function (i) { i.closest(".cell").classList.toggle("changed", c.indexOf(i) >= 0); });
      var out = document.getElementById("changed-count");
      if (out) out.textContent = c.length ? "已修改 " + c.length + " 个字段" : "";
    }
    function select(index) {
      if (!cells.length) return;
      current = Math.max(0, Math.min(cells.length - 1, index));
      cells[current].focus();
    }
    function nextFlagged() {
      for (var k = 1; k <= cells.length; k++) {
        var i = (Math.max(current, -1) + k) % cells.length;
        if (cells[i].classList.contains("flagged")) { select(i); return; }
      }
      if (hint) hint.textContent = "没有其他待核字段";
    }
    function edit(index) {
      var input = inputs[index];
      if (!input || input.disabled) return;
      before = input.value;
      input.focus();
      input.select();  // typing replaces the value; ←/→ move into it
    }
    function submit(outcome) {
      var button = form.querySelector('button[value="' + outcome + '"]');
      if (!button) return;
      leaving = true;
      submitForm(form, button);
    }
    function goNext() { leaving = true; submitForm(document.getElementById("next-form")); }
    function goPrevious() { window.location.href = document.getElementById("prev-task").href; }

    cells.forEach(function (cell, index) {
      var name = cell.dataset.field;
      cell.addEventListener("focusin", function () {
        current = index; mark(name, true);
        if (viewer) {
          var box = document.querySelector(sel(".box", name));
          if (box && box.closest(".page") !== viewer.state.current) viewer.show(box.closest(".page").dataset.page);
        }
      });
      cell.addEventListener("focusout", function () {
        setTimeout(function () { if (!cell.contains(document.activeElement)) mark(name, false); }, 0);
      });
      cell.addEventListener("mouseenter", function () { mark(name, true); });
      cell.addEventListener("mouseleave", function () { if (!cell.contains(document.activeElement)) mark(name, false); });
      inputs[index].addEventListener("input", updateChanged);
      inputs[index].addEventListener("focus", function () { if (before === null) before = inputs[index].value; });
      inputs[index].addEventListener("blur", function () { before = null; });
    });
    document.querySelectorAll(".box").forEach(function (box) {
      var name = box.dataset.field;
      box.addEventListener("mouseenter", function () { mark(name, true); });
      box.addEventListener("mouseleave", function () { mark(name, false); });
      box.addEventListener("click", function () {
        var i = cells.indexOf(document.querySelector(sel(".cell", name)));
        if (i >= 0) { select(i); edit(i); }
      });
    });
    document.querySelectorAll(".to-box").forEach(function (b) {
      b.addEventListener("click", function () { if (viewer) viewer.reveal(b.dataset.field); });
    });

    document.addEventListener("keydown", function (e) {
      if (composing(e)) return;  // an input method's Enter/Esc belongs to the input method
      var active = document.activeElement;
      var inField = inputs.indexOf(active) >= 0;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault(); submit(changed().length ? "corrected" : "accepted"); return;
      }
      if (e.altKey && e.code === "KeyR") {
        e.preventDefault();
        if (comment && !comment.value.trim()) {
          comment.focus();
          if (hint) hint.textContent = "驳回必须填写意见:请先填写处理意见,再按 Alt+R";
          return;
        }
        submit("rejected"); return;
      }
      if (inField && e.key === "Enter") {  // confirm the value, back on its row
        e.preventDefault(); before = null; cells[inputs.indexOf(active)].focus(); return;
      }
      if (inField && e.key === "Escape") {  // cancel this edit
        e.preventDefault();
        if (before !== null) { active.value = before; updateChanged(); }
        before = null; cells[inputs.indexOf(active)].focus(); return;
      }
      if (inField && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
        e.preventDefault();
        var i = inputs.indexOf(active) + (e.key === "ArrowDown" ? 1 : -1);
        if (i >= 0 && i < inputs.length) { select(i); edit(i); }
        return;
      }
      if (e.key === "Escape" && isTyping(active)) { active.blur(); return; }
      if (isTyping(active) || e.ctrlKey || e.metaKey || e.altKey) return;
      var k = e.key;
      if (k === "F2" || (k === "Enter" && cells.indexOf(active) >= 0)) {
        e.preventDefault(); edit(current < 0 ? 0 : current);
      } else if (k === "n") { e.preventDefault(); nextFlagged(); }
      else if (k === "ArrowDown") { e.preventDefault(); select(current + 1); }
      else if (k === "ArrowUp") { e.preventDefault(); select(current < 0 ? 0 : current - 1); }
      else if (k === "j") { e.preventDefault(); goNext(); }
      else if (k === "k") { e.preventDefault(); goPrevious(); }
      else if (k === "b" && viewer && current >= 0) { e.preventDefault(); viewer.reveal(cells[current].dataset.field); }
      else if ((k === "+" || k === "=") && viewer) { e.preventDefault(); viewer.zoomBy(1.25); }
      else if (k === "-" && viewer) { e.preventDefault(); viewer.zoomBy(0.8); }
      else if (k === "0" && viewer) { e.preventDefault(); viewer.fit(); }
      else if (k === "r" && viewer) { e.preventDefault(); viewer.rotate(); }
    });

    // the claim: renew while the page is open; give it back when the page is left
    function lock(message) {
      var banner = document.getElementById("lock-banner");
      if (banner) { banner.textContent = message; banner.hidden = false; }
      inputs.forEach(function (i) { i.disabled = true; });
      form.querySelectorAll("button[name=outcome]").forEach(function (b) { b.disabled = true; });
      lease = "";
    }
    function heartbeat() {
      if (!lease) return;
      fetch("/review/tasks/" + encodeURIComponent(taskId) + "/heartbeat", {
        method: "POST", headers: { "X-CSRF-Token": CSRF }, credentials: "same-origin"
      }).then(function (r) {
        return r.json().then(function (body) {
          if (r.ok) { lease = body.lease_expires_at || lease; head.dataset.lease = lease; }
          else if (r.status === 409 || r.status === 403) lock((body.message || "任务已被他人领取") + ",您的修改无法提交");
        });
      }).catch(function () {});
    }
    if (lease) {
      setInterval(heartbeat, 60000);
      window.addEventListener("pagehide", function () {
        if (leaving || !lease) return;
        var data = new FormData();
        data.append("csrf_token", CSRF);
        data.append("lease", lease);
        navigator.sendBeacon("/review/tasks/" + encodeURIComponent(taskId) + "/leave", data);
      });
      form.addEventListener("submit", function () { leaving = true; });
    }

    updateChanged();
    var first = cells.filter(function (c) { return c.classList.contains("flagged"); })[0] || cells[0];
    if (first) { current = cells.indexOf(first); first.focus({ preventScroll: true }); }
  }

  var form = document.getElementById("resolve-form");
  if (form) taskPage(form); else if (document.querySelector("table.queue")) queuePage();
})();
