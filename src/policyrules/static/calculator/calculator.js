// 政策计算器: the form is generated from the policy's facts schema (GET ../v1/schema), the
// facts are posted to ../v1/evaluate, and the decisions it returns are shown.  The rules are
// never computed here: this script only collects facts; answer.js shows the service's answer.
"use strict";

(() => {
  const API = "../v1/";
  const { el } = PolicyAnswer;
  const DETERMINED = "determined by an agency";
  const blocks = document.getElementById("blocks");
  const result = document.getElementById("result");
  // labels.json: titles the schema does not carry, and the words of statuses and amounts
  // (policyrules.vocab: the same words as the Chinese letter and the docs).
  let labels = { enums: {}, facts: {}, none: {}, parameters: {}, statuses: {}, amounts: {} };

  // ---- building elements (el: answer.js) ------------------------------------------------

  function select(options) {
    const node = el("select");
    for (const [value, text] of options) node.append(el("option", { value, text }));
    return node;
  }

  // ---- what kind of input a fact takes --------------------------------------------------

  // The schema of a fact without its "or null" (null means not given, as a missing key).
  function given(schema) {
    const alts = schema.anyOf || [];
    const rest = alts.filter((s) => s.type !== "null");
    const value = rest.length === 1 && alts.length === 2 ? rest[0] : schema;
    return noneAlternative(value) ? value.anyOf.find((s) => s.const !== "none") : value;
  }

  // A fact declared `or none` may be stated absent: its schema offers the constant "none".
  function noneAlternative(schema) {
    const alts = schema.anyOf || [];
    return alts.length === 2 && alts.some((s) => s.const === "none");
  }

  function noneable(schema) {
    const alts = schema.anyOf || [];
    const rest = alts.filter((s) => s.type !== "null");
    return noneAlternative(rest.length === 1 ? rest[0] : schema);
  }

  // A fact declared `or none`: a 无 box, worded by labels.json (what none means for it).
  function statedNone(field, words) {
    const box = el("input", { type: "checkbox", class: "stated-none" });
    field.append(el("label", { class: "none" }, box, words || "无（已声明不存在）"));
  }

  function kindOf(schema) {
    const s = given(schema);
    if (schema.description === DETERMINED) return "determination";
    if (s.type === "boolean") return "bool";
    if (s.enum) return "enum";
    if (s.type === "array" && s.items && s.items.enum) return "set";
    if (s.type === "array") return "list";
    if (s.format === "date") return "date";
    if ((s.description || "").startsWith("money")) return "money";
    if (s.anyOf) return "number";
    return "text";
  }

  // The unit a duration (or a list of durations) is written with: "a duration in 工作日".
  function unitOf(schema) {
    const s = given(schema);
    const inner = s.items || s;
    const m = /^a duration in (\S+)/.exec(inner.description || "");
    return m ? m[1] : "";
  }

  // ---- the form -------------------------------------------------------------------------

  function factField(key, name, schema) {
    const kind = kindOf(schema);
    const field = el("div", { class: `field kind-${kind}`, "data-name": name, "data-kind": kind });
    // A fact declared `or none`: its title without the author's note on none (labels.json).
    const absent = (labels.none[key] || {})[name];
    const title = name === "id" ? "编号" : (absent && absent.title) || schema.title || name;
    const label = el("label", { class: "title", text: title });
    field.append(label);
    const canBeNone = noneable(schema);
    let control;
    if (kind === "bool") {
      control = select([["", "未填写"], ["true", "是"], ["false", "否"]]);
    } else if (kind === "determination") {
      control = select([["", "未认定"], ["true", "是"], ["false", "否"]]);
    } else if (kind === "enum") {
      const titles = (labels.enums[key] || {})[name] || {};
      control = select([["", "未填写"], ...given(schema).enum.map((m) => [m, titles[m] || m])]);
    } else if (kind === "set") {
      const titles = (labels.enums[key] || {})[name] || {};
      control = el("div", { class: "choices", role: "group" });
      for (const m of given(schema).items.enum) {
        control.append(el("label", {}, el("input", { type: "checkbox", value: m }), titles[m] || m));
      }
      control.append(
        el("label", { class: "none" }, el("input", { type: "checkbox", value: "" }), "以上都不是"),
      );
      // "None of these" and a member exclude each other; nothing ticked: not given.
      control.addEventListener("change", (event) => {
        const none = event.target.value === "";
        for (const box of control.querySelectorAll("input")) {
          if ((box.value === "") !== none) box.checked = false;
        }
      });
      field.append(control);
      return field;
    } else if (kind === "date") {
      control = el("input", { type: "date" });
    } else if (kind === "money") {
      moneyBox(field, label);
      if (canBeNone) statedNone(field, absent && absent.none);
      return field;
    } else if (kind === "list") {
      const unit = unitOf(schema);
      control = el("input", {
        type: "text",
        placeholder: `多个用逗号分隔${unit ? "，单位：" + unit : ""}`,
        "data-unit": unit,
      });
    } else {
      const unit = unitOf(schema);
      control = el("input", {
        type: "text",
        inputmode: kind === "number" ? "decimal" : "text",
        placeholder: unit ? `单位：${unit}` : "未填写",
        "data-unit": unit,
      });
    }
    label.htmlFor = control.id = uniqueId();
    field.append(control);
    if (canBeNone) statedNone(field, absent && absent.none);
    return field;
  }

  // A money box: the amount, a unit chosen on purpose (none by default: 8,000,000 meant as 元
  // is never sent as 万元), and the amount read back as the service will read it.
  function moneyBox(field, label) {
    const control = el("input", { type: "text", inputmode: "decimal", placeholder: "未填写" });
    const unit = select([["", "单位"], ...PolicyMoney.UNITS.map((u) => [u, u])]);
    unit.className = "unit";
    unit.setAttribute("aria-label", "单位");
    const reading = el("output", { class: "reading", "aria-live": "polite" });
    const update = () => {
      const text = control.value.trim();
      const entry = PolicyMoney.entry(text, unit.value);
      // A unit written in the box is the one sent: the select then has no say.
      const written = PolicyMoney.parse(text);
      unit.disabled = Boolean(written && written.unit);
      reading.classList.toggle("ask", Boolean(entry.refuse));
      if (text === "") reading.textContent = "";
      else if (entry.refuse) reading.textContent = "请选择单位";
      else reading.textContent = entry.fen === null ? "" : `= ${PolicyMoney.words(entry.fen)}`;
    };
    control.addEventListener("input", update);
    unit.addEventListener("change", update);
    field.append(el("span", { class: "money" }, control, unit), reading);
    label.htmlFor = control.id = uniqueId();
  }

  let counter = 0;
  function uniqueId() {
    counter += 1;
    return `f${counter}`;
  }

  // One entity (a firm, a product …): its facts, then the lists of its own entities.
  function entityRow(key, schema, list) {
    const row = el("fieldset", { class: "entity", "data-key": key });
    const legend = el("legend", { text: schema.title || key });
    row.append(legend);
    if (list) {
      const remove = el("button", { type: "button", class: "remove", text: "删除" });
      remove.addEventListener("click", () => {
        const rows = row.parentElement;
        row.remove();
        renumber(rows);
      });
      legend.append(" ", remove);
    }
    const fields = el("div", { class: "fields" });
    const lists = el("div", { class: "lists" });
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (sub.type === "array" && sub.items && sub.items.type === "object") {
        lists.append(entityList(name, sub.items, 0));
      } else {
        fields.append(factField(key, name, sub));
      }
    }
    row.append(fields, lists);
    return row;
  }

  function renumber(rows) {
    rows.querySelectorAll(":scope > fieldset > legend").forEach((legend, i) => {
      legend.firstChild.textContent = `${legend.parentElement.dataset.title} ${i + 1}`;
    });
  }

  // A list of entities with buttons to add and remove rows; `start` rows to begin with.
  function entityList(key, items, start) {
    const title = items.title || key;
    const box = el("fieldset", { class: "entity-list", "data-key": key });
    box.append(el("legend", { text: title }));
    const rows = el("div", { class: "rows" });
    const add = el("button", { type: "button", class: "add", text: `添加${title}` });
    let made = 0;
    add.addEventListener("click", () => {
      const row = entityRow(key, items, true);
      row.dataset.title = title;
      made += 1;
      row.querySelector("[data-name=id] input").value = `${title}${made}`; // any unique id
      rows.append(row);
      renumber(rows);
    });
    box.append(rows, add);
    for (let i = 0; i < start; i += 1) add.click();
    return box;
  }

  function build(schema) {
    const top = schema.properties;
    const others = el("details", { class: "others" });
    others.append(el("summary", { text: "其他申报主体和主管部门报告的数据" }));
    for (const [key, sub] of Object.entries(top)) {
      if (key === "ledger" || key === "parameters" || key === "assumptions") continue;
      let part;
      if (sub.type === "array") part = entityList(key, sub.items, key === "firms" ? 1 : 0);
      else part = entityRow(key, sub, false);
      (key === "firms" ? blocks : others).append(part);
    }
    blocks.append(others);
    const params = (top.parameters || {}).properties || {};
    if (Object.keys(params).length) {
      const box = el("details", { class: "parameters" });
      box.append(el("summary", { text: "文本未定的比例（可按主管部门的决定填写）" }));
      const fields = el("div", { class: "fields", "data-key": "parameters" });
      for (const name of Object.keys(params)) {
        const field = factField("parameters", name, { title: labels.parameters[name] || name });
        field.querySelector("input").placeholder = "如 50%";
        fields.append(field);
      }
      box.append(fields);
      blocks.append(box);
    }
    if (labels.grants && labels.grants.length) blocks.append(ledgerBox());
  }

  // ---- earlier grants (the document's ledger) --------------------------------------------

  // A grant names its award, the ids of its subject from the firm down, its amount and, for
  // an award capped per year, the year: the keys of a ledger entry (labels.json's grants).
  function grantRow() {
    const row = el("fieldset", { class: "grant" });
    const remove = el("button", { type: "button", class: "remove", text: "删除" });
    remove.addEventListener("click", () => row.remove());
    row.append(el("legend", { text: "已获资金 " }, remove));
    const fields = el("div", { class: "fields" });
    const award = select(labels.grants.map((g) => [g.provision, g.title]));
    const which = el("div", { class: "field", "data-name": "provision", "data-kind": "text" });
    which.append(el("label", { class: "title", text: "措施" }), award);
    const keys = el("div", { class: "keys" });
    const rebuild = () => {
      const grant = labels.grants.find((g) => g.provision === award.value);
      const parts = grant.keys.map(([name, title]) =>
        factField("ledger", name, { title: `${title}编号` }),
      );
      parts.push(factField("ledger", "amount", { title: "金额", description: "money" }));
      if (grant.yearly) parts.push(factField("ledger", "year", { title: "年度（如 2026）" }));
      keys.replaceChildren(...parts);
    };
    award.addEventListener("change", rebuild);
    rebuild();
    fields.append(which, keys);
    row.append(fields);
    return row;
  }

  function ledgerBox() {
    const box = el("details", { class: "ledger" });
    box.append(el("summary", { text: "已获得的资金（台账：计算封顶时扣除）" }));
    const rows = el("div", { class: "rows" });
    const add = el("button", { type: "button", class: "add", text: "添加一笔" });
    add.addEventListener("click", () => rows.append(grantRow()));
    box.append(rows, add);
    return box;
  }

  function readLedger() {
    return [...blocks.querySelectorAll(".ledger .grant")].map((row, i) => {
      const grant = {};
      const path = `ledger[${i}]`;
      for (const field of row.querySelectorAll(".field")) {
        const value = readField(field, `${path}.${field.dataset.name}`);
        if (value === undefined) continue;
        // A year is a whole number (a ledger's `year: 2026`).
        const year = field.dataset.name === "year" && /^[0-9]+$/.test(value);
        grant[field.dataset.name] = year ? Number(value) : value;
      }
      return grant;
    });
  }

  // ---- reading the form back as a facts document ----------------------------------------

  function splitList(text) {
    return text.split(/[,，、;；\s]+/).filter((x) => x !== "");
  }

  // The value of one field, or undefined when left unknown; `path` names it for errors.
  function readField(field, path) {
    const kind = field.dataset.kind;
    for (const input of field.querySelectorAll("input, select")) input.dataset.path = path;
    if (kind === "set") {
      const ticked = [...field.querySelectorAll("input:checked")].map((box) => box.value);
      if (!ticked.length) return undefined;
      return ticked.filter((v) => v !== "");
    }
    const absent = field.querySelector("input.stated-none");
    if (absent && absent.checked) return "none";
    const control = field.querySelector("input, select");
    const text = control.value.trim();
    if (text === "") return undefined;
    if (kind === "bool" || kind === "determination") return text === "true";
    if (kind === "money") {
      const entry = PolicyMoney.entry(text, field.querySelector("select.unit").value);
      if (!entry.refuse) return entry.send;
      const title = field.querySelector("label.title").textContent;
      refused.push({ message: `${title}：${text} 未选单位`, hint: entry.refuse, path });
      return undefined;
    }
    const unit = control.dataset.unit || "";
    if (kind === "list") return splitList(text).map((x) => x + unit);
    return unit ? text + unit : text;
  }

  // The money boxes readField refused (a number without a unit): nothing is sent then.
  let refused = [];

  function readFields(container, path) {
    const out = {};
    for (const field of container.querySelectorAll(":scope > .fields > .field")) {
      const value = readField(field, `${path}.${field.dataset.name}`);
      if (value !== undefined) out[field.dataset.name] = value;
    }
    return out;
  }

  function readEntity(row, path) {
    const out = readFields(row, path);
    for (const list of row.querySelectorAll(":scope > .lists > .entity-list")) {
      const items = readList(list, `${path}.${list.dataset.key}`);
      if (items.length) out[list.dataset.key] = items;
    }
    return out;
  }

  function readList(list, path) {
    const rows = list.querySelectorAll(":scope > .rows > .entity");
    return [...rows].map((row, i) => readEntity(row, `${path}[${i}]`));
  }

  function readForm() {
    const doc = {};
    for (const part of blocks.querySelectorAll(":scope > .entity-list, :scope > details > .entity-list")) {
      const items = readList(part, part.dataset.key);
      if (items.length) doc[part.dataset.key] = items;
    }
    for (const row of blocks.querySelectorAll(":scope > details > .entity")) {
      const single = readEntity(row, row.dataset.key);
      if (Object.keys(single).length) doc[row.dataset.key] = single;
    }
    const params = blocks.querySelector(".parameters .fields");
    if (params) {
      const values = {};
      for (const field of params.querySelectorAll(":scope > .field")) {
        const value = readField(field, `parameters.${field.dataset.name}`);
        if (value !== undefined) values[field.dataset.name] = value;
      }
      if (Object.keys(values).length) doc.parameters = values;
    }
    const ledger = readLedger();
    if (ledger.length) doc.ledger = ledger;
    return doc;
  }

  function showErrors(body) {
    result.replaceChildren(el("h2", { text: "填写有误" }));
    const list = el("ul", { class: "errors" });
    for (const e of body.errors || []) {
      list.append(el("li", { text: `${e.message}${e.hint ? "（" + e.hint + "）" : ""}` }));
      if (!e.path) continue;
      // Every input of the field: a money box's unit too.
      const inputs = blocks.querySelectorAll(`[data-path="${CSS.escape(e.path)}"]`);
      for (const input of inputs) input.classList.add("wrong");
    }
    result.append(list);
    result.dataset.state = "error";
  }

  async function submit(event) {
    event.preventDefault();
    for (const wrong of blocks.querySelectorAll(".wrong")) wrong.classList.remove("wrong");
    refused = [];
    const facts = readForm();
    if (refused.length) {
      showErrors({ errors: refused });
      return;
    }
    result.dataset.state = "busy";
    result.replaceChildren(el("p", { text: "计算中……" }));
    const asOf = document.getElementById("as-of").value;
    const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
    try {
      const answer = await fetch(`${API}evaluate${query}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(facts),
      });
      const body = await answer.json();
      if (answer.ok) PolicyAnswer.show(result, body, labels);
      else showErrors(body);
    } catch (err) {
      showErrors({ errors: [{ message: `无法连接服务：${err}` }] });
    }
  }

  async function start() {
    const [schema, titles] = await Promise.all([
      fetch(`${API}schema`).then((r) => r.json()),
      fetch("labels.json").then((r) => r.json()),
    ]);
    labels = titles;
    build(schema);
    document.getElementById("loading").remove();
    document.getElementById("controls").hidden = false;
    document.getElementById("facts").addEventListener("submit", submit);
    document.body.dataset.ready = "1";
  }

  start();
})();
