// Keyboard-first review: move between fields, link each field to its box on the page, submit from the keyboard.
(function () {
  "use strict";

  function isTyping(el) {
    return !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function queuePage() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.open-task"));
    document.addEventListener("keydown", function (e) {
      if (!links.length || isTyping(document.activeElement) || e.ctrlKey || e.metaKey || e.altKey) return;
      var i = links.indexOf(document.activeElement);
      if (e.key === "j" || e.key === "ArrowDown") {
        links[Math.min(i + 1, links.length - 1)].focus(); e.preventDefault();
      } else if (e.key === "k" || e.key === "ArrowUp") {
        links[Math.max(i - 1, 0)].focus(); e.preventDefault();
      } else if (e.key === "n") {
        window.location.href = links[0].href;
      }
    });
  }

  function taskPage(form) {
    var rows = Array.prototype.slice.call(document.querySelectorAll(".field-row"));
    var inputs = rows.map(function (r) { return r.querySelector(".field-input"); });
    var comment = document.getElementById("comment");
    var hint = document.getElementById("hint");
    var current = -1;

    function nameSelector(cls, name) { return cls + '[data-field="' + CSS.escape(name) + '"]'; }
    function mark(name, on, scroll) {
      document.querySelectorAll(nameSelector(".box", name)).forEach(function (b) {
        b.classList.toggle("active", on);
        if (on && scroll) b.scrollIntoView({ block: "nearest", inline: "nearest" });
      });
      var row = document.querySelector(nameSelector(".field-row", name));
      if (row) row.classList.toggle("active", on);
    }
    function holdsFocus(name) {
      var row = document.querySelector(nameSelector(".field-row", name));
      return !!row && row.contains(document.activeElement);
    }
    function changed() {
      return inputs.filter(function (i) { return i.value.trim() !== (i.dataset.original || "").trim(); });
    }
    function updateChanged() {
      var c = changed();
      inputs.forEach(function (i) { i.closest("tr").classList.toggle("changed", c.indexOf(i) >= 0); });
      var out = document.getElementById("changed-count");
      if (out) out.textContent = c.length ? "已修改 " + c.length + " 个字段" : "";
    }
    function select(index) {
      if (!rows.length) return;
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows[current].focus();
    }
    function submit(outcome) {
      var button = form.querySelector('button[value="' + outcome + '"]');
      if (!button) return;
      if (form.requestSubmit) form.requestSubmit(button); else button.click();
    }

    rows.forEach(function (row, index) {
      var name = row.dataset.field;
      var input = inputs[index];
      row.addEventListener("focusin", function () { current = index; mark(name, true, true); });
      row.addEventListener("focusout", function () { setTimeout(function () { if (!holdsFocus(name)) mark(name, false); }, 0); });
      row.addEventListener("mouseenter", function () { mark(name, true, false); });
      row.addEventListener("mouseleave", function () { if (!holdsFocus(name)) mark(name, false); });
      input.addEventListener("input", updateChanged);
    });
    document.querySelectorAll(".box").forEach(function (box) {
      var name = box.dataset.field;
      box.addEventListener("mouseenter", function () { mark(name, true, false); });
      box.addEventListener("mouseleave", function () { if (!holdsFocus(name)) mark(name, false); });
      box.addEventListener("click", function () {
        var input = document.getElementById("f-" + name);
        if (input && !input.disabled) { input.focus(); input.select(); }
      });
    });

    document.addEventListener("keydown", function (e) {
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
      if (inField && (e.key === "Enter" || e.key === "Escape")) {
        e.preventDefault(); rows[inputs.indexOf(active)].focus(); return;  // end editing, stay on the row
      }
      if (inField && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
        e.preventDefault();
        var next = inputs[Math.max(0, Math.min(inputs.length - 1, inputs.indexOf(active) + (e.key === "ArrowDown" ? 1 : -1)))];
        next.focus(); next.select(); return;
      }
      if (e.key === "Escape" && isTyping(active)) { active.blur(); return; }
      if (isTyping(active) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "j" || e.key === "ArrowDown") { e.preventDefault(); select(current + 1); }
      else if (e.key === "k" || e.key === "ArrowUp") { e.preventDefault(); select(current < 0 ? 0 : current - 1); }
      else if (e.key === "Enter" && rows.indexOf(active) >= 0) {
        e.preventDefault(); var input = inputs[rows.indexOf(active)];
        if (!input.disabled) { input.focus(); input.select(); }
      } else if (e.key === "n") {
        var link = document.getElementById("next-task");
        if (link) window.location.href = link.href;
      }
    });

    updateChanged();
    var first = rows.filter(function (r) { return r.classList.contains("flagged"); })[0] || rows[0];
    if (first) { first.focus({ preventScroll: true }); current = rows.indexOf(first); }
  }

  var form = document.getElementById("resolve-form");
  if (form) taskPage(form); else queuePage();
})();
