/* The search page's scores and summaries (html_search_scorer in conf.py).
 *
 * Scores: Sphinx's own (its default weights, from sphinx/themes/basic/static/searchtools.js),
 * except that the reader's pages (the home page, the glossary, the clause reference and its
 * measures) come before the developers' English guides and API reference, whatever the word:
 * a reader who searches 一次性 or 工作日 finds the measures first, and a developer still finds
 * the guides, after them. */
var Scorer = {
  // result: [docname, title, anchor, descr, score, filename, kind]
  score: (result) => {
    const [docname, , , , score] = result;
    const reader =
      docname === "index" || docname === "glossary" || docname.startsWith("clauses/");
    return reader ? score : score - Scorer.developerPenalty;
  },
  // More than any score a page can get from Sphinx's own weights.
  developerPenalty: 1000,
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};

/* The summaries under each hit are the page's text: where the page's layout separates a
 * label from the next (条款：…；章节：…), the text has a line break, shown as a space after
 * the full-width punctuation.  Chinese puts none there: drop it.  (Sphinx inlines this file
 * after searchtools.js, which defines Search.) */
/* What a page shows for developers (a fact's code name and type, a facts-file key: class
 * policyrules-dev, policyrules.sphinxext_pages._dev) is left out of the summary, which then
 * reads as Chinese: 上一年度企业研发投入 … rather than prior_year_rd_investment money. */
if (typeof Search !== "undefined" && Search.htmlToText) {
  const pageText = Search.htmlToText;
  Search.htmlToText = (html, anchor) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    page.querySelectorAll(".policyrules-dev").forEach((el) => el.remove());
    return pageText(page.documentElement.outerHTML, anchor).replace(
      /([\u3001\u3002\uff0c\uff1a\uff1b\uff09])\s+/g,
      "$1",
    );
  };
}
