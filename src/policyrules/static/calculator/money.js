// 政策计算器's money boxes: what a box's text and its chosen unit are sent as, and the amount
// read back beside the box as the service will read it.  The page never guesses a unit: a
// plain number with no unit chosen is refused before anything is sent, and a unit written in
// the box (200万元, 1.5亿) is the one sent, whatever the select says.  Loaded by the page
// before calculator.js (the global PolicyMoney), and the same way by
// tests/unit/test_calculator_money.py in the tests' headless Chromium.
"use strict";

const PolicyMoney = (() => {
  const UNITS = ["元", "万元", "亿元"];
  const FEN = { 元: 100n, 万: 10n ** 6n, 万元: 10n ** 6n, 亿: 10n ** 10n, 亿元: 10n ** 10n };
  // Money text as the service reads it (policyrules.convert_patterns.MONEY_PATTERN): ASCII
  // digits, no leading zero, thousands commas in threes or none, at most one space before
  // the unit; whole fen and below 10^37 元 are checked below.
  const TEXT = /^(0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.([0-9]+))? ?(元|万元?|亿元?)?$/;
  const MAX_FEN = 10n ** 39n;
  const NO_UNIT = "请选择单位：元、万元或亿元；或在金额后写明单位，如 200万元";

  // {fen, unit} of money text (unit: the one written, or null), or null when the service
  // would refuse the text (not a number, not whole fen, 10^37 元 or more).
  function parse(text) {
    const m = TEXT.exec(text);
    if (!m) return null;
    const [, whole, frac = "", unit = null] = m;
    const scaled = BigInt(whole.replace(/,/g, "") + frac) * FEN[unit || "元"];
    const per = 10n ** BigInt(frac.length);
    if (scaled % per !== 0n || scaled / per >= MAX_FEN) return null;
    return { fen: scaled / per, unit };
  }

  // What a box is sent as: {send, fen} (fen null where the service will refuse the text and
  // say why) or {refuse: message} for a plain number with no unit chosen.
  function entry(text, chosen) {
    const typed = text.trim();
    const read = parse(typed);
    if (read && read.unit) return { send: typed, fen: read.fen };
    if (!chosen) return read ? { refuse: NO_UNIT } : { send: typed, fen: null };
    const sent = typed + chosen;
    const withUnit = parse(sent);
    return { send: sent, fen: withUnit ? withUnit.fen : null };
  }

  function grouped(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // An amount in fen in the largest unit it reaches, exactly: 800 亿元, 1.5 万元, 12.34 元.
  function words(fen) {
    const [unit, scale, places] =
      fen >= FEN.亿元 ? ["亿元", FEN.亿元, 10] : fen >= FEN.万元 ? ["万元", FEN.万元, 6] : ["元", 100n, 2];
    const whole = grouped((fen / scale).toString());
    const frac = (fen % scale).toString().padStart(places, "0").replace(/0+$/, "");
    return `${whole}${frac ? "." + frac : ""} ${unit}`;
  }

  return { UNITS, NO_UNIT, parse, entry, words };
})();
