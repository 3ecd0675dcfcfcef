/* The search page's scores (html_search_scorer in conf.py): Sphinx's own, except that the
 * reader's pages (the home page, the glossary, the clause reference and its measures) come
 * before the developers' English guides and API reference, whatever the word: a reader who
 * searches 一次性 or 工作日 finds the measures first, and a developer still finds the guides,
 * after them.  The weights are Sphinx's defaults (sphinx/themes/basic/static/searchtools.js). */
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
