// Shared by every console page. Plain JavaScript, no build: the pages work without it, and it only
// adds what a browser cannot do alone.
'use strict';

// A form with data-confirm asks before it is sent (deleting a category cannot be undone).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) event.preventDefault();
});
