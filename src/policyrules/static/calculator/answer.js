// 政策计算器's answer: the decisions the service returns (POST ../v1/evaluate) shown as cards
// grouped by status, in the words of labels.json (policyrules.vocab).  Nothing is computed
// here: amounts are the service's, rewritten in 万元 as text.  Loaded by the page after
// money.js and before calculator.js (the global PolicyAnswer: el and show).
"use strict";

const PolicyAnswer = (() => {
  // An element with attributes (`text`: its text) and children.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // 元 as exact text ("24000000.00") in 万元 when whole 百元 or more, without floating point.
  function money(yuan) {
    const [whole, cents = ""] = yuan.split(".");
    const frac = cents.replace(/0+$/, "");
    if (whole.length > 4) {
      const wan = whole.slice(0, -4);
      const rest = (whole.slice(-4) + frac).replace(/0+$/, "");
      return `${Number(wan).toLocaleString("zh-CN")}${rest ? "." + rest : ""} 万元`;
    }
    return `${whole}${frac ? "." + frac : ""} 元`;
  }

  function clauseName(d) {
    const label = /^\d+$/.test(d.clause) ? `第${d.clause}条` : d.clause;
    return `${d.document_number || d.document} ${label} ${d.title || ""}`.trim();
  }

  // One decision as a card: its clause, subject and status, amount, what is missing, text.
  function card(d, labels) {
    const item = el("article", {
      class: `decision ${d.status}`,
      "data-provision": d.provision,
      "data-subject": d.subject,
    });
    item.append(el("h3", { text: clauseName(d) }));
    item.append(el("p", { class: "subject", text: `对象：${d.subject}　${labels.statuses[d.status]}` }));
    if (d.amount !== null) {
      // The amount with its kind, by the vocabulary's template ({amount}, {amount_min}).
      const low = d.amount_min == null ? null : money(d.amount_min);
      const kind = d.amount_kind === "range" && low === null ? "up_to" : d.amount_kind;
      const template = labels.amounts[kind] || "{amount}";
      const text = template.replace("{amount_min}", low || "").replace("{amount}", money(d.amount));
      const amount = el("p", { class: "amount", text });
      amount.dataset.amount = d.amount;
      amount.dataset.kind = d.amount_kind;
      item.append(amount);
    }
    const missing = [
      ...d.missing_facts.map((f) => labels.facts[f] || f),
      ...d.missing_parameters.map((p) => labels.parameters[p] || p),
    ];
    if (missing.length) {
      const list = el("ul", { class: "missing" });
      for (const m of missing) list.append(el("li", { text: m }));
      item.append(el("p", { text: "还需要：" }), list);
    }
    if (d.text_zh) {
      // The service's Chinese text; its first line, 【status】 clause —— subject, is the card's.
      const lines = d.text_zh.split("\n");
      if (lines[0].startsWith("【")) lines.shift();
      // 尚需提供 (what is missing) is the card's own list, by the facts' titles.
      const text = lines
        .map((line) => line.trim())
        .filter((line) => line && !(missing.length && line.startsWith("尚需提供")));
      // What it rests on (facts, assumptions, the original text) is folded under the rest.
      let cut = text.findIndex((line) => line.startsWith("所依据的情况"));
      if (cut < 0) cut = text.length;
      item.append(el("div", { class: "text", text: text.slice(0, cut).join("\n") }));
      if (cut < text.length) {
        const basis = el("details", { class: "basis" }, el("summary", { text: "依据、假设和原文" }));
        basis.append(el("div", { class: "text", text: text.slice(cut).join("\n") }));
        item.append(basis);
      }
    } else if (d.reasons.length) {
      item.append(el("p", { class: "text", text: d.reasons.join("；") }));
    }
    return item;
  }

  // The service's answer (POST ../v1/evaluate) in `result`, grouped by status, in the words
  // of labels.json.
  function show(result, data, labels) {
    result.replaceChildren();
    const groups = { eligible: [], unknown: [], not_eligible: [] };
    for (const d of data.decisions) groups[d.status].push(d);
    const counts = Object.entries(groups).map(([s, ds]) => `${labels.statuses[s]} ${ds.length} 项`);
    result.append(el("h2", { text: "结果" }), el("p", { class: "counts", text: counts.join("，") }));
    for (const status of ["eligible", "unknown", "not_eligible"]) {
      const part = el(status === "not_eligible" ? "details" : "section", { class: `group ${status}` });
      const heading = `${labels.statuses[status]}（${groups[status].length}）`;
      part.append(el(status === "not_eligible" ? "summary" : "h2", { text: heading }));
      for (const d of groups[status]) part.append(card(d, labels));
      result.append(part);
    }
    if (data.text_zh) {
      const whole = el("details", { class: "whole" }, el("summary", { text: "完整说明" }));
      whole.append(el("pre", { text: data.text_zh }));
      result.append(whole);
    }
    result.dataset.state = "done";
  }

  return { el, show };
})();
