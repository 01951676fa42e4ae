// The page types of a site built from the published audits, with a URL each.

export const PAGE_TYPES = {
  home: "/",
  audit: "/granskning/alvesta-2017-it-verksamheten/",
  audits: "/granskning/",
  municipalities: "/kommun/",
  municipality: "/kommun/alvesta/",
  auditors: "/revisionsbyra/",
  auditor: "/revisionsbyra/kpmg/",
  themes: "/tema/",
  theme: "/tema/informationssakerhet/",
  years: "/ar/",
  year: "/ar/2017/",
  register: "/rekommendationer/",
  recommendations: "/rekommendationer/2017/",
  responses: "/svar/",
  statistics: "/statistik/",
  compare: "/jamfor/",
  about: "/om/",
  accessibility: "/tillganglighet/",
  search: "/sok/?q=s%C3%A4kerhet&kommun=kumla",
  "not-found": "/finns-inte/",
};

/** Opens a page type and waits until it is ready (search results, for the search page). */
export async function open(page, base, type) {
  await page.goto(base + PAGE_TYPES[type]);
  if (type === "search") await page.waitForSelector(".hit");
}
