// The search page: results as you type. Without this script the form is an ordinary GET search.
// The server renders the results (escaped) and this script only swaps them in.
'use strict';

(() => {
  const form = document.getElementById('search-form');
  const input = document.getElementById('q');
  const results = document.getElementById('results');
  if (!(form instanceof HTMLFormElement) || !input || !results) return;
  // The page's language: the server renders these words into the page.
  const words = JSON.parse(results.dataset.words);

  const DEBOUNCE_MS = 250;
  let timer;
  let inFlight;
  let lastQuery = new URLSearchParams(new FormData(form)).toString();

  const run = async () => {
    const params = new URLSearchParams(new FormData(form));
    const query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(`/search/results?${query}`, { signal: inFlight.signal, headers: { Accept: 'text/html' } });
      if (response.status === 401) {
        window.location.assign(`/sign-in?reason=invalid&next=${encodeURIComponent(`/search?${query}`)}`);
        return;
      }
      const html = await response.text();
      if (!response.ok) {
        // An error page (too many requests, a role too low): show its message, not the whole page.
        const page = new DOMParser().parseFromString(html, 'text/html');
        const message = page.querySelector('.alert p');
        results.textContent = message ? message.textContent : words.failed.replace('{status}', String(response.status));
        return;
      }
      // The server escaped everything it rendered into this fragment.
      results.innerHTML = html;
      // The address follows the search, so reloading or sharing it shows the same results.
      window.history.replaceState(null, '', `/search?${query}`);
    } catch (error) {
      if (error.name !== 'AbortError') results.textContent = words.offline;
    } finally {
      results.setAttribute('aria-busy', 'false');
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    lastQuery = '';
    run();
  });
})();
